-- Import jobs may also bring earlier years' ratings from a sheet.
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check
    CHECK (kind IN ('members', 'programme_registrations', 'rating_history'));
