-- +goose Up
-- Login attempts, counted before the password is checked, so that the
-- limits hold under a burst of parallel tries and across the instances that
-- share the database. key is a hash of "account:EMAIL" or "address:ADDR".
CREATE TABLE login_attempts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts (key, at);
CREATE INDEX login_attempts_at ON login_attempts (at);

-- +goose Down
DROP TABLE login_attempts;
