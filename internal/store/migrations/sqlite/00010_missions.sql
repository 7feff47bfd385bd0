-- +goose Up
-- Missions: the teams sent under a partnership, their slots, the
-- applications of volunteers with every step of their selection, and the
-- teams as selected or recorded from history. A person's title gets a rank
-- that a slot can ask for.
ALTER TABLE people ADD COLUMN title_rank TEXT NOT NULL DEFAULT '' CONSTRAINT people_title_rank CHECK (title_rank IN ('', 'resident', 'attending', 'associate_chief', 'chief'));

CREATE TABLE missions (
    id TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships(id),
    sequence INTEGER NOT NULL CONSTRAINT missions_sequence CHECK (sequence BETWEEN 1 AND 9999),
    sending_id TEXT NOT NULL REFERENCES organizations(id),
    host_id TEXT NOT NULL REFERENCES organizations(id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    formation_deadline TEXT,
    status TEXT NOT NULL CONSTRAINT missions_status CHECK (status IN ('draft', 'recruiting', 'formed', 'deployed', 'returned', 'cancelled')),
    description TEXT NOT NULL DEFAULT '',
    short_staffed TEXT NOT NULL DEFAULT '',
    cancel_reason TEXT NOT NULL DEFAULT '',
    deadline_noted BOOLEAN NOT NULL DEFAULT FALSE,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT missions_period CHECK (ends_on >= starts_on),
    CONSTRAINT missions_two_parties CHECK (sending_id <> host_id),
    CONSTRAINT missions_cancelled_why CHECK (status <> 'cancelled' OR cancel_reason <> '')
);
CREATE UNIQUE INDEX missions_sequence_unique ON missions (partnership_id, sequence);
CREATE INDEX missions_forming ON missions (status, formation_deadline, id);
CREATE INDEX missions_partnership_left ON missions (partnership_id, status, starts_on, id);
CREATE INDEX missions_sending ON missions (sending_id, starts_on);
CREATE INDEX missions_host ON missions (host_id, starts_on);

CREATE TABLE mission_slots (
    id TEXT PRIMARY KEY,
    mission_id TEXT NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    specialty TEXT NOT NULL,
    count INTEGER NOT NULL CONSTRAINT mission_slots_count CHECK (count BETWEEN 1 AND 200),
    languages TEXT NOT NULL DEFAULT '[]',
    min_title TEXT NOT NULL DEFAULT '' CONSTRAINT mission_slots_min_title CHECK (min_title IN ('', 'resident', 'attending', 'associate_chief', 'chief')),
    max_age INTEGER NOT NULL DEFAULT 0 CONSTRAINT mission_slots_max_age CHECK (max_age BETWEEN 0 AND 120)
);
CREATE INDEX mission_slots_mission ON mission_slots (mission_id, position);

CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    mission_id TEXT NOT NULL REFERENCES missions(id),
    slot_id TEXT NOT NULL REFERENCES mission_slots(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    department_id TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL CONSTRAINT applications_stage CHECK (stage IN ('registered', 'passed', 'failed', 'selected', 'reserve', 'rejected', 'withdrawn')),
    leader BOOLEAN NOT NULL DEFAULT FALSE,
    note TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX applications_one_open ON applications (mission_id, person_id) WHERE stage <> 'withdrawn';
CREATE INDEX applications_mission ON applications (mission_id, department_id, id);
CREATE INDEX applications_person ON applications (person_id, id);

CREATE TABLE application_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    at DATETIME NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_steps_application ON application_steps (application_id, id);

CREATE TABLE team_members (
    mission_id TEXT NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id),
    slot_id TEXT REFERENCES mission_slots(id),
    role TEXT NOT NULL CONSTRAINT team_members_role CHECK (role IN ('leader', 'member')),
    application_id TEXT REFERENCES applications(id),
    PRIMARY KEY (mission_id, person_id)
);
CREATE UNIQUE INDEX team_members_one_leader ON team_members (mission_id) WHERE role = 'leader';
CREATE INDEX team_members_person ON team_members (person_id);
CREATE INDEX team_members_slot ON team_members (slot_id);

-- +goose Down
DROP TABLE team_members;
DROP TABLE application_steps;
DROP TABLE applications;
DROP TABLE mission_slots;
DROP TABLE missions;
-- people.title_rank stays: SQLite drops no column that a CHECK names.
