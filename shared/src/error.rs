//! Error codes every client can `match` on, their localized messages, and the RFC 9457
//! problem document the API returns. The server builds `Problem`s from these; the SPA reads them
//! back and shows the same messages its own validation produces.

use crate::Lang;
use serde::{Deserialize, Serialize};

/// What went wrong with a request as a whole; the `type` of a problem document is `urn:sodoan:problem:<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// One or more fields are invalid (422); `errors` lists them.
    ValidationFailed,
    /// The body, path or query could not be read at all (400).
    BadRequest,
    /// No valid credentials or token (401).
    Unauthenticated,
    /// Wrong login or password (401); deliberately the same for an unknown login.
    InvalidCredentials,
    /// Signed in, but the unit is outside the caller's scope or the role is too low (403).
    Forbidden,
    /// The case is about the caller (their own application, member record or transfer): only its
    /// subject's own steps are theirs, every decision belongs to someone else (403).
    OwnCase,
    /// No such resource, or not visible to the caller (404).
    NotFound,
    /// The login is already taken (409).
    DuplicateLogin,
    /// The resource already exists or conflicts with another (409).
    Conflict,
    /// The action is not allowed in the resource's current state (409).
    InvalidState,
    /// `If-Match` names an older version than the stored one (412).
    PreconditionFailed,
    /// `If-Match` is required for this write (428).
    PreconditionRequired,
    /// Too many failed attempts; retry after the `Retry-After` seconds (429).
    TooManyRequests,
    /// The body is larger than the server accepts (413).
    PayloadTooLarge,
    /// The body is not of a kind the endpoint reads (415), e.g. a program renamed `.xlsx`.
    UnsupportedMediaType,
    /// The method is not supported on this path (405).
    MethodNotAllowed,
    /// The server is overloaded for a moment; retry after the `Retry-After` seconds (503).
    Unavailable,
    /// The server failed; nothing the client sent caused it (500).
    Internal,
}

