-- The audit trail becomes a hash chain (docs/ARCHITECTURE.md, "Audit trail"): each entry has a
-- gap-free `seq`, the previous entry's hash and its own, SHA-256 as 64 lowercase hex digits;
-- `audit_head` holds the last seq and hash, and appends lock its row. Keep in step with
-- ../../sqlite/2026-12-01-000018_audit_chain/up.sql.
--
-- The three columns are nullable only so that entries written before the chain can be chained
-- after this migration, by the server in Rust as on SQLite (`db::audit::backfill_chain`, run by
-- `db::migrate` whenever an entry has no seq). A new entry without them is refused by a
-- trigger, and such an entry's chain columns can be filled once.
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
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.seq IS NULL OR NEW.prev_hash IS NULL OR NEW.hash IS NULL THEN
            RAISE EXCEPTION 'audit_log entries must be chained (seq, prev_hash, hash)';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL
        AND NEW.id = OLD.id
        AND NEW.actor_user_id IS NOT DISTINCT FROM OLD.actor_user_id
        AND NEW.action = OLD.action
        AND NEW.entity_type = OLD.entity_type
        AND NEW.entity_id = OLD.entity_id
        AND NEW.org_unit_id IS NOT DISTINCT FROM OLD.org_unit_id
        AND NEW.unit_path IS NOT DISTINCT FROM OLD.unit_path
        AND NEW.before_json IS NOT DISTINCT FROM OLD.before_json
        AND NEW.after_json IS NOT DISTINCT FROM OLD.after_json
        AND NEW.at = OLD.at THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE INSERT OR UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The head only moves forward and is never removed.
CREATE FUNCTION audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.seq >= OLD.seq AND NEW.id = OLD.id THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_head only moves forward';
END
$$;
CREATE TRIGGER audit_head_forward BEFORE UPDATE OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_head_forward();
