package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/chart"
	"aidbridge/internal/domain"
)

// The pages of indicators: the list, an indicator with its value period by
// period, drawn against its baseline and target and linked to the records
// behind each value, the forms that set it, and the form of a value
// entered by hand for each period of an indicator of rule entered.

// indicatorRow is an indicator as a list shows it.
type indicatorRow struct {
	domain.IndicatorProgress
	Partnership string
	Rule        string // the rule in words
}

// indicatorRule returns the rule of in in words: what is counted or
// summed, or that its values are entered.
func indicatorRule(l *localizer, in domain.Indicator) string {
	switch {
	case in.Rule == domain.RuleTechniques && in.Novelty != "":
		return l.T("indicator_rule_techniques_of", "Novelty", l.T("novelty_"+string(in.Novelty)))
	case in.Rule == domain.RuleActivities:
		return l.T("indicator_rule_activities_of", "Kind", l.T("activity_kind_"+string(in.ActivityKind)))
	}
	return l.T("indicator_rule_" + string(in.Rule))
}

// periodLabel writes a period as a reader reads it: 2015, or 2015 Q2.
func periodLabel(l *localizer, period string) string {
	if y, q, ok := strings.Cut(period, "-Q"); ok {
		return l.T("indicator_quarter", "Year", y, "Quarter", q)
	}
	return period
}

// indicatorsPage is the list of indicators, of every partnership or of one.
type indicatorsPage struct {
	Items       []indicatorRow
	Partnership *domain.Partnership // the partnership filtered on, if any
	Next, First string
}

func (ui *UI) listIndicators(w http.ResponseWriter, r *http.Request, me *viewer) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := domain.IndicatorFilter{PartnershipID: q.Get("partnership_id"), Cursor: q.Get("cursor"), Limit: listPageSize}
	pg := indicatorsPage{}
	if f.PartnershipID != "" {
		ps, err := ui.Partners.Partnership(ctx, me.User, f.PartnershipID)
		if err != nil {
			return err
		}
		pg.Partnership = &ps
	}
	list, next, err := ui.Outcomes.PageIndicators(ctx, me.User, f)
	if err != nil {
		return err
	}
	choices, err := ui.partnershipChoices(r, me)
	if err != nil {
		return err
	}
	names := namesOf(choices)
	for _, pr := range list {
		name, ok := names[pr.Indicator.PartnershipID]
		if !ok {
			ps, err := ui.Partners.Partnership(ctx, me.User, pr.Indicator.PartnershipID)
			if err != nil {
				return err
			}
			name = ps.Name
		}
		pg.Items = append(pg.Items, indicatorRow{IndicatorProgress: pr, Partnership: name, Rule: indicatorRule(me.L, pr.Indicator)})
	}
	pg.Next, pg.First = nextLink(r, next), firstLink(r)
	return ui.render(w, r, me, "indicators", pg)
}

// periodRow is one period of an indicator's page: its value, whether it
// was entered or derived, what was reached, the records behind it, and
// the form of its value when the reader may enter one.
type periodRow struct {
	domain.IndicatorActual
	Label string
	Href  string
	Form  *form
}

// indicatorPage is one indicator with its progress.
type indicatorPage struct {
	Progress    domain.IndicatorProgress
	Partnership domain.Partnership
	Rule        string
	Periods     []periodRow
	Chart       template.HTML
	Left        int64 // what is still to reach the target
	CanManage   bool
	History     []domain.AuditEntry
}

func (ui *UI) showIndicator(w http.ResponseWriter, r *http.Request, me *viewer) error {
	return ui.indicatorPage(w, r, me, http.StatusOK, r.PathValue("id"), "", nil)
}

// indicatorPage draws an indicator's page at status; typed is the form of
// the value of period as typed, when it is drawn again with its errors.
func (ui *UI) indicatorPage(w http.ResponseWriter, r *http.Request, me *viewer, status int, id, period string, typed *form) error {
	ctx := r.Context()
	pr, err := ui.Outcomes.IndicatorProgress(ctx, me.User, id)
	if err != nil {
		return err
	}
	in := pr.Indicator
	ps, err := ui.Partners.Partnership(ctx, me.User, in.PartnershipID)
	if err != nil {
		return err
	}
	res, err := ui.Outcomes.IndicatorResource(ctx, in)
	if err != nil {
		return err
	}
	pg := indicatorPage{Progress: pr, Partnership: ps, Rule: indicatorRule(me.L, in), CanManage: access.Can(me.User, access.ManageIndicator, res),
		Left: max(in.Target-pr.Value, 0)}
	hrefs, err := ui.periodHrefs(r, me, in)
	if err != nil {
		return err
	}
	for _, a := range pr.Actuals {
		row := periodRow{IndicatorActual: a, Label: periodLabel(me.L, a.Period), Href: hrefs[a.Period]}
		if in.Rule == domain.RuleEntered && pg.CanManage {
			row.Form = me.newForm(url.Values{"period": {a.Period}})
			if a.Entered {
				row.Form.Values.Set("value", strconv.FormatInt(a.Value, 10))
			}
			if typed != nil && period == a.Period {
				row.Form = typed
			}
		}
		pg.Periods = append(pg.Periods, row)
	}
	if pg.Chart, err = indicatorChart(me.L, pr, hrefs); err != nil {
		return err
	}
	if pg.History, err = ui.history(r, me, "indicator", in.ID); err != nil {
		return err
	}
	ui.renderStatus(w, r, me, status, "indicator", pg)
	return nil
}

