-- Training classes, their sessions, enrolments and attendance (SQLite).
-- Keep in step with ../../postgres/2026-11-22-000012_classes/up.sql.

-- enrolled counts the seats taken; a seat is claimed by one conditional UPDATE
-- (enrolled < capacity), so two last-minute enrolments cannot both get the last seat.
CREATE TABLE classes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id        BIGINT NOT NULL REFERENCES org_units (id),
    unit_path      TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('orientation', 'party_awareness', 'cadre_training', 'other')),
    title          TEXT NOT NULL,
    capacity       INTEGER NOT NULL CHECK (capacity > 0),
    enrolled       INTEGER NOT NULL DEFAULT 0,
    enrol_from     DATE NOT NULL,
    enrol_until    DATE NOT NULL,
    for_applicants BOOLEAN NOT NULL,
    for_members    BOOLEAN NOT NULL,
    for_cadres     BOOLEAN NOT NULL,
    certificates   INTEGER NOT NULL DEFAULT 0,
    version        BIGINT NOT NULL DEFAULT 1,
    created_by     BIGINT REFERENCES users (id),
    created_at     TIMESTAMP NOT NULL,
    CHECK (enrolled >= 0 AND enrolled <= capacity)
);
CREATE INDEX classes_unit_idx ON classes (unit_path, id);

CREATE TABLE class_sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    class_id   BIGINT NOT NULL REFERENCES classes (id),
    held_on    DATE NOT NULL,
    starts_at  TEXT NOT NULL,
    place      TEXT,
    online_url TEXT
);
CREATE INDEX class_sessions_class_idx ON class_sessions (class_id, held_on);

-- An enrolee is an account (an applicant, a cadre) or a member record (which may have no account).
CREATE TABLE class_enrollments (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    class_id       BIGINT NOT NULL REFERENCES classes (id),
    user_id        BIGINT REFERENCES users (id),
    member_id      BIGINT REFERENCES members (id),
    full_name      TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('enrolled', 'waitlisted', 'cancelled')),
    result         TEXT CHECK (result IN ('passed', 'failed')),
    score          INTEGER,
    essay          TEXT NOT NULL DEFAULT 'missing' CHECK (essay IN ('missing', 'received', 'accepted', 'rejected')),
    certificate_no TEXT,
    enrolled_by    BIGINT REFERENCES users (id),
    created_at     TIMESTAMP NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1,
    CHECK (user_id IS NOT NULL OR member_id IS NOT NULL)
);
CREATE UNIQUE INDEX class_enrollments_user_key ON class_enrollments (class_id, user_id)
    WHERE user_id IS NOT NULL AND status <> 'cancelled';
CREATE UNIQUE INDEX class_enrollments_member_key ON class_enrollments (class_id, member_id)
    WHERE member_id IS NOT NULL AND status <> 'cancelled';
CREATE UNIQUE INDEX class_enrollments_certificate_key ON class_enrollments (certificate_no)
    WHERE certificate_no IS NOT NULL;
CREATE INDEX class_enrollments_class_idx ON class_enrollments (class_id, status, id);
CREATE INDEX class_enrollments_user_idx ON class_enrollments (user_id);
CREATE INDEX class_enrollments_member_idx ON class_enrollments (member_id);

CREATE TABLE class_attendance (
    session_id    BIGINT NOT NULL REFERENCES class_sessions (id),
    enrollment_id BIGINT NOT NULL REFERENCES class_enrollments (id),
    method        TEXT NOT NULL CHECK (method IN ('cadre', 'qr')),
    recorded_by   BIGINT REFERENCES users (id),
    recorded_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (session_id, enrollment_id)
);
CREATE INDEX class_attendance_enrollment_idx ON class_attendance (enrollment_id);
