-- +goose Up
-- What each partnership's teams did per kind and month, kept by the
-- database beside the activities it adds up, in the transaction that
-- changes them: reports of a program over a million activities read these
-- few rows instead of every activity.
CREATE TABLE activity_months (
    partnership_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    month TEXT NOT NULL,
    activities BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (partnership_id, kind, month)
);

INSERT INTO activity_months (partnership_id, kind, month, activities, count)
    SELECT partnership_id, kind, substr(CAST(done_on AS TEXT), 1, 7), COUNT(*), COALESCE(SUM(count), 0)
    FROM activities GROUP BY partnership_id, kind, substr(CAST(done_on AS TEXT), 1, 7);

-- +goose StatementBegin
CREATE TRIGGER activity_months_insert AFTER INSERT ON activities BEGIN
    INSERT INTO activity_months (partnership_id, kind, month, activities, count)
        VALUES (NEW.partnership_id, NEW.kind, substr(CAST(NEW.done_on AS TEXT), 1, 7), 1, NEW.count)
        ON CONFLICT (partnership_id, kind, month) DO UPDATE SET activities = activities + 1, count = count + excluded.count;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER activity_months_delete AFTER DELETE ON activities BEGIN
    UPDATE activity_months SET activities = activities - 1, count = count - OLD.count
        WHERE partnership_id = OLD.partnership_id AND kind = OLD.kind AND month = substr(CAST(OLD.done_on AS TEXT), 1, 7);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER activity_months_update AFTER UPDATE OF partnership_id, kind, done_on, count ON activities BEGIN
    UPDATE activity_months SET activities = activities - 1, count = count - OLD.count
        WHERE partnership_id = OLD.partnership_id AND kind = OLD.kind AND month = substr(CAST(OLD.done_on AS TEXT), 1, 7);
    INSERT INTO activity_months (partnership_id, kind, month, activities, count)
        VALUES (NEW.partnership_id, NEW.kind, substr(CAST(NEW.done_on AS TEXT), 1, 7), 1, NEW.count)
        ON CONFLICT (partnership_id, kind, month) DO UPDATE SET activities = activities + 1, count = count + excluded.count;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER activity_months_update;
DROP TRIGGER activity_months_delete;
DROP TRIGGER activity_months_insert;
DROP TABLE activity_months;
