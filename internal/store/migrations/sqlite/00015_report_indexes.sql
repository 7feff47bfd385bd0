-- +goose Up
-- Reports read a partnership's activities and outcomes from indexes alone.
-- The activities' index holds the month that totals group by, as the very
-- expression ActivityTotals writes, so that SQLite sums a partnership's
-- activities kind by kind and month by month as it reads the index,
-- without sorting; it still holds the day and the count for ranges of days
-- and lists of a kind. One index on outcomes holds every column the
-- report's tallies, years and funded amounts group or add, in the order
-- OutcomeTallies groups them.
DROP INDEX activities_partnership_kind;
CREATE INDEX activities_partnership_kind ON activities (partnership_id, kind, substr(CAST(done_on AS TEXT), 1, 7), done_on, count);
CREATE INDEX outcomes_partnership_figures ON outcomes (partnership_id, kind, novelty, change, funding, lead_id, sci_indexed,
    local_first_author, impact_factor_thousandths, occurred_on, currency, amount_minor);

-- +goose Down
DROP INDEX outcomes_partnership_figures;
DROP INDEX activities_partnership_kind;
CREATE INDEX activities_partnership_kind ON activities (partnership_id, kind, done_on);
