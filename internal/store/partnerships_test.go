package store_test

import (
	"context"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

type partnershipFixture struct {
	s                     *store.Store
	shGov, hope, scmc     string
	program, partnership  string
	usd25m, cny300m, none domain.Commitment
}

// newPartnerships stores the founding partnership of SCMC: Project HOPE
// and the Shanghai government commit to it.
func newPartnerships(t *testing.T, b storetest.Backend) *partnershipFixture {
	t.Helper()
	ctx := context.Background()
	f := &partnershipFixture{s: storetest.Open(t, b)}
	for _, o := range []struct {
		id         *string
		name, kind string
	}{{&f.shGov, "Shanghai Municipal People's Government", "government"}, {&f.hope, "Project HOPE", "ngo"}, {&f.scmc, "Shanghai Children's Medical Center", "hospital"}} {
		org := domain.Organization{Name: o.name, Kind: domain.OrgKind(o.kind), Country: "CN"}
		if err := f.s.CreateOrganization(ctx, admin, &org); err != nil {
			t.Fatal(err)
		}
		*o.id = org.ID
	}
	pr := domain.Program{Name: "Founding of SCMC", Kind: "joint_institution", SponsorIDs: []string{f.shGov, f.hope}, StartsOn: domain.YearOf(1988)}
	if err := f.s.CreateProgram(ctx, admin, &pr); err != nil {
		t.Fatal(err)
	}
	f.program = pr.ID
	ps := domain.Partnership{ProgramID: pr.ID, Name: "Founding partnership", ProviderID: f.hope, RecipientID: f.scmc, Status: domain.PartnershipActive,
		Participants: []domain.Participant{{OrganizationID: f.shGov, Roles: []domain.ParticipantRole{"funding", "accountable"}}, {OrganizationID: f.hope, Roles: []domain.ParticipantRole{"funding", "implementing"}}}}
	if err := f.s.CreatePartnership(ctx, admin, &ps); err != nil {
		t.Fatal(err)
	}
	f.partnership = ps.ID
	money := func(amount, cur string) domain.Money {
		m, err := domain.ParseMoney(amount, cur)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	for _, c := range []struct {
		into  *domain.Commitment
		party string
		kind  domain.CommitmentKind
		m     domain.Money
	}{{&f.usd25m, f.hope, "money", money("25000000", "USD")}, {&f.cny300m, f.shGov, "money", money("300000000", "CNY")}, {&f.none, f.hope, "training", domain.Money{}}} {
		cm := domain.Commitment{PartnershipID: ps.ID, PartyID: c.party, Kind: c.kind, Amount: c.m, Description: "for the founding"}
		if err := f.s.CreateCommitment(ctx, admin, &cm); err != nil {
			t.Fatal(err)
		}
		*c.into = cm
	}
	return f
}

func TestProgramsAndPartnerships(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newPartnerships(t, b)
			pr, err := f.s.FindProgram(ctx, f.program)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := pr.StartsOn.String(), "1988"; got != want {
				t.Errorf("starts_on = %q, want %q (a year only)", got, want)
			}
			if got, want := len(pr.SponsorIDs), 2; got != want || pr.SponsorIDs[0] != f.shGov {
				t.Errorf("sponsors = %v, want the government then HOPE", pr.SponsorIDs)
			}
			// A change at the version read goes through; the same version
			// again is stale.
			pr.Description = "Shanghai and Project HOPE found a children's hospital"
			if err := f.s.UpdateProgram(ctx, admin, &pr); err != nil {
				t.Fatal(err)
			}
			if pr.Version != 2 {
				t.Errorf("version after update = %d, want 2", pr.Version)
			}
			pr.Version = 1
			if err := f.s.UpdateProgram(ctx, admin, &pr); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("stale program update: %v, want conflict", err)
			}
			if err := f.s.DeleteProgram(ctx, admin, f.program, 2); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("delete a program with partnerships: %v, want conflict", err)
			}

			ps, err := f.s.FindPartnership(ctx, f.partnership)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(ps.Participants), 2; got != want || len(ps.Participants[1].Roles) != 2 {
				t.Fatalf("participants = %+v, want two with two roles each", ps.Participants)
			}
			tests := []struct {
				to   domain.PartnershipStatus
				want string
			}{
				{domain.PartnershipPlanned, domain.ECONFLICT}, // active does not go back to planned
				{domain.PartnershipSuspended, ""},
				{domain.PartnershipActive, ""},
				{domain.PartnershipCompleted, ""},
				{domain.PartnershipActive, domain.ECONFLICT}, // completed is over
			}
			for _, tt := range tests {
				cur, err := f.s.FindPartnership(ctx, f.partnership)
				if err != nil {
					t.Fatal(err)
				}
				from := cur.Status
				cur.Status = tt.to
				err = f.s.UpdatePartnership(ctx, admin, &cur)
				if got := domain.ErrorCode(err); got != tt.want && !(tt.want == "" && err == nil) {
					t.Errorf("%s -> %s: %v, want %q", from, tt.to, err, tt.want)
				}
			}
			stale, _ := f.s.FindPartnership(ctx, f.partnership)
			stale.Version--
			if err := f.s.UpdatePartnership(ctx, admin, &stale); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("stale partnership update: %v, want conflict", err)
			}

			byOrg, _, err := f.s.ListPartnerships(ctx, domain.PartnershipFilter{OrganizationID: f.shGov, Kind: "joint_institution", Status: "completed"})
			if err != nil || len(byOrg) != 1 {
				t.Errorf("partnerships of a participant: %d, %v; want 1", len(byOrg), err)
			}
			none, _, err := f.s.ListPartnerships(ctx, domain.PartnershipFilter{Kind: "exchange"})
			if err != nil || len(none) != 0 {
				t.Errorf("partnerships of another kind: %d, %v; want 0", len(none), err)
			}
			progs, _, err := f.s.ListPrograms(ctx, domain.ProgramFilter{OrganizationID: f.hope, Query: "scmc"})
			if err != nil || len(progs) != 1 {
				t.Errorf("programs of a sponsor: %d, %v; want 1", len(progs), err)
			}
			if err := f.s.DeletePartnership(ctx, admin, f.partnership, stale.Version+1); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("delete a partnership with commitments: %v, want conflict", err)
			}
		})
	}
}

