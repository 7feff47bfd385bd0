package main

import (
	"context"
	"encoding/json"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/golden"
	"aidbridge/internal/store/storetest"
)

// kashiPartnership returns the id of the demo's partnership of Xinhua
// Hospital with the Second People's Hospital of Kashi.
func (m *testMain) kashiPartnership() string {
	m.t.Helper()
	list, _, err := m.Store.ListPartnerships(context.Background(), domain.PartnershipFilter{Query: "Kashi", Limit: 10})
	if err != nil || len(list) != 1 {
		m.t.Fatalf("the Kashi partnership: %d found, %v", len(list), err)
	}
	return list[0].ID
}

// reportFigures is the part of a partnership report that does not change
// from one load of the demo to the next: the figures, with organizations
// by name rather than by id.
type reportFigures struct {
	Techniques   int64                     `json:"techniques"`
	ByNovelty    []domain.Count            `json:"techniques_by_novelty"`
	Services     []domain.Count            `json:"services"`
	ServiceNames []string                  `json:"service_names"`
	Trainees     int64                     `json:"trainees"`
	Projects     int64                     `json:"research_projects"`
	Funded       int64                     `json:"research_projects_funded"`
	ByLead       map[string]int64          `json:"research_projects_by_lead"`
	Papers       domain.PublicationFigures `json:"publications"`
	Milestones   []milestoneFigure         `json:"milestones"`
	Teams        int                       `json:"teams"`
	PersonTimes  int                       `json:"person_times"`
}

type milestoneFigure struct {
	Title   string   `json:"title"`
	Kind    string   `json:"kind"`
	On      string   `json:"occurred_on"`
	Grantor string   `json:"grantor,omitempty"`
	Members []string `json:"members,omitempty"`
}

func figuresOf(r domain.PartnershipReport) reportFigures {
	o := r.Outcomes
	f := reportFigures{Techniques: o.Techniques, ByNovelty: o.ByNovelty, Services: o.Services, Trainees: o.Trainees,
		Projects: o.Projects.Total, Funded: o.Projects.Funded, ByLead: map[string]int64{}, Papers: o.Papers,
		Teams: r.Teams.Teams, PersonTimes: r.Teams.PersonTimes}
	for _, s := range o.ServiceList {
		f.ServiceNames = append(f.ServiceNames, s.Title+" ("+string(s.Change)+")")
	}
	for _, c := range o.Projects.ByLead {
		f.ByLead[r.Names[c.Key]] = c.N
	}
	for _, m := range o.Milestones {
		mf := milestoneFigure{Title: m.Title, Kind: string(m.Milestone), On: m.OccurredOn.String(), Grantor: m.Grantor}
		for _, id := range m.MemberIDs {
			mf.Members = append(mf.Members, r.Names[id])
		}
		f.Milestones = append(f.Milestones, mf)
	}
	return f
}

// TestKashiReport reads the report of Xinhua Hospital's partnership with
// the Second People's Hospital of Kashi off the API and finds in it the
// figures of the Xinjiang account, counted from the demo's records.
func TestKashiReport(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			r := m.call("GET", "/api/v1/reports/partnerships/"+m.kashiPartnership(), m.token("viewer@shhealth.example.org"), nil)
			if r.Status != 200 {
				t.Fatalf("report: %d %s", r.Status, r.Body)
			}
			var rep domain.PartnershipReport
			if err := json.Unmarshal(r.Body, &rep); err != nil {
				t.Fatal(err)
			}
			f := figuresOf(rep)
			novelty := map[string]int64{}
			for _, c := range f.ByNovelty {
				novelty[c.Key] = c.N
			}
			for _, c := range []struct {
				what      string
				got, want int64
			}{
				{"techniques", f.Techniques, 81},
				{"techniques filling a gap in Xinjiang", novelty["fills_regional_gap"], 5},
				{"techniques leading in Xinjiang", novelty["region_leading"], 13},
				{"techniques filling a gap in South Xinjiang", novelty["fills_subregional_gap"], 18},
				{"talents trained", f.Trainees, 47},
				{"study projects won by the team", f.ByLead["Xinhua Hospital affiliated to Shanghai Jiao Tong University School of Medicine"], 8},
				{"research projects won by the Kashi hospital", f.ByLead["The Second People's Hospital of Kashi"], 11},
				{"papers of the team", f.Papers.Team.Total, 47},
				{"SCI papers of the team", f.Papers.Team.SCI, 24},
				{"papers of local doctors", f.Papers.Local.Total, 14},
				{"SCI papers of local doctors", f.Papers.Local.SCI, 3},
				{"papers of local doctors with an impact factor above 5", f.Papers.Local.HighImpact, 2},
			} {
				if c.got != c.want {
					t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
				}
			}
			var accredited, consortium bool
			for _, ms := range f.Milestones {
				accredited = accredited || (ms.Kind == "accreditation" && ms.Title == "Tertiary class A hospital" && ms.On == "2015-01-28")
				consortium = consortium || (ms.Kind == "consortium" && len(ms.Members) == 4)
			}
			if !accredited || !consortium {
				t.Errorf("milestones: %+v; want tertiary class A on 2015-01-28 and a consortium of 4 counties", f.Milestones)
			}
			got, err := json.MarshalIndent(f, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Compare(t, append(got, '\n'), "kashi-report")
		})
	}
}
