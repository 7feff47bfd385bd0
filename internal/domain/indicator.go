package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// IndicatorRule says where an indicator's values come from: counted from
// the partnership's outcomes of one kind, summed from its teams'
// activities of one kind, or entered by hand where no record says it.
type IndicatorRule string

// The rules of indicators.
const (
	RuleTechniques       IndicatorRule = "techniques"        // techniques introduced, of one novelty or of any
	RuleTrainees         IndicatorRule = "trainees"          // local talents trained
	RuleResearchProjects IndicatorRule = "research_projects" // research projects funded
	RulePublications     IndicatorRule = "publications"      // papers published
	RuleSCIPublications  IndicatorRule = "sci_publications"  // papers in SCI-indexed journals
	RuleServices         IndicatorRule = "services"          // departments or units set up or restructured
	RuleActivities       IndicatorRule = "activities"        // patients or participants reached by activities of one kind
	RuleEntered          IndicatorRule = "entered"           // values entered by hand, per period
)

// IndicatorRules lists the rules, in the order forms offer them.
var IndicatorRules = []IndicatorRule{RuleTechniques, RuleTrainees, RuleResearchProjects, RulePublications, RuleSCIPublications,
	RuleServices, RuleActivities, RuleEntered}

// Derived reports whether the rule's values come from the records rather
// than from entries.
func (r IndicatorRule) Derived() bool { return r != RuleEntered && oneOf(string(r), IndicatorRules) }

// OutcomeKind returns the kind of outcome the rule counts; "" for the
// rules that count none.
func (r IndicatorRule) OutcomeKind() OutcomeKind {
	switch r {
	case RuleTechniques:
		return OutcomeTechnique
	case RuleTrainees:
		return OutcomeTrainee
	case RuleResearchProjects:
		return OutcomeResearchProject
	case RulePublications, RuleSCIPublications:
		return OutcomePublication
	case RuleServices:
		return OutcomeService
	}
	return ""
}

// IndicatorPeriod is the length of the periods an indicator is followed
// by.
type IndicatorPeriod string

// The periods of indicators.
const (
	PeriodYear    IndicatorPeriod = "year"
	PeriodQuarter IndicatorPeriod = "quarter"
)

// IndicatorPeriods lists the periods, the longest first.
var IndicatorPeriods = []IndicatorPeriod{PeriodYear, PeriodQuarter}

// Indicator is what a partnership is measured by: a named figure with a
// baseline to start from and a target to reach between two days, followed
// period by period. Its values are derived from the partnership's records
// by its rule or, for the entered rule, entered by hand per period.
type Indicator struct {
	Meta
	PartnershipID string          `json:"partnership_id"`
	Name          string          `json:"name"`
	Rule          IndicatorRule   `json:"rule"`
	Novelty       Novelty         `json:"novelty,omitempty"`       // techniques: only those of this novelty
	ActivityKind  ActivityKind    `json:"activity_kind,omitempty"` // activities: the kind whose counts are summed
	Period        IndicatorPeriod `json:"period"`
	StartsOn      Date            `json:"starts_on"`
	EndsOn        Date            `json:"ends_on"`
	Baseline      int64           `json:"baseline"`
	Target        int64           `json:"target"`
	Notes         string          `json:"notes,omitempty"`
	// Entries are the values entered by hand, by period; only an indicator
	// of the entered rule has them.
	Entries []IndicatorEntry `json:"entries"`
}

// IndicatorEntry is a value entered by hand for one period of an
// indicator, with who entered it and when.
type IndicatorEntry struct {
	Period    string    `json:"period" doc:"2015 for a year, 2015-Q2 for a quarter"`
	Value     int64     `json:"value"`
	EnteredAt time.Time `json:"entered_at"`
	UserID    string    `json:"user_id,omitempty"`
}

