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
    SELECT partnership_id, kind, to_char(done_on, 'YYYY-MM'), COUNT(*), COALESCE(SUM(count), 0)
    FROM activities GROUP BY partnership_id, kind, to_char(done_on, 'YYYY-MM');

-- +goose StatementBegin
CREATE FUNCTION activity_months_apply() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE activity_months SET activities = activities - 1, count = count - OLD.count
            WHERE partnership_id = OLD.partnership_id AND kind = OLD.kind AND month = to_char(OLD.done_on, 'YYYY-MM');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO activity_months (partnership_id, kind, month, activities, count)
            VALUES (NEW.partnership_id, NEW.kind, to_char(NEW.done_on, 'YYYY-MM'), 1, NEW.count)
            ON CONFLICT (partnership_id, kind, month)
            DO UPDATE SET activities = activity_months.activities + 1, count = activity_months.count + EXCLUDED.count;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER activity_months_apply AFTER INSERT OR DELETE OR UPDATE OF partnership_id, kind, done_on, count ON activities
    FOR EACH ROW EXECUTE FUNCTION activity_months_apply();

-- +goose Down
DROP TRIGGER activity_months_apply ON activities;
DROP FUNCTION activity_months_apply();
DROP TABLE activity_months;
