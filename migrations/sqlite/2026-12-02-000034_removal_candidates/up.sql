-- The removal list (xóa tên): a member with months in a year without attending or without dues.
-- Open candidates are found again whenever the list is read; a decision (removed, dismissed)
-- stays. Months are kept as 'YYYY-MM,YYYY-MM'.
CREATE TABLE removal_candidates (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id         BIGINT NOT NULL REFERENCES members (id),
    unit_id           BIGINT NOT NULL REFERENCES org_units (id),
    unit_path         TEXT NOT NULL,
    year              INTEGER NOT NULL,
    attendance_months TEXT NOT NULL DEFAULT '',
    dues_months       TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'open',
    reason            TEXT,
    decided_by        BIGINT REFERENCES users (id),
    decided_at        TIMESTAMP,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    version           BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT removal_candidates_member_year_key UNIQUE (member_id, year)
);
CREATE INDEX removal_candidates_path ON removal_candidates (unit_path, year);
-- A unit's held meetings of a kind in a span (the removal list reads its branch meetings).
CREATE INDEX meetings_kind_path ON meetings (kind, status, unit_path, starts_at);
