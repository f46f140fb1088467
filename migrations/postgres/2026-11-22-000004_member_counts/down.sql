DROP INDEX members_sort_idx;
ALTER TABLE org_units DROP COLUMN live_members;
