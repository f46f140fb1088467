-- The introducing organisation beside the introducing member, so an inbox card is one joined
-- read without opening each form (PostgreSQL).
-- Keep in step with ../../sqlite/2026-11-22-000016_admission_introducer_org/up.sql.
ALTER TABLE admissions ADD COLUMN introducer_org TEXT;
UPDATE admissions SET introducer_org = NULLIF(TRIM(form::jsonb ->> 'introducer_org'), '');
