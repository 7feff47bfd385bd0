package domain

import (
	"encoding/json"
	"math/big"
	"strings"
)

// Decimal is an exact decimal number with up to three decimals, kept in
// thousandths: a journal's impact factor (5.123). Its JSON form is a
// string such as "5.123", never a float.
type Decimal struct {
	Thousandths int64
}

// ParseDecimal reads a plain decimal such as "5.1" or "12.345" exactly.
// EINVALID when it is not a plain decimal, has more than three decimals,
// or does not fit.
func ParseDecimal(s string) (Decimal, error) {
	t := strings.TrimSpace(s)
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	whole, frac, dot := strings.Cut(t, ".")
	if whole == "" || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" || (dot && frac == "") || len(frac) > 3 {
		return Decimal{}, Fail(EINVALID, MsgDecimal3, "Value", s)
	}
	n, ok := new(big.Int).SetString(whole+frac+strings.Repeat("0", 3-len(frac)), 10)
	if !ok || !n.IsInt64() {
		return Decimal{}, Fail(EINVALID, MsgDecimal3, "Value", s)
	}
	d := Decimal{n.Int64()}
	if neg {
		d.Thousandths = -d.Thousandths
	}
	return d, nil
}

// IsZero reports whether the number is zero, which stands for none given.
func (d Decimal) IsZero() bool { return d.Thousandths == 0 }

// String returns the number with as few decimals as it needs: "5", "5.1",
// "12.345".
func (d Decimal) String() string {
	n := d.Thousandths
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	whole, frac := n/1000, n%1000
	s := sign + big.NewInt(whole).String()
	if frac == 0 {
		return s
	}
	return s + "." + strings.TrimRight(padLeft(big.NewInt(frac).String(), 3), "0")
}

func padLeft(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}

// MarshalJSON writes the number as a decimal string.
func (d Decimal) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a decimal string, or a JSON number written in plain
// decimals, exactly.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*d = Decimal{}
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := ParseDecimal(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MsgDecimal3 says a number is not a decimal of at most three decimals.
var MsgDecimal3 = msg("decimal3", "must be a decimal number with at most three decimals, such as 5.123, not “{{.Value}}”")
