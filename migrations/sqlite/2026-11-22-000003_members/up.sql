-- The member registry (sổ đoàn viên) (SQLite).
-- Keep in step with ../../postgres/2026-11-22-000003_members/up.sql.

-- unit_path copies the official branch's path, so "members under unit X" is one index range;
-- search_name is the folded name (no diacritics), sort_key orders by given name the Vietnamese way.
CREATE TABLE members (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         BIGINT REFERENCES users (id),
    unit_id         BIGINT NOT NULL REFERENCES org_units (id),
    unit_path       TEXT NOT NULL,
    full_name       TEXT NOT NULL,
    search_name     TEXT NOT NULL,
    sort_key        TEXT NOT NULL,
    date_of_birth   DATE NOT NULL,
    gender          TEXT NOT NULL CHECK (gender IN ('male', 'female')),
    national_id     TEXT,
    phone           TEXT,
    email           TEXT,
    joined_on       DATE NOT NULL,
    card_number     TEXT,
    party_status    TEXT NOT NULL DEFAULT 'none' CHECK (party_status IN ('none', 'probationary', 'full')),
    party_joined_on DATE,
    status          TEXT NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'extended', 'matured', 'transferred_out', 'removed', 'expelled', 'deceased')),
    status_since    DATE NOT NULL,
    incomplete      BOOLEAN NOT NULL,
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
-- At most one live record per person: the same CCCD cannot be active twice.
CREATE UNIQUE INDEX members_national_id_live_key ON members (national_id)
    WHERE national_id IS NOT NULL AND status IN ('active', 'extended');
CREATE UNIQUE INDEX members_card_number_key ON members (card_number) WHERE card_number IS NOT NULL;
CREATE UNIQUE INDEX members_user_id_key ON members (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX members_unit_path_sort_idx ON members (unit_path, sort_key, id);
CREATE INDEX members_national_id_idx ON members (national_id);
CREATE INDEX members_phone_idx ON members (phone);

CREATE TABLE member_profiles (
    member_id         BIGINT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    ethnicity         TEXT,
    religion          TEXT,
    hometown          TEXT,
    permanent_address TEXT,
    current_address   TEXT,
    education         TEXT,
    qualification     TEXT,
    political_theory  TEXT,
    occupation        TEXT
);
