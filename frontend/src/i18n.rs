//! The UI's words, in Vietnamese (default) and English. The chosen language persists in
//! `localStorage` and sets `<html lang>`. Error texts come from `shared` (the same catalogue the API uses).

use leptos::prelude::*;
use shared::Lang;

const STORAGE_KEY: &str = "sodoan.lang";

macro_rules! catalogue {
    ($($key:ident => $vi:expr, $en:expr;)*) => {
        /// A text of the UI.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T { $($key),* }

        impl T {
            /// The text in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match self { $(T::$key => lang.pick($vi, $en)),* }
            }
        }
    };
}

catalogue! {
    Training => "Rèn luyện đoàn viên", "Member training";
    TrainingRegister => "Đăng ký rèn luyện", "Register for training";
    TrainingPrompt => "Chương trình rèn luyện đoàn viên đã mở: đăng ký ngay", "The member training programme is open: register now";
    NoProgramme => "Chi đoàn của bạn chưa có chương trình rèn luyện cho năm nay.", "Your branch has no training programme for this period yet.";
    RegistrationClosed => "Đã hết hạn đăng ký.", "Registration is closed.";
    RequiredItem => "Bắt buộc", "Required";
    OptionalItems => "Nội dung tự chọn", "Optional items";
    ChooseAtLeast => "Số nội dung tự chọn cần chọn ít nhất:", "Optional items to choose, at least:";
    Commitment => "Cam kết của bạn", "Your commitment";
    Commitments => "Cam kết", "Commitments";
    SubmitRegistration => "Gửi đăng ký", "Register";
    Progress => "Tiến độ thực hiện", "Progress";
    OverallProgress => "chương trình", "of the programme";
    RecordProgress => "Ghi kết quả thực hiện", "Record progress";
    Item => "Nội dung", "Item";
    ItemsCount => "nội dung", "items";
    Count => "Số lượng", "Count";
    DoneOn => "Ngày thực hiện", "Done on";
    Note => "Ghi chú", "Note";
    EvidenceFile => "Ảnh hoặc PDF minh chứng (tối đa 5 MB)", "Photo or PDF as evidence (up to 5 MB)";
    EvidenceLink => "Đường dẫn minh chứng (http/https)", "Link as evidence (http/https)";
    EvidenceTooLarge => "Tệp lớn hơn 5 MB.", "The file is larger than 5 MB.";
    EvidenceNotSent => "Đã ghi kết quả nhưng chưa gửi được minh chứng:", "Progress recorded, but the evidence was not sent:";
    ProgressEntries => "Các lần ghi kết quả", "Progress entries";
    OpenEvidence => "Xem minh chứng", "Open the evidence";
    ExportRegistrations => "Tải danh sách đăng ký (Excel)", "Download the registrations (Excel)";
    SelfAssess => "Tự đánh giá", "Self-assessment";
    ProposedResult => "Tự đề xuất", "Proposed";
    SelfText => "Tự nhận xét", "Your account of the year";
    Evaluation => "Chi đoàn đánh giá", "Branch evaluation";
    Result => "Kết quả", "Result";
    Comment => "Nhận xét", "Comment";
    Evaluate => "Đánh giá", "Evaluate";
    EvaluationSaved => "Đã ghi kết quả đánh giá.", "The evaluation is recorded.";
    Programmes => "Chương trình rèn luyện đoàn viên", "Member training programmes";
    PublishProgramme => "Ban hành chương trình", "Publish a programme";
    ProgrammePublished => "Đã ban hành chương trình.", "The programme is published.";
    ProgrammeTitle => "Tên chương trình", "Programme title";
    RegistrationOpens => "Mở đăng ký từ ngày", "Registration opens";
    RegistrationCloses => "Hạn đăng ký", "Registration closes";
    MinOptional => "Số nội dung tự chọn tối thiểu", "Minimum optional items";
    Heading => "Các mục rèn luyện", "Headings";
    HeadingTitle => "Tên mục", "Heading";
    AddHeading => "Thêm mục", "Add a heading";
    AddItem => "Thêm nội dung", "Add an item";
    Remove => "Bỏ", "Remove";
    Counted => "Đơn vị tính", "What is counted";
    Registered => "đoàn viên đã đăng ký", "members registered";
    Registrations => "Đăng ký của đoàn viên", "Members' registrations";
    NoRegistrations => "Chưa có đoàn viên đăng ký.", "No member has registered yet.";
    NotRegisteredYet => "đoàn viên chưa đăng ký", "members not registered yet";
    AllRegistered => "Mọi đoàn viên đã đăng ký.", "Every member has registered.";
    RegisterAll => "Đăng ký cho tất cả", "Register them all";
    RegisterAllAsk => "Đăng ký cho", "Register";
    RegisterAllRequired => "đoàn viên với các nội dung bắt buộc?", "members for the required items?";
    RegisteredNow => "đoàn viên vừa được đăng ký.", "members registered now.";
    ProgressGrid => "Bảng tiến độ theo nội dung", "Progress by item";
    EvaluateList => "Đánh giá cả danh sách", "Evaluate the list";
    EvaluatedNow => "đoàn viên đã được đánh giá", "members evaluated";
    PublishAsTemplate => "Công bố làm chương trình mẫu cho các đơn vị trực thuộc", "Publish as a template for the units below";
    CopyTemplate => "Sao chép chương trình mẫu của cấp trên", "Copy a template from above";
    TemplateBadge => "Chương trình mẫu", "Template";
    FillsFrom => "Tự ghi khi đoàn viên đạt lớp", "Filled when the member passes a class";
    FilledByHand => "Không (đoàn viên tự ghi)", "No (recorded by the member)";
    FilledByClass => "tự ghi khi đạt lớp", "filled by a class passed";
    ImportRegistrations => "Nhập đăng ký từ tệp Excel", "Import registrations from a sheet";
    ResultForTheRest => "Kết quả cho những người chưa chọn", "Result for those not yet chosen";
    ChooseResult => "Chọn kết quả cho", "Choose a result for";
    AppName => "Sổ Đoàn", "Sổ Đoàn";
    Tagline => "Sổ đoàn viên điện tử của Đoàn TNCS Hồ Chí Minh", "The digital member book of the Ho Chi Minh Communist Youth Union";
    Login => "Đăng nhập", "Sign in";
    Logout => "Đăng xuất", "Sign out";
    Register => "Đăng ký", "Register";
    LoginField => "Số điện thoại hoặc email", "Phone number or email";
    Password => "Mật khẩu", "Password";
    FullName => "Họ và tên", "Full name";
    DateOfBirth => "Ngày sinh", "Date of birth";
    NoAccount => "Chưa có tài khoản?", "No account yet?";
    HaveAccount => "Đã có tài khoản?", "Already registered?";
    RegisterDone => "Đăng ký thành công. Mời bạn đăng nhập.", "You are registered. Please sign in.";
    Loading => "Đang tải…", "Loading…";
    Hello => "Xin chào", "Hello";
    YourRoles => "Vai trò của bạn", "Your roles";
    ApplicantTitle => "Bạn chưa là đoàn viên", "You are not a member yet";
    ApplicantText => "Tài khoản của bạn đã sẵn sàng. Nộp đơn xin vào Đoàn tại đây, rồi theo dõi hồ sơ của mình từng bước.", "Your account is ready. Apply to join the Union here, then follow your case step by step.";
    MemberTitle => "Sổ đoàn viên của tôi", "My member book";
    MemberText => "Sổ đoàn viên, chi đoàn và các lớp học của bạn.", "Your member book, your branch and your classes.";
    CadreTitle => "Việc của cán bộ", "Cadre tasks";
    CadreText => "Quản lý đơn vị, chi đoàn trực thuộc và phân quyền cán bộ trong phạm vi của bạn.", "Manage your units, their branches and cadre roles within your scope.";
    LeaderTitle => "Theo dõi toàn đơn vị", "Your whole subtree";
    LeaderText => "Xem cơ cấu tổ chức, đoàn viên, phân quyền, kết quả kết nạp và nhật ký thay đổi của các đơn vị trực thuộc.", "See the structure, members, roles, admissions and change log of every unit under you.";
    AdminTitle => "Quản trị hệ thống", "System administration";
    AdminText => "Toàn bộ cây tổ chức và quyền quản trị.", "The whole organisation tree and all roles.";
    BrowseUnits => "Cơ cấu tổ chức", "Organisation tree";
    Units => "Đơn vị trực thuộc", "Units under it";
    NoUnits => "Chưa có đơn vị trực thuộc.", "No units under it yet.";
    ChildCount => "đơn vị trực thuộc", "units under it";
    AddUnit => "Thêm đơn vị trực thuộc", "Add a unit under it";
    UnitName => "Tên đơn vị", "Unit name";
    Kind => "Cấp", "Level";
    Sector => "Khối", "Sector";
    Code => "Mã đơn vị (không bắt buộc)", "Code (optional)";
    Create => "Tạo", "Create";
    Created => "Đã tạo.", "Created.";
    Roles => "Phân quyền", "Roles";
    NoRoles => "Chưa có ai được phân quyền tại đơn vị này.", "Nobody holds a role on this unit yet.";
    Grant => "Phân quyền", "Grant";
    GrantTitle => "Chức danh (không bắt buộc)", "Title (optional)";
    Role => "Vai trò", "Role";
    Revoke => "Thu hồi", "Revoke";
    ConfirmRevoke => "Thu hồi vai trò này?", "Revoke this role?";
    Granted => "Đã phân quyền.", "Role granted.";
    Language => "Ngôn ngữ", "Language";
    NotFound => "Không tìm thấy trang", "Page not found";
    BackHome => "Về trang chủ", "Back home";
    Dissolved => "Đã giải thể", "Dissolved";
    Breadcrumb => "Vị trí", "Location";
    Menu => "Điều hướng", "Navigation";
    Network => "Không kết nối được máy chủ.", "Cannot reach the server.";
    Members => "Đoàn viên", "Members";
    MemberCount => "đoàn viên", "members";
    MemberList => "Danh sách đoàn viên", "Member list";
    SearchMembers => "Tìm theo tên, CCCD, số điện thoại hoặc số thẻ", "Search by name, ID number, phone or card number";
    NoMembers => "Không có đoàn viên nào phù hợp.", "No matching members.";
    Found => "kết quả", "found";
    Incomplete => "Thiếu thông tin", "Incomplete";
    Previous => "Trang trước", "Previous";
    Next => "Trang sau", "Next";
    YearsOld => "tuổi", "years old";
    MemberBook => "Sổ đoàn viên", "Member book";
    OpenMemberBook => "Mở sổ đoàn viên của tôi", "Open my member book";
    PersonalInfo => "Thông tin cá nhân", "Personal details";
    Contact => "Liên lạc", "Contact";
    UnionLife => "Sinh hoạt Đoàn", "Union membership";
    Phone => "Số điện thoại", "Phone";
    Email => "Email", "Email";
    CurrentAddress => "Nơi ở hiện nay", "Current address";
    PermanentAddress => "Nơi thường trú", "Permanent address";
    Hometown => "Quê quán", "Hometown";
    Ethnicity => "Dân tộc", "Ethnicity";
    Religion => "Tôn giáo", "Religion";
    Education => "Trình độ văn hóa", "Education";
    Occupation => "Nghề nghiệp", "Occupation";
    Gender => "Giới tính", "Sex";
    NationalId => "Số CCCD", "Citizen ID";
    JoinedOn => "Ngày vào Đoàn", "Joined the Union";
    CardNumber => "Số thẻ đoàn viên", "Member card";
    Branch => "Chi đoàn", "Branch";
    Party => "Đảng", "Party";
    Edit => "Sửa", "Edit";
    Save => "Lưu", "Save";
    StaleReloaded => "Hồ sơ vừa được người khác sửa. Đã tải lại bản mới nhất, vui lòng kiểm tra rồi sửa lại.", "Someone else just changed this record. The latest version is loaded; please check and edit again.";
    Unknown => "Chưa có", "Not recorded";
    Lifecycle => "Quá trình sinh hoạt", "Membership history";
    AddMember => "Thêm đoàn viên", "Add a member";
    ExportCsv => "Tải danh sách (CSV)", "Download the list (CSV)";
    Committee => "Ban Chấp hành", "Committee";
    NoCommittee => "Chưa có thông tin Ban Chấp hành.", "No committee recorded yet.";
    Male => "Nam", "Male";
    Female => "Nữ", "Female";
    NoHistory => "Chưa có thay đổi nào.", "No changes yet.";
    DecisionDate => "Ngày quyết định", "Date of the decision";
    Reason => "Lý do", "Reason";
    ConfirmAction => "Xác nhận", "Confirm";
    ExportXlsx => "Tải danh sách (Excel)", "Download the list (Excel)";
    Transfers => "Chuyển sinh hoạt Đoàn", "Transfers";
    StartTransfer => "Chuyển sinh hoạt", "Transfer";
    TransferTo => "Đơn vị chuyển đến", "Moving to";
    SearchUnit => "Tìm đơn vị (tên hoặc mã)", "Find a unit (name or code)";
    NoUnitsFound => "Không tìm thấy đơn vị.", "No unit found.";
    TransferNote => "Lý do chuyển", "Why";
    SendRequest => "Gửi yêu cầu", "Send the request";
    Incoming => "Chuyển đến", "Incoming";
    Outgoing => "Chuyển đi", "Outgoing";
    NoTransfers => "Không có hồ sơ nào đang chuyển.", "No transfers under way.";
    Overdue => "Quá hạn", "Overdue";
    From => "Từ", "From";
    To => "Đến", "To";
    ReleaseComment => "Nhận xét của chi đoàn", "The branch's comment";
    DuesPaidTo => "Đã đóng đoàn phí đến tháng", "Dues paid up to";
    PlaceInBranch => "Xếp vào chi đoàn", "Place in branch";
    Choose => "Chọn…", "Choose…";
    UnitsOverTime => "Quá trình sinh hoạt tại các đơn vị", "Units over time";
    UntilNow => "nay", "now";
    ImportMembers => "Nhập đoàn viên từ tệp", "Import members from a file";
    ImportFile => "Tệp Excel (.xlsx) hoặc CSV", "Excel (.xlsx) or CSV file";
    DownloadTemplate => "Tải tệp mẫu", "Download the template";
    ImportValidOnly => "Nhập các dòng hợp lệ, báo lỗi các dòng còn lại", "Import the valid rows, report the others";
    ImportAllOrNothing => "Chỉ nhập khi tất cả các dòng hợp lệ", "Import only if every row is valid";
    StartImport => "Bắt đầu nhập", "Start the import";
    ChooseFile => "Hãy chọn một tệp.", "Choose a file.";
    ImportChecking => "Đang kiểm tra", "Checking";
    ImportWriting => "Đang ghi", "Writing";
    ImportDone => "Đã xong", "Done";
    ImportFailed => "Không nhập", "Not imported";
    Rows => "Số dòng", "Rows";
    Imported => "Đã nhập", "Imported";
    RowsWithProblems => "Dòng có lỗi", "Rows with problems";
    RowReport => "Báo cáo lỗi theo dòng", "Problems by row";
    Row => "Dòng", "Row";
    Column => "Cột", "Column";
    Problem => "Lỗi", "Problem";
    SameAsRow => "trùng với dòng", "same as row";
    RecentImports => "Các lần nhập gần đây", "Recent imports";
    Status => "Tình trạng", "Status";
    BatchApprove => "Chuẩn y cả danh sách (một quyết định)", "Approve the whole list (one decision)";
    Approved => "hồ sơ đã chuẩn y", "approved";
    MyClass => "Lớp cảm tình Đoàn của tôi (buổi học, điểm danh, kết quả)", "My orientation class (sessions, check-ins, result)";
    OnePlusOne => "Giới thiệu kết nạp (1+1): đã giới thiệu / đã được kết nạp", "Introduced (1+1): introduced / admitted";
    Classes => "Lớp bồi dưỡng", "Training classes";
    NoClasses => "Chưa có lớp nào.", "No classes yet.";
    Seats => "Số chỗ", "Seats";
    Waiting => "chờ", "waiting";
    EnrolFrom => "Ghi danh từ", "Enrolment from";
    EnrolUntil => "Ghi danh đến", "Enrolment until";
    Enrol => "Ghi danh", "Enrol";
    OpenClass => "Mở lớp mới", "Open a class";
    ClassKindLabel => "Loại lớp", "Kind";
    ClassTitle => "Tên lớp", "Title";
    SessionOn => "Ngày học", "Session date";
    SessionAt => "Giờ bắt đầu", "Starts at";
    ForApplicants => "Thanh niên xin vào Đoàn", "Applicants";
    ForMembers => "Đoàn viên", "Members";
    ForCadres => "Cán bộ Đoàn", "Cadres";
    SessionsAttended => "buổi đã dự", "sessions attended";
    Certificate => "Giấy chứng nhận", "Certificate";
    LeaveClass => "Hủy ghi danh", "Leave the class";
    Roster => "Danh sách lớp", "Roster";
    Session => "Buổi học", "Session";
    Sessions => "Các buổi học", "Sessions";
    SaveAttendance => "Lưu điểm danh", "Save attendance";
    ShowQr => "Mã QR điểm danh (5 phút)", "Check-in QR code (5 minutes)";
    NoResult => "Chưa có kết quả", "No result yet";
    CheckIn => "Điểm danh", "Check-in";
    CheckedIn => "Đã điểm danh", "Checked in";
    CertificateTitle => "GIẤY CHỨNG NHẬN", "CERTIFICATE";
    CertifiesThat => "Chứng nhận đồng chí", "This certifies that";
    CompletedClass => "đã hoàn thành", "has completed";
    CertificateNo => "Số", "Number";
    Print => "In", "Print";
    Admission => "Đơn xin vào Đoàn", "Application to join the Union";
    AdmissionsWaiting => "hồ sơ kết nạp chờ bạn giải quyết", "admission cases waiting for you";
    ApplyIntro => "Bạn có thể làm đơn xin vào Đoàn ngay trên điện thoại: điền lý lịch, chọn chi đoàn, người giới thiệu và viết đơn.", "Apply to join the Union from your phone: fill in your background, choose a branch and an introducer, and write your application.";
    StartApplication => "Bắt đầu làm đơn", "Start an application";
    Timeline => "Quá trình", "Timeline";
    Withdraw => "Rút đơn", "Withdraw";
    ApplicationForm => "Lý lịch và đơn", "Background and application";
    IntroducerLookup => "Người giới thiệu (số điện thoại hoặc số thẻ đoàn viên)", "Introducer (phone or member card number)";
    Find => "Tìm", "Find";
    IntroducerOrg => "Hoặc tổ chức giới thiệu (chi đội, chi hội)", "Or the introducing organisation";
    ApplicationText => "Đơn xin vào Đoàn", "Your application";
    GuardianIfMinor => "Người giám hộ (nếu dưới 16 tuổi)", "Guardian (if under 16)";
    GuardianName => "Họ tên người giám hộ", "Guardian's name";
    GuardianPhone => "Số điện thoại người giám hộ", "Guardian's phone";
    GuardianConsent => "Người giám hộ đồng ý", "The guardian consents";
    SaveDraft => "Lưu nháp", "Save the draft";
    SubmitApplication => "Nộp đơn", "Submit";
    NextDraft => "Điền đầy đủ rồi nộp đơn. Sau khi nộp, đơn không sửa được nữa.", "Complete the form and submit it. It cannot be changed after that.";
    NextApplied => "Chi đoàn sẽ xếp bạn vào lớp cảm tình Đoàn.", "Your branch will place you in an orientation class.";
    NextInTraining => "Học lớp cảm tình Đoàn và nộp bài thu hoạch; kết quả lớp được ghi tự động.", "Attend the orientation class and hand in your essay; the class result counts automatically.";
    NextTrained => "Chi đoàn sẽ họp xét đề nghị kết nạp bạn.", "Your branch will meet and vote on your admission.";
    NextProposed => "Đoàn cấp trên xem xét ra quyết định chuẩn y.", "The unit above will decide on the approval.";
    NextApproved => "Chờ lễ kết nạp.", "Waiting for the admission ceremony.";
    NextAdmitted => "Bạn đã là đoàn viên. Sổ đoàn viên điện tử của bạn ở trang chủ.", "You are a member. Your member book is on the home page.";
    NextClosed => "Đơn đã kết thúc.", "This application is closed.";
    AdmissionInbox => "Hồ sơ kết nạp chờ giải quyết", "Admissions waiting for you";
    NothingWaiting => "Không có hồ sơ nào chờ bạn.", "Nothing is waiting for you.";
    ShowMore => "Xem thêm", "Show more";
    PlaceOrLink => "Địa điểm hoặc đường dẫn họp trực tuyến", "Place, or an online meeting link";
    AddSession => "Thêm buổi học", "Add a session";
    EditClass => "Sửa lớp", "Edit the class";
    RemoveSession => "Bỏ buổi này", "Remove this session";
    AdmissionStatsTitle => "Kết nạp đoàn viên", "New members";
    AdmittedInYear => "Đã kết nạp", "Admitted";
    NoTarget => "Chưa đặt chỉ tiêu", "No target set";
    UnderWay => "Đang xét", "Under way";
    PipelineByStep => "Hồ sơ đang xét theo bước", "Applications under way, by step";
    ByUnit => "Theo đơn vị trực thuộc", "By unit under it";
    SetTarget => "Đặt chỉ tiêu năm", "Set the year's target";
    PreviousYear => "Năm trước", "Previous year";
    NextYear => "Năm sau", "Next year";
    Introductions => "Giới thiệu vào Đoàn (1+1)", "Youths introduced (1+1)";
    IntroducedAdmitted => "đã giới thiệu · đã được kết nạp", "introduced · admitted";
    AgeAtMeeting => "tuổi vào ngày họp", "years old on the meeting day";
    ActedFirst => "Cán bộ khác vừa xử lý hồ sơ này; đã tải lại.", "Another cadre acted first; the case was reloaded.";
    ClassResultLabel => "Kết quả lớp", "Class result";
    Vote => "Biểu quyết (tán thành/có mặt, không tán thành)", "Vote (for/present, against)";
    Introducer => "Người giới thiệu", "Introducer";
    OrientationClass => "Lớp cảm tình Đoàn", "Orientation class";
    MeetingOn => "Ngày họp chi đoàn", "Branch meeting date";
    Present => "Số đoàn viên có mặt", "Members present";
    VotesFor => "Tán thành", "For";
    VotesAgainst => "Không tán thành", "Against";
    DecisionNo => "Số quyết định", "Decision number";
    Signer => "Người ký", "Signed by";
    CeremonyOn => "Ngày lễ kết nạp", "Ceremony date";
    TransfersWaiting => "hồ sơ chuyển sinh hoạt chờ bạn giải quyết", "transfers waiting for you";
    LiveMembers => "Đang sinh hoạt", "Active";
    AllStatuses => "Mọi tình trạng", "Any status";
    AnySex => "Nam và nữ", "Any sex";
    Turning30 => "Tròn 30 tuổi năm nay", "Turning 30 this year";
    MergeDuplicate => "Gộp hồ sơ trùng", "Merge a duplicate record";
    MergeHelp => "Tìm hồ sơ khác của cùng người này (theo tên, CCCD hoặc số điện thoại). Quá trình sinh hoạt của hồ sơ đó được chuyển sang hồ sơ này, rồi hồ sơ đó bị xóa.", "Find the other record of this person (by name, CCCD or phone). Its history moves to this record, then it is deleted.";
    MergeInto => "Gộp vào hồ sơ này", "Merge into this record";
    DissolveUnit => "Giải thể / sáp nhập đơn vị", "Dissolve or merge the unit";
    MergeIntoUnit => "Sáp nhập vào (để trống nếu giải thể đơn vị không còn đoàn viên)", "Merge into (leave empty to dissolve an empty unit)";
    Dissolve => "Xác nhận giải thể / sáp nhập", "Confirm the dissolution or merger";
    WaitApplied => "Chờ vào lớp cảm tình Đoàn", "Waiting for the orientation class";
    WaitInTraining => "Đang học lớp cảm tình Đoàn", "In the orientation class";
    WaitTrained => "Chờ chi đoàn biểu quyết", "Waiting for the branch vote";
    WaitProposed => "Chờ chuẩn y", "Waiting for approval";
    WaitApproved => "Đã chuẩn y, chờ lễ kết nạp", "Approved, waiting for the ceremony";
    SentApplication => "Đơn bạn đã gửi", "The application you sent";
    AskWithdraw => "Rút đơn xin vào Đoàn? Hồ sơ sẽ dừng lại và không tiếp tục được.", "Withdraw your application? The case stops and cannot go on.";
    AskSubmit => "Nộp đơn? Sau khi nộp, bạn không sửa được đơn nữa.", "Submit the application? You cannot change it afterwards.";
    ApplicationSent => "Đã nộp đơn. Chi đoàn sẽ xem xét hồ sơ của bạn.", "Application sent. Your branch will consider it.";
    DraftSaved => "Đã lưu bản nháp.", "Draft saved.";
    DecisionDone => "Đã ghi nhận", "Recorded";
    OpenCase => "Xem hồ sơ", "Open the case";
    HideCase => "Thu gọn hồ sơ", "Hide the case";
    Cases => "Hồ sơ", "Cases";
    CheckFields => "Vui lòng xem lại:", "Please check:";
    Yes => "Đồng ý", "Yes";
    No => "Thôi", "No";
YourApplication => "Hồ sơ xin vào Đoàn của bạn", "Your application";
    OpenApplication => "Xem hồ sơ của bạn", "Open your application";
Target => "Chỉ tiêu", "Target";
    Year => "Năm", "Year";
    Unit => "Đơn vị", "Unit";
    TargetSaved => "Đã lưu chỉ tiêu năm", "Target saved for";
    PipelineThisYearOnly => "Hồ sơ đang xét chỉ hiện ở năm nay.", "Applications under way show for the current year only.";
IntoBranch => "Vào chi đoàn", "Into the branch";
EssayLabel => "Bài thu hoạch", "Essay";
Audience => "Đối tượng", "Audience";
AuditTrail => "Nhật ký thay đổi", "Change log";
    AuditCreated => "tạo mới", "created";
    AuditChanged => "thay đổi", "changed";
    AuditRemoved => "xóa / kết thúc", "removed or ended";
    AuditMerged => "sáp nhập", "merged";
    BeforeAfter => "Trước và sau khi thay đổi", "Before and after";
    Before => "Trước", "Before";
    After => "Sau", "After";
    System => "Hệ thống", "System";
    Account => "Tài khoản", "Account";
    Pages => "Trang", "Pages";
ChainSeq => "số thứ tự", "entry";
    Meetings => "Sinh hoạt chi đoàn", "Branch meetings";
    PlanMeetings => "Lên lịch sinh hoạt", "Plan meetings";
    MeetingKindLabel => "Loại sinh hoạt", "Kind of meeting";
    StartsAt => "Thời gian", "Time";
    MeetingTitle => "Chủ đề, nội dung", "Title";
    Place => "Địa điểm", "Place";
    OnlineUrl => "Đường dẫn họp trực tuyến", "Online meeting link";
    RepeatMonths => "Số tháng (mỗi tháng một buổi)", "Months (one meeting a month)";
    MeetingsPlanned => "buổi sinh hoạt đã lên lịch.", "meetings planned.";
    NoMeetings => "Chưa có buổi sinh hoạt nào.", "No meetings yet.";
    MarkAllPresent => "Tất cả có mặt", "Everyone present";
    NotRecorded => "Chưa ghi", "Not recorded";
    AttendanceSaved => "Đã lưu điểm danh.", "Attendance saved.";
    OwnLine => "Bạn điểm danh bằng mã QR", "You check in with the QR code";
    Minutes => "Biên bản", "Minutes";
    ChairedBy => "Chủ trì", "Chaired by";
    Guests => "Khách mời (đại biểu cấp trên…)", "Guests (cadres of a higher unit…)";
    SaveMinutes => "Lưu biên bản", "Save the minutes";
    MinutesSaved => "Đã lưu biên bản.", "The minutes are saved.";
    CancelMeeting => "Hủy buổi sinh hoạt", "Call off the meeting";
    CancelMeetingAsk => "Hủy buổi sinh hoạt này? Đoàn viên sẽ không còn thấy trong lịch.", "Call off this meeting? Members will no longer see it in their calendar.";
    UpcomingMeetings => "Lịch sinh hoạt sắp tới", "Coming meetings";
    Participation => "Tham gia sinh hoạt chi đoàn", "Branch meeting participation";
    ParticipationRate => "Tỷ lệ tham gia", "Participation rate";
    MeetingsHeld => "buổi đã tổ chức", "meetings held";
    MonthsMissed => "Tháng vắng không lý do", "Months missed without reason";
    OtherAttended => "Hoạt động khác đã tham gia", "Other meetings and activities attended";
    MeetingStatsTitle => "Tình hình sinh hoạt", "Branch life figures";
    Month => "Tháng", "Month";
    BranchesMet => "chi đoàn đã sinh hoạt trong tháng", "branches met this month";
    BorderBranchesMet => "chi đoàn biên giới đã sinh hoạt trong quý", "border branches met this quarter";
    GrassrootsActive => "đoàn cơ sở có hoạt động trong quý", "grassroots units with an activity this quarter";
    NotMet => "Chưa sinh hoạt", "Did not meet";
    EveryoneMet => "Tất cả đã sinh hoạt.", "Every unit met.";
    LevelBranch => "Chi đoàn (hằng tháng)", "Branches (monthly)";
    LevelBorder => "Chi đoàn biên giới (hằng quý)", "Border branches (quarterly)";
    LevelGrassroots => "Đoàn cơ sở (hoạt động hằng quý)", "Grassroots units (an activity a quarter)";
    MeetingHeldCount => "Số buổi theo loại", "Meetings held by kind";
    OpenSheet => "Điểm danh", "Attendance";
    Home => "Trang chủ", "Home";
    Removals => "Danh sách xóa tên", "Removal list";
    RemovalsWaiting => "đoàn viên thuộc diện xóa tên chờ xem xét", "members to consider for removal";
    NoCandidates => "Không có đoàn viên thuộc diện xóa tên.", "No member is to be removed.";
    MissedMeetings => "Không sinh hoạt", "No meeting";
    UnpaidDues => "Chưa đóng đoàn phí", "Dues unpaid";
    RemoveMember => "Xóa tên", "Remove";
    RemoveAsk => "Xóa tên đoàn viên này? Lý do ghi các tháng không sinh hoạt, không đóng đoàn phí.", "Remove this member? The reason records the months without meetings or dues.";
    Dismiss => "Không xóa tên", "Keep";
    DismissReason => "Lý do không xóa tên", "Why the member stays";

    // Dues (đoàn phí).
    Dues => "Đoàn phí", "Dues";
    DuesMonth => "Tháng", "Month";
    DuesPaid => "Đã đóng", "Paid";
    DuesUnpaid => "Chưa đóng", "Not paid";
    DuesOwed => "Còn nợ", "Owed";
    DuesPaidTotal => "Đã đóng trong năm", "Paid this year";
    DuesRecordCollection => "Ghi thu đoàn phí tháng", "Record the dues of";
    DuesCollected => "đoàn viên đã được ghi thu", "members recorded";
    DuesPaidOn => "Ngày thu", "Collected on";
    DuesMembersPaid => "Đã đóng / phải đóng", "Paid / due";
    DuesKept => "chi đoàn giữ", "kept by the branch";
    DuesSentUp => "nộp cấp trên", "sent up";
    DuesYearTotals => "Thu đoàn phí theo tháng", "Dues by month";
    DuesEstimate => "Số phải thu được ước tính theo số đoàn viên hiện có và mức không lương.", "What is due is estimated from the current members at the rate without a salary.";
    DuesClassLabel => "Mức đoàn phí", "Dues rate";
    DuesNothingOwed => "Đã đóng đủ đoàn phí.", "Dues are paid up.";
    DuesNoneToCollect => "Tất cả đoàn viên đã đóng tháng này.", "Every member has paid this month.";
    DuesPickSome => "Chọn ít nhất một đoàn viên đã đóng.", "Tick at least one member who paid.";
    DuesBranches => "Đơn vị trực thuộc", "Units under it";
    DuesCurrency => "đ", "VND";
    // Ratings (đánh giá, xếp loại).
    Ratings => "Xếp loại đoàn viên", "Member ratings";
    RatingStatsTitle => "Kết quả xếp loại", "Rating results";
    RatingPeriod => "Đợt đánh giá", "Rating period";
    NoRatingPeriod => "Chưa có đợt đánh giá, xếp loại nào cho đơn vị này.", "No rating period covers this unit yet.";
    SelfUntil => "Hạn tự đánh giá", "Self-assessment until";
    BranchUntil => "Hạn chi đoàn họp đề xuất", "Branch meetings until";
    ConfirmUntil => "Hạn công nhận", "Confirmation until";
    RatingsConfirmed => "đã công nhận", "confirmed";
    QuotaRule => "HTXSNV tối đa", "HTXSNV at most";
    MinMonths => "· số tháng sinh hoạt tối thiểu", "· minimum months in the unit";
    NotRatedHere => "người không xếp loại ở đây", "not rated here";
    MonthsInUnit => "tháng sinh hoạt", "months in the unit";
    NoRatings => "Danh sách chưa có ai.", "Nobody is on the list.";
    PeriodOpened => "Đã mở đợt đánh giá năm", "Rating period opened for";
    RatingsCreated => "đoàn viên trong danh sách", "members on the list";
    OpenPeriod => "Mở đợt đánh giá, xếp loại", "Open the rating period";
    QuotaEnforced => "Không cho vượt tỷ lệ HTXSNV (từ chối thay vì cảnh báo)", "Refuse lists over the HTXSNV share (instead of a warning)";
    BranchProposal => "Chi đoàn đề xuất", "Branch proposal";
    Evidence => "Minh chứng", "Evidence";
    CommentsElsewhere => "Nhận xét của đơn vị khác", "Other units' comments";
    Revisions => "Các quyết định trước", "Earlier decisions";
    Level => "Mức xếp loại", "Level";
    Saved => "đã lưu", "saved";
    SelfAssessPrompt => "Tự đánh giá, xếp loại năm", "Assess yourself for";
    ClassesPassed => "Lớp đã hoàn thành", "Classes passed";
    ExcellentUnsupported => "HTXSNV chưa đủ minh chứng", "HTXSNV without the evidence";
    ChooseLevel => "Chọn mức xếp loại cho", "Choose a level for";
    ProposedNow => "đoàn viên đã được đề xuất.", "members proposed.";
    ProposeList => "Đề xuất xếp loại của chi đoàn", "The branch's proposals";
    LevelForTheRest => "Mức cho những người chưa chọn", "Level for those not yet chosen";
    ConfirmedNow => "đoàn viên đã được công nhận.", "members confirmed.";
    QuotaExceeded => "Vượt tỷ lệ HTXSNV", "Over the HTXSNV share";
    ConfirmList => "Công nhận kết quả xếp loại", "Confirm the ratings";
    QuotaRefused => "đơn vị không cho vượt: quyết định sẽ bị từ chối", "the unit refuses it: the decision will be refused";
    MembersNotRated => "đoàn viên chưa được xếp loại", "members not rated yet";
    UnitsRated => "đơn vị đã được xếp loại", "units rated";
    TargetUnitsRated => "chỉ tiêu 95%", "target 95%";
    UnitsUp => "đơn vị tăng hạng so với năm trước", "units up a level since last year";
    TargetUnitsUp => "chỉ tiêu 5%", "target 5%";
    UnitsDropped => "đơn vị từ HTTNV trở lên năm trước bị tụt hạng", "units rated good or better last year that dropped";
    PeriodsOverdue => "đợt đánh giá quá hạn công nhận", "periods past their confirmation deadline";
    UnitsBelow => "Đơn vị trực thuộc", "Units below";
    AllRated => "Mọi đoàn viên đã được xếp loại.", "Every member is rated.";
    UnitRatingsTitle => "Xếp loại tổ chức Đoàn", "Units' ratings";
    NotRatedYet => "Chưa xếp loại", "Not rated yet";
    RateUnit => "Xếp loại", "Rate";
    ImportRatingHistory => "Nhập kết quả xếp loại các năm trước (Excel)", "Import earlier years' ratings (Excel)";
    SheetColumns => "Các cột", "Columns";
}

/// A date as Vietnamese readers write it (`dd/mm/yyyy`), in either language.
pub fn date(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The language signal, provided at the root.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// Reads the saved language (Vietnamese when none).
    pub fn new() -> I18n {
        let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()).and_then(|t| Lang::from_tag(&t));
        let i18n = I18n { lang: RwSignal::new(saved.unwrap_or_default()) };
        set_html_lang(i18n.lang.get_untracked());
        i18n
    }

    /// A text in the current language (reactive inside closures).
    pub fn t(&self, key: T) -> &'static str {
        key.text(self.lang.get())
    }

    /// Switches and remembers the language.
    pub fn set(&self, lang: Lang) {
        self.lang.set(lang);
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, lang.tag());
        }
        set_html_lang(lang);
    }
}

impl Default for I18n {
    fn default() -> Self {
        I18n::new()
    }
}

/// The browser's `localStorage`, where it is allowed.
pub(crate) fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn set_html_lang(lang: Lang) {
    crate::api::set_lang(lang);
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", lang.tag());
    }
}

/// The i18n context.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
