-- The life of each member: every status change with its date and reason (SQLite).
-- Keep in step with ../../postgres/2026-11-22-000006_member_transitions/up.sql.
CREATE TABLE member_transitions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id     BIGINT NOT NULL REFERENCES members (id),
    action        TEXT NOT NULL,
    from_status   TEXT NOT NULL,
    to_status     TEXT NOT NULL,
    on_date       DATE NOT NULL,
    reason        TEXT,
    actor_user_id BIGINT REFERENCES users (id),
    recorded_at   TIMESTAMP NOT NULL
);
CREATE INDEX member_transitions_member_idx ON member_transitions (member_id, id);
