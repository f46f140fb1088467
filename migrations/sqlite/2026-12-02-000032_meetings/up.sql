-- Branch life: meetings and activities of a unit, and their attendance sheets.
-- A border branch (vùng biên giới) meets every three months at least instead of monthly.
ALTER TABLE org_units ADD COLUMN border BOOLEAN NOT NULL DEFAULT FALSE;

-- kind: branch_meeting, committee_meeting, activity, themed; status: planned, held, cancelled.
-- starts_at is the local (Vietnam) wall-clock time of the meeting.
CREATE TABLE meetings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id     BIGINT NOT NULL REFERENCES org_units (id),
    unit_path   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'planned',
    starts_at   TIMESTAMP NOT NULL,
    title       TEXT NOT NULL,
    place       TEXT,
    online_url  TEXT,
    agenda      TEXT,
    minutes     TEXT,
    chaired_by  TEXT,
    guests      TEXT,
    present     BIGINT NOT NULL DEFAULT 0,
    excused     BIGINT NOT NULL DEFAULT 0,
    absent      BIGINT NOT NULL DEFAULT 0,
    created_by  BIGINT REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX meetings_unit_starts ON meetings (unit_id, starts_at);
CREATE INDEX meetings_path_starts ON meetings (unit_path, starts_at);

-- One line per member on a meeting's sheet; status: present, excused, absent; method: list, qr.
CREATE TABLE meeting_attendance (
    meeting_id  BIGINT NOT NULL REFERENCES meetings (id),
    member_id   BIGINT NOT NULL REFERENCES members (id),
    status      TEXT NOT NULL,
    reason      TEXT,
    method      TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX meeting_attendance_member ON meeting_attendance (member_id, meeting_id);

-- Who belonged to a unit on a day is read from placements by unit.
CREATE INDEX member_placements_unit_idx ON member_placements (unit_id, started_on);
