-- +goose Up
-- Programs, the partnerships under them, and what parties commit to a
-- partnership with what they delivered. Dates of history keep their
-- precision (a year, a month or a day); a date column holds the first day
-- of the period and is NULL with an empty precision when unknown.
CREATE TABLE programs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CONSTRAINT programs_kind CHECK (kind IN ('counterpart_assistance','international_aid','foundation_program','joint_institution','exchange','emergency_response')),
    description TEXT NOT NULL DEFAULT '',
    starts_on DATE,
    starts_precision TEXT NOT NULL DEFAULT '' CONSTRAINT programs_starts_precision CHECK (starts_precision IN ('', 'year', 'month', 'day')),
    ends_on DATE,
    ends_precision TEXT NOT NULL DEFAULT '' CONSTRAINT programs_ends_precision CHECK (ends_precision IN ('', 'year', 'month', 'day')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX programs_name ON programs (name, id);

CREATE TABLE program_sponsors (
    program_id TEXT NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (program_id, organization_id)
);
CREATE INDEX program_sponsors_org ON program_sponsors (organization_id);

CREATE TABLE partnerships (
    id TEXT PRIMARY KEY,
    program_id TEXT NOT NULL REFERENCES programs(id),
    name TEXT NOT NULL,
    provider_id TEXT NOT NULL REFERENCES organizations(id),
    recipient_id TEXT NOT NULL REFERENCES organizations(id),
    status TEXT NOT NULL CONSTRAINT partnerships_status CHECK (status IN ('planned','active','suspended','completed')),
    goals TEXT NOT NULL DEFAULT '',
    starts_on DATE,
    starts_precision TEXT NOT NULL DEFAULT '' CONSTRAINT partnerships_starts_precision CHECK (starts_precision IN ('', 'year', 'month', 'day')),
    ends_on DATE,
    ends_precision TEXT NOT NULL DEFAULT '' CONSTRAINT partnerships_ends_precision CHECK (ends_precision IN ('', 'year', 'month', 'day')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT partnerships_two_parties CHECK (provider_id <> recipient_id)
);
CREATE INDEX partnerships_program ON partnerships (program_id, name, id);
CREATE INDEX partnerships_name ON partnerships (name, id);

CREATE TABLE partnership_participants (
    partnership_id TEXT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    role TEXT NOT NULL CONSTRAINT partnership_participants_role CHECK (role IN ('funding','accountable','extending','implementing')),
    position INTEGER NOT NULL,
    PRIMARY KEY (partnership_id, organization_id, role)
);
CREATE INDEX partnership_participants_org ON partnership_participants (organization_id);

CREATE TABLE commitments (
    id TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships(id),
    party_id TEXT NOT NULL REFERENCES organizations(id),
    kind TEXT NOT NULL CONSTRAINT commitments_kind CHECK (kind IN ('money','equipment','training','personnel')),
    amount_minor BIGINT CONSTRAINT commitments_amount_positive CHECK (amount_minor > 0),
    currency TEXT NOT NULL DEFAULT '',
    delivered_minor BIGINT NOT NULL DEFAULT 0 CONSTRAINT commitments_delivered_not_negative CHECK (delivered_minor >= 0),
    description TEXT NOT NULL DEFAULT '',
    committed_on DATE,
    committed_precision TEXT NOT NULL DEFAULT '' CONSTRAINT commitments_committed_precision CHECK (committed_precision IN ('', 'year', 'month', 'day')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT commitments_delivered_within CHECK (delivered_minor = 0 OR delivered_minor <= amount_minor),
    CONSTRAINT commitments_money_amount CHECK (kind <> 'money' OR amount_minor IS NOT NULL)
);
CREATE INDEX commitments_partnership ON commitments (partnership_id, id);

CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    commitment_id TEXT NOT NULL REFERENCES commitments(id),
    delivered_on DATE NOT NULL,
    delivered_precision TEXT NOT NULL CONSTRAINT deliveries_delivered_precision CHECK (delivered_precision IN ('year', 'month', 'day')),
    amount_minor BIGINT CONSTRAINT deliveries_amount_positive CHECK (amount_minor > 0),
    description TEXT NOT NULL DEFAULT '',
    user_id TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT deliveries_something CHECK (amount_minor IS NOT NULL OR description <> '')
);
CREATE INDEX deliveries_commitment ON deliveries (commitment_id, delivered_on, id);

-- +goose Down
DROP TABLE deliveries;
DROP TABLE commitments;
DROP TABLE partnership_participants;
DROP TABLE partnerships;
DROP TABLE program_sponsors;
DROP TABLE programs;
