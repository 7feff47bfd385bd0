-- +goose Up
-- The needs board orders by urgency, then needed_by with undated needs last,
-- then id: these indexes give that order for the board's filters, so the
-- first page reads about a page of rows instead of sorting every open need.
-- The COALESCE expression and the IN list must stay as ListNeeds writes them.
DROP INDEX needs_board;
CREATE INDEX needs_board ON needs (status, urgency_rank, (COALESCE(needed_by, '9999-12-31')), id);
CREATE INDEX needs_board_open ON needs (urgency_rank, (COALESCE(needed_by, '9999-12-31')), id)
    WHERE status IN ('open', 'partially_pledged', 'pledged', 'partially_delivered');
DROP INDEX needs_item;
CREATE INDEX needs_item ON needs (item_id, status, urgency_rank, (COALESCE(needed_by, '9999-12-31')), id);
CREATE INDEX needs_board_item ON needs (item_id, urgency_rank, (COALESCE(needed_by, '9999-12-31')), id);
CREATE INDEX needs_item_org ON needs (item_id, organization_id, status);

-- +goose Down
DROP INDEX needs_item_org;
DROP INDEX needs_board_item;
DROP INDEX needs_item;
CREATE INDEX needs_item ON needs (item_id, status);
DROP INDEX needs_board_open;
DROP INDEX needs_board;
CREATE INDEX needs_board ON needs (status, urgency_rank, needed_by, id);
