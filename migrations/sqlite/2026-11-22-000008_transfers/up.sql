-- Transfers between units (chuyển sinh hoạt Đoàn) and the units a member belonged to over time (SQLite).
-- Keep in step with ../../postgres/2026-11-22-000008_transfers/up.sql.

-- from_path / to_path copy the sending branch's and the receiving unit's paths, so a unit's
-- incoming and outgoing transfers are each one index range over its subtree.
CREATE TABLE member_transfers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id       BIGINT NOT NULL REFERENCES members (id),
    from_unit_id    BIGINT NOT NULL REFERENCES org_units (id),
    from_path       TEXT NOT NULL,
    to_unit_id      BIGINT NOT NULL REFERENCES org_units (id),
    to_path         TEXT NOT NULL,
    placed_unit_id  BIGINT REFERENCES org_units (id),
    internal        BOOLEAN NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('requested', 'released', 'accepted', 'refused', 'cancelled')),
    note            TEXT,
    release_comment TEXT,
    dues_paid_to    DATE,
    decision_reason TEXT,
    requested_by    BIGINT REFERENCES users (id),
    released_by     BIGINT REFERENCES users (id),
    decided_by      BIGINT REFERENCES users (id),
    requested_at    TIMESTAMP NOT NULL,
    released_at     TIMESTAMP,
    decided_at      TIMESTAMP,
    version         BIGINT NOT NULL DEFAULT 1
);
-- One transfer under way per member.
CREATE UNIQUE INDEX member_transfers_open_key ON member_transfers (member_id)
    WHERE status IN ('requested', 'released');
CREATE INDEX member_transfers_from_idx ON member_transfers (from_path, status);
CREATE INDEX member_transfers_to_idx ON member_transfers (to_path, status);
CREATE INDEX member_transfers_member_idx ON member_transfers (member_id, id);

-- Where a member was, and from when to when: the member book's "units over time". A record
-- keeps pointing at the unit as it was, even after that unit is merged or dissolved.
-- cause: joined (first placement), transfer, unit_merged (the unit was merged into another).
CREATE TABLE member_placements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id   BIGINT NOT NULL REFERENCES members (id),
    unit_id     BIGINT NOT NULL REFERENCES org_units (id),
    started_on  DATE NOT NULL,
    ended_on    DATE,
    cause       TEXT NOT NULL CHECK (cause IN ('joined', 'transfer', 'unit_merged')),
    transfer_id BIGINT REFERENCES member_transfers (id)
);
CREATE INDEX member_placements_member_idx ON member_placements (member_id, started_on);

INSERT INTO member_placements (member_id, unit_id, started_on, cause)
SELECT id, unit_id, joined_on, 'joined' FROM members;
