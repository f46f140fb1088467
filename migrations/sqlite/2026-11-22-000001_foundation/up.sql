-- Foundation: accounts, sessions, the org tree, roles and the audit log (SQLite).
-- Keep in step with ../../postgres/2026-11-22-000001_foundation/up.sql.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    login         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    full_name     TEXT NOT NULL,
    date_of_birth DATE,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CONSTRAINT users_login_key UNIQUE (login)
);

CREATE TABLE refresh_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);

-- The tree is a materialised path of ids, '/1/5/23/', so "everything under X" is one index range.
CREATE TABLE org_units (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id      BIGINT REFERENCES org_units (id),
    path           TEXT NOT NULL,
    depth          INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('central', 'province', 'bloc', 'district', 'grassroots', 'section', 'branch')),
    sector         TEXT NOT NULL CHECK (sector IN ('school', 'residential', 'enterprise', 'public_admin', 'armed_forces', 'other')),
    name           TEXT NOT NULL,
    code           TEXT,
    founded_on     DATE,
    dissolved_on   DATE,
    merged_into_id BIGINT REFERENCES org_units (id),
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CONSTRAINT org_units_code_key UNIQUE (code)
);
CREATE INDEX org_units_path_idx ON org_units (path);
CREATE INDEX org_units_parent_id_idx ON org_units (parent_id);

CREATE TABLE role_assignments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_unit_id BIGINT NOT NULL REFERENCES org_units (id),
    role        TEXT NOT NULL CHECK (role IN ('admin', 'leader', 'cadre', 'member', 'applicant')),
    title       TEXT,
    created_at  TIMESTAMP NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    CONSTRAINT role_assignments_user_unit_role_key UNIQUE (user_id, org_unit_id, role)
);
CREATE INDEX role_assignments_org_unit_id_idx ON role_assignments (org_unit_id);

-- unit_path copies the unit's path at the time, so leaders read their subtree's trail with one range.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_user_id BIGINT REFERENCES users (id),
    action        TEXT NOT NULL,
    entity_type   TEXT NOT NULL,
    entity_id     BIGINT NOT NULL,
    org_unit_id   BIGINT REFERENCES org_units (id),
    unit_path     TEXT,
    before_json   TEXT,
    after_json    TEXT,
    at            TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_unit_path_idx ON audit_log (unit_path, id);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id);