func TestDeliveries(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newPartnerships(t, b)
			on := domain.YearOf(1990)
			usd := func(s string) domain.Money { m, _ := domain.ParseMoney(s, "USD"); return m }
			tests := []struct {
				name       string
				d          domain.Delivery
				want       string
				delivered  string
				permille   int64
				deliveries int
			}{
				{"a first part", domain.Delivery{CommitmentID: f.usd25m.ID, DeliveredOn: on, Amount: usd("8333333.33")}, "", "8333333.33 USD", 333, 1},
				{"in another currency", domain.Delivery{CommitmentID: f.usd25m.ID, DeliveredOn: on, Amount: domain.Money{Minor: 100, Currency: "CNY"}}, domain.EINVALID, "8333333.33 USD", 333, 1},
				{"beyond the commitment", domain.Delivery{CommitmentID: f.usd25m.ID, DeliveredOn: on, Amount: usd("16666666.68")}, domain.ECONFLICT, "8333333.33 USD", 333, 1},
				{"words only", domain.Delivery{CommitmentID: f.usd25m.ID, DeliveredOn: on, Description: "experts visit"}, "", "8333333.33 USD", 333, 2},
				{"exactly the rest", domain.Delivery{CommitmentID: f.usd25m.ID, DeliveredOn: on, Amount: usd("16666666.67")}, "", "25000000.00 USD", 1000, 3},
				{"nothing at all", domain.Delivery{CommitmentID: f.usd25m.ID, DeliveredOn: on}, domain.EINVALID, "25000000.00 USD", 1000, 3},
			}
			for _, tt := range tests {
				d := tt.d
				_, err := f.s.RecordDelivery(ctx, admin, &d)
				if got := domain.ErrorCode(err); (tt.want == "" && err != nil) || (tt.want != "" && got != tt.want) {
					t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
				}
				c, err := f.s.FindCommitment(ctx, f.usd25m.ID)
				if err != nil {
					t.Fatal(err)
				}
				share, ok := c.Share()
				if got := c.Delivered.String(); got != tt.delivered || !ok || share != tt.permille || len(c.Deliveries) != tt.deliveries {
					t.Errorf("%s: delivered %s (%d‰, %d deliveries), want %s (%d‰, %d)", tt.name, got, share, len(c.Deliveries), tt.delivered, tt.permille, tt.deliveries)
				}
			}
			// A commitment without an amount takes words, not amounts.
			d := domain.Delivery{CommitmentID: f.none.ID, DeliveredOn: on, Amount: usd("1")}
			if _, err := f.s.RecordDelivery(ctx, admin, &d); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("an amount against a commitment without one: %v, want invalid", err)
			}
			list, err := f.s.ListCommitments(ctx, f.partnership)
			if err != nil || len(list) != 3 {
				t.Fatalf("commitments: %d, %v; want 3", len(list), err)
			}
			if _, ok := list[2].Share(); ok {
				t.Errorf("a commitment without an amount has a share")
			}
			if got, want := list[1].Delivered.String(), "0.00 CNY"; got != want {
				t.Errorf("the yuan commitment delivered %s, want %s", got, want)
			}
		})
	}
}
