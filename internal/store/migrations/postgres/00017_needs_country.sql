-- +goose Up
-- The needs board filters by the country of the organization that asks: the
-- need carries that country, kept by the database in the transaction that
-- writes a need or moves an organization, so that the country has indexes
-- in the board's order. The board's order is urgency, then needed_by with
-- undated needs last, then id; ListNeeds writes the COALESCE expression as
-- these indexes do. The status after the order lets a status filter be
-- checked in the index.
ALTER TABLE needs ADD COLUMN country TEXT NOT NULL DEFAULT '';
UPDATE needs SET country = o.country FROM organizations o WHERE o.id = needs.organization_id;

-- +goose StatementBegin
CREATE FUNCTION needs_country_set() RETURNS trigger AS $$
BEGIN
    NEW.country := (SELECT country FROM organizations WHERE id = NEW.organization_id);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER needs_country_set BEFORE INSERT OR UPDATE OF organization_id, country ON needs
    FOR EACH ROW EXECUTE FUNCTION needs_country_set();

-- +goose StatementBegin
CREATE FUNCTION organizations_country_needs() RETURNS trigger AS $$
BEGIN
    UPDATE needs SET country = NEW.country WHERE organization_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER organizations_country_needs AFTER UPDATE OF country ON organizations
    FOR EACH ROW WHEN (NEW.country IS DISTINCT FROM OLD.country) EXECUTE FUNCTION organizations_country_needs();

CREATE INDEX needs_board_all ON needs (urgency_rank, (COALESCE(needed_by, '9999-12-31')), id);
CREATE INDEX needs_country ON needs (country, urgency_rank, (COALESCE(needed_by, '9999-12-31')), id, status);
CREATE INDEX needs_country_item ON needs (country, item_id, urgency_rank, (COALESCE(needed_by, '9999-12-31')), id, status);
-- An organization's needs, in the board's order; its status filters and
-- counts read the status from the index.
DROP INDEX needs_org;
CREATE INDEX needs_org ON needs (organization_id, urgency_rank, (COALESCE(needed_by, '9999-12-31')), id, status);
-- The planner weighs the new indexes by their statistics.
ANALYZE needs;

-- +goose Down
DROP INDEX needs_org;
CREATE INDEX needs_org ON needs (organization_id, status);
DROP INDEX needs_country_item;
DROP INDEX needs_country;
DROP INDEX needs_board_all;
DROP TRIGGER organizations_country_needs ON organizations;
DROP FUNCTION organizations_country_needs();
DROP TRIGGER needs_country_set ON needs;
DROP FUNCTION needs_country_set();
ALTER TABLE needs DROP COLUMN country;
