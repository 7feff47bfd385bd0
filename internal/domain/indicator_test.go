package domain

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestIndicatorValidate(t *testing.T) {
	t.Parallel()
	ok := func() Indicator {
		return Indicator{PartnershipID: "ps1", Name: "New techniques introduced", Rule: RuleTechniques, Period: PeriodYear,
			StartsOn: Date{2015, time.January, 1}, EndsOn: Date{2015, time.December, 31}, Target: 80}
	}
	tests := []struct {
		name string
		edit func(in *Indicator)
		want []string
	}{
		{"valid", func(*Indicator) {}, nil},
		{"a novelty for techniques", func(in *Indicator) { in.Novelty = "fills_regional_gap" }, nil},
		{"an activity kind for activities", func(in *Indicator) { in.Rule, in.ActivityKind = RuleActivities, "specialty_clinic" }, nil},
		{"entered by quarter", func(in *Indicator) { in.Rule, in.Period = RuleEntered, PeriodQuarter }, nil},
		{"one day", func(in *Indicator) { in.EndsOn = in.StartsOn }, nil},
		{"a baseline as large as the target", func(in *Indicator) { in.Baseline = 80 }, nil},
		{"largest target", func(in *Indicator) { in.Target = MaxIndicatorValue }, nil},
		{"forty quarters", func(in *Indicator) { in.Period, in.EndsOn = PeriodQuarter, Date{2024, time.December, 31} }, nil},
		{"forty-one quarters", func(in *Indicator) { in.Period, in.EndsOn = PeriodQuarter, Date{2025, time.January, 1} }, []string{"ends_on"}},
		{"forty-one years", func(in *Indicator) { in.EndsOn = Date{2055, time.January, 1} }, []string{"ends_on"}},
		{"no partnership", func(in *Indicator) { in.PartnershipID = "" }, []string{"partnership_id"}},
		{"no name", func(in *Indicator) { in.Name = "  " }, []string{"name"}},
		{"name too long", func(in *Indicator) { in.Name = strings.Repeat("x", MaxName+1) }, []string{"name"}},
		{"unknown rule", func(in *Indicator) { in.Rule = "smiles" }, []string{"rule"}},
		{"a novelty for trainees", func(in *Indicator) { in.Rule, in.Novelty = RuleTrainees, "region_leading" }, []string{"novelty"}},
		{"unknown novelty", func(in *Indicator) { in.Novelty = "brand_new" }, []string{"novelty"}},
		{"activities without a kind", func(in *Indicator) { in.Rule = RuleActivities }, []string{"activity_kind"}},
		{"activities of an unknown kind", func(in *Indicator) { in.Rule, in.ActivityKind = RuleActivities, "picnic" }, []string{"activity_kind"}},
		{"an activity kind for techniques", func(in *Indicator) { in.ActivityKind = "surgery" }, []string{"activity_kind"}},
		{"unknown period", func(in *Indicator) { in.Period = "month" }, []string{"period"}},
		{"no start", func(in *Indicator) { in.StartsOn = Date{} }, []string{"starts_on"}},
		{"no end", func(in *Indicator) { in.EndsOn = Date{} }, []string{"ends_on"}},
		{"ends before it starts", func(in *Indicator) { in.EndsOn = Date{2014, time.December, 31} }, []string{"ends_on"}},
		{"negative baseline", func(in *Indicator) { in.Baseline = -1 }, []string{"baseline"}},
		{"baseline too large", func(in *Indicator) { in.Baseline, in.Target = MaxIndicatorValue+1, MaxIndicatorValue }, []string{"baseline"}},
		{"no target", func(in *Indicator) { in.Target = 0 }, []string{"target"}},
		{"negative target", func(in *Indicator) { in.Target = -3 }, []string{"target"}},
		{"target too large", func(in *Indicator) { in.Target = MaxIndicatorValue + 1 }, []string{"target"}},
		{"target below the baseline", func(in *Indicator) { in.Baseline = 81 }, []string{"target"}},
		{"notes too long", func(in *Indicator) { in.Notes = strings.Repeat("x", MaxText+1) }, []string{"notes"}},
		{"everything wrong", func(in *Indicator) { *in = Indicator{Novelty: "x", ActivityKind: "y"} },
			[]string{"activity_kind", "ends_on", "name", "novelty", "partnership_id", "period", "rule", "starts_on", "target"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok()
			tt.edit(&in)
			err := in.Validate()
			if got := fieldSet(err); !slices.Equal(got, tt.want) {
				t.Errorf("Validate() fields = %v, want %v (%v)", got, tt.want, err)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Errorf("Validate() code = %s, want invalid", ErrorCode(err))
			}
		})
	}
}

