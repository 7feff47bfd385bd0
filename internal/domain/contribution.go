package domain

import (
	"math"
	"slices"
	"strings"
)

// ContributionKind is what a contribution gives: money or goods.
type ContributionKind string

// The kinds of contributions.
const (
	ContributionMoney ContributionKind = "money"
	ContributionGoods ContributionKind = "goods"
)

// ContributionKinds lists the kinds of contributions, in the order forms
// offer them.
var ContributionKinds = []ContributionKind{ContributionMoney, ContributionGoods}

// Contribution is money or goods one organization gave another outside a
// need: China's 20 million US dollars to the WHO, supplies to other
// countries. It may be given under a partnership, a program or both.
//
// Amount is required for money and, for goods, is their value when known.
// Goods say what was given in Description, with a quantity in a unit when it
// is known; money has no quantity. GivenOn is as precise as the account is.
type Contribution struct {
	Meta
	GiverID       string           `json:"giver_id"`
	RecipientID   string           `json:"recipient_id"`
	Kind          ContributionKind `json:"kind"`
	Amount        Money            `json:"amount,omitzero"`
	Description   string           `json:"description,omitempty"`
	Quantity      *int64           `json:"quantity,omitempty"`
	Unit          string           `json:"unit,omitempty"`
	GivenOn       PartialDate      `json:"given_on"`
	PartnershipID string           `json:"partnership_id,omitempty"`
	ProgramID     string           `json:"program_id,omitempty"`
	Notes         string           `json:"notes,omitempty"`
}

// Validate returns an EINVALID error naming every field that is wrong.
// Whether the organizations, partnership and program exist, and whether
// the partnership belongs to the program, is the store's to say.
func (c *Contribution) Validate() error {
	var p Problems
	if c.GiverID == "" {
		p.Add("giver_id", MsgRequired)
	}
	if c.RecipientID == "" {
		p.Add("recipient_id", MsgRequired)
	}
	if c.GiverID != "" && c.GiverID == c.RecipientID {
		p.Add("recipient_id", MsgSameGiver)
	}
	if !oneOf(string(c.Kind), ContributionKinds) {
		p.Add("kind", MsgOneOf, "Allowed", joinKinds(ContributionKinds), "Value", c.Kind)
	}
	switch {
	case c.Amount.IsZero() && c.Kind == ContributionMoney:
		p.Add("amount", MsgContributionAmount)
	case c.Amount.IsZero():
	case c.Amount.Minor <= 0:
		p.Add("amount", MsgPositive, "Value", c.Amount.Amount())
	case c.Amount.Minor > MaxAmountMinor:
		p.Add("amount", MsgAmountTooLarge, "Value", c.Amount.Amount())
	default:
		if _, err := CurrencyScale(c.Amount.Currency); err != nil {
			p.Add("amount", MsgCurrency, "Value", c.Amount.Currency)
		}
	}
	if c.Kind == ContributionGoods && strings.TrimSpace(c.Description) == "" {
		p.Add("description", MsgDescribeGoods)
	}
	maxLen(&p, "description", c.Description, MaxText)
	switch {
	case c.Kind == ContributionMoney && c.Quantity != nil:
		p.Add("quantity", MsgMoneyHasNoQuantity)
	case c.Quantity != nil && *c.Quantity <= 0:
		p.Add("quantity", MsgPositive, "Value", *c.Quantity)
	case c.Quantity != nil && *c.Quantity > MaxQuantity:
		p.Add("quantity", MsgAtMost, "Max", MaxQuantity, "Value", *c.Quantity)
	}
	unit := strings.TrimSpace(c.Unit)
	switch {
	case c.Kind == ContributionMoney && unit != "":
		p.Add("unit", MsgMoneyHasNoQuantity)
	case c.Quantity != nil && unit == "":
		p.Add("unit", MsgUnitOfQuantity)
	case c.Quantity == nil && unit != "":
		p.Add("quantity", MsgQuantityOfUnit, "Unit", unit)
	}
	maxLen(&p, "unit", c.Unit, MaxUnit)
	if c.GivenOn.IsZero() {
		p.Add("given_on", MsgRequired)
	}
	maxLen(&p, "notes", c.Notes, MaxNote)
	return p.Err("contribution")
}

// Totals returns what the contributions that name an amount add up to, one
// sum per currency and never one across currencies, ordered by currency
// code. The sums are exact; EINVALID when one would not fit in 64 bits of
// minor units.
func Totals(list []Contribution) ([]Money, error) {
	sums := map[string]int64{}
	for _, c := range list {
		if c.Amount.IsZero() {
			continue
		}
		s, err := addMinor(sums[c.Amount.Currency], c.Amount.Minor, c.Amount.Currency)
		if err != nil {
			return nil, err
		}
		sums[c.Amount.Currency] = s
	}
	out := make([]Money, 0, len(sums))
	for cur, minor := range sums {
		out = append(out, Money{Minor: minor, Currency: cur})
	}
	SortByCurrency(out)
	return out, nil
}

// SortByCurrency orders amounts by their currency code, the order in which
// totals are shown.
func SortByCurrency(list []Money) {
	slices.SortFunc(list, func(a, b Money) int { return strings.Compare(a.Currency, b.Currency) })
}

// addMinor adds two amounts in minor units of currency; EINVALID when the
// sum would not fit in 64 bits.
func addMinor(a, b int64, currency string) (int64, error) {
	if (b > 0 && a > math.MaxInt64-b) || (b < 0 && a < math.MinInt64-b) {
		return 0, Fail(EINVALID, MsgTotalTooLarge, "Currency", currency)
	}
	return a + b, nil
}

// ContributionFilter selects contributions. Zero fields select everything.
type ContributionFilter struct {
	OrganizationID string // the giver or the recipient
	GiverID        string
	RecipientID    string
	PartnershipID  string
	ProgramID      string
	Country        string // the country of the giver or of the recipient
	Kind           string
	Currency       string
	Cursor         string
	Limit          int
}

// Messages of contributions.
var (
	MsgSameGiver          = msg("same_giver", "the giver and the recipient must be two different organizations")
	MsgContributionAmount = msg("contribution_amount", "is required for a contribution of money")
	MsgDescribeGoods      = msg("describe_goods", "say what goods were given, such as test kits and facial masks")
	MsgMoneyHasNoQuantity = msg("money_has_no_quantity", "a contribution of money has an amount, not a quantity in a unit")
	MsgUnitOfQuantity     = msg("unit_of_quantity", "say what the quantity counts, such as piece or kit")
	MsgQuantityOfUnit     = msg("quantity_of_unit", "give the quantity in {{.Unit}}, or leave the unit empty")
	MsgTotalTooLarge      = msg("total_too_large", "the total in {{.Currency}} is too large to count")
	MsgPartnershipProgram = msg("partnership_program", "partnership {{.Partnership}} belongs to another program: choose its program {{.Program}} or none")
	MsgCurrencyAlone      = msg("currency_alone", "a currency without an amount: give the amount, or leave the currency empty")
	MsgNoSuchPartnership  = msg("no_such_partnership", "partnership {{.ID}} does not exist")
)