impl ErrorCode {
    /// The HTTP status that goes with the code.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::ValidationFailed => 422,
            ErrorCode::BadRequest => 400,
            ErrorCode::Unauthenticated | ErrorCode::InvalidCredentials => 401,
            ErrorCode::Forbidden | ErrorCode::OwnCase => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::DuplicateLogin | ErrorCode::Conflict | ErrorCode::InvalidState => 409,
            ErrorCode::PreconditionFailed => 412,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::PreconditionRequired => 428,
            ErrorCode::TooManyRequests => 429,
            ErrorCode::Internal => 500,
            ErrorCode::Unavailable => 503,
        }
    }

    /// The snake_case name, as in the problem `type`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::OwnCase => "own_case",
            ErrorCode::NotFound => "not_found",
            ErrorCode::DuplicateLogin => "duplicate_login",
            ErrorCode::Conflict => "conflict",
            ErrorCode::InvalidState => "invalid_state",
            ErrorCode::PreconditionFailed => "precondition_failed",
            ErrorCode::PreconditionRequired => "precondition_required",
            ErrorCode::TooManyRequests => "too_many_requests",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Internal => "internal",
            ErrorCode::Unavailable => "unavailable",
        }
    }

    /// The problem `type` URI.
    pub fn type_uri(self) -> String {
        format!("urn:sodoan:problem:{}", self.as_str())
    }

    /// Parses a problem `type` URI back into a code.
    pub fn from_type_uri(uri: &str) -> Option<ErrorCode> {
        let name = uri.strip_prefix("urn:sodoan:problem:")?;
        serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
    }

    /// A short human title in the given language.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            ErrorCode::ValidationFailed => lang.pick("Một số trường chưa hợp lệ", "Some fields are invalid"),
            ErrorCode::BadRequest => lang.pick("Yêu cầu không đọc được", "The request could not be read"),
            ErrorCode::Unauthenticated => lang.pick("Vui lòng đăng nhập", "Please sign in"),
            ErrorCode::InvalidCredentials => lang.pick("Sai tên đăng nhập hoặc mật khẩu", "Wrong login or password"),
            ErrorCode::Forbidden => lang.pick(
                "Bạn không có quyền thực hiện thao tác này tại đơn vị này",
                "You are not allowed to do this in this unit",
            ),
            ErrorCode::OwnCase => lang.pick(
                "Bạn không thể tự quyết định hồ sơ của chính mình; cán bộ khác sẽ xử lý",
                "You cannot decide a case about yourself; another cadre will",
            ),
            ErrorCode::NotFound => lang.pick("Không tìm thấy", "Not found"),
            ErrorCode::DuplicateLogin => lang.pick("Tên đăng nhập này đã được sử dụng", "This login is already in use"),
            ErrorCode::Conflict => lang.pick("Dữ liệu bị trùng hoặc xung đột", "This conflicts with existing data"),
            ErrorCode::InvalidState => lang.pick(
                "Không thể thực hiện thao tác ở trạng thái hiện tại",
                "This action is not possible in the current state",
            ),
            ErrorCode::PreconditionFailed => lang.pick(
                "Dữ liệu đã được người khác thay đổi, vui lòng tải lại",
                "Someone else changed this record; please reload",
            ),
            ErrorCode::PreconditionRequired => {
                lang.pick("Thiếu phiên bản dữ liệu (If-Match)", "The record version (If-Match) is required")
            }
            ErrorCode::TooManyRequests => {
                lang.pick("Quá nhiều lần thử, vui lòng đợi rồi thử lại", "Too many attempts; please wait and try again")
            }
            ErrorCode::PayloadTooLarge => lang.pick("Dữ liệu gửi lên quá lớn", "The request is too large"),
            ErrorCode::UnsupportedMediaType => {
                lang.pick("Tệp không đúng loại được hỗ trợ", "The file is not of a supported type")
            }
            ErrorCode::MethodNotAllowed => lang.pick("Phương thức không được hỗ trợ", "Method not allowed"),
            ErrorCode::Unavailable => lang.pick(
                "Máy chủ đang bận, vui lòng thử lại sau giây lát",
                "The server is busy; please try again in a moment",
            ),
            ErrorCode::Internal => {
                lang.pick("Lỗi máy chủ, vui lòng thử lại sau", "Server error; please try again later")
            }
        }
    }
}

/// Why one field is invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldErrorCode {
    /// Missing or empty.
    Required,
    /// Not of the expected form (a phone, an email, a date…).
    InvalidFormat,
    /// Contains characters that are not allowed here.
    InvalidCharacters,
    /// Shorter than the minimum.
    TooShort,
    /// Longer than the maximum.
    TooLong,
    /// A date after today.
    InFuture,
    /// The person is younger than allowed.
    TooYoung,
    /// The person is older than allowed.
    TooOld,
    /// Not one of the allowed values.
    UnknownValue,
    /// Refers to a record that does not exist.
    NotFound,
    /// Not allowed in this context (for example a unit kind under this parent).
    NotAllowed,
    /// Already used by another record.
    Duplicate,
    /// Out of the allowed range.
    OutOfRange,
    /// Disagrees with other fields (a CCCD whose sex or birth year differs from the record's).
    Mismatch,
    /// Refers to a unit that has been dissolved or merged into another.
    Dissolved,
    /// The person already has a live member record.
    AlreadyMember,
    /// Matches more than one record (a unit name used twice; give its code).
    Ambiguous,
    /// A link or code that is no longer valid (a check-in link after its time).
    Expired,
    /// The member is already registered for this programme.
    AlreadyRegistered,
    /// The person did not belong to the unit on the day (joined later, moved away earlier).
    NotInUnit,
    /// The amount is not the member's dues for the months chosen.
    AmountMismatch,
    /// More HTXSNV than the unit's quota allows (the numbers follow).
    OverQuota,
    /// The member already has a rating for that year.
    AlreadyRated,
}

