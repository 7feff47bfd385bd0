package domain

import (
	"slices"
	"testing"
)

func TestPartnershipTransition(t *testing.T) {
	tests := []struct {
		from, to PartnershipStatus
		ok       bool
	}{
		{PartnershipPlanned, PartnershipActive, true},
		{PartnershipPlanned, PartnershipCompleted, false},
		{PartnershipActive, PartnershipPlanned, false},
		{PartnershipActive, PartnershipSuspended, true},
		{PartnershipSuspended, PartnershipActive, true},
		{PartnershipCompleted, PartnershipActive, false},
		{PartnershipCompleted, PartnershipCompleted, true},
	}
	for _, tt := range tests {
		err := tt.from.Transition("p1", tt.to)
		if got := err == nil; got != tt.ok {
			t.Errorf("%s -> %s: %v, want allowed %v", tt.from, tt.to, err, tt.ok)
		}
		if err != nil && ErrorCode(err) != ECONFLICT {
			t.Errorf("%s -> %s: code %s, want conflict", tt.from, tt.to, ErrorCode(err))
		}
	}
}

func TestCommitmentShare(t *testing.T) {
	tests := []struct {
		amount, delivered int64
		want              int64
		ok                bool
	}{
		{2_500_000_000, 0, 0, true},
		{2_500_000_000, 833_333_333, 333, true},
		{2_500_000_000, 2_500_000_000, 1000, true},
		{1 << 62, 1<<62 - 1, 999, true}, // exact, without overflowing 64 bits
		{0, 0, 0, false},
	}
	for _, tt := range tests {
		c := Commitment{Kind: "money", Amount: Money{Minor: tt.amount, Currency: "USD"}, Delivered: Money{Minor: tt.delivered, Currency: "USD"}}
		if tt.amount == 0 {
			c.Amount = Money{}
		}
		got, ok := c.Share()
		if got != tt.want || ok != tt.ok {
			t.Errorf("share of %d in %d = %d, %v; want %d, %v", tt.delivered, tt.amount, got, ok, tt.want, tt.ok)
		}
	}
}

func TestPartnershipValidate(t *testing.T) {
	base := func() Partnership {
		return Partnership{ProgramID: "pr", Name: "A → B", ProviderID: "a", RecipientID: "b", Status: PartnershipActive}
	}
	tests := []struct {
		name   string
		change func(*Partnership)
		want   []string
	}{
		{"valid", func(*Partnership) {}, nil},
		{"one party twice", func(p *Partnership) { p.RecipientID = "a" }, []string{"recipient_id"}},
		{"a participant without roles", func(p *Partnership) { p.Participants = []Participant{{OrganizationID: "c"}} }, []string{"participants[0].roles"}},
		{"a role twice", func(p *Partnership) {
			p.Participants = []Participant{{OrganizationID: "c", Roles: []ParticipantRole{"funding", "funding"}}}
		}, []string{"participants[0].roles"}},
		{"an organization twice", func(p *Partnership) {
			p.Participants = []Participant{{OrganizationID: "c", Roles: []ParticipantRole{"funding"}}, {OrganizationID: "c", Roles: []ParticipantRole{"extending"}}}
		}, []string{"participants"}},
		{"ends before it starts", func(p *Partnership) { p.StartsOn, p.EndsOn = YearOf(1998), YearOf(1988) }, []string{"ends_on"}},
	}
	for _, tt := range tests {
		p := base()
		tt.change(&p)
		if got := fields(p.Validate()); !slices.Equal(got, tt.want) {
			t.Errorf("%s: fields %v, want %v", tt.name, got, tt.want)
		}
	}
}
