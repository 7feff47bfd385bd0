-- +goose Up
-- Dates of accreditations keep the precision the accounts give them: a
-- year (JCI 2010), a month or a day. granted_on holds the first day of the
-- period.
ALTER TABLE accreditations ADD COLUMN granted_precision TEXT NOT NULL DEFAULT 'day'
    CONSTRAINT accreditations_granted_precision CHECK (granted_precision IN ('year', 'month', 'day'));

-- +goose Down
ALTER TABLE accreditations DROP COLUMN granted_precision;
