package domain

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestContributionValidate(t *testing.T) {
	usd := func(minor int64) Money { return Money{Minor: minor, Currency: "USD"} }
	money := func() Contribution {
		return Contribution{GiverID: "cn", RecipientID: "who", Kind: ContributionMoney, Amount: usd(2_000_000_000), GivenOn: YearOf(2020)}
	}
	goods := func() Contribution {
		return Contribution{GiverID: "cn", RecipientID: "it", Kind: ContributionGoods, Description: "test kits", GivenOn: YearOf(2020)}
	}
	tests := []struct {
		name   string
		change func(*Contribution)
		base   func() Contribution
		fields []string // the fields named, in order; none for a valid one
	}{
		{"money", func(*Contribution) {}, money, nil},
		{"goods without a value", func(*Contribution) {}, goods, nil},
		{"goods with a value and a quantity", func(c *Contribution) {
			c.Amount, c.Quantity, c.Unit = Money{Minor: 150_000, Currency: "CNY"}, new(int64(5000)), "kit"
		}, goods, nil},
		{"nothing", func(c *Contribution) { *c = Contribution{} }, money, []string{"giver_id", "recipient_id", "kind", "given_on"}},
		{"to itself", func(c *Contribution) { c.RecipientID = c.GiverID }, money, []string{"recipient_id"}},
		{"an unknown kind", func(c *Contribution) { c.Kind = "loan" }, money, []string{"kind"}},
		{"money without an amount", func(c *Contribution) { c.Amount = Money{} }, money, []string{"amount"}},
		{"a negative amount", func(c *Contribution) { c.Amount = usd(-1) }, money, []string{"amount"}},
		{"an amount beyond the limit", func(c *Contribution) { c.Amount = usd(MaxAmountMinor + 1) }, money, []string{"amount"}},
		{"an amount at the limit", func(c *Contribution) { c.Amount = usd(MaxAmountMinor) }, money, nil},
		{"no currency", func(c *Contribution) { c.Amount = Money{Minor: 5} }, money, []string{"amount"}},
		{"money with a quantity", func(c *Contribution) { c.Quantity, c.Unit = new(int64(3)), "piece" }, money, []string{"quantity", "unit"}},
		{"goods undescribed", func(c *Contribution) { c.Description = "  " }, goods, []string{"description"}},
		{"a quantity without a unit", func(c *Contribution) { c.Quantity = new(int64(3)) }, goods, []string{"unit"}},
		{"a unit without a quantity", func(c *Contribution) { c.Unit = "piece" }, goods, []string{"quantity"}},
		{"no quantity", func(c *Contribution) { c.Quantity, c.Unit = new(int64(0)), "piece" }, goods, []string{"quantity"}},
		{"too many", func(c *Contribution) { c.Quantity, c.Unit = new(MaxQuantity+1), "piece" }, goods, []string{"quantity"}},
		{"long texts", func(c *Contribution) {
			c.Description, c.Unit, c.Notes = strings.Repeat("x", MaxText+1), strings.Repeat("u", MaxUnit+1), strings.Repeat("n", MaxNote+1)
			c.Quantity = new(int64(1))
		}, goods, []string{"description", "unit", "notes"}},
		{"no date", func(c *Contribution) { c.GivenOn = PartialDate{} }, money, []string{"given_on"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.base()
			tt.change(&c)
			err := c.Validate()
			var got []string
			for _, f := range ErrorFields(err) {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields = %v, want %v (%v)", got, tt.fields, err)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Errorf("code = %s, want invalid", ErrorCode(err))
			}
		})
	}
}

func TestTotals(t *testing.T) {
	c := func(minor int64, currency string) Contribution {
		return Contribution{Kind: ContributionMoney, Amount: Money{Minor: minor, Currency: currency}}
	}
	uncounted := Contribution{Kind: ContributionGoods, Description: "masks"}
	tests := []struct {
		name string
		list []Contribution
		want []Money
	}{
		{"none", nil, []Money{}},
		{"goods without a value", []Contribution{uncounted}, []Money{}},
		{"one", []Contribution{c(2_000_000_000, "USD")}, []Money{{2_000_000_000, "USD"}}},
		{"currencies apart, in code order", []Contribution{c(1, "USD"), c(300, "CNY"), c(2, "USD"), uncounted, c(7, "EUR")},
			[]Money{{300, "CNY"}, {7, "EUR"}, {3, "USD"}}},
		{"exact beyond what a float holds", []Contribution{c(1<<53, "JPY"), c(1, "JPY"), c(1, "JPY")}, []Money{{1<<53 + 2, "JPY"}}},
		{"up to the largest", []Contribution{c(math.MaxInt64-1, "USD"), c(1, "USD")}, []Money{{math.MaxInt64, "USD"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Totals(tt.list)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Totals = %v, want %v", got, tt.want)
			}
		})
	}
	_, err := Totals([]Contribution{c(math.MaxInt64, "USD"), c(1, "USD")})
	if ErrorCode(err) != EINVALID {
		t.Errorf("a total beyond 64 bits: %v, want invalid", err)
	}
}
