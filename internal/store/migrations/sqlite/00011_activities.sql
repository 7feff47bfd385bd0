-- +goose Up
-- Field work: what a mission's team did on a day, with the patients or
-- participants it reached and the members involved. Each activity carries
-- its mission's partnership, so that reports sum a partnership's work by
-- kind and month from one index.
CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    mission_id TEXT NOT NULL REFERENCES missions(id),
    partnership_id TEXT NOT NULL REFERENCES partnerships(id),
    kind TEXT NOT NULL CONSTRAINT activities_kind CHECK (kind IN ('specialty_clinic', 'joint_clinic', 'surgery', 'teaching_round',
        'case_discussion', 'lecture', 'paper_collaboration', 'management', 'charity_service', 'countryside_visit', 'home_visit',
        'medical_tour', 'training_course')),
    done_on TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count >= 0),
    place TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_by TEXT,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX activities_partnership_kind ON activities (partnership_id, kind, done_on);
CREATE INDEX activities_mission ON activities (mission_id, done_on);

CREATE TABLE activity_people (
    activity_id TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id),
    PRIMARY KEY (activity_id, person_id)
);
CREATE INDEX activity_people_person ON activity_people (person_id);

-- +goose Down
DROP TABLE activity_people;
DROP TABLE activities;
