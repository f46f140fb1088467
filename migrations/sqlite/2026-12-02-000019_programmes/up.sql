-- The Member Training programme (Rèn luyện đoàn viên): programmes, registrations, progress, figures (SQLite).
-- Keep in step with ../../postgres/2026-12-02-000019_programmes/up.sql.
-- A unit's programme for a period (year: the calendar year, or the year a school year starts in).
-- unit_path copies the unit's path: a subtree's programmes are one range.
CREATE TABLE programmes (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id                BIGINT NOT NULL REFERENCES org_units (id),
    unit_path              TEXT NOT NULL,
    year                   INTEGER NOT NULL,
    period_kind            TEXT NOT NULL CHECK (period_kind IN ('calendar', 'school')),
    starts_on              DATE NOT NULL,
    ends_on                DATE NOT NULL,
    title                  TEXT NOT NULL,
    registration_opens_on  DATE NOT NULL,
    registration_closes_on DATE NOT NULL,
    min_optional           INTEGER NOT NULL CHECK (min_optional >= 0),
    created_by             BIGINT REFERENCES users (id),
    created_at             TIMESTAMP NOT NULL,
    updated_at             TIMESTAMP NOT NULL,
    version                BIGINT NOT NULL DEFAULT 1,
    CHECK (registration_opens_on <= registration_closes_on)
);
CREATE UNIQUE INDEX programmes_unit_year_key ON programmes (unit_id, year);
CREATE INDEX programmes_path_idx ON programmes (unit_path, year);

CREATE TABLE programme_headings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL
);
CREATE INDEX programme_headings_programme_idx ON programme_headings (programme_id, position);

CREATE TABLE programme_items (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    heading_id   BIGINT NOT NULL REFERENCES programme_headings (id),
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL,
    required     BOOLEAN NOT NULL,
    target       INTEGER NOT NULL CHECK (target > 0),
    counted      TEXT NOT NULL
);
CREATE INDEX programme_items_programme_idx ON programme_items (programme_id, heading_id, position);

-- One registration per member and programme; unit_path copies the member's branch path when
-- registering (a branch's list is one range).
CREATE TABLE programme_registrations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id     BIGINT NOT NULL REFERENCES programmes (id),
    member_id        BIGINT NOT NULL REFERENCES members (id),
    unit_id          BIGINT NOT NULL REFERENCES org_units (id),
    unit_path        TEXT NOT NULL,
    year             INTEGER NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('registered', 'self_assessed', 'evaluated')),
    self_result      TEXT CHECK (self_result IN ('excellent', 'good', 'fulfilled', 'not_fulfilled')),
    self_text        TEXT,
    result           TEXT CHECK (result IN ('excellent', 'good', 'fulfilled', 'not_fulfilled')),
    comment          TEXT,
    evaluated_by     BIGINT REFERENCES users (id),
    evaluated_at     TIMESTAMP,
    registered_by    BIGINT REFERENCES users (id),
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX programme_registrations_member_key ON programme_registrations (programme_id, member_id);
CREATE INDEX programme_registrations_path_idx ON programme_registrations (programme_id, unit_path);
CREATE INDEX programme_registrations_member_year_idx ON programme_registrations (member_id, year);

-- The items a registration holds (the required ones and the optional ones chosen), with the
-- progress recorded so far (the sum of its entries).
CREATE TABLE programme_registration_items (
    registration_id BIGINT NOT NULL REFERENCES programme_registrations (id),
    item_id         BIGINT NOT NULL REFERENCES programme_items (id),
    done            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (registration_id, item_id)
);
CREATE INDEX programme_registration_items_item_idx ON programme_registration_items (item_id);

CREATE TABLE programme_commitments (
    registration_id BIGINT NOT NULL REFERENCES programme_registrations (id),
    heading_id      BIGINT NOT NULL REFERENCES programme_headings (id),
    text            TEXT NOT NULL,
    PRIMARY KEY (registration_id, heading_id)
);
CREATE INDEX programme_commitments_heading_idx ON programme_commitments (heading_id);

CREATE TABLE programme_progress (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    registration_id BIGINT NOT NULL REFERENCES programme_registrations (id),
    item_id         BIGINT NOT NULL REFERENCES programme_items (id),
    count           INTEGER NOT NULL CHECK (count > 0),
    done_on         DATE NOT NULL,
    note            TEXT,
    recorded_by     BIGINT REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX programme_progress_registration_idx ON programme_progress (registration_id, id);

-- Leaders' figures: per unit, year and counter (registered, self_assessed, evaluated, result_<code>),
-- kept for the member's branch and every unit above it in the write's own transaction.
CREATE TABLE programme_counts (
    unit_id BIGINT NOT NULL REFERENCES org_units (id),
    year    INTEGER NOT NULL,
    counter TEXT NOT NULL,
    n       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, year, counter)
);
