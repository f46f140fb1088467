-- Leaders' counters of branch life, per unit, calendar month ('YYYY-MM') and counter: a write
-- moves them for its unit and every unit above it in its own transaction (meetings held,
-- branches that met, dues collected…), so a province's figures are read, never counted.
CREATE TABLE unit_month_counts (
    unit_id BIGINT NOT NULL REFERENCES org_units (id),
    month   TEXT NOT NULL,
    counter TEXT NOT NULL,
    n       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, month, counter)
);
CREATE INDEX unit_month_counts_counter_month ON unit_month_counts (counter, month, unit_id);
