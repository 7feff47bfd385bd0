-- +goose Up
-- Outcomes: what a partnership leaves behind, typed and dated, with the
-- team members involved and, for a consortium, its member organizations;
-- and the indicators a partnership is measured by, with the values entered
-- by hand where no rule derives them from the records.
CREATE TABLE outcomes (
    id TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships(id),
    mission_id TEXT REFERENCES missions(id),
    kind TEXT NOT NULL CONSTRAINT outcomes_kind CHECK (kind IN ('technique', 'service', 'trainee', 'research_project', 'publication', 'milestone')),
    title TEXT NOT NULL CONSTRAINT outcomes_title CHECK (title <> ''),
    occurred_on TEXT NOT NULL,
    occurred_precision TEXT NOT NULL CONSTRAINT outcomes_occurred_precision CHECK (occurred_precision IN ('year', 'month', 'day')),
    department TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    novelty TEXT NOT NULL DEFAULT '' CONSTRAINT outcomes_novelty CHECK (novelty IN ('', 'fills_national_gap', 'fills_regional_gap', 'region_leading', 'fills_subregional_gap', 'new_to_hospital')),
    change TEXT NOT NULL DEFAULT '' CONSTRAINT outcomes_change CHECK (change IN ('', 'established', 'restructured')),
    mentor_id TEXT REFERENCES people(id),
    field TEXT NOT NULL DEFAULT '',
    funder TEXT NOT NULL DEFAULT '',
    amount_minor BIGINT CONSTRAINT outcomes_amount_positive CHECK (amount_minor > 0),
    currency TEXT NOT NULL DEFAULT '',
    funding TEXT NOT NULL DEFAULT '' CONSTRAINT outcomes_funding CHECK (funding IN ('', 'applied', 'funded')),
    lead_id TEXT REFERENCES organizations(id),
    journal TEXT NOT NULL DEFAULT '',
    sci_indexed BOOLEAN NOT NULL DEFAULT FALSE,
    impact_factor_thousandths BIGINT NOT NULL DEFAULT 0 CONSTRAINT outcomes_impact_factor CHECK (impact_factor_thousandths BETWEEN 0 AND 1000000),
    local_first_author BOOLEAN NOT NULL DEFAULT FALSE,
    milestone TEXT NOT NULL DEFAULT '' CONSTRAINT outcomes_milestone CHECK (milestone IN ('', 'accreditation', 'consortium', 'award')),
    grantor TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT outcomes_technique_novelty CHECK ((kind = 'technique') = (novelty <> '')),
    CONSTRAINT outcomes_service_change CHECK ((kind = 'service') = (change <> '')),
    CONSTRAINT outcomes_project_funding CHECK ((kind = 'research_project') = (funding <> '')),
    CONSTRAINT outcomes_milestone_kind CHECK ((kind = 'milestone') = (milestone <> ''))
);
CREATE INDEX outcomes_partnership_kind ON outcomes (partnership_id, kind, novelty, occurred_on);
CREATE INDEX outcomes_partnership_occurred ON outcomes (partnership_id, occurred_on, id);
CREATE INDEX outcomes_occurred ON outcomes (occurred_on, id);
CREATE INDEX outcomes_mission ON outcomes (mission_id);

CREATE TABLE outcome_people (
    outcome_id TEXT NOT NULL REFERENCES outcomes(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (outcome_id, person_id)
);
CREATE INDEX outcome_people_person ON outcome_people (person_id);

CREATE TABLE outcome_members (
    outcome_id TEXT NOT NULL REFERENCES outcomes(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (outcome_id, organization_id)
);
CREATE INDEX outcome_members_organization ON outcome_members (organization_id);

CREATE TABLE indicators (
    id TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships(id),
    name TEXT NOT NULL CONSTRAINT indicators_name CHECK (name <> ''),
    rule TEXT NOT NULL CONSTRAINT indicators_rule CHECK (rule IN ('techniques', 'trainees', 'research_projects', 'publications', 'sci_publications', 'services', 'activities', 'entered')),
    novelty TEXT NOT NULL DEFAULT '',
    activity_kind TEXT NOT NULL DEFAULT '',
    period TEXT NOT NULL CONSTRAINT indicators_period CHECK (period IN ('year', 'quarter')),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    baseline BIGINT NOT NULL DEFAULT 0,
    target BIGINT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT indicators_period_order CHECK (ends_on >= starts_on)
);
CREATE INDEX indicators_partnership ON indicators (partnership_id, id);

CREATE TABLE indicator_entries (
    indicator_id TEXT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    value BIGINT NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    entered_at DATETIME NOT NULL,
    PRIMARY KEY (indicator_id, period)
);

-- +goose Down
DROP TABLE indicator_entries;
DROP TABLE indicators;
DROP TABLE outcome_members;
DROP TABLE outcome_people;
DROP TABLE outcomes;