func TestPeriods(t *testing.T) {
	t.Parallel()
	d := func(y int, m time.Month, day int) Date { return Date{y, m, day} }
	tests := []struct {
		name         string
		starts, ends Date
		period       IndicatorPeriod
		want         []string
	}{
		{"one year", d(2015, 1, 1), d(2015, 12, 31), PeriodYear, []string{"2015"}},
		{"parts of three years", d(2014, 7, 1), d(2016, 2, 29), PeriodYear, []string{"2014", "2015", "2016"}},
		{"one day", d(2015, 5, 10), d(2015, 5, 10), PeriodQuarter, []string{"2015-Q2"}},
		{"a year by quarter", d(2015, 1, 1), d(2015, 12, 31), PeriodQuarter, []string{"2015-Q1", "2015-Q2", "2015-Q3", "2015-Q4"}},
		{"six months across quarters", d(2015, 3, 1), d(2015, 8, 31), PeriodQuarter, []string{"2015-Q1", "2015-Q2", "2015-Q3"}},
		{"across a new year", d(2015, 11, 15), d(2016, 4, 1), PeriodQuarter, []string{"2015-Q4", "2016-Q1", "2016-Q2"}},
		{"last days of quarters", d(2015, 3, 31), d(2015, 6, 30), PeriodQuarter, []string{"2015-Q1", "2015-Q2"}},
		{"ends before it starts", d(2016, 1, 1), d(2015, 1, 1), PeriodYear, nil},
		{"no start", Date{}, d(2015, 1, 1), PeriodYear, nil},
		{"no such period", d(2015, 1, 1), d(2015, 12, 31), "month", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Periods(tt.starts, tt.ends, tt.period); !slices.Equal(got, tt.want) {
				t.Errorf("Periods(%s, %s, %s) = %v, want %v", tt.starts, tt.ends, tt.period, got, tt.want)
			}
		})
	}
}

func TestPeriodOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		day    Date
		period IndicatorPeriod
		want   string
	}{
		{Date{2015, time.January, 1}, PeriodYear, "2015"},
		{Date{2015, time.December, 31}, PeriodYear, "2015"},
		{Date{2015, time.January, 1}, PeriodQuarter, "2015-Q1"},
		{Date{2015, time.March, 31}, PeriodQuarter, "2015-Q1"},
		{Date{2015, time.April, 1}, PeriodQuarter, "2015-Q2"},
		{Date{2015, time.September, 30}, PeriodQuarter, "2015-Q3"},
		{Date{2015, time.October, 1}, PeriodQuarter, "2015-Q4"},
		{Date{987, time.June, 1}, PeriodYear, "0987"},
		{Date{}, PeriodYear, ""},
		{Date{2015, time.May, 1}, "week", ""},
	}
	for _, tt := range tests {
		if got := PeriodOf(tt.day, tt.period); got != tt.want {
			t.Errorf("PeriodOf(%s, %s) = %q, want %q", tt.day, tt.period, got, tt.want)
		}
		// Every day belongs to the one period Periods gives for it alone.
		if tt.want != "" {
			if got := Periods(tt.day, tt.day, tt.period); !slices.Equal(got, []string{tt.want}) {
				t.Errorf("Periods of %s alone = %v, want [%s]", tt.day, got, tt.want)
			}
		}
	}
}

