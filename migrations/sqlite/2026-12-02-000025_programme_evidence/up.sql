-- Evidence on progress entries of the Member Training programme (SQLite).
-- Keep in step with ../../postgres/2026-12-02-000025_programme_evidence/up.sql.
-- A link, or a file kept outside the database under the server's files directory, named by the
-- SHA-256 of its bytes (the row keeps its media type, told from the bytes, size and name).
-- registration_id copies the entry's registration: a registration's evidence is one range.
CREATE TABLE programme_evidence (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    progress_id     BIGINT NOT NULL REFERENCES programme_progress (id),
    registration_id BIGINT NOT NULL REFERENCES programme_registrations (id),
    kind            TEXT NOT NULL CHECK (kind IN ('link', 'file')),
    url             TEXT,
    media_type      TEXT CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
    size            BIGINT CHECK (size > 0),
    sha256          TEXT CHECK (length(sha256) = 64),
    file_name       TEXT,
    added_by        BIGINT REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL,
    CHECK ((kind = 'link' AND url IS NOT NULL AND sha256 IS NULL)
        OR (kind = 'file' AND url IS NULL AND media_type IS NOT NULL AND size IS NOT NULL AND sha256 IS NOT NULL))
);
CREATE INDEX programme_evidence_registration_idx ON programme_evidence (registration_id, id);
CREATE INDEX programme_evidence_progress_idx ON programme_evidence (progress_id);
