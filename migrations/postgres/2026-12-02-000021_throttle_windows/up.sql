-- Failed sign-ins and look-ups of people, counted per key (a login and address pair, a device,
-- a login, an address, a caller) in a table, so every server on one database counts the same
-- failures (see backend/src/throttle.rs). Rows are forgotten once their window has passed.
-- Keep in step with ../../sqlite/2026-12-02-000021_throttle_windows/up.sql.
CREATE TABLE throttle_windows (
    key        TEXT PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    last_at    TIMESTAMP NOT NULL,
    failures   INTEGER NOT NULL
);
CREATE INDEX throttle_windows_started_at_idx ON throttle_windows (started_at);
