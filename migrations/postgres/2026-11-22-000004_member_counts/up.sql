-- Live members per subtree, kept by every write that adds, removes or moves a live member, so
-- list totals and the tree's counts are read, not counted; and an index to page a large
-- subtree in name order without sorting it (PostgreSQL).
-- Keep in step with ../../sqlite/2026-11-22-000004_member_counts/up.sql.
ALTER TABLE org_units ADD COLUMN live_members BIGINT NOT NULL DEFAULT 0;
UPDATE org_units SET live_members = (
    SELECT count(*) FROM members m
    WHERE m.unit_path >= org_units.path AND m.unit_path < org_units.path || '~'
      AND m.status IN ('active', 'extended'));
CREATE INDEX members_sort_idx ON members (sort_key, id, unit_path, status);
