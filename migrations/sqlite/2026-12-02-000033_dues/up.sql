-- Dues (đoàn phí): which rate applies to a member, units' rates, payments and the months they cover (SQLite).
-- Keep in step with ../../postgres/2026-12-02-000033_dues/up.sql.
ALTER TABLE members ADD COLUMN dues_class TEXT NOT NULL DEFAULT 'unsalaried' CHECK (dues_class IN ('unsalaried', 'salaried'));

-- A unit's rate from a month on ('YYYY-MM'): VND a month without and with a salary, and the
-- percentage the member's branch keeps (the rest goes to the levels above).
CREATE TABLE dues_rates (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id        BIGINT NOT NULL REFERENCES org_units (id),
    effective_from TEXT NOT NULL,
    unsalaried     BIGINT NOT NULL CHECK (unsalaried > 0),
    salaried       BIGINT NOT NULL CHECK (salaried > 0),
    branch_percent BIGINT NOT NULL CHECK (branch_percent BETWEEN 0 AND 100),
    created_by     BIGINT REFERENCES users (id),
    created_at     TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX dues_rates_unit_month_key ON dues_rates (unit_id, effective_from);

-- A payment by a member, collected by their branch then (unit_path copies its path).
CREATE TABLE dues_payments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id   BIGINT NOT NULL REFERENCES members (id),
    unit_id     BIGINT NOT NULL REFERENCES org_units (id),
    unit_path   TEXT NOT NULL,
    amount      BIGINT NOT NULL CHECK (amount > 0),
    paid_on     DATE NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX dues_payments_member_idx ON dues_payments (member_id, paid_on);
CREATE INDEX dues_payments_path_idx ON dues_payments (unit_path, paid_on);

-- Each month a payment covers, once per member: its amount and the branch's share.
CREATE TABLE dues_payment_months (
    member_id  BIGINT NOT NULL REFERENCES members (id),
    month      TEXT NOT NULL,
    payment_id BIGINT NOT NULL REFERENCES dues_payments (id),
    unit_path  TEXT NOT NULL,
    amount     BIGINT NOT NULL,
    kept       BIGINT NOT NULL,
    CONSTRAINT dues_payment_months_key PRIMARY KEY (member_id, month)
);
CREATE INDEX dues_payment_months_payment_idx ON dues_payment_months (payment_id);
CREATE INDEX dues_payment_months_path_idx ON dues_payment_months (unit_path, month);
