DROP INDEX member_placements_unit_idx;
DROP TABLE meeting_attendance;
DROP TABLE meetings;
ALTER TABLE org_units DROP COLUMN border;
