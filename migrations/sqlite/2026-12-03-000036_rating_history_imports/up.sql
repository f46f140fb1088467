-- Import jobs may also bring earlier years' ratings from a sheet. SQLite cannot change a
-- CHECK constraint: the table is rebuilt with the same columns (nothing references it).
CREATE TABLE import_jobs_new (
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
    finished_at    TIMESTAMP,
    kind           TEXT NOT NULL DEFAULT 'members'
        CHECK (kind IN ('members', 'programme_registrations', 'rating_history'))
);
INSERT INTO import_jobs_new SELECT id, unit_id, unit_path, user_id, file_name, mode, status, total_rows,
    processed_rows, error_rows, imported_rows, message, report, created_at, finished_at, kind FROM import_jobs;
DROP TABLE import_jobs;
ALTER TABLE import_jobs_new RENAME TO import_jobs;
CREATE INDEX import_jobs_unit_idx ON import_jobs (unit_path, id);