impl FieldErrorCode {
    /// The message shown under the field.
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            FieldErrorCode::Required => lang.pick("Trường này là bắt buộc", "This field is required"),
            FieldErrorCode::InvalidFormat => lang.pick("Không đúng định dạng", "Invalid format"),
            FieldErrorCode::InvalidCharacters => {
                lang.pick("Có ký tự không được phép", "Contains characters that are not allowed")
            }
            FieldErrorCode::TooShort => lang.pick("Quá ngắn", "Too short"),
            FieldErrorCode::TooLong => lang.pick("Quá dài", "Too long"),
            FieldErrorCode::InFuture => lang.pick("Ngày không được ở tương lai", "The date cannot be in the future"),
            FieldErrorCode::TooYoung => lang.pick("Chưa đủ tuổi", "Below the minimum age"),
            FieldErrorCode::TooOld => lang.pick("Quá tuổi quy định", "Above the maximum age"),
            FieldErrorCode::UnknownValue => lang.pick("Giá trị không hợp lệ", "Not an allowed value"),
            FieldErrorCode::NotFound => lang.pick("Không tồn tại", "Does not exist"),
            FieldErrorCode::NotAllowed => lang.pick("Không được phép ở đây", "Not allowed here"),
            FieldErrorCode::Duplicate => lang.pick("Đã được sử dụng", "Already in use"),
            FieldErrorCode::OutOfRange => lang.pick("Ngoài phạm vi cho phép", "Out of range"),
            FieldErrorCode::Mismatch => {
                lang.pick("Không khớp với giới tính hoặc năm sinh", "Does not match the sex or the year of birth")
            }
            FieldErrorCode::Dissolved => {
                lang.pick("Đơn vị đã giải thể hoặc sáp nhập", "The unit has been dissolved or merged")
            }
            FieldErrorCode::AlreadyMember => {
                lang.pick("Người này đã có hồ sơ đoàn viên", "This person already has a member record")
            }
            FieldErrorCode::Expired => lang.pick("Đã hết hạn", "Has expired"),
            FieldErrorCode::AlreadyRegistered => lang
                .pick("Đoàn viên đã đăng ký chương trình này", "The member is already registered for this programme"),
            FieldErrorCode::NotInUnit => {
                lang.pick("Không sinh hoạt ở đơn vị này vào ngày đó", "Not a member of this unit on that day")
            }
            FieldErrorCode::AmountMismatch => lang.pick(
                "Số tiền không đúng mức đoàn phí của các tháng đã chọn",
                "The amount is not the dues for the months chosen",
            ),
            FieldErrorCode::OverQuota => lang.pick(
                "Vượt tỷ lệ Hoàn thành xuất sắc nhiệm vụ của đơn vị",
                "More rated excellent than the unit's quota allows",
            ),
            FieldErrorCode::Ambiguous => {
                lang.pick("Khớp với nhiều đơn vị, hãy ghi mã đơn vị", "Matches several units; use the unit code")
            }
            FieldErrorCode::AlreadyRated => {
                lang.pick("Đoàn viên đã có kết quả xếp loại năm này", "The member is already rated for that year")
            }
        }
    }
}

