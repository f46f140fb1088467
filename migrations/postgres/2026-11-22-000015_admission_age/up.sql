-- Applications by age (oldest change first), covering the inbox's filters, so a province-wide
-- inbox walks the oldest cases instead of sorting every waiting one (PostgreSQL).
-- Keep in step with ../../sqlite/2026-11-22-000015_admission_age/up.sql.
CREATE INDEX admissions_age_idx ON admissions (updated_at, id, unit_path, state);