// Validate returns an EINVALID error naming every field that is wrong.
// Whether the partnership exists is the store's to say.
func (in *Indicator) Validate() error {
	var p Problems
	if in.PartnershipID == "" {
		p.Add("partnership_id", MsgRequired)
	}
	required(&p, "name", in.Name, MaxName)
	if !oneOf(string(in.Rule), IndicatorRules) {
		p.Add("rule", MsgOneOf, "Allowed", joinKinds(IndicatorRules), "Value", in.Rule)
	}
	if in.Novelty != "" {
		if in.Rule != RuleTechniques {
			p.Add("novelty", MsgIndicatorFieldRule, "Rule", RuleTechniques)
		} else if !oneOf(string(in.Novelty), Novelties) {
			p.Add("novelty", MsgOneOf, "Allowed", joinKinds(Novelties), "Value", in.Novelty)
		}
	}
	switch {
	case in.Rule == RuleActivities && in.ActivityKind == "":
		p.Add("activity_kind", MsgRequired)
	case in.Rule == RuleActivities && !oneOf(string(in.ActivityKind), ActivityKinds):
		p.Add("activity_kind", MsgOneOf, "Allowed", joinKinds(ActivityKinds), "Value", in.ActivityKind)
	case in.Rule != RuleActivities && in.ActivityKind != "":
		p.Add("activity_kind", MsgIndicatorFieldRule, "Rule", RuleActivities)
	}
	if !oneOf(string(in.Period), IndicatorPeriods) {
		p.Add("period", MsgOneOf, "Allowed", joinKinds(IndicatorPeriods), "Value", in.Period)
	}
	if in.StartsOn.IsZero() {
		p.Add("starts_on", MsgRequired)
	}
	if in.EndsOn.IsZero() {
		p.Add("ends_on", MsgRequired)
	}
	if !in.StartsOn.IsZero() && !in.EndsOn.IsZero() {
		if in.EndsOn.Before(in.StartsOn) {
			p.Add("ends_on", MsgEndsBeforeStarts, "Starts", in.StartsOn.String())
		} else if oneOf(string(in.Period), IndicatorPeriods) {
			if n := len(Periods(in.StartsOn, in.EndsOn, in.Period)); n > MaxIndicatorPeriods {
				p.Add("ends_on", MsgIndicatorPeriods, "Max", MaxIndicatorPeriods, "Period", in.Period, "Count", n)
			}
		}
	}
	if in.Baseline < 0 || in.Baseline > MaxIndicatorValue {
		p.Add("baseline", MsgBetween, "Min", 0, "Max", MaxIndicatorValue, "Value", in.Baseline)
	}
	switch {
	case in.Target == 0:
		p.Add("target", MsgRequired)
	case in.Target < 0 || in.Target > MaxIndicatorValue:
		p.Add("target", MsgBetween, "Min", 1, "Max", MaxIndicatorValue, "Value", in.Target)
	case in.Baseline >= 0 && in.Baseline <= MaxIndicatorValue && in.Target < in.Baseline:
		p.Add("target", MsgIndicatorTarget, "Baseline", in.Baseline)
	}
	maxLen(&p, "notes", in.Notes, MaxText)
	return p.Err("indicator")
}

// Normalize trims the indicator's text and gives its entries a value, so
// that what is stored is what is shown.
func (in *Indicator) Normalize() {
	in.Name, in.Notes = strings.TrimSpace(in.Name), strings.TrimSpace(in.Notes)
	if in.Entries == nil {
		in.Entries = []IndicatorEntry{}
	}
}

// Periods returns the periods from the one holding starts to the one
// holding ends, both included: "2015" for a year, "2015-Q2" for a
// quarter. None when ends is before starts or period is not one.
func Periods(starts, ends Date, period IndicatorPeriod) []string {
	if starts.IsZero() || ends.IsZero() || ends.Before(starts) {
		return nil
	}
	var out []string
	switch period {
	case PeriodYear:
		for y := starts.Year; y <= ends.Year; y++ {
			out = append(out, fmt.Sprintf("%04d", y))
		}
	case PeriodQuarter:
		first, last := starts.Year*4+quarter(starts.Month)-1, ends.Year*4+quarter(ends.Month)-1
		for q := first; q <= last; q++ {
			out = append(out, fmt.Sprintf("%04d-Q%d", q/4, q%4+1))
		}
	}
	return out
}

// PeriodOf returns the period holding d: "2015" for a year, "2015-Q2" for
// a quarter; "" for the zero Date or a period that is not one.
func PeriodOf(d Date, period IndicatorPeriod) string {
	if d.IsZero() {
		return ""
	}
	switch period {
	case PeriodYear:
		return fmt.Sprintf("%04d", d.Year)
	case PeriodQuarter:
		return fmt.Sprintf("%04d-Q%d", d.Year, quarter(d.Month))
	}
	return ""
}

