-- Annual ratings (đánh giá, xếp loại). A grassroots unit's period for a year keeps its deadlines
-- and the rules in force; opening it creates one rating per eligible member (one per member and
-- year, wherever they are rated) and lists who is not rated there and why.
CREATE TABLE rating_periods (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id         BIGINT NOT NULL REFERENCES org_units (id),
    unit_path       TEXT NOT NULL,
    year            INTEGER NOT NULL,
    period_kind     TEXT NOT NULL,
    starts_on       DATE NOT NULL,
    ends_on         DATE NOT NULL,
    self_until      DATE NOT NULL,
    branch_until    DATE NOT NULL,
    confirm_until   DATE NOT NULL,
    min_months      INTEGER NOT NULL,
    rate_full_party BOOLEAN NOT NULL,
    quota_percent   INTEGER NOT NULL,
    quota_enforced  BOOLEAN NOT NULL,
    ratings         BIGINT NOT NULL DEFAULT 0,
    confirmed       BIGINT NOT NULL DEFAULT 0,
    opened_by       BIGINT REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT rating_periods_unit_year_key UNIQUE (unit_id, year)
);
CREATE INDEX rating_periods_path ON rating_periods (unit_path, year);

-- A member's rating of a year; unit_id/unit_path are the branch it was opened in. Levels are the
-- four codes; label keeps a level as written in an imported sheet of an earlier year.
CREATE TABLE ratings (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    period_id        BIGINT REFERENCES rating_periods (id),
    member_id        BIGINT NOT NULL REFERENCES members (id),
    unit_id          BIGINT NOT NULL REFERENCES org_units (id),
    unit_path        TEXT NOT NULL,
    year             INTEGER NOT NULL,
    state            TEXT NOT NULL,
    months           INTEGER NOT NULL,
    self_level       TEXT,
    self_text        TEXT,
    self_at          TIMESTAMP,
    proposed_level   TEXT,
    proposal_comment TEXT,
    meeting_on       DATE,
    proposed_by      BIGINT REFERENCES users (id),
    level            TEXT,
    label            TEXT,
    decision_no      TEXT,
    decided_on       DATE,
    decided_by       BIGINT REFERENCES users (id),
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT ratings_member_year_key UNIQUE (member_id, year)
);
CREATE INDEX ratings_period ON ratings (period_id, state);
CREATE INDEX ratings_path ON ratings (unit_path, year, state);

-- Members placed in the unit during the period who are not rated there, why, and the unit's
-- comment on them (which travels to the unit that rates them).
CREATE TABLE rating_exclusions (
    period_id  BIGINT NOT NULL REFERENCES rating_periods (id),
    member_id  BIGINT NOT NULL REFERENCES members (id),
    year       INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    months     INTEGER NOT NULL,
    comment    TEXT,
    comment_by BIGINT REFERENCES users (id),
    PRIMARY KEY (period_id, member_id)
);
CREATE INDEX rating_exclusions_member ON rating_exclusions (member_id, year);

-- Earlier decisions on a confirmed rating, kept when a new decision changes it.
CREATE TABLE rating_revisions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    rating_id          BIGINT NOT NULL REFERENCES ratings (id),
    level_before       TEXT NOT NULL,
    decision_no_before TEXT,
    level              TEXT NOT NULL,
    reason             TEXT NOT NULL,
    decision_no        TEXT NOT NULL,
    decided_on         DATE NOT NULL,
    revised_by         BIGINT REFERENCES users (id),
    created_at         TIMESTAMP NOT NULL
);
CREATE INDEX rating_revisions_rating ON rating_revisions (rating_id);

-- Branches and grassroots units rated each year by the level above.
CREATE TABLE unit_ratings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id    BIGINT NOT NULL REFERENCES org_units (id),
    unit_path  TEXT NOT NULL,
    year       INTEGER NOT NULL,
    level      TEXT NOT NULL,
    assessment TEXT,
    rated_by   BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT unit_ratings_unit_year_key UNIQUE (unit_id, year)
);
CREATE INDEX unit_ratings_path ON unit_ratings (unit_path, year);
