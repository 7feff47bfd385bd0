-- +goose Up
CREATE TABLE needs (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    item_id TEXT NOT NULL REFERENCES items(id),
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    urgency TEXT NOT NULL CHECK (urgency IN ('critical','high','normal')),
    urgency_rank INTEGER NOT NULL CHECK (urgency_rank BETWEEN 0 AND 2),
    needed_by TEXT,
    justification TEXT NOT NULL DEFAULT '',
    shortage BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL CHECK (status IN ('open','partially_pledged','pledged','partially_delivered','fulfilled','cancelled')),
    pledged BIGINT NOT NULL DEFAULT 0 CHECK (pledged >= 0),
    received BIGINT NOT NULL DEFAULT 0 CHECK (received >= 0),
    damaged BIGINT NOT NULL DEFAULT 0 CHECK (damaged >= 0),
    cancelled_at DATETIME,
    cancel_reason TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CHECK (pledged <= quantity)
);
CREATE INDEX needs_board ON needs (status, urgency_rank, needed_by, id);
CREATE INDEX needs_org ON needs (organization_id, status);
CREATE INDEX needs_item ON needs (item_id, status);

CREATE TABLE pledges (
    id TEXT PRIMARY KEY,
    need_id TEXT NOT NULL REFERENCES needs(id),
    donor_id TEXT NOT NULL REFERENCES organizations(id),
    item_id TEXT NOT NULL REFERENCES items(id),
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    from_stock BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL CHECK (status IN ('offered','accepted','shipped','delivered','declined','withdrawn')),
    note TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    decided_at DATETIME,
    shipped BIGINT NOT NULL DEFAULT 0 CHECK (shipped >= 0),
    received BIGINT NOT NULL DEFAULT 0 CHECK (received >= 0),
    damaged BIGINT NOT NULL DEFAULT 0 CHECK (damaged >= 0),
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    CHECK (shipped <= quantity),
    CHECK (received + damaged <= shipped)
);
CREATE INDEX pledges_need ON pledges (need_id);
CREATE INDEX pledges_donor ON pledges (donor_id, status);

CREATE TABLE stock_levels (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    item_id TEXT NOT NULL REFERENCES items(id),
    on_hand BIGINT NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    reserved BIGINT NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    PRIMARY KEY (organization_id, item_id),
    CHECK (reserved <= on_hand)
);

CREATE TABLE stock_movements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at DATETIME NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    item_id TEXT NOT NULL REFERENCES items(id),
    kind TEXT NOT NULL CHECK (kind IN ('receipt','donation_out','adjustment','count')),
    delta BIGINT NOT NULL,
    counted BIGINT,
    reason TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    user_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX stock_movements_org_item ON stock_movements (organization_id, item_id, id);

CREATE TABLE shipments (
    id TEXT PRIMARY KEY,
    donor_id TEXT NOT NULL REFERENCES organizations(id),
    recipient_id TEXT NOT NULL REFERENCES organizations(id),
    carrier TEXT NOT NULL DEFAULT '',
    tracking_number TEXT NOT NULL DEFAULT '',
    customs_reference TEXT NOT NULL DEFAULT '',
    shipping_cost_minor BIGINT CHECK (shipping_cost_minor >= 0),
    shipping_currency TEXT NOT NULL DEFAULT '',
    cost_borne_by TEXT REFERENCES organizations(id),
    status TEXT NOT NULL CHECK (status IN ('preparing','dispatched','delivered','partially_delivered','lost','cancelled')),
    dispatched_at DATETIME,
    received_at DATETIME,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX shipments_donor ON shipments (donor_id, status);
CREATE INDEX shipments_recipient ON shipments (recipient_id, status);

CREATE TABLE shipment_lines (
    id TEXT PRIMARY KEY,
    shipment_id TEXT NOT NULL REFERENCES shipments(id),
    position INTEGER NOT NULL,
    pledge_id TEXT NOT NULL REFERENCES pledges(id),
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    received BIGINT NOT NULL DEFAULT 0 CHECK (received >= 0),
    damaged BIGINT NOT NULL DEFAULT 0 CHECK (damaged >= 0),
    CHECK (received + damaged <= quantity),
    UNIQUE (shipment_id, pledge_id)
);
CREATE INDEX shipment_lines_pledge ON shipment_lines (pledge_id);

-- +goose Down
DROP TABLE shipment_lines;
DROP TABLE shipments;
DROP TABLE stock_movements;
DROP TABLE stock_levels;
DROP TABLE pledges;
DROP TABLE needs;
