-- Idempotency-Key: the first response to a write, replayed when a client retries it (SQLite).
-- Keep in step with ../../postgres/2026-11-22-000002_idempotency/up.sql.
CREATE TABLE idempotency_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    scope        TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       INTEGER,
    content_type TEXT,
    body         TEXT,
    created_at   TIMESTAMP NOT NULL,
    CONSTRAINT idempotency_keys_scope_key_key UNIQUE (scope, idem_key)
);
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
