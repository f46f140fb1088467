ALTER TABLE import_jobs DROP COLUMN kind;
