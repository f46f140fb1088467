-- Committee positions with their terms; role_assignment_id is the cadre role a position granted
-- (revoked when the term ends) (SQLite).
-- Keep in step with ../../postgres/2026-11-22-000007_positions/up.sql.
CREATE TABLE positions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id          BIGINT NOT NULL REFERENCES members (id),
    unit_id            BIGINT NOT NULL REFERENCES org_units (id),
    title              TEXT NOT NULL CHECK (title IN ('secretary', 'deputy_secretary', 'standing_committee', 'committee')),
    started_on         DATE NOT NULL,
    ended_on           DATE,
    role_assignment_id BIGINT REFERENCES role_assignments (id) ON DELETE SET NULL,
    created_at         TIMESTAMP NOT NULL,
    created_by         BIGINT REFERENCES users (id)
);
CREATE INDEX positions_unit_idx ON positions (unit_id, ended_on);
CREATE INDEX positions_member_idx ON positions (member_id);
