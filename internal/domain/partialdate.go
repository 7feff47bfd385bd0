package domain

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DatePrecision says how much of a date is known.
type DatePrecision string

// The precisions of a partial date.
const (
	PrecisionYear  DatePrecision = "year"
	PrecisionMonth DatePrecision = "month"
	PrecisionDay   DatePrecision = "day"
)

// DatePrecisions lists the precisions, coarsest first.
var DatePrecisions = []DatePrecision{PrecisionYear, PrecisionMonth, PrecisionDay}

// PartialDate is a date of history known to the year, the month or the day,
// as the accounts give it: JCI accreditation in 2010, a team formed in
// October 2015, tertiary class A granted on 2015-01-28. Date is the first day
// of the period it names; the zero value means "no date".
type PartialDate struct {
	Date      Date
	Precision DatePrecision
}

// YearOf returns the partial date of a year.
func YearOf(year int) PartialDate {
	return PartialDate{Date: Date{Year: year, Month: time.January, Day: 1}, Precision: PrecisionYear}
}

// DayOf returns the partial date of a full date.
func DayOf(d Date) PartialDate { return PartialDate{Date: d, Precision: PrecisionDay} }

// ParsePartialDate reads "YYYY", "YYYY-MM" or "YYYY-MM-DD"; an empty string
// gives the zero PartialDate. Years run from MinYear to MaxYear.
func ParsePartialDate(s string) (PartialDate, error) {
	s = strings.TrimSpace(s)
	bad := Fail(EINVALID, MsgPartialDate, "Value", s)
	switch len(s) {
	case 0:
		return PartialDate{}, nil
	case 4:
		y, err := strconv.Atoi(s)
		if err != nil || y < MinYear || y > MaxYear {
			return PartialDate{}, bad
		}
		return YearOf(y), nil
	case 7:
		t, err := time.Parse("2006-01", s)
		if err != nil || t.Year() < MinYear || t.Year() > MaxYear {
			return PartialDate{}, bad
		}
		return PartialDate{Date: DateOf(t), Precision: PrecisionMonth}, nil
	}
	d, err := ParseDate(s)
	if err != nil || d.Year < MinYear || d.Year > MaxYear {
		return PartialDate{}, bad
	}
	return DayOf(d), nil
}

// MinYear and MaxYear bound the years of dates of history.
const (
	MinYear = 1800
	MaxYear = 2200
)

// IsZero reports whether p is the zero PartialDate.
func (p PartialDate) IsZero() bool { return p.Date.IsZero() }

// String returns "YYYY", "YYYY-MM" or "YYYY-MM-DD" by precision, "" when
// zero.
func (p PartialDate) String() string {
	switch {
	case p.IsZero():
		return ""
	case p.Precision == PrecisionYear:
		return fmt.Sprintf("%04d", p.Date.Year)
	case p.Precision == PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", p.Date.Year, p.Date.Month)
	}
	return p.Date.String()
}

// MarshalJSON sends the date as written by String, null when zero.
func (p PartialDate) MarshalJSON() ([]byte, error) {
	if p.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(p.String())
}

// UnmarshalJSON reads "YYYY", "YYYY-MM", "YYYY-MM-DD" or null.
func (p *PartialDate) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*p = PartialDate{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date must be a string: YYYY, YYYY-MM or YYYY-MM-DD")
	}
	v, err := ParsePartialDate(s)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Messages about dates.
var MsgPartialDate = msg("partial_date", "must be a year, a month or a day written YYYY, YYYY-MM or YYYY-MM-DD, such as 2010, 2015-10 or 2015-01-28, not “{{.Value}}”")
