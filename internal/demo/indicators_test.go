package demo_test

import (
	"context"
	"strings"
	"testing"

	"aidbridge/internal/domain"
)

// TestDemoIndicators reads the demo's indicators off the records they
// count: the 81 techniques and 27 SCI papers of Kashi in 2015, and the
// patients of the 4th team's specialty clinics, quarter by quarter, summing
// to what its activities say.
func TestDemoIndicators(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _, _ := load(t)
	list, _, err := s.ListIndicators(ctx, domain.IndicatorFilter{Limit: domain.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]domain.IndicatorProgress{}
	for _, in := range list {
		pr, err := s.IndicatorProgress(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		byName[in.Name] = pr
		if !strings.Contains(in.Notes, "placeholder") {
			t.Errorf("%s: the notes do not say the target is a placeholder: %q", in.Name, in.Notes)
		}
	}
	if len(byName) != 3 {
		t.Fatalf("demo indicators: %v, want 3", len(byName))
	}
	for _, c := range []struct {
		name  string
		value int64
		met   bool
	}{{"New techniques introduced", 81, true}, {"Papers in SCI-indexed journals", 27, true}} {
		pr := byName[c.name]
		if pr.Value != c.value || pr.Met != c.met || len(pr.Actuals) != 1 || pr.Actuals[0].Period != "2015" {
			t.Errorf("%s: %+v, want %d in 2015, met %v", c.name, pr, c.value, c.met)
		}
	}

	clinics := byName["Patients seen in specialty clinics"]
	in := clinics.Indicator
	acts, _, err := s.ListActivities(ctx, domain.ActivityFilter{PartnershipID: in.PartnershipID, Kind: "specialty_clinic", Limit: domain.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	var total int64
	for _, a := range acts {
		want[domain.PeriodOf(a.DoneOn, domain.PeriodQuarter)] += int64(a.Count)
		total += int64(a.Count)
	}
	if total == 0 || len(acts) == domain.MaxPageSize {
		t.Fatalf("specialty clinics of the 4th team: %d activities, %d patients", len(acts), total)
	}
	if len(clinics.Actuals) != len(domain.Periods(in.StartsOn, in.EndsOn, domain.PeriodQuarter)) || clinics.Value != total {
		t.Errorf("patients of specialty clinics: %+v, want %d in all", clinics, total)
	}
	for _, a := range clinics.Actuals {
		if a.Value != want[a.Period] {
			t.Errorf("patients of specialty clinics in %s: %d, want %d", a.Period, a.Value, want[a.Period])
		}
	}
}
