DELETE FROM import_jobs WHERE kind = 'rating_history';
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check CHECK (kind IN ('members', 'programme_registrations'));