// PeriodDays returns the first and the last day of a period written as
// Periods writes it; EINVALID naming the value when it is no period.
func PeriodDays(s string) (first, last Date, err error) {
	y, q, ok := strings.Cut(s, "-Q")
	year, yerr := strconv.Atoi(y)
	if yerr != nil || len(y) != 4 || year < MinYear || year > MaxYear {
		return Date{}, Date{}, Fail(EINVALID, MsgIndicatorPeriod, "Value", s)
	}
	if !ok {
		return Date{year, time.January, 1}, Date{year, time.December, 31}, nil
	}
	n, qerr := strconv.Atoi(q)
	if qerr != nil || len(q) != 1 || n < 1 || n > 4 {
		return Date{}, Date{}, Fail(EINVALID, MsgIndicatorPeriod, "Value", s)
	}
	m := Month{year, time.Month(3*n - 2)}
	return m.First(), m.Add(2).Last(), nil
}

func quarter(m time.Month) int { return (int(m)-1)/3 + 1 }

// IndicatorActual is an indicator's value in one period: what the period
// brought, and what was reached by its end, from the baseline on.
type IndicatorActual struct {
	Period  string `json:"period" doc:"2015 for a year, 2015-Q2 for a quarter"`
	Value   int64  `json:"value" doc:"What the period brought"`
	Reached int64  `json:"reached" doc:"The baseline and every period's value up to this one"`
	Entered bool   `json:"entered" doc:"The value was entered by hand; otherwise it is derived from the records, or none was entered"`
}

// IndicatorProgress is an indicator with its value in every period, what
// was reached in all, and whether that meets the target.
type IndicatorProgress struct {
	Indicator Indicator         `json:"indicator"`
	Actuals   []IndicatorActual `json:"actuals"`
	Value     int64             `json:"value" doc:"The baseline and every period's value"`
	Met       bool              `json:"met" doc:"The value has reached the target"`
}

// Progress returns the progress of in over its periods: for a derived
// rule, the values derived by period; for the entered rule, its entries.
// A period without a value counts as 0.
func Progress(in Indicator, derived map[string]int64) IndicatorProgress {
	entries := map[string]int64{}
	for _, e := range in.Entries {
		entries[e.Period] = e.Value
	}
	pr := IndicatorProgress{Indicator: in, Actuals: []IndicatorActual{}, Value: in.Baseline}
	for _, period := range Periods(in.StartsOn, in.EndsOn, in.Period) {
		a := IndicatorActual{Period: period}
		if in.Rule == RuleEntered {
			a.Value, a.Entered = entries[period]
		} else {
			a.Value = derived[period]
		}
		pr.Value += a.Value
		a.Reached = pr.Value
		pr.Actuals = append(pr.Actuals, a)
	}
	pr.Met = pr.Value >= in.Target
	return pr
}

// CheckEntry returns nil when value may be entered for period of in: in
// is of the entered rule (ECONFLICT otherwise), period is one of its
// periods and value is within limits (EINVALID naming the field
// otherwise).
func (in *Indicator) CheckEntry(period string, value int64) error {
	if in.Rule != RuleEntered {
		return Refuse(ECONFLICT, "period", MsgIndicatorDerived, "Rule", in.Rule)
	}
	var p Problems
	found := false
	for _, s := range Periods(in.StartsOn, in.EndsOn, in.Period) {
		found = found || s == period
	}
	if !found {
		p.Add("period", MsgIndicatorOutside, "Value", period, "Starts", in.StartsOn.String(), "Ends", in.EndsOn.String())
	}
	if value < 0 || value > MaxIndicatorValue {
		p.Add("value", MsgBetween, "Min", 0, "Max", MaxIndicatorValue, "Value", value)
	}
	return p.Err("indicator value")
}

// IndicatorFilter selects indicators. Zero fields select everything.
type IndicatorFilter struct {
	PartnershipID string
	Cursor        string
	Limit         int
}

// Messages of indicators.
var (
	MsgIndicatorFieldRule = msg("indicator_field_rule", "belongs to an indicator of rule {{.Rule}} only; leave it empty")
	MsgIndicatorPeriods   = msg("indicator_periods", "covers {{.Count}} periods of a {{.Period}}: an indicator is followed over at most {{.Max}}")
	MsgIndicatorTarget    = msg("indicator_target", "must be at least the baseline, {{.Baseline}}")
	MsgIndicatorPeriod    = msg("indicator_period", "“{{.Value}}” is not a period: write a year as 2015 or a quarter as 2015-Q2")
	MsgIndicatorOutside   = msg("indicator_outside", "{{.Value}} is not one of the indicator's periods, from {{.Starts}} to {{.Ends}}")
	MsgTooManyIndicators  = msg("too_many_indicators", "the partnership has {{.Max}} indicators, as many as it may have: delete one first")
	MsgIndicatorDerived   = msg("indicator_derived", "the values of an indicator of rule {{.Rule}} come from the records; only those of rule entered are entered by hand")
)