/// Why a write conflicts with what is stored (409): the problem's `reason`, and its `detail` in
/// the reader's language. A database's own text (a constraint name, an engine message) never
/// reaches a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConflictCode {
    /// The account already belongs to a member record.
    AccountIsMember,
    /// The youth already has an application under way.
    ApplicationUnderWay,
    /// The unit already has someone in this position.
    PositionTaken,
    /// The person already holds this role on this unit.
    RoleAlreadyHeld,
    /// The last administrator cannot lose the role.
    LastAdmin,
    /// The unit still has units or members under it.
    UnitNotEmpty,
    /// Another live member record holds this CCCD.
    NationalIdTaken,
    /// The person is already a member (in another unit).
    PersonIsMember,
    /// A transfer of this member is already under way.
    TransferUnderWay,
    /// Both records are linked to an account.
    BothRecordsLinked,
    /// Already enrolled in this class.
    AlreadyEnrolled,
    /// A session someone attended cannot be removed.
    SessionAttended,
    /// More rows match than one export holds.
    ExportTooLarge,
    /// This Idempotency-Key was used for a different request.
    IdempotencyKeyReused,
    /// The first request with this Idempotency-Key is still running.
    IdempotencyKeyRunning,
    /// Another write changed the same data at the same moment; retry.
    ConcurrentUpdate,
    /// The record already exists.
    Duplicate,
    /// The unit already has a programme for this year.
    ProgrammeExists,
    /// The member is already registered for this programme.
    AlreadyRegistered,
    /// Members chose an item (or wrote under a heading) that an edit leaves out.
    ItemChosen,
    /// Progress was recorded on an item the change leaves out.
    ProgressRecorded,
    /// The branch has evaluated the registration; only a new decision changes it.
    RegistrationEvaluated,
    /// The member is no longer active (matured out, removed, transferred…).
    MemberNotLive,
    /// The programme is a template its units copy; members register for their unit's own.
    ProgrammeIsTemplate,
    /// The progress entry holds as much evidence as it may.
    EvidenceLimit,
    /// The candidate's months no longer count (attended, excused or paid since): not removed.
    CandidateSettled,
    /// The member has already paid dues for this month.
    DuesMonthPaid,
    /// The member was removed (or left) before this month.
    DuesAfterLeaving,
    /// Payments were recorded under the rate this one would replace.
    DuesRateOverPayments,
    /// The member's dues are not paid up to the month the release claims.
    DuesUnpaid,
    /// The unit already has a rating period for this year.
    RatingPeriodExists,
    /// The rating is confirmed; only a new decision (`revise`) changes it.
    RatingConfirmed,
    /// The step is not open from where the rating stands.
    RatingStepNotOpen,
    /// The member has not assessed themselves and the self-assessment is still open.
    NotSelfAssessed,
    /// The member is not rated by this unit this year (the reason follows).
    MemberNotRated,
    /// The unit is already rated for this year.
    UnitRated,
}

