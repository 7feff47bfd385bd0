package demo

import (
	"context"
	"fmt"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// The outcomes of Xinhua Hospital's three years with the Second People's
// Hospital of Kashi, exactly as the Xinjiang account counts them:
//
//   - "A total of 81 new medical techniques are introduced into clinical
//     practice, of which 5 fill the technological gap in Xinjiang, 13 are
//     leading in the hospitals across Xinjiang, and 18 fill the
//     technological gap in South Xinjiang": 5 fill a regional gap, 13 lead
//     in the region, 18 fill a sub-regional gap, and the other 45 are new
//     to the hospital.
//   - the comprehensive ICU, Nephrology, the Hemodialysis Unit and
//     Neonatology set up, the Imaging Center restructured (2015);
//   - "47 backbone talents" trained, with the Shanghai experts as tutors;
//   - "financial support from various sources for a total of 8 study
//     projects", won by the team's members, from the three funders named;
//   - "11 scientific research projects" applied for successfully by the
//     Kashi hospital "from Xinjiang Autonomous Region or local government";
//   - "47 academic papers, 24 of which in SCI-cited journals" by the team,
//     and "14 papers, including 3 in SCI-cited journals" by local doctors,
//     "two of these ... in the journals with an impact factor higher than 5";
//   - the title of tertiary class A hospital, granted on 2015-01-28;
//   - the first medical consortium in Xinjiang, across the people's
//     hospitals of Bachu, Shache, Zepu and Yecheng counties;
//   - the team's title of "Model Unit of Shanghai".
//
// The counts and the dated facts above are the account's. The account names
// no technique, trainee, project or paper, so their titles, fields, mentors,
// journals and impact factors are placeholders, as their names say; so is
// the split of the 8 study projects among the three funders. Where the
// account gives no date, the records are dated to the year 2015, the year
// it speaks of; that too is a placeholder.

// kashiTechniques is the number of techniques by novelty.
var kashiTechniques = []struct {
	novelty domain.Novelty
	count   int
}{{"fills_regional_gap", 5}, {"region_leading", 13}, {"fills_subregional_gap", 18}, {"new_to_hospital", 45}}

// kashiCounties are the counties of the consortium; their people's
// hospitals are its members.
var kashiCounties = []string{"Bachu", "Shache", "Zepu", "Yecheng"}

// kashiFunders are the funders of the team's study projects, as the
// account names them.
var kashiFunders = []string{
	"Xinjiang Autonomous Region Science & Technology Support Program",
	"Xinjiang Autonomous Region Natural Science Foundation",
	"Shanghai Science and Technology Commission, partner assistance training program of Domestic Science and Technology Cooperation",
}

func loadOutcomes(ctx context.Context, s *store.Store, orgIDs map[string]string) error {
	system := store.Actor{}
	list, _, err := s.ListPartnerships(ctx, domain.PartnershipFilter{OrganizationID: orgIDs[kashi], Limit: 10})
	if err != nil {
		return err
	}
	var partnership string
	for _, p := range list {
		if p.ProviderID == orgIDs[xinhua] && p.RecipientID == orgIDs[kashi] {
			partnership = p.ID
		}
	}
	if partnership == "" {
		return fmt.Errorf("demo: no partnership of Xinhua with Kashi")
	}
	missions, _, err := s.ListMissions(ctx, domain.MissionFilter{PartnershipID: partnership, Limit: 10})
	if err != nil || len(missions) == 0 {
		return fmt.Errorf("demo: the Kashi team: %v", err)
	}
	mission := missions[0]
	team, err := s.Team(ctx, mission.ID)
	if err != nil {
		return err
	}
	teamIDs := make([]string, len(team))
	for i, tm := range team {
		teamIDs[i] = tm.PersonID
	}
	year := domain.YearOf(2015)
	add := func(o domain.Outcome) error {
		o.PartnershipID = partnership
		if o.OccurredOn.IsZero() {
			o.OccurredOn = year
		}
		if err := s.CreateOutcome(ctx, system, &o); err != nil {
			return fmt.Errorf("create outcome %q: %w", o.Title, err)
		}
		return nil
	}

	n := 0
	for _, t := range kashiTechniques {
		for range t.count {
			n++
			if err := add(domain.Outcome{MissionID: mission.ID, Kind: domain.OutcomeTechnique, Novelty: t.novelty,
				Title: fmt.Sprintf("New technique %02d (placeholder name)", n), PersonIDs: []string{teamIDs[n%len(teamIDs)]}}); err != nil {
				return err
			}
		}
	}
	for _, sv := range []struct {
		title  string
		change domain.ServiceChange
	}{{"Comprehensive ICU", "established"}, {"Nephrology", "established"}, {"Hemodialysis Unit", "established"},
		{"Neonatology", "established"}, {"Imaging Center", "restructured"}} {
		if err := add(domain.Outcome{MissionID: mission.ID, Kind: domain.OutcomeService, Title: sv.title, Change: sv.change, PersonIDs: teamIDs}); err != nil {
			return err
		}
	}
	for i := range 47 {
		if err := add(domain.Outcome{MissionID: mission.ID, Kind: domain.OutcomeTrainee, Title: fmt.Sprintf("Backbone talent %02d (placeholder name)", i+1),
			Field: "Clinical department (placeholder)", MentorID: teamIDs[i%len(teamIDs)]}); err != nil {
			return err
		}
	}
	for i := range 8 {
		if err := add(domain.Outcome{MissionID: mission.ID, Kind: domain.OutcomeResearchProject, Title: fmt.Sprintf("Study project %d (placeholder title)", i+1),
			Funder: kashiFunders[i%len(kashiFunders)], Funding: "funded", LeadID: orgIDs[xinhua], PersonIDs: []string{teamIDs[i%len(teamIDs)]}}); err != nil {
			return err
		}
	}
	for i := range 11 {
		if err := add(domain.Outcome{Kind: domain.OutcomeResearchProject, Title: fmt.Sprintf("Research project of the Kashi hospital %02d (placeholder title)", i+1),
			Funder: "Xinjiang Autonomous Region or local government", Funding: "funded", LeadID: orgIDs[kashi]}); err != nil {
			return err
		}
	}
	for i := range 47 {
		if err := add(domain.Outcome{MissionID: mission.ID, Kind: domain.OutcomePublication, Title: fmt.Sprintf("Paper of the team %02d (placeholder title)", i+1),
			Journal: "Journal (placeholder)", SCIIndexed: i < 24, PersonIDs: []string{teamIDs[i%len(teamIDs)]}}); err != nil {
			return err
		}
	}
	for i := range 14 {
		o := domain.Outcome{MissionID: mission.ID, Kind: domain.OutcomePublication, Title: fmt.Sprintf("Paper of local doctors %02d (placeholder title)", i+1),
			Journal: "Journal (placeholder)", SCIIndexed: i < 3, LocalFirstAuthor: true}
		if i < 2 {
			// Two papers in journals with an impact factor above 5; the
			// factors themselves are placeholders.
			o.ImpactFactor = domain.Decimal{Thousandths: 5500 + int64(i)*700}
		}
		if err := add(o); err != nil {
			return err
		}
	}
	if err := add(domain.Outcome{Kind: domain.OutcomeMilestone, Milestone: "accreditation", Title: "Tertiary class A hospital",
		Grantor: "Xinjiang Uygur Autonomous Region", OccurredOn: domain.DayOf(domain.Date{Year: 2015, Month: time.January, Day: 28}),
		Notes: "Passed the review and evaluation by Xinjiang Autonomous Region in 2014; formally granted the title on January 28, 2015."}); err != nil {
		return err
	}
	var members []string
	for _, c := range kashiCounties {
		o := domain.Organization{Name: c + " County People's Hospital", Kind: "hospital", Country: "CN", Subdivision: "CN-XJ", City: c}
		if err := s.CreateOrganization(ctx, system, &o); err != nil {
			return fmt.Errorf("create organization %q: %w", o.Name, err)
		}
		orgIDs["county-"+c] = o.ID
		members = append(members, o.ID)
	}
	if err := add(domain.Outcome{Kind: domain.OutcomeMilestone, Milestone: "consortium", Title: "Medical consortium of South Xinjiang (Kashi)",
		MemberIDs: members,
		Notes: "The first medical consortium in Xinjiang, supporting the people's hospitals of four counties: Bachu, Shache, Zepu and Yecheng. " +
			"It also involves Kashi Health School, the Uygur medical hospital, maternal and child health care hospitals or stations, and the " +
			"medical facilities in towns and villages of the four counties."}); err != nil {
		return err
	}
	return add(domain.Outcome{MissionID: mission.ID, Kind: domain.OutcomeMilestone, Milestone: "award", Title: "Model Unit of Shanghai",
		Notes: "The medical team of Shanghai-to-Xinjiang partner assistance wins the title of “Model Unit of Shanghai”.", PersonIDs: teamIDs})
}
