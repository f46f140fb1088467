-- Spreadsheet imports of member records, run in the background (SQLite).
-- Keep in step with ../../postgres/2026-11-22-000009_imports/up.sql.
-- report holds the row report as JSON (the first problems, see shared::api::imports::REPORT_MAX).
CREATE TABLE import_jobs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id        BIGINT NOT NULL REFERENCES org_units (id),
    unit_path      TEXT NOT NULL,
    user_id        BIGINT NOT NULL REFERENCES users (id),
    file_name      TEXT NOT NULL,
    mode           TEXT NOT NULL CHECK (mode IN ('valid_only', 'all_or_nothing')),
    status         TEXT NOT NULL CHECK (status IN ('validating', 'importing', 'done', 'failed')),
    total_rows     BIGINT NOT NULL,
    processed_rows BIGINT NOT NULL DEFAULT 0,
    error_rows     BIGINT NOT NULL DEFAULT 0,
    imported_rows  BIGINT NOT NULL DEFAULT 0,
    message        TEXT,
    report         TEXT,
    created_at     TIMESTAMP NOT NULL,
    finished_at    TIMESTAMP
);
CREATE INDEX import_jobs_unit_idx ON import_jobs (unit_path, id);