impl ConflictCode {
    /// The code as sent in `reason`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictCode::AccountIsMember => "account_is_member",
            ConflictCode::ApplicationUnderWay => "application_under_way",
            ConflictCode::PositionTaken => "position_taken",
            ConflictCode::RoleAlreadyHeld => "role_already_held",
            ConflictCode::LastAdmin => "last_admin",
            ConflictCode::UnitNotEmpty => "unit_not_empty",
            ConflictCode::NationalIdTaken => "national_id_taken",
            ConflictCode::PersonIsMember => "person_is_member",
            ConflictCode::TransferUnderWay => "transfer_under_way",
            ConflictCode::BothRecordsLinked => "both_records_linked",
            ConflictCode::AlreadyEnrolled => "already_enrolled",
            ConflictCode::SessionAttended => "session_attended",
            ConflictCode::ExportTooLarge => "export_too_large",
            ConflictCode::IdempotencyKeyReused => "idempotency_key_reused",
            ConflictCode::IdempotencyKeyRunning => "idempotency_key_running",
            ConflictCode::ConcurrentUpdate => "concurrent_update",
            ConflictCode::Duplicate => "duplicate",
            ConflictCode::ProgrammeExists => "programme_exists",
            ConflictCode::AlreadyRegistered => "already_registered",
            ConflictCode::ItemChosen => "item_chosen",
            ConflictCode::ProgressRecorded => "progress_recorded",
            ConflictCode::RegistrationEvaluated => "registration_evaluated",
            ConflictCode::MemberNotLive => "member_not_live",
            ConflictCode::ProgrammeIsTemplate => "programme_is_template",
            ConflictCode::EvidenceLimit => "evidence_limit",
            ConflictCode::CandidateSettled => "candidate_settled",
            ConflictCode::DuesMonthPaid => "dues_month_paid",
            ConflictCode::DuesAfterLeaving => "dues_after_leaving",
            ConflictCode::DuesRateOverPayments => "dues_rate_over_payments",
            ConflictCode::DuesUnpaid => "dues_unpaid",
            ConflictCode::RatingPeriodExists => "rating_period_exists",
            ConflictCode::RatingConfirmed => "rating_confirmed",
            ConflictCode::RatingStepNotOpen => "rating_step_not_open",
            ConflictCode::NotSelfAssessed => "not_self_assessed",
            ConflictCode::MemberNotRated => "member_not_rated",
            ConflictCode::UnitRated => "unit_rated",
        }
    }

    /// The sentence shown to people, in `lang`.
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            ConflictCode::AccountIsMember => lang.pick(
                "Tài khoản này đã gắn với một hồ sơ đoàn viên.",
                "This account is already linked to a member record.",
            ),
            ConflictCode::ApplicationUnderWay => {
                lang.pick("Đã có một hồ sơ xin vào Đoàn đang xét.", "An application is already under way.")
            }
            ConflictCode::PositionTaken => {
                lang.pick("Đơn vị đã có người giữ chức danh này.", "The unit already has someone in this position.")
            }
            ConflictCode::RoleAlreadyHeld => lang
                .pick("Người này đã có vai trò này tại đơn vị.", "This person already holds this role on this unit."),
            ConflictCode::LastAdmin => lang.pick(
                "Không thể thu hồi quyền của quản trị viên cuối cùng.",
                "The last administrator cannot be removed.",
            ),
            ConflictCode::UnitNotEmpty => lang.pick(
                "Đơn vị còn đơn vị trực thuộc hoặc đoàn viên: hãy sáp nhập vào đơn vị khác, hoặc chuyển đi trước.",
                "The unit still has units or members: merge it into another unit, or move them first.",
            ),
            ConflictCode::NationalIdTaken => {
                lang.pick("Số CCCD này thuộc một hồ sơ đoàn viên khác.", "This CCCD belongs to another member record.")
            }
            ConflictCode::PersonIsMember => {
                lang.pick("Người này đã là đoàn viên ở đơn vị khác.", "This person is already a member elsewhere.")
            }
            ConflictCode::TransferUnderWay => lang.pick(
                "Đang có hồ sơ chuyển sinh hoạt của đoàn viên này.",
                "A transfer of this member is already under way.",
            ),
            ConflictCode::BothRecordsLinked => lang.pick(
                "Cả hai hồ sơ đều gắn với tài khoản; hãy bỏ liên kết một hồ sơ trước.",
                "Both records are linked to an account; unlink one first.",
            ),
            ConflictCode::AlreadyEnrolled => lang.pick("Đã ghi danh vào lớp này.", "Already enrolled in this class."),
            ConflictCode::SessionAttended => lang.pick(
                "Buổi học đã có người điểm danh, không xóa được.",
                "A session with attendance cannot be removed.",
            ),
            ConflictCode::ExportTooLarge => lang.pick(
                "Quá nhiều đoàn viên cho một lần xuất: hãy lọc bớt.",
                "Too many members for one export: narrow the list.",
            ),
            ConflictCode::IdempotencyKeyReused => lang.pick(
                "Idempotency-Key này đã dùng cho một yêu cầu khác.",
                "This Idempotency-Key was used for a different request.",
            ),
            ConflictCode::IdempotencyKeyRunning => lang.pick(
                "Yêu cầu đầu tiên với Idempotency-Key này vẫn đang chạy.",
                "The first request with this Idempotency-Key is still running.",
            ),
            ConflictCode::ConcurrentUpdate => lang.pick(
                "Dữ liệu vừa được thay đổi cùng lúc; hãy thử lại.",
                "The data changed at the same moment; please retry.",
            ),
            ConflictCode::Duplicate => lang.pick("Bản ghi này đã có.", "This record already exists."),
            ConflictCode::ProgrammeExists => lang.pick(
                "Đơn vị đã có chương trình rèn luyện cho năm này.",
                "The unit already has a programme for this year.",
            ),
            ConflictCode::AlreadyRegistered => lang.pick(
                "Đoàn viên đã đăng ký chương trình này.",
                "The member is already registered for this programme.",
            ),
            ConflictCode::ItemChosen => lang.pick(
                "Đã có đoàn viên đăng ký nội dung (hoặc viết cam kết ở mục) này, không bỏ được; có thể thêm nội dung mới.",
                "Members registered for this item (or wrote under this heading): it cannot be removed; items can be added.",
            ),
            ConflictCode::ProgressRecorded => lang.pick(
                "Đã ghi kết quả thực hiện cho nội dung này, không bỏ được.",
                "Progress was recorded on this item; it cannot be left out.",
            ),
            ConflictCode::RegistrationEvaluated => lang.pick(
                "Chi đoàn đã đánh giá kết quả rèn luyện; chỉ một quyết định mới thay đổi được.",
                "The branch has evaluated this registration; only a new decision changes it.",
            ),
            ConflictCode::MemberNotLive => lang.pick(
                "Đoàn viên không còn sinh hoạt (đã trưởng thành, chuyển đi hoặc bị xóa tên).",
                "The member is no longer active (matured out, transferred or removed).",
            ),
            ConflictCode::ProgrammeIsTemplate => lang.pick(
                "Đây là chương trình mẫu để các đơn vị sao chép; đoàn viên đăng ký chương trình của đơn vị mình.",
                "This programme is a template for units to copy; members register for their own unit's programme.",
            ),
            ConflictCode::EvidenceLimit => lang.pick(
                "Mỗi lần ghi kết quả có tối đa 5 minh chứng.",
                "A progress entry holds at most 5 pieces of evidence.",
            ),
            ConflictCode::CandidateSettled => lang.pick(
                "Đoàn viên đã sinh hoạt hoặc đóng đoàn phí bù cho các tháng này; không còn thuộc diện xóa tên.",
                "The member has since attended or paid for these months and is no longer to be removed.",
            ),
            ConflictCode::DuesMonthPaid => {
                lang.pick("Đoàn viên đã đóng đoàn phí tháng này.", "The member has already paid dues for this month.")
            }
            ConflictCode::DuesAfterLeaving => lang.pick(
                "Đoàn viên đã bị xóa tên hoặc thôi sinh hoạt trước tháng này.",
                "The member was removed or left before this month.",
            ),
            ConflictCode::DuesRateOverPayments => lang.pick(
                "Đã có đoàn viên đóng đoàn phí theo mức cũ từ tháng này; mức mới chỉ áp dụng từ sau các tháng đã đóng.",
                "Dues were already paid under the old rate from this month; a new rate can start only after them.",
            ),
            ConflictCode::DuesUnpaid => lang.pick(
                "Đoàn viên chưa đóng đoàn phí đến tháng này.",
                "The member's dues are not paid up to this month.",
            ),
            ConflictCode::RatingPeriodExists => lang.pick(
                "Đơn vị đã mở đợt đánh giá, xếp loại cho năm này.",
                "The unit already has a rating period for this year.",
            ),
            ConflictCode::RatingConfirmed => lang.pick(
                "Xếp loại đã được công nhận; chỉ một quyết định mới (điều chỉnh) thay đổi được.",
                "The rating is confirmed; only a new decision (revise) changes it.",
            ),
            ConflictCode::RatingStepNotOpen => lang.pick(
                "Bước này chưa thể thực hiện ở trạng thái hiện tại của xếp loại.",
                "This step is not open from where the rating stands.",
            ),
            ConflictCode::NotSelfAssessed => lang.pick(
                "Đoàn viên chưa tự đánh giá và hạn tự đánh giá chưa hết.",
                "The member has not assessed themselves and the self-assessment is still open.",
            ),
            ConflictCode::MemberNotRated => lang.pick(
                "Đoàn viên không thuộc diện đánh giá ở đơn vị này năm nay.",
                "The member is not rated by this unit this year.",
            ),
            ConflictCode::UnitRated => {
                lang.pick("Đơn vị đã được xếp loại năm này.", "The unit is already rated for this year.")
            }
        }
    }
}

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field name as sent (`snake_case`; `items[2].phone` for nested ones).
    pub field: String,
    /// Why it is invalid.
    pub code: FieldErrorCode,
    /// The message in the request's language.
    pub message: String,
}