// periodHrefs returns, for each period of a derived indicator, the
// address of the records its value is counted from, within the
// indicator's days: the partnership's outcomes of the rule's kind, or, for
// activities, the calendar of the partnership's first mission away in the
// period, at its first month in it. An entered indicator has none.
func (ui *UI) periodHrefs(r *http.Request, me *viewer, in domain.Indicator) (map[string]string, error) {
	out := map[string]string{}
	if !in.Rule.Derived() {
		return out, nil
	}
	for _, period := range domain.Periods(in.StartsOn, in.EndsOn, in.Period) {
		first, last, err := domain.PeriodDays(period)
		if err != nil {
			return nil, err
		}
		if first.Before(in.StartsOn) {
			first = in.StartsOn
		}
		if in.EndsOn.Before(last) {
			last = in.EndsOn
		}
		if in.Rule == domain.RuleActivities {
			q := url.Values{"partnership_id": {in.PartnershipID}, "kind": {string(in.ActivityKind)}, "from": {first.String()}, "to": {last.String()}}
			out[period] = "/activities?" + q.Encode()
			continue
		}
		q := url.Values{"partnership_id": {in.PartnershipID}, "kind": {string(in.Rule.OutcomeKind())}, "from": {first.String()}, "to": {last.String()}}
		switch in.Rule {
		case domain.RuleTechniques:
			if in.Novelty != "" {
				q.Set("novelty", string(in.Novelty))
			}
		case domain.RuleSCIPublications:
			q.Set("sci_indexed", "yes")
		case domain.RuleResearchProjects:
			q.Set("funding", "funded")
		}
		out[period] = "/outcomes?" + q.Encode()
	}
	return out, nil
}

// enterIndicatorValue stores the value typed for one period of an
// indicator, or draws its page again with the form's errors.
func (ui *UI) enterIndicatorValue(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	id, period := r.PathValue("id"), f.text("period")
	value := f.whole("value")
	return submit(w, r, f, submission{
		save: func() (string, string, error) {
			_, err := ui.Outcomes.EnterValue(r.Context(), me.User, id, period, value)
			return "/indicators/" + url.PathEscape(id) + "#period-" + url.PathEscape(period), me.L.T("flash_indicator_value", "Period", periodLabel(me.L, period)), err
		},
		redraw: func(status int) error { return ui.indicatorPage(w, r, me, status, id, period, f) },
	})
}

// indicatorFormPage is the form of a new indicator (Indicator nil) or of
// an indicator's change. A new indicator's partnership is picked first,
// when the link that opened the form named none.
type indicatorFormPage struct {
	Form         *form
	Indicator    *domain.Indicator
	Partnership  domain.Partnership
	Partnerships []choice // to pick from, when none is named
	Rules        []domain.IndicatorRule
	Novelties    []domain.Novelty
	Kinds        []domain.ActivityKind
	Periods      []domain.IndicatorPeriod
}

// indicatorResource returns the policy's resource of an indicator, or none
// (which lets nobody but a site administrator through) when its
// partnership cannot be read.
func (ui *UI) indicatorResource(in domain.Indicator) access.Resource {
	res, err := ui.Outcomes.IndicatorResource(context.Background(), in)
	if err != nil {
		return access.Resource{}
	}
	return res
}

