-- +goose Up
-- Reports read a partnership's activities and outcomes from indexes alone
-- (index-only scans once autovacuum has marked the pages visible): the
-- activities' index carries the count it sums, and one index on outcomes
-- holds every column the report's tallies, years and funded amounts group
-- or add, in the order OutcomeTallies groups them.
DROP INDEX activities_partnership_kind;
CREATE INDEX activities_partnership_kind ON activities (partnership_id, kind, done_on, count);
CREATE INDEX outcomes_partnership_figures ON outcomes (partnership_id, kind, novelty, change, funding, lead_id, sci_indexed,
    local_first_author, impact_factor_thousandths, occurred_on, currency, amount_minor);

-- +goose Down
DROP INDEX outcomes_partnership_figures;
DROP INDEX activities_partnership_kind;
CREATE INDEX activities_partnership_kind ON activities (partnership_id, kind, done_on);