impl FieldError {
    /// A field error with its message in `lang`.
    pub fn new(field: impl Into<String>, code: FieldErrorCode, lang: Lang) -> Self {
        FieldError { field: field.into(), code, message: code.message(lang).to_owned() }
    }

    /// A field error whose message ends with language-neutral context (months, an amount).
    pub fn with_context(field: impl Into<String>, code: FieldErrorCode, lang: Lang, context: &str) -> Self {
        FieldError { field: field.into(), code, message: format!("{} ({context})", code.message(lang)) }
    }

    /// Rewrites the message into another language, keeping any context after it.
    pub fn localized(mut self, lang: Lang) -> Self {
        let context = [Lang::Vi, Lang::En]
            .into_iter()
            .find_map(|l| self.message.strip_prefix(self.code.message(l)))
            .unwrap_or_default()
            .to_owned();
        self.message = format!("{}{context}", self.code.message(lang));
        self
    }
}

/// An RFC 9457 `application/problem+json` document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// `urn:sodoan:problem:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// A short summary in the request's language.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// More about this occurrence, when there is something to say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// One entry per invalid field (validation failures).
    #[serde(default)]
    pub errors: Vec<FieldError>,
    /// Why a conflict (409) happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ConflictCode>,
}

impl Problem {
    /// A problem for `code` in `lang`.
    pub fn new(code: ErrorCode, lang: Lang) -> Self {
        Problem {
            type_uri: code.type_uri(),
            title: code.title(lang).to_owned(),
            status: code.status(),
            detail: None,
            errors: Vec::new(),
            reason: None,
        }
    }