func (ui *UI) indicatorPages() recordPages[domain.Indicator] {
	return recordPages[domain.Indicator]{ui: ui, base: "/indicators",
		create: access.ManageIndicator, change: access.ManageIndicator, remove: access.ManageIndicator,
		// The form of a partnership's new indicator is for those who set
		// its indicators; without one, for those who set any.
		mayCreate: func(r *http.Request, me *viewer) error {
			id := r.URL.Query().Get("partnership_id")
			if id == "" {
				return access.Somewhere(me.User, access.ManageIndicator)
			}
			res, err := ui.Outcomes.IndicatorResource(r.Context(), domain.Indicator{PartnershipID: id})
			if domain.ErrorCode(err) == domain.EINVALID {
				return domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "partnership", "ID", id)
			}
			if err != nil {
				return err
			}
			return access.Allow(me.User, access.ManageIndicator, res)
		},
		resource: ui.indicatorResource,
		find:     ui.Outcomes.Indicator,
		meta:     func(in domain.Indicator) (string, int64, string) { return in.ID, in.Version, in.Name },
		values: func(in domain.Indicator) url.Values {
			return valuesOf("partnership_id", in.PartnershipID, "name", in.Name, "rule", string(in.Rule), "novelty", string(in.Novelty),
				"activity_kind", string(in.ActivityKind), "period", string(in.Period), "starts_on", in.StartsOn.String(), "ends_on", in.EndsOn.String(),
				"baseline", strconv.FormatInt(in.Baseline, 10), "target", strconv.FormatInt(in.Target, 10), "notes", in.Notes,
				"version", strconv.FormatInt(in.Version, 10))
		},
		blank: func(r *http.Request) url.Values {
			return url.Values{"partnership_id": {r.URL.Query().Get("partnership_id")}, "period": {string(domain.PeriodYear)}, "baseline": {"0"}}
		},
		read: func(f *form, cur *domain.Indicator) domain.Indicator {
			in := domain.Indicator{PartnershipID: f.Get("partnership_id"), Name: f.text("name"), Rule: domain.IndicatorRule(f.Get("rule")),
				Novelty: domain.Novelty(f.Get("novelty")), ActivityKind: domain.ActivityKind(f.Get("activity_kind")),
				Period: domain.IndicatorPeriod(f.Get("period")), StartsOn: f.dateField("starts_on", f.Get("starts_on")),
				EndsOn: f.dateField("ends_on", f.Get("ends_on")), Target: f.whole("target"), Notes: f.text("notes")}
			if n := f.int64Field("baseline"); n != nil {
				in.Baseline = *n
			}
			if cur != nil {
				in.ID, in.Version = cur.ID, f.version()
			}
			in.Normalize()
			return in
		},
		validate: (*domain.Indicator).Validate,
		insert:   ui.Outcomes.CreateIndicator,
		update:   ui.Outcomes.UpdateIndicator,
		delete:   ui.Outcomes.DeleteIndicator,
		form:     ui.indicatorForm,
	}
}

// indicatorForm draws the form of an indicator or, for a new one whose
// partnership is not named, the partnerships to pick from.
func (ui *UI) indicatorForm(w http.ResponseWriter, r *http.Request, me *viewer, status int, f *form, cur *domain.Indicator) error {
	ctx := r.Context()
	pg := indicatorFormPage{Form: f, Indicator: cur, Rules: domain.IndicatorRules, Novelties: domain.Novelties, Kinds: domain.ActivityKinds,
		Periods: domain.IndicatorPeriods}
	ps, err := ui.Partners.Partnership(ctx, me.User, f.Get("partnership_id"))
	switch {
	case f.Get("partnership_id") == "" || domain.ErrorCode(err) == domain.ENOTFOUND:
		choices, err := ui.partnershipChoices(r, me)
		if err != nil {
			return err
		}
		for _, c := range choices {
			if p, err := ui.Partners.Partnership(ctx, me.User, c.ID); err == nil && access.Can(me.User, access.ManageIndicator, access.Resource{OrganizationID: p.ProviderID, OtherID: p.RecipientID}) {
				pg.Partnerships = append(pg.Partnerships, c)
			}
		}
	case err != nil:
		return err
	default:
		pg.Partnership = ps
	}
	ui.renderStatus(w, r, me, status, "indicator_form", pg)
	return nil
}

// indicatorChart draws an indicator's value reached period by period
// against its baseline and target, each period linked to its records.
func indicatorChart(l *localizer, pr domain.IndicatorProgress, hrefs map[string]string) (template.HTML, error) {
	in := pr.Indicator
	figure := chart.Progress{Title: in.Name, Actual: l.T("indicator_reached"), Target: &chart.Level{Label: l.T("indicator_target"), Value: in.Target},
		Format: l.Number, Empty: l.T("indicator_no_periods")}
	if in.Baseline > 0 {
		figure.Baseline = &chart.Level{Label: l.T("indicator_baseline"), Value: in.Baseline}
	}
	for _, a := range pr.Actuals {
		figure.Periods = append(figure.Periods, chart.Period{Label: periodLabel(l, a.Period), Value: a.Reached, Href: hrefs[a.Period],
			NoValue: in.Rule == domain.RuleEntered && !a.Entered})
	}
	return figure.SVG()
}
