-- +goose Up
-- Events: meetings, conferences, visits, trainings, ceremonies and
-- fellowships, with the organizations taking part, the attendees, topics,
-- decisions and action items. An action item remembers the due date its
-- owner was told it is overdue for, so that the owner is told once per due
-- date. A notification may be for one user rather than every member of its
-- organization.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CONSTRAINT events_kind CHECK (kind IN ('meeting', 'conference', 'visit', 'training', 'ceremony', 'fellowship')),
    title TEXT NOT NULL,
    starts_on DATE NOT NULL,
    starts_precision TEXT NOT NULL CONSTRAINT events_starts_precision CHECK (starts_precision IN ('year', 'month', 'day')),
    ends_on DATE,
    ends_precision TEXT NOT NULL DEFAULT '' CONSTRAINT events_ends_precision CHECK (ends_precision IN ('', 'year', 'month', 'day')),
    host_id TEXT NOT NULL REFERENCES organizations(id),
    partnership_id TEXT REFERENCES partnerships(id),
    program_id TEXT REFERENCES programs(id),
    virtual BOOLEAN NOT NULL DEFAULT FALSE,
    country TEXT NOT NULL CONSTRAINT events_country CHECK (length(country) = 2),
    sessions INTEGER NOT NULL DEFAULT 0,
    countries_reached INTEGER NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT '',
    person_id TEXT REFERENCES people(id),
    institution TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT events_period CHECK (ends_on IS NULL OR ends_on >= starts_on),
    CONSTRAINT events_sessions CHECK ((kind = 'conference' AND sessions BETWEEN 1 AND 9999) OR (kind <> 'conference' AND sessions = 0)),
    CONSTRAINT events_countries_reached CHECK ((kind = 'conference' AND countries_reached BETWEEN 0 AND 250) OR (kind <> 'conference' AND countries_reached = 0)),
    CONSTRAINT events_fellow CHECK ((kind = 'fellowship' AND person_id IS NOT NULL) OR (kind <> 'fellowship' AND person_id IS NULL AND institution = ''))
);
CREATE INDEX events_starts ON events (starts_on, id);
CREATE INDEX events_host ON events (host_id, starts_on);
CREATE INDEX events_partnership ON events (partnership_id, starts_on);
CREATE INDEX events_program ON events (program_id, starts_on);
CREATE INDEX events_kind ON events (kind, starts_on);
CREATE INDEX events_person ON events (person_id);

CREATE TABLE event_participants (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, organization_id)
);
CREATE INDEX event_participants_org ON event_participants (organization_id, event_id);

CREATE TABLE event_attendees (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    person_id TEXT REFERENCES people(id),
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    role TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, position)
);
CREATE INDEX event_attendees_person ON event_attendees (person_id);

-- Topics and decisions: short texts of an event, in order.
CREATE TABLE event_notes (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CONSTRAINT event_notes_kind CHECK (kind IN ('topic', 'decision')),
    position INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (event_id, kind, position)
);

CREATE TABLE event_action_items (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES organizations(id),
    owner_person_id TEXT REFERENCES people(id),
    due DATE NOT NULL,
    status TEXT NOT NULL CONSTRAINT event_action_items_status CHECK (status IN ('open', 'done', 'dropped')),
    status_changed_at TIMESTAMPTZ NOT NULL,
    noted_due DATE
);
CREATE INDEX event_action_items_event ON event_action_items (event_id, position);
CREATE INDEX event_action_items_overdue ON event_action_items (due, id) WHERE status = 'open';
CREATE INDEX event_action_items_owner ON event_action_items (owner_id);
CREATE INDEX event_action_items_owner_person ON event_action_items (owner_person_id);

ALTER TABLE notifications ADD COLUMN user_id TEXT REFERENCES users(id) ON DELETE CASCADE;
CREATE INDEX notifications_user ON notifications (user_id, id);

-- +goose Down
DROP INDEX notifications_user;
ALTER TABLE notifications DROP COLUMN user_id;
DROP TABLE event_action_items;
DROP TABLE event_notes;
DROP TABLE event_attendees;
DROP TABLE event_participants;
DROP TABLE events;
