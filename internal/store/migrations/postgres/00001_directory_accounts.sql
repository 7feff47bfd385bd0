-- +goose Up
CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    kind TEXT NOT NULL CHECK (kind IN ('hospital','foundation','government','ngo','international','university','company','other')),
    country TEXT NOT NULL CHECK (length(country) = 2),
    subdivision TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    parent_id TEXT REFERENCES organizations(id),
    parent_relation TEXT NOT NULL DEFAULT '' CHECK (parent_relation IN ('','affiliation','branch')),
    beds_total BIGINT CHECK (beds_total >= 0),
    beds_in_service BIGINT CHECK (beds_in_service >= 0),
    clinical_departments BIGINT CHECK (clinical_departments >= 0),
    website TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CHECK (beds_in_service IS NULL OR beds_total IS NULL OR beds_in_service <= beds_total)
);
CREATE INDEX organizations_name ON organizations (name, id);
CREATE INDEX organizations_parent ON organizations (parent_id);

CREATE TABLE accreditations (
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('accreditation','designation')),
    name TEXT NOT NULL,
    granted_by TEXT NOT NULL DEFAULT '',
    granted_on DATE NOT NULL,
    PRIMARY KEY (organization_id, position)
);

CREATE TABLE departments (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (organization_id, name)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    site_admin BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE memberships (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    role TEXT NOT NULL CHECK (role IN ('admin','coordinator','screener','reviewer','member','viewer')),
    department_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, organization_id, role, department_id)
);
CREATE INDEX memberships_org ON memberships (organization_id);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    department_id TEXT REFERENCES departments(id),
    user_id TEXT REFERENCES users(id),
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    specialty TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '[]',
    birth_date DATE,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX people_name ON people (name, id);
CREATE INDEX people_org ON people (organization_id);

CREATE TABLE items (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('ppe','diagnostics','medicine','equipment','tcm','other')),
    unit TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX items_name ON items (name, id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    organization_id TEXT NOT NULL DEFAULT '',
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    before_json JSONB,
    after_json JSONB
);
CREATE INDEX audit_entity ON audit_log (entity_type, entity_id, id);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE items;
DROP TABLE people;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE departments;
DROP TABLE accreditations;
DROP TABLE organizations;
