//! Evidence on progress entries: a link, or a photo or PDF (told by its bytes, kept in the
//! `files` store by its hash, described by a `programme_evidence` row). Added by whoever may
//! record progress on the registration (the member, a cadre over the branch) until the
//! evaluation, audited like the other writes; read only by those who read the registration.

use super::programme_registrations::{self as registrations, editable, readable};
use crate::auth::AuthUser;
use crate::db::programme_evidence::NewEvidenceRow;
use crate::db::programmes::RegistrationStepPatch;
use crate::db::{self, AnyConnection};
use crate::error::ApiError;
use crate::files::FileStore;
use shared::api::programme_files::{clean_file_name, EvidenceKind, EvidenceMedia, MAX_EVIDENCE_PER_ENTRY};
use shared::api::programmes::RegistrationView;
use shared::ConflictCode;

/// What is attached.
pub enum Evidence {
    /// A checked `http`/`https` address.
    Link(String),
    /// An uploaded file (its kind is told from the bytes here) and the name it came with.
    File { bytes: Vec<u8>, file_name: Option<String> },
}

/// A file to send back: its bytes, media type and a name for the download.
pub struct EvidenceFile {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    pub file_name: String,
}

const UNSUPPORTED: &str = "evidence is a photo (JPEG, PNG, WebP) or a PDF; the file's content is none of these";

/// Attaches evidence to a progress entry of a registration; answers the registration.
pub fn attach(
    conn: &mut AnyConnection,
    user: &AuthUser,
    files: &FileStore,
    id: i64,
    progress_id: i64,
    evidence: Evidence,
) -> Result<RegistrationView, ApiError> {
    db::write(conn, |conn| {
        let (row, _) = editable(conn, user, id)?;
        if !db::programme_evidence::progress_of(conn, id, progress_id)? {
            return Err(ApiError::NotFound("progress entry"));
        }
        if db::programme_evidence::count_for_progress(conn, progress_id)? >= MAX_EVIDENCE_PER_ENTRY {
            return Err(ApiError::Conflict(ConflictCode::EvidenceLimit, Some(MAX_EVIDENCE_PER_ENTRY.to_string())));
        }
        let now = db::now();
        let stored = match &evidence {
            Evidence::Link(_) => None,
            Evidence::File { bytes, file_name } => {
                let media = EvidenceMedia::sniff(bytes)
                    .ok_or_else(|| ApiError::UnsupportedMediaType(UNSUPPORTED.to_owned()))?;
                // Written before the row commits: a failed write leaves an unused file, never a
                // row without its file.
                let sha = files.put(bytes)?;
                Some((media, bytes.len() as i64, sha, file_name.as_deref().and_then(clean_file_name)))
            }
        };
        let new = NewEvidenceRow {
            progress_id,
            registration_id: id,
            kind: if stored.is_some() { EvidenceKind::File } else { EvidenceKind::Link }.as_str(),
            url: match &evidence {
                Evidence::Link(url) => Some(url.as_str()),
                Evidence::File { .. } => None,
            },
            media_type: stored.as_ref().map(|(m, ..)| m.media_type()),
            size: stored.as_ref().map(|(_, size, ..)| *size),
            sha256: stored.as_ref().map(|(_, _, sha, _)| sha.as_str()),
            file_name: stored.as_ref().and_then(|(.., name)| name.as_deref()),
            added_by: Some(user.id.0),
            created_at: now,
        };
        let evidence_id = db::programme_evidence::insert(conn, &new)?;
        if !db::programmes::step_registration(conn, id, row.version, &RegistrationStepPatch::default(), now)? {
            return Err(ApiError::PreconditionFailed);
        }
        let after = serde_json::json!({
            "evidence_id": evidence_id, "progress_id": progress_id, "url": new.url, "media_type": new.media_type,
            "size": new.size, "sha256": new.sha256, "file_name": new.file_name,
        });
        registrations::record(conn, user, &row, "programme_registration.evidence", after)
    })?;
    registrations::get(conn, user, id)
}

/// A file kept as evidence, for those who read its registration (anyone else, and a link, 404).
pub fn file(
    conn: &mut AnyConnection,
    user: &AuthUser,
    files: &FileStore,
    evidence_id: i64,
) -> Result<EvidenceFile, ApiError> {
    let e = db::programme_evidence::find(conn, evidence_id)?.ok_or(ApiError::NotFound("evidence"))?;
    readable(conn, user, e.registration_id).map_err(|_| ApiError::NotFound("evidence"))?;
    let (Some(sha), Some(media)) = (e.sha256.as_deref(), e.media_type.as_deref().and_then(EvidenceMedia::parse)) else {
        return Err(ApiError::NotFound("evidence file"));
    };
    let bytes = files
        .get(sha)?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("evidence {evidence_id}: file {sha} is missing")))?;
    let file_name = e.file_name.unwrap_or_else(|| format!("minh-chung-{evidence_id}.{}", media.extension()));
    Ok(EvidenceFile { bytes, media_type: media.media_type(), file_name })
}
