package store_test

import (
	"context"
	"slices"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store/storetest"
)

func TestContributions(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newPartnerships(t, b)
			s := f.s
			orgs := map[string]string{}
			for _, o := range []struct{ key, name, country string }{
				{"cn", "Government of the People's Republic of China", "CN"}, {"who", "World Health Organization", "CH"}, {"it", "Government of Italy", "IT"},
			} {
				org := domain.Organization{Name: o.name, Kind: "government", Country: o.country}
				if err := s.CreateOrganization(ctx, admin, &org); err != nil {
					t.Fatal(err)
				}
				orgs[o.key] = org.ID
			}
			money := func(amount, cur string) domain.Money {
				m, err := domain.ParseMoney(amount, cur)
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			month := func(s string) domain.PartialDate {
				d, err := domain.ParsePartialDate(s)
				if err != nil {
					t.Fatal(err)
				}
				return d
			}
			who := domain.Contribution{GiverID: orgs["cn"], RecipientID: orgs["who"], Kind: domain.ContributionMoney,
				Amount: money("20000000", "USD"), GivenOn: month("2020-03"), Description: "to curb the pandemic"}
			kits := domain.Contribution{GiverID: orgs["cn"], RecipientID: orgs["it"], Kind: domain.ContributionGoods,
				Description: "test kits", Quantity: new(int64(5000)), Unit: "kit", GivenOn: domain.YearOf(2020)}
			hope := domain.Contribution{GiverID: f.hope, RecipientID: f.scmc, Kind: domain.ContributionMoney, Amount: money("0.01", "USD"),
				GivenOn: domain.YearOf(1988), PartnershipID: f.partnership}
			yuan := domain.Contribution{GiverID: f.shGov, RecipientID: f.scmc, Kind: domain.ContributionGoods, Description: "equipment",
				Amount: money("1500000.50", "CNY"), GivenOn: domain.YearOf(1990), ProgramID: f.program}
			for _, c := range []*domain.Contribution{&who, &kits, &hope, &yuan} {
				if err := s.CreateContribution(ctx, admin, c); err != nil {
					t.Fatalf("create %s: %v", c.Description, err)
				}
			}

			got, err := s.FindContribution(ctx, kits.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Quantity == nil || *got.Quantity != 5000 || got.Unit != "kit" || got.GivenOn.String() != "2020" || !got.Amount.IsZero() || got.Version != 1 {
				t.Errorf("goods read back as %+v", got)
			}
			if got, _ := s.FindContribution(ctx, who.ID); got.Amount != money("20000000", "USD") || got.GivenOn.String() != "2020-03" {
				t.Errorf("money read back as %v on %s", got.Amount, got.GivenOn)
			}
			if got, _ := s.FindContribution(ctx, hope.ID); got.ProgramID != f.program {
				t.Errorf("under a partnership: program_id = %q, want the partnership's %q", got.ProgramID, f.program)
			}

			refused := []struct {
				name  string
				c     domain.Contribution
				field string
			}{
				{"an unknown giver", domain.Contribution{GiverID: "nobody", RecipientID: f.scmc, Kind: "money", Amount: money("1", "USD"), GivenOn: domain.YearOf(2020)}, "giver_id"},
				{"an unknown partnership", domain.Contribution{GiverID: f.hope, RecipientID: f.scmc, Kind: "money", Amount: money("1", "USD"), GivenOn: domain.YearOf(2020),
					PartnershipID: "nothing"}, "partnership_id"},
				{"an unknown program", domain.Contribution{GiverID: f.hope, RecipientID: f.scmc, Kind: "money", Amount: money("1", "USD"), GivenOn: domain.YearOf(2020),
					ProgramID: "nothing"}, "program_id"},
				{"a partnership of another program", domain.Contribution{GiverID: f.hope, RecipientID: f.scmc, Kind: "money", Amount: money("1", "USD"),
					GivenOn: domain.YearOf(2020), PartnershipID: f.partnership, ProgramID: yuan.ID}, "program_id"},
			}
			for _, r := range refused {
				c := r.c
				err := s.CreateContribution(ctx, admin, &c)
				if fields := domain.ErrorFields(err); domain.ErrorCode(err) != domain.EINVALID || len(fields) != 1 || fields[0].Field != r.field {
					t.Errorf("%s: %v, want invalid %s", r.name, err, r.field)
				}
			}

			ids := func(list []domain.Contribution) []string {
				out := []string{}
				for _, c := range list {
					out = append(out, c.ID)
				}
				return out
			}
			lists := []struct {
				name string
				f    domain.ContributionFilter
				want []string
			}{
				{"all, latest first", domain.ContributionFilter{}, []string{who.ID, kits.ID, yuan.ID, hope.ID}},
				{"of an organization either way", domain.ContributionFilter{OrganizationID: f.scmc}, []string{yuan.ID, hope.ID}},
				{"by a giver", domain.ContributionFilter{GiverID: orgs["cn"]}, []string{who.ID, kits.ID}},
				{"to a recipient", domain.ContributionFilter{RecipientID: orgs["who"]}, []string{who.ID}},
				{"under a partnership", domain.ContributionFilter{PartnershipID: f.partnership}, []string{hope.ID}},
				{"under a program", domain.ContributionFilter{ProgramID: f.program}, []string{yuan.ID, hope.ID}},
				{"of a country, giving", domain.ContributionFilter{Country: "CN"}, []string{who.ID, kits.ID, yuan.ID, hope.ID}},
				{"of a country, receiving", domain.ContributionFilter{Country: "IT"}, []string{kits.ID}},
				{"of goods", domain.ContributionFilter{Kind: "goods"}, []string{kits.ID, yuan.ID}},
				{"in a currency", domain.ContributionFilter{Currency: "USD"}, []string{who.ID, hope.ID}},
				{"nothing", domain.ContributionFilter{Country: "FR"}, []string{}},
			}
			for _, l := range lists {
				list, next, err := s.ListContributions(ctx, l.f)
				if err != nil || next != "" || !slices.Equal(ids(list), l.want) {
					t.Errorf("%s: %v next %q %v, want %v", l.name, ids(list), next, err, l.want)
				}
			}
			var paged []string
			cursor := ""
			for range 5 {
				list, next, err := s.ListContributions(ctx, domain.ContributionFilter{Cursor: cursor, Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				paged = append(paged, ids(list)...)
				if cursor = next; cursor == "" {
					break
				}
			}
			if want := []string{who.ID, kits.ID, yuan.ID, hope.ID}; !slices.Equal(paged, want) {
				t.Errorf("page by page: %v, want %v", paged, want)
			}
			if _, _, err := s.ListContributions(ctx, domain.ContributionFilter{Cursor: "bm90IG91cnM"}); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("a cursor not given out: %v, want invalid", err)
			}

			totals := []struct {
				name string
				f    domain.ContributionFilter
				want []domain.Money
			}{
				{"all", domain.ContributionFilter{}, []domain.Money{money("1500000.50", "CNY"), money("20000000.01", "USD")}},
				{"of China", domain.ContributionFilter{GiverID: orgs["cn"]}, []domain.Money{money("20000000", "USD")}},
				{"in yuan", domain.ContributionFilter{Currency: "CNY"}, []domain.Money{money("1500000.50", "CNY")}},
				{"goods without a value", domain.ContributionFilter{RecipientID: orgs["it"]}, []domain.Money{}},
			}
			for _, tt := range totals {
				got, err := s.ContributionTotals(ctx, tt.f)
				if err != nil || !slices.Equal(got, tt.want) {
					t.Errorf("totals %s: %v %v, want %v", tt.name, got, err, tt.want)
				}
			}

			// Exact at the largest amounts: three of them add up beyond
			// what a float holds exactly.
			large := money("10000000000000.00", "USD") // domain.MaxAmountMinor
			for i := range 3 {
				c := domain.Contribution{GiverID: orgs["it"], RecipientID: orgs["who"], Kind: "money", Amount: large, GivenOn: domain.YearOf(2021 + i)}
				if i == 2 {
					c.Amount.Minor -= 7
				}
				if err := s.CreateContribution(ctx, admin, &c); err != nil {
					t.Fatal(err)
				}
			}
			got2, err := s.ContributionTotals(ctx, domain.ContributionFilter{GiverID: orgs["it"]})
			if want := []domain.Money{{Minor: 3*domain.MaxAmountMinor - 7, Currency: "USD"}}; err != nil || !slices.Equal(got2, want) {
				t.Errorf("totals of the largest amounts: %v %v, want %v", got2, err, want)
			}

			change := kits
			change.Quantity, change.Notes = new(int64(6000)), "counted again"
			if err := s.UpdateContribution(ctx, admin, &change); err != nil {
				t.Fatal(err)
			}
			if change.Version != 2 {
				t.Errorf("version after a change = %d, want 2", change.Version)
			}
			stale := kits // still at version 1
			stale.Notes = "lost"
			if err := s.UpdateContribution(ctx, admin, &stale); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("a stale change: %v, want conflict", err)
			}
			if got, _ := s.FindContribution(ctx, kits.ID); *got.Quantity != 6000 || got.Notes != "counted again" {
				t.Errorf("after a refused stale change: %+v", got)
			}
			if err := s.DeleteContribution(ctx, admin, kits.ID, 1); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("a stale delete: %v, want conflict", err)
			}
			if err := s.DeleteContribution(ctx, admin, kits.ID, 2); err != nil {
				t.Fatal(err)
			}
			if _, err := s.FindContribution(ctx, kits.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("after delete: %v, want not found", err)
			}
			entries, _, err := s.ListAudit(ctx, domain.AuditFilter{EntityType: "contribution", EntityID: kits.ID})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range entries {
				actions = append(actions, e.Action)
				if e.OrganizationID != orgs["cn"] {
					t.Errorf("%s audited under %q, want the giver", e.Action, e.OrganizationID)
				}
			}
			if want := []string{"delete", "update", "create"}; !slices.Equal(actions, want) {
				t.Errorf("history = %v, want %v", actions, want)
			}
		})
	}
}
