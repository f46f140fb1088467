ALTER TABLE admissions DROP COLUMN introducer_org;
