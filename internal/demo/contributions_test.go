package demo_test

import (
	"context"
	"slices"
	"testing"

	"aidbridge/internal/domain"
)

// TestDemoContributions checks the contributions of the accounts: China's
// 20 million US dollars to the WHO, and the supplies to six countries,
// goods without a quantity or a value, each saying its recipient is a
// placeholder.
func TestDemoContributions(t *testing.T) {
	s, _, _ := load(t)
	ctx := context.Background()
	china := findOrg(t, s, "Government of the People's Republic of China")
	who := findOrg(t, s, "World Health Organization")
	if china.Kind != "government" || china.Country != "CN" {
		t.Errorf("the giver is a %s of %s, want a government of CN", china.Kind, china.Country)
	}
	list, _, err := s.ListContributions(ctx, domain.ContributionFilter{GiverID: china.ID})
	if err != nil {
		t.Fatal(err)
	}
	var goods []string
	for _, c := range list {
		if c.GivenOn.String() != "2020-03" {
			t.Errorf("contribution to %s given on %s, want 2020-03", c.RecipientID, c.GivenOn)
		}
		if c.Kind == domain.ContributionGoods {
			goods = append(goods, c.RecipientID)
			if c.Quantity != nil || !c.Amount.IsZero() || c.Notes == "" {
				t.Errorf("supplies to %s: quantity %v, value %v, notes %q; want none, none and the placeholder said", c.RecipientID, c.Quantity, c.Amount, c.Notes)
			}
		}
	}
	if len(goods) != 6 {
		t.Errorf("%d contributions of supplies, want 6", len(goods))
	}
	for _, name := range []string{"Government of Italy", "Government of Serbia", "Government of Cambodia", "Government of Pakistan",
		"Government of Venezuela", "Government of Laos"} {
		if !slices.Contains(goods, findOrg(t, s, name).ID) {
			t.Errorf("no supplies to %s", name)
		}
	}
	totals, err := s.ContributionTotals(ctx, domain.ContributionFilter{RecipientID: who.ID})
	if want := []domain.Money{{Minor: 2_000_000_000, Currency: "USD"}}; err != nil || !slices.Equal(totals, want) {
		t.Errorf("totals to the WHO: %v %v, want %v", totals, err, want)
	}
}
