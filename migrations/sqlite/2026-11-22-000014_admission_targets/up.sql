-- A unit's yearly target of new members, for the "1+1" drive (SQLite).
-- Keep in step with ../../postgres/2026-11-22-000014_admission_targets/up.sql.
CREATE TABLE admission_targets (
    unit_id    BIGINT NOT NULL REFERENCES org_units (id),
    year       INTEGER NOT NULL,
    target     INTEGER NOT NULL CHECK (target >= 0),
    set_by     BIGINT REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (unit_id, year)
);
CREATE INDEX admissions_ceremony_idx ON admissions (state, ceremony_on);
