package domain

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"golang.org/x/text/currency"
)

// Money is an exact amount in an ISO 4217 currency, kept in the currency's
// minor units (cents, fen). Its JSON form is {"amount": "2150.00",
// "currency": "USD"} with the amount as a decimal string, never a float.
type Money struct {
	Minor    int64  // amount in minor units
	Currency string // ISO 4217 code
}

// CurrencyScale returns the number of minor-unit digits of an ISO 4217
// currency (2 for USD and CNY, 0 for JPY, 3 for KWD). EINVALID for a code
// that is not a currency.
func CurrencyScale(code string) (int, error) {
	u, err := currency.ParseISO(code)
	if err != nil || u.String() != code {
		return 0, Fail(EINVALID, MsgCurrency, "Value", code)
	}
	scale, _ := currency.Standard.Rounding(u)
	return scale, nil
}

// ParseMoney reads a decimal amount such as "2150.5" in currency code,
// exactly. EINVALID when the amount is not a plain decimal, has more
// decimals than the currency has minor units, or does not fit in 64 bits.
func ParseMoney(amount, code string) (Money, error) {
	scale, err := CurrencyScale(code)
	if err != nil {
		return Money{}, err
	}
	s := strings.TrimSpace(amount)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" || (strings.Contains(s, ".") && frac == "") {
		return Money{}, Fail(EINVALID, MsgAmount, "Value", amount)
	}
	if len(frac) > scale {
		return Money{}, Fail(EINVALID, MsgAmountDecimals, "Value", amount, "Scale", scale, "Currency", code)
	}
	digits := whole + frac + strings.Repeat("0", scale-len(frac))
	n, ok := new(big.Int).SetString(digits, 10)
	if !ok || !n.IsInt64() {
		return Money{}, Fail(EINVALID, MsgAmountTooLarge, "Value", amount)
	}
	m := Money{Minor: n.Int64(), Currency: code}
	if neg {
		m.Minor = -m.Minor
	}
	return m, nil
}

// String returns the amount with its currency, such as "2150.00 USD".
func (m Money) String() string {
	if m.Currency == "" {
		return ""
	}
	return m.Amount() + " " + m.Currency
}

// Amount returns the decimal amount without the currency.
func (m Money) Amount() string {
	scale, err := CurrencyScale(m.Currency)
	if err != nil {
		return fmt.Sprint(m.Minor)
	}
	neg := m.Minor < 0
	v := new(big.Int).SetInt64(m.Minor)
	v.Abs(v)
	s := v.String()
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// IsZero reports whether no amount is set.
func (m Money) IsZero() bool { return m == Money{} }

type moneyJSON struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

// MarshalJSON writes the amount as a decimal string.
func (m Money) MarshalJSON() ([]byte, error) {
	if m.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(moneyJSON{m.Amount(), m.Currency})
}

// UnmarshalJSON reads {"amount": "...", "currency": "..."} exactly.
func (m *Money) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*m = Money{}
		return nil
	}
	var v moneyJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("money must be {\"amount\": \"2150.00\", \"currency\": \"USD\"} with the amount as a string")
	}
	p, err := ParseMoney(v.Amount, v.Currency)
	if err != nil {
		return err
	}
	*m = p
	return nil
}

// Messages about money.
var (
	MsgCurrency       = msg("currency", "“{{.Value}}” is not an ISO 4217 currency code such as USD or CNY")
	MsgAmount         = msg("amount", "amount “{{.Value}}” is not a decimal number such as 2150.50")
	MsgAmountDecimals = msg("amount_decimals", "amount “{{.Value}}” has more than {{.Scale}} decimals, the minor units of {{.Currency}}")
	MsgAmountTooLarge = msg("amount_too_large", "amount “{{.Value}}” is too large")
)
