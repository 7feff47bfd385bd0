package store_test

import (
	"context"
	"maps"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

func TestIndicators(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newMissions(t, storetest.Open(t, b))
			m := f.away(t, 4, "2015-03-01", "2016-02-29")
			chen := f.doctors[0].ID

			// Techniques over two years: one in 2014 (before the indicator),
			// two in the first quarter of 2015, one on the last day of June,
			// one of another novelty in November, one in 2016 (after it).
			for _, o := range []struct {
				on      string
				novelty domain.Novelty
			}{{"2014-12-31", "new_to_hospital"}, {"2015-01-01", "fills_regional_gap"}, {"2015-03-31", "fills_regional_gap"},
				{"2015-06-30", "fills_regional_gap"}, {"2015-11-02", "region_leading"}, {"2016-01-01", "fills_regional_gap"}} {
				tech := domain.Outcome{PartnershipID: f.partnership, Kind: domain.OutcomeTechnique, Title: "Technique of " + o.on,
					OccurredOn: domain.DayOf(day(t, o.on)), Novelty: o.novelty}
				if err := f.s.CreateOutcome(ctx, admin, &tech); err != nil {
					t.Fatal(err)
				}
			}
			// Papers: two SCI-indexed in 2015, one not; a trainee; a project
			// applied for and one funded.
			for _, o := range []domain.Outcome{
				{Kind: domain.OutcomePublication, Title: "Paper 1", OccurredOn: domain.YearOf(2015), Journal: "Heart", SCIIndexed: true},
				{Kind: domain.OutcomePublication, Title: "Paper 2", OccurredOn: domain.DayOf(day(t, "2015-08-01")), Journal: "Heart", SCIIndexed: true},
				{Kind: domain.OutcomePublication, Title: "Paper 3", OccurredOn: domain.DayOf(day(t, "2015-09-01")), Journal: "Xinjiang Medicine"},
				{Kind: domain.OutcomeTrainee, Title: "Dr. Aysha", OccurredOn: domain.YearOf(2015), Field: "Cardiology"},
				{Kind: domain.OutcomeResearchProject, Title: "Project applied", OccurredOn: domain.YearOf(2015), Funder: "NSFC", Funding: "applied"},
				{Kind: domain.OutcomeResearchProject, Title: "Project funded", OccurredOn: domain.YearOf(2015), Funder: "NSFC", Funding: "funded"},
			} {
				o.PartnershipID = f.partnership
				if err := f.s.CreateOutcome(ctx, admin, &o); err != nil {
					t.Fatal(err)
				}
			}
			// Specialty clinics: 30 and 12 patients in March, 20 in July, 5
			// in February 2016; a surgery that another rule counts.
			if err := f.s.CreateActivities(ctx, admin, []domain.Activity{
				activity(m, "specialty_clinic", day(t, "2015-03-03"), 30, chen),
				activity(m, "specialty_clinic", day(t, "2015-03-31"), 12),
				activity(m, "surgery", day(t, "2015-03-31"), 3),
			}); err != nil {
				t.Fatal(err)
			}
			for _, a := range []domain.Activity{activity(m, "specialty_clinic", day(t, "2015-07-01"), 20), activity(m, "specialty_clinic", day(t, "2016-02-29"), 5)} {
				if err := f.s.CreateActivities(ctx, admin, []domain.Activity{a}); err != nil {
					t.Fatal(err)
				}
			}

			create := func(in domain.Indicator) domain.Indicator {
				t.Helper()
				in.PartnershipID, in.Name = f.partnership, "Indicator "+string(in.Rule)
				if err := f.s.CreateIndicator(ctx, admin, &in); err != nil {
					t.Fatal(err)
				}
				return in
			}
			year2015 := func(in domain.Indicator) domain.Indicator {
				in.StartsOn, in.EndsOn = day(t, "2015-01-01"), day(t, "2015-12-31")
				return in
			}
			tests := []struct {
				name string
				in   domain.Indicator
				want map[string]int64
			}{
				{"techniques by year", domain.Indicator{Rule: domain.RuleTechniques, Period: domain.PeriodYear,
					StartsOn: day(t, "2014-01-01"), EndsOn: day(t, "2016-12-31"), Target: 5}, map[string]int64{"2014": 1, "2015": 4, "2016": 1}},
				{"techniques by quarter", year2015(domain.Indicator{Rule: domain.RuleTechniques, Period: domain.PeriodQuarter, Target: 5}),
					map[string]int64{"2015-Q1": 2, "2015-Q2": 1, "2015-Q3": 0, "2015-Q4": 1}},
				{"techniques of a novelty", year2015(domain.Indicator{Rule: domain.RuleTechniques, Novelty: "fills_regional_gap", Period: domain.PeriodYear, Target: 5}),
					map[string]int64{"2015": 3}},
				{"from a day within the year", domain.Indicator{Rule: domain.RuleTechniques, Period: domain.PeriodYear,
					StartsOn: day(t, "2015-03-31"), EndsOn: day(t, "2015-06-30"), Target: 5}, map[string]int64{"2015": 2}},
				{"papers", year2015(domain.Indicator{Rule: domain.RulePublications, Period: domain.PeriodYear, Target: 5}), map[string]int64{"2015": 3}},
				{"SCI papers by quarter", year2015(domain.Indicator{Rule: domain.RuleSCIPublications, Period: domain.PeriodQuarter, Target: 5}),
					map[string]int64{"2015-Q1": 1, "2015-Q2": 0, "2015-Q3": 1, "2015-Q4": 0}},
				{"trainees", year2015(domain.Indicator{Rule: domain.RuleTrainees, Period: domain.PeriodYear, Target: 5}), map[string]int64{"2015": 1}},
				{"funded projects", year2015(domain.Indicator{Rule: domain.RuleResearchProjects, Period: domain.PeriodYear, Target: 5}), map[string]int64{"2015": 1}},
				{"services", year2015(domain.Indicator{Rule: domain.RuleServices, Period: domain.PeriodYear, Target: 5}), map[string]int64{"2015": 0}},
				{"patients of specialty clinics by quarter", domain.Indicator{Rule: domain.RuleActivities, ActivityKind: "specialty_clinic",
					Period: domain.PeriodQuarter, StartsOn: day(t, "2015-03-01"), EndsOn: day(t, "2016-02-29"), Target: 100},
					map[string]int64{"2015-Q1": 42, "2015-Q2": 0, "2015-Q3": 20, "2015-Q4": 0, "2016-Q1": 5}},
				{"operations by year", year2015(domain.Indicator{Rule: domain.RuleActivities, ActivityKind: "surgery", Period: domain.PeriodYear, Target: 5}),
					map[string]int64{"2015": 3}},
			}
			for _, tt := range tests {
				in := create(tt.in)
				got, err := f.s.IndicatorActuals(ctx, in)
				if err != nil || !maps.Equal(got, tt.want) {
					t.Errorf("%s: actuals %v, %v; want %v", tt.name, got, err, tt.want)
				}
			}

			// A derived indicator takes no value by hand.
			tech := create(year2015(domain.Indicator{Rule: domain.RuleTechniques, Period: domain.PeriodYear, Target: 80}))
			if _, err := f.s.EnterIndicatorValue(ctx, admin, tech.ID, "2015", 3); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("a value entered for techniques: %v, want conflict", err)
			}
			pr, err := f.s.IndicatorProgress(ctx, tech)
			if err != nil || pr.Value != 4 || pr.Met || len(pr.Actuals) != 1 || pr.Actuals[0].Reached != 4 {
				t.Errorf("progress of techniques: %+v, %v; want 4 reached, not met", pr, err)
			}

			// Entered values, by quarter: stored, replaced, refused outside.
			ent := create(domain.Indicator{Rule: domain.RuleEntered, Period: domain.PeriodQuarter, StartsOn: day(t, "2015-04-01"),
				EndsOn: day(t, "2015-12-31"), Baseline: 2, Target: 10})
			if _, err := f.s.EnterIndicatorValue(ctx, admin, ent.ID, "2015-Q2", 4); err != nil {
				t.Fatal(err)
			}
			got, err := f.s.EnterIndicatorValue(ctx, store.Actor{UserID: "coordinator"}, ent.ID, "2015-Q2", 5)
			if err != nil || len(got.Entries) != 1 || got.Entries[0].Value != 5 || got.Entries[0].UserID != "coordinator" || got.Version != 1 {
				t.Errorf("a value entered again: %+v, %v", got, err)
			}
			if _, err := f.s.EnterIndicatorValue(ctx, admin, ent.ID, "2015-Q4", 3); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				period string
				value  int64
				field  string
			}{{"2015-Q1", 1, "period"}, {"2015", 1, "period"}, {"nonsense", 1, "period"}, {"2015-Q3", -1, "value"}, {"2015-Q3", domain.MaxIndicatorValue + 1, "value"}} {
				if _, err := f.s.EnterIndicatorValue(ctx, admin, ent.ID, c.period, c.value); domain.ErrorCode(err) != domain.EINVALID || fieldCodes(err)[c.field] == nil {
					t.Errorf("value %d for %s: %v, want invalid %s", c.value, c.period, err, c.field)
				}
			}
			if _, err := f.s.EnterIndicatorValue(ctx, admin, "nope", "2015-Q2", 1); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("a value for no indicator: %v, want not found", err)
			}
			found, err := f.s.FindIndicator(ctx, ent.ID)
			if err != nil {
				t.Fatal(err)
			}
			pr, err = f.s.IndicatorProgress(ctx, found)
			want := []domain.IndicatorActual{{Period: "2015-Q2", Value: 5, Reached: 7, Entered: true}, {Period: "2015-Q3", Value: 0, Reached: 7},
				{Period: "2015-Q4", Value: 3, Reached: 10, Entered: true}}
			if err != nil || len(pr.Actuals) != 3 || pr.Actuals[0] != want[0] || pr.Actuals[1] != want[1] || pr.Actuals[2] != want[2] || pr.Value != 10 || !pr.Met {
				t.Errorf("progress of entered values: %+v, %v; want %v, met", pr, err, want)
			}
			history, _, err := f.s.ListAudit(ctx, domain.AuditFilter{EntityType: "indicator", EntityID: ent.ID, Limit: 10})
			if err != nil || len(history) != 4 || history[0].Action != "enter" || history[3].Action != "create" {
				t.Errorf("history of the entered indicator: %d entries, %v", len(history), err)
			}

			// A change from a stale version is refused; one from the version
			// read is taken, and the periods it no longer covers lose their
			// values.
			change := found
			change.EndsOn = day(t, "2015-09-30")
			if err := f.s.UpdateIndicator(ctx, admin, &change); err != nil {
				t.Fatal(err)
			}
			if change.Version != 2 || len(change.Entries) != 1 || change.Entries[0].Period != "2015-Q2" {
				t.Errorf("changed indicator: version %d, entries %+v", change.Version, change.Entries)
			}
			stale := found
			stale.Name = "Stale"
			if err := f.s.UpdateIndicator(ctx, admin, &stale); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("a change from version 1 after version 2: %v, want conflict", err)
			}
			if err := f.s.DeleteIndicator(ctx, admin, ent.ID, 1); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("a deletion at version 1 after version 2: %v, want conflict", err)
			}

			// Refusals name the field and store nothing.
			for _, c := range []struct {
				name  string
				in    domain.Indicator
				field string
			}{
				{"a partnership that does not exist", domain.Indicator{PartnershipID: "nope", Name: "x", Rule: domain.RuleTrainees, Period: domain.PeriodYear,
					StartsOn: day(t, "2015-01-01"), EndsOn: day(t, "2015-12-31"), Target: 1}, "partnership_id"},
				{"activities of no kind", domain.Indicator{PartnershipID: f.partnership, Name: "x", Rule: domain.RuleActivities, Period: domain.PeriodYear,
					StartsOn: day(t, "2015-01-01"), EndsOn: day(t, "2015-12-31"), Target: 1}, "activity_kind"},
			} {
				err := f.s.CreateIndicator(ctx, admin, &c.in)
				if domain.ErrorCode(err) != domain.EINVALID || fieldCodes(err)[c.field] == nil {
					t.Errorf("%s: %v, want invalid %s", c.name, err, c.field)
				}
			}
			list, _, err := f.s.ListIndicators(ctx, domain.IndicatorFilter{PartnershipID: f.partnership, Limit: domain.MaxPageSize})
			if err != nil || len(list) != len(tests)+2 {
				t.Fatalf("indicators listed: %d, %v; want %d", len(list), err, len(tests)+2)
			}
			var seen []string
			cursor := ""
			for {
				page, next, err := f.s.ListIndicators(ctx, domain.IndicatorFilter{Limit: 5, Cursor: cursor})
				if err != nil {
					t.Fatal(err)
				}
				for _, in := range page {
					seen = append(seen, in.ID)
				}
				if next == "" {
					break
				}
				cursor = next
			}
			if len(seen) != len(list) {
				t.Errorf("pages of five: %d indicators, want %d", len(seen), len(list))
			}

			if err := f.s.DeleteIndicator(ctx, admin, ent.ID, 2); err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.FindIndicator(ctx, ent.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("deleted indicator: %v, want not found", err)
			}
		})
	}
}
