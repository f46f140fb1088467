-- The audit trail becomes a hash chain (docs/ARCHITECTURE.md, "Audit trail"): each entry has a
-- gap-free `seq`, the previous entry's hash and its own, SHA-256 as 64 lowercase hex digits;
-- `audit_head` holds the last seq and hash. Keep in step with
-- ../../postgres/2026-12-01-000018_audit_chain/up.sql.
--
-- The three columns are nullable only so that entries written before the chain can be chained
-- after this migration: SQLite cannot compute SHA-256, so the server does it in Rust
-- (`db::audit::backfill_chain`, run by `db::migrate` whenever an entry has no seq). A new entry
-- without them is refused by a trigger, and such an entry's chain columns can be filled once.
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_seq_key ON audit_log (seq);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only: no entry is changed or removed (an entry written before the chain only gets
-- its seq and hashes, once, and nothing else of it may change).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.seq IS NOT NULL
  OR NEW.id IS NOT OLD.id
  OR NEW.actor_user_id IS NOT OLD.actor_user_id
  OR NEW.action IS NOT OLD.action
  OR NEW.entity_type IS NOT OLD.entity_type
  OR NEW.entity_id IS NOT OLD.entity_id
  OR NEW.org_unit_id IS NOT OLD.org_unit_id
  OR NEW.unit_path IS NOT OLD.unit_path
  OR NEW.before_json IS NOT OLD.before_json
  OR NEW.after_json IS NOT OLD.after_json
  OR NEW.at IS NOT OLD.at
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_chained BEFORE INSERT ON audit_log
WHEN NEW.seq IS NULL OR NEW.prev_hash IS NULL OR NEW.hash IS NULL
BEGIN
    SELECT RAISE(ABORT, 'audit_log entries must be chained (seq, prev_hash, hash)');
END;
-- The head only moves forward and is never removed.
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
WHEN NEW.seq < OLD.seq OR NEW.id IS NOT OLD.id
BEGIN
    SELECT RAISE(ABORT, 'audit_head only moves forward');
END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'audit_head only moves forward');
END;
