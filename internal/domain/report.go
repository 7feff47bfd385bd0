package domain

import (
	"cmp"
	"slices"
)

// Count is a number of records with a key: a novelty, a kind, a year, an
// organization.
type Count struct {
	Key string `json:"key"`
	N   int64  `json:"count"`
}

// OutcomeFigures are what a report says of outcomes, counted from the
// records in the database.
type OutcomeFigures struct {
	// Techniques is the number of techniques introduced, and ByNovelty
	// those of each novelty level in the order of Novelties, zeros
	// included.
	Techniques int64   `json:"techniques"`
	ByNovelty  []Count `json:"techniques_by_novelty"`
	// Services counts the services by what was done to them (established,
	// restructured); ServiceList names them, the first MaxReportList.
	Services    []Count            `json:"services"`
	ServiceList []Outcome          `json:"service_list"`
	Trainees    int64              `json:"trainees"`
	Projects    ProjectFigures     `json:"research_projects"`
	Papers      PublicationFigures `json:"publications"`
	// Milestones are the milestones themselves, oldest first, the first
	// MaxReportList.
	Milestones []Outcome `json:"milestones"`
	// ByYear counts outcomes by kind (Key) and year.
	ByYear []YearCount `json:"by_year"`
}

// YearCount is a number of records of a kind in a year.
type YearCount struct {
	Kind string `json:"kind"`
	Year int    `json:"year"`
	N    int64  `json:"count"`
}

// ProjectFigures count research projects: in all, funded and applied for,
// by the organization that holds them, and their amounts per currency,
// never added across currencies.
type ProjectFigures struct {
	Total   int64   `json:"total"`
	Funded  int64   `json:"funded"`
	Applied int64   `json:"applied"`
	ByLead  []Count `json:"by_lead"` // Key is the organization's id; "" for projects that name none
	Funding []Money `json:"funded_amounts"`
}

// PublicationFigures count papers: those of the team and those whose first
// author is a local doctor, each with the SCI-indexed among them and those
// in journals with an impact factor above HighImpactFactor.
type PublicationFigures struct {
	Total int64       `json:"total"`
	SCI   int64       `json:"sci_indexed"`
	Team  PaperCounts `json:"by_team"`
	Local PaperCounts `json:"by_local_doctors"`
}

// PaperCounts count a group of papers.
type PaperCounts struct {
	Total      int64 `json:"total"`
	SCI        int64 `json:"sci_indexed"`
	HighImpact int64 `json:"high_impact"`
}

// HighImpactFactor is the impact factor above which a journal counts as
// high impact in reports: the Xinjiang account counts papers "in the
// journals with an impact factor higher than 5".
var HighImpactFactor = Decimal{Thousandths: 5000}

// MaxReportList is the most records a report lists by name (services,
// milestones); the figures count them all.
const MaxReportList = 100

// OutcomeTally is one group of outcomes as the store counts them: the
// values that tell the groups apart and the number in the group.
type OutcomeTally struct {
	Kind       OutcomeKind
	Novelty    Novelty
	Change     ServiceChange
	Funding    Funding
	LeadID     string
	SCI        bool
	LocalFirst bool
	HighImpact bool
	N          int64
}