    /// The code, if the type is one of ours.
    pub fn code(&self) -> Option<ErrorCode> {
        ErrorCode::from_type_uri(&self.type_uri)
    }

    /// The message for one field, if the problem names it.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }
}

/// Collects field errors while validating a request.
#[derive(Debug, Default)]
pub struct FieldErrors {
    lang: Lang,
    errors: Vec<FieldError>,
}

impl FieldErrors {
    /// An empty collector producing messages in `lang`.
    pub fn new(lang: Lang) -> Self {
        FieldErrors { lang, errors: Vec::new() }
    }

    /// Whether an error was recorded for `field`.
    pub fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    /// Records one error.
    pub fn push(&mut self, field: &str, code: FieldErrorCode) {
        self.errors.push(FieldError::new(field, code, self.lang));
    }

    /// Keeps the value of a parse, or records its error under `field`.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, FieldErrorCode>) -> Option<T> {
        parsed.map_err(|code| self.push(field, code)).ok()
    }

    /// Text that must be there: `values::parse_optional_text`, with `Required` when it is empty.
    pub fn required_text(&mut self, field: &str, raw: &str, max: usize) -> Option<String> {
        let text = self.check(field, crate::values::parse_optional_text(Some(raw), max)).flatten();
        if text.is_none() && !self.has(field) {
            self.push(field, FieldErrorCode::Required);
        }
        text
    }

    /// `Ok(value)` if nothing was recorded, else every error.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(value())
        } else {
            Err(self.errors)
        }
    }
}
