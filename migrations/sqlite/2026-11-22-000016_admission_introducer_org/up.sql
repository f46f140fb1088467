-- The introducing organisation beside the introducing member, so an inbox card is one joined
-- read without opening each form (SQLite).
-- Keep in step with ../../postgres/2026-11-22-000016_admission_introducer_org/up.sql.
ALTER TABLE admissions ADD COLUMN introducer_org TEXT;
UPDATE admissions SET introducer_org = NULLIF(TRIM(json_extract(form, '$.introducer_org')), '');
