-- +goose Up
-- Contributions: money or goods one organization gave another outside a
-- need, optionally under a partnership or a program. The amount is in minor
-- units of its currency, required for money and the value of goods when
-- known; goods may give a quantity in a unit. The date keeps its precision.
CREATE TABLE contributions (
    id TEXT PRIMARY KEY,
    giver_id TEXT NOT NULL REFERENCES organizations(id),
    recipient_id TEXT NOT NULL REFERENCES organizations(id),
    kind TEXT NOT NULL CONSTRAINT contributions_kind CHECK (kind IN ('money','goods')),
    amount_minor BIGINT CONSTRAINT contributions_amount_positive CHECK (amount_minor > 0),
    currency TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    quantity BIGINT CONSTRAINT contributions_quantity_positive CHECK (quantity > 0),
    unit TEXT NOT NULL DEFAULT '',
    given_on TEXT NOT NULL,
    given_precision TEXT NOT NULL CONSTRAINT contributions_given_precision CHECK (given_precision IN ('year', 'month', 'day')),
    partnership_id TEXT REFERENCES partnerships(id),
    program_id TEXT REFERENCES programs(id),
    notes TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT contributions_two_parties CHECK (giver_id <> recipient_id),
    CONSTRAINT contributions_money_amount CHECK (kind <> 'money' OR amount_minor IS NOT NULL),
    CONSTRAINT contributions_amount_currency CHECK ((amount_minor IS NULL) = (currency = '')),
    CONSTRAINT contributions_goods_described CHECK (kind <> 'goods' OR description <> ''),
    CONSTRAINT contributions_money_no_quantity CHECK (kind <> 'money' OR (quantity IS NULL AND unit = ''))
);
CREATE INDEX contributions_given ON contributions (given_on, id);
CREATE INDEX contributions_giver ON contributions (giver_id, given_on, id);
CREATE INDEX contributions_recipient ON contributions (recipient_id, given_on, id);
CREATE INDEX contributions_partnership ON contributions (partnership_id, given_on, id);
CREATE INDEX contributions_program ON contributions (program_id, given_on, id);

-- +goose Down
DROP TABLE contributions;
