package store_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

// boardKey is a need's place in the board's order: urgency, needed_by with
// undated needs last, id.
func boardKey(n domain.Need) string {
	date := n.NeededBy.String()
	if date == "" {
		date = "9999-12-31"
	}
	return strconv.Itoa(domain.UrgencyRank(n.Urgency)) + "|" + date + "|" + n.ID
}

// boardPages follows the board's cursor from the first page to the last, in
// pages of three, and returns the ids in the order read.
func boardPages(t *testing.T, s *store.Store, f domain.NeedFilter) []string {
	t.Helper()
	f.Limit = 3
	got := []string{}
	for range 100 {
		page, next, err := s.ListNeeds(context.Background(), f)
		if err != nil {
			t.Fatalf("ListNeeds(%+v): %v", f, err)
		}
		for _, n := range page {
			got = append(got, n.ID)
		}
		if next == "" {
			return got
		}
		f.Cursor = next
	}
	t.Fatalf("ListNeeds(%+v): more than 100 pages", f)
	return nil
}

// TestNeedsBoard checks every filter of the board, alone and combined, page
// by page, against the needs filtered and sorted here, with the country read
// from the organizations; then moves an organization to another country and
// checks that its needs moved with it.
func TestNeedsBoard(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, b)
			country := map[string]string{}
			var orgs []domain.Organization
			for i, c := range []string{"CN", "CN", "US", "KE"} {
				o := domain.Organization{Name: fmt.Sprintf("Board Hospital %d", i), Kind: "hospital", Country: c}
				if err := s.CreateOrganization(ctx, admin, &o); err != nil {
					t.Fatal(err)
				}
				orgs = append(orgs, o)
				country[o.ID] = c
			}
			var items []string
			for i := range 2 {
				it := domain.Item{Code: fmt.Sprintf("BOARD-%d", i), Name: fmt.Sprintf("Board item %d", i), Category: "ppe", Unit: "box"}
				if err := s.CreateItem(ctx, admin, &it); err != nil {
					t.Fatal(err)
				}
				items = append(items, it.ID)
			}
			for i := range 48 {
				n := domain.Need{OrganizationID: orgs[i%3].ID, ItemID: items[i/3%2], Quantity: 10,
					Urgency: domain.Urgencies[i%len(domain.Urgencies)], Justification: "board test"}
				if i%4 != 0 { // a quarter undated; several needs share a date
					n.NeededBy = domain.Date{Year: 2026, Month: time.Month(1 + i%5), Day: 1 + i%2}
				}
				if err := s.CreateNeed(ctx, admin, &n); err != nil {
					t.Fatal(err)
				}
				switch i % 5 {
				case 1, 2: // a pledge of part, or of all
					p := domain.Pledge{NeedID: n.ID, DonorID: orgs[3].ID, Quantity: int64(5 * (i % 5)), Note: "board test"}
					if err := s.CreatePledge(ctx, admin, &p); err != nil {
						t.Fatal(err)
					}
				case 3:
					if _, err := s.CancelNeed(ctx, admin, n.ID, n.Version, "no longer needed"); err != nil {
						t.Fatal(err)
					}
				}
			}

			check := func(t *testing.T) {
				t.Helper()
				all, _, err := s.ListNeeds(ctx, domain.NeedFilter{Limit: domain.MaxPageSize})
				if err != nil || len(all) != 48 {
					t.Fatalf("all needs: %d, %v", len(all), err)
				}
				slices.SortFunc(all, func(a, b domain.Need) int { return cmp.Compare(boardKey(a), boardKey(b)) })
				statuses := []string{""}
				for _, st := range domain.NeedStatuses {
					statuses = append(statuses, string(st))
				}
				for _, open := range []bool{false, true} {
					for _, status := range statuses {
						for _, item := range append([]string{""}, items...) {
							for _, c := range []string{"", "CN", "US", "KE", "FR"} {
								for _, urgency := range append([]domain.Urgency{""}, domain.Urgencies...) {
									for _, org := range []string{"", orgs[0].ID} {
										f := domain.NeedFilter{Open: open, Status: status, ItemID: item, Country: c, Urgency: string(urgency), OrganizationID: org}
										want := []string{}
										for _, n := range all {
											if (!open || n.Status.Waiting()) && (status == "" || string(n.Status) == status) && (item == "" || n.ItemID == item) &&
												(c == "" || country[n.OrganizationID] == c) && (urgency == "" || n.Urgency == urgency) &&
												(org == "" || n.OrganizationID == org) {
												want = append(want, n.ID)
											}
										}
										if got := boardPages(t, s, f); !slices.Equal(got, want) {
											t.Errorf("board %+v:\n got %v\nwant %v", f, got, want)
										}
									}
								}
							}
						}
					}
				}
			}
			check(t)

			// An organization that moves takes its needs to its new country.
			moved, err := s.FindOrganization(ctx, orgs[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			moved.Country = "KE"
			if err := s.UpdateOrganization(ctx, admin, &moved); err != nil {
				t.Fatal(err)
			}
			country[moved.ID] = "KE"
			check(t)
			kenya := boardPages(t, s, domain.NeedFilter{Country: "KE"})
			if len(kenya) != 16 {
				t.Errorf("needs in KE after the move: %d, want the 16 of the organization that moved", len(kenya))
			}
		})
	}
}
