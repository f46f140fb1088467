-- Duplicate records of one person merged into one (SQLite).
-- Keep in step with ../../postgres/2026-11-22-000011_member_merges/up.sql.
-- The merged-away record is deleted after its history moved to the kept one; its last state is
-- kept here (snapshot: the record as JSON), so nothing it said is lost.
CREATE TABLE member_merges (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    survivor_id  BIGINT NOT NULL REFERENCES members (id),
    duplicate_id BIGINT NOT NULL,
    snapshot     TEXT NOT NULL,
    merged_by    BIGINT REFERENCES users (id),
    merged_at    TIMESTAMP NOT NULL
);
CREATE INDEX member_merges_survivor_idx ON member_merges (survivor_id);
CREATE INDEX member_merges_duplicate_idx ON member_merges (duplicate_id);