// Figures adds up the tallies of outcomes into a report's figures, so that
// every report counts the same way.
func Figures(tallies []OutcomeTally) OutcomeFigures {
	var f OutcomeFigures
	novelty := map[Novelty]int64{}
	change := map[ServiceChange]int64{}
	lead := map[string]int64{}
	var leads []string
	for _, t := range tallies {
		switch t.Kind {
		case OutcomeTechnique:
			f.Techniques += t.N
			novelty[t.Novelty] += t.N
		case OutcomeService:
			change[t.Change] += t.N
		case OutcomeTrainee:
			f.Trainees += t.N
		case OutcomeResearchProject:
			f.Projects.Total += t.N
			if t.Funding == "funded" {
				f.Projects.Funded += t.N
			} else {
				f.Projects.Applied += t.N
			}
			if _, ok := lead[t.LeadID]; !ok {
				leads = append(leads, t.LeadID)
			}
			lead[t.LeadID] += t.N
		case OutcomePublication:
			f.Papers.Total += t.N
			g := &f.Papers.Team
			if t.LocalFirst {
				g = &f.Papers.Local
			}
			g.Total += t.N
			if t.SCI {
				f.Papers.SCI += t.N
				g.SCI += t.N
			}
			if t.HighImpact {
				g.HighImpact += t.N
			}
		}
	}
	for _, n := range Novelties {
		f.ByNovelty = append(f.ByNovelty, Count{string(n), novelty[n]})
	}
	for _, c := range ServiceChanges {
		f.Services = append(f.Services, Count{string(c), change[c]})
	}
	f.Projects.ByLead = []Count{}
	for _, id := range leads {
		f.Projects.ByLead = append(f.Projects.ByLead, Count{id, lead[id]})
	}
	slices.SortFunc(f.Projects.ByLead, func(a, b Count) int {
		if a.N != b.N {
			return cmp.Compare(b.N, a.N)
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return f
}

// PartnershipReport is what a partnership left behind and what it took,
// counted from the records: its outcomes, its teams, and the commitments
// made to it against what was delivered, per currency.
type PartnershipReport struct {
	Partnership Partnership         `json:"partnership"`
	ProgramName string              `json:"program_name"`
	Names       map[string]string   `json:"organization_names" doc:"The names of the organizations the report names, by id"`
	Outcomes    OutcomeFigures      `json:"outcomes"`
	Teams       TeamFacts           `json:"teams"`
	Commitments CommitmentFigures   `json:"commitments"`
	Activities  ActivityFigures     `json:"activities"`
	Indicators  []IndicatorProgress `json:"indicators"`
}

// ProgramReport is the same as PartnershipReport summed over the
// partnerships of a program.
type ProgramReport struct {
	Program      Program           `json:"program"`
	Partnerships []Partnership     `json:"partnerships"`
	Names        map[string]string `json:"organization_names"`
	Outcomes     OutcomeFigures    `json:"outcomes"`
	Teams        TeamFacts         `json:"teams"`
	Commitments  CommitmentFigures `json:"commitments"`
	Activities   ActivityFigures   `json:"activities"`
}

// ActivityFigures are what the teams did: per kind, the activities and
// their counts (patients or participants) summed, in the order of
// ActivityKinds, and the same per month and kind.
type ActivityFigures struct {
	Activities int64           `json:"activities"`
	Count      int64           `json:"count"`
	ByKind     []ActivityTotal `json:"by_kind" doc:"month is empty"`
	ByMonth    []ActivityTotal `json:"by_month"`
}

// ActivityFiguresOf adds the totals by month and kind up by kind.
func ActivityFiguresOf(totals []ActivityTotal) ActivityFigures {
	f := ActivityFigures{ByMonth: totals, ByKind: []ActivityTotal{}}
	if f.ByMonth == nil {
		f.ByMonth = []ActivityTotal{}
	}
	by := map[ActivityKind]*ActivityTotal{}
	for _, t := range totals {
		f.Activities += int64(t.Activities)
		f.Count += t.Count
		k := by[t.Kind]
		if k == nil {
			k = &ActivityTotal{Kind: t.Kind}
			by[t.Kind] = k
		}
		k.Activities += t.Activities
		k.Count += t.Count
	}
	for _, kind := range ActivityKinds {
		if k := by[kind]; k != nil {
			f.ByKind = append(f.ByKind, *k)
		}
	}
	return f
}

// CommitmentFigures are the commitments made and what was delivered
// against them, per currency (never added across currencies), and the
// commitments that name no amount.
type CommitmentFigures struct {
	Count    int             `json:"count"`
	Totals   []CurrencyTotal `json:"totals"`
	Unpriced int             `json:"without_amount"`
}

// CurrencyTotal is what was committed and delivered in one currency.
type CurrencyTotal struct {
	Currency  string `json:"currency"`
	Committed Money  `json:"committed"`
	Delivered Money  `json:"delivered"`
}