func TestPeriodDays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in          string
		first, last Date
		ok          bool
	}{
		{"2015", Date{2015, time.January, 1}, Date{2015, time.December, 31}, true},
		{"2015-Q1", Date{2015, time.January, 1}, Date{2015, time.March, 31}, true},
		{"2016-Q1", Date{2016, time.January, 1}, Date{2016, time.March, 31}, true},
		{"2015-Q2", Date{2015, time.April, 1}, Date{2015, time.June, 30}, true},
		{"2015-Q4", Date{2015, time.October, 1}, Date{2015, time.December, 31}, true},
		{"2015-Q5", Date{}, Date{}, false},
		{"2015-Q0", Date{}, Date{}, false},
		{"2015-Q", Date{}, Date{}, false},
		{"15", Date{}, Date{}, false},
		{"2015-03", Date{}, Date{}, false},
		{"", Date{}, Date{}, false},
	}
	for _, tt := range tests {
		first, last, err := PeriodDays(tt.in)
		if (err == nil) != tt.ok || first != tt.first || last != tt.last {
			t.Errorf("PeriodDays(%q) = %s, %s, %v; want %s, %s, ok %v", tt.in, first, last, err, tt.first, tt.last, tt.ok)
		}
		if tt.ok {
			if p := PeriodOf(first, map[bool]IndicatorPeriod{true: PeriodQuarter, false: PeriodYear}[strings.Contains(tt.in, "Q")]); p != tt.in {
				t.Errorf("PeriodOf(first day of %s) = %s", tt.in, p)
			}
		}
	}
}

func TestProgress(t *testing.T) {
	t.Parallel()
	in := Indicator{Rule: RuleTechniques, Period: PeriodQuarter, StartsOn: Date{2015, time.March, 1}, EndsOn: Date{2015, time.August, 31},
		Baseline: 10, Target: 30}
	got := Progress(in, map[string]int64{"2015-Q1": 4, "2015-Q3": 16, "2014-Q4": 99})
	want := []IndicatorActual{{"2015-Q1", 4, 14, false}, {"2015-Q2", 0, 14, false}, {"2015-Q3", 16, 30, false}}
	if !slices.Equal(got.Actuals, want) || got.Value != 30 || !got.Met {
		t.Errorf("derived progress = %+v, want %v reaching 30, met", got, want)
	}

	in.Rule, in.Target = RuleEntered, 31
	in.Entries = []IndicatorEntry{{Period: "2015-Q2", Value: 0}, {Period: "2015-Q3", Value: 7}}
	got = Progress(in, map[string]int64{"2015-Q1": 4})
	want = []IndicatorActual{{"2015-Q1", 0, 10, false}, {"2015-Q2", 0, 10, true}, {"2015-Q3", 7, 17, true}}
	if !slices.Equal(got.Actuals, want) || got.Value != 17 || got.Met {
		t.Errorf("entered progress = %+v, want %v reaching 17, not met", got, want)
	}
}

func TestCheckEntry(t *testing.T) {
	t.Parallel()
	in := Indicator{Rule: RuleEntered, Period: PeriodYear, StartsOn: Date{2014, time.July, 1}, EndsOn: Date{2016, time.June, 30}, Target: 5}
	tests := []struct {
		period string
		value  int64
		code   string
		field  string
	}{
		{"2014", 3, "", ""},
		{"2016", MaxIndicatorValue, "", ""},
		{"2017", 3, EINVALID, "period"},
		{"2015-Q1", 3, EINVALID, "period"},
		{"2015", -1, EINVALID, "value"},
		{"2015", MaxIndicatorValue + 1, EINVALID, "value"},
	}
	for _, tt := range tests {
		err := in.CheckEntry(tt.period, tt.value)
		if ErrorCode(err) != tt.code || (tt.field != "" && !slices.Contains(fields(err), tt.field)) {
			t.Errorf("CheckEntry(%s, %d) = %v, want %q on %q", tt.period, tt.value, err, tt.code, tt.field)
		}
	}
	derived := in
	derived.Rule = RuleTrainees
	if err := derived.CheckEntry("2015", 3); ErrorCode(err) != ECONFLICT {
		t.Errorf("an entry for a derived indicator: %v, want conflict", err)
	}
}
