-- What an import job imports: member records, or registrations for a programme (the same
-- machinery: row report, valid-only or all-or-nothing).
ALTER TABLE import_jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'members'
    CHECK (kind IN ('members', 'programme_registrations'));
