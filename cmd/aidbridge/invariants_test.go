package main

import (
	"context"
	"fmt"
	"testing"

	"aidbridge/internal/store"
)

// invariantViolations reads the database for what must never be: the
// stock ledger unbalanced; a need counting other pledges than it has, or
// pledged beyond its quantity; reserved stock other than what pledges from
// stock hold; an application without its first step; a slot holding more
// people than places; a person on two teams at once.
func invariantViolations(t *testing.T, s *store.Store) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	if bad, err := s.CheckStockLedger(ctx); err != nil || len(bad) > 0 {
		out = append(out, fmt.Sprintf("the stock ledger: %v %v", bad, err))
	}
	for _, c := range []struct{ what, query string }{
		{"needs count other pledges than they have", `SELECT COUNT(*) FROM needs n WHERE n.received = 0 AND n.damaged = 0 AND n.pledged <>
			(SELECT COALESCE(SUM(p.quantity), 0) FROM pledges p WHERE p.need_id = n.id AND p.status IN ('offered', 'accepted', 'shipped', 'delivered'))`},
		{"needs pledged beyond their quantity", `SELECT COUNT(*) FROM needs WHERE pledged > quantity`},
		{"stock levels reserve other than their pledges hold", `SELECT COUNT(*) FROM stock_levels l WHERE l.reserved <>
			(SELECT COALESCE(SUM(p.quantity - p.shipped), 0) FROM pledges p WHERE p.donor_id = l.organization_id AND p.item_id = l.item_id
				AND p.from_stock AND p.status IN ('offered', 'accepted'))`},
		{"applications without their first step", `SELECT COUNT(*) FROM applications a WHERE NOT EXISTS (SELECT 1 FROM application_steps s WHERE s.application_id = a.id)`},
		{"slots hold more people than places", `SELECT COUNT(*) FROM mission_slots s WHERE (SELECT COUNT(*) FROM team_members tm WHERE tm.slot_id = s.id) > s.count`},
		{"people are on two teams at once", `SELECT COUNT(*) FROM team_members a JOIN missions ma ON ma.id = a.mission_id
			JOIN team_members b ON b.person_id = a.person_id AND b.mission_id > a.mission_id JOIN missions mb ON mb.id = b.mission_id
			WHERE ma.status <> 'cancelled' AND mb.status <> 'cancelled' AND ma.starts_on <= mb.ends_on AND mb.starts_on <= ma.ends_on`},
	} {
		var n int
		if err := s.DB().QueryRowContext(ctx, c.query).Scan(&n); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if n > 0 {
			out = append(out, fmt.Sprintf("%d %s", n, c.what))
		}
	}
	return out
}
