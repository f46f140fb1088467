-- Admission applications and their timeline (SQLite).
-- Keep in step with ../../postgres/2026-11-22-000013_admissions/up.sql.
-- unit_path copies the branch's path: a cadre's inbox is one range over their subtree.
CREATE TABLE admissions (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id              BIGINT NOT NULL REFERENCES users (id),
    unit_id              BIGINT REFERENCES org_units (id),
    unit_path            TEXT,
    state                TEXT NOT NULL CHECK (state IN ('draft', 'applied', 'in_training', 'trained', 'proposed',
                                                        'approved', 'admitted', 'rejected', 'withdrawn')),
    form                 TEXT NOT NULL,
    full_name            TEXT NOT NULL,
    date_of_birth        DATE,
    introducer_member_id BIGINT REFERENCES members (id),
    class_id             BIGINT REFERENCES classes (id),
    enrollment_id        BIGINT REFERENCES class_enrollments (id),
    meeting_on           DATE,
    present              INTEGER,
    votes_for            INTEGER,
    votes_against        INTEGER,
    decision_no          TEXT,
    decided_on           DATE,
    signer               TEXT,
    ceremony_on          DATE,
    member_id            BIGINT REFERENCES members (id),
    submitted_at         TIMESTAMP,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    version              BIGINT NOT NULL DEFAULT 1
);
-- One application under way per account.
CREATE UNIQUE INDEX admissions_open_key ON admissions (user_id)
    WHERE state NOT IN ('admitted', 'rejected', 'withdrawn');
CREATE INDEX admissions_inbox_idx ON admissions (state, unit_path, updated_at);
CREATE INDEX admissions_introducer_idx ON admissions (introducer_member_id);
CREATE INDEX admissions_enrollment_idx ON admissions (enrollment_id);

CREATE TABLE admission_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    admission_id  BIGINT NOT NULL REFERENCES admissions (id),
    action        TEXT NOT NULL,
    from_state    TEXT NOT NULL,
    to_state      TEXT NOT NULL,
    reason        TEXT,
    actor_user_id BIGINT REFERENCES users (id),
    at            TIMESTAMP NOT NULL
);
CREATE INDEX admission_events_admission_idx ON admission_events (admission_id, id);
