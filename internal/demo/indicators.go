package demo

import (
	"context"
	"fmt"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// The indicators the demo partnerships are measured by. What each counts
// and over which days follows from the accounts: the Xinjiang account
// speaks of the techniques and the SCI papers of Xinhua Hospital's years
// with Kashi, dated to 2015 here as the outcomes are (outcomes.go), and the
// 4th team to Baoshan saw patients in specialty clinics over its six
// months (activities.go). No account sets a target: every target below is
// a placeholder, and each indicator's notes say so. The baselines are 0:
// the counts start with the partnership's own records.

// partnershipOf returns the id of the partnership of provider with
// recipient.
func partnershipOf(ctx context.Context, s *store.Store, orgIDs map[string]string, provider, recipient string) (string, error) {
	list, _, err := s.ListPartnerships(ctx, domain.PartnershipFilter{OrganizationID: orgIDs[recipient], Limit: 100})
	if err != nil {
		return "", err
	}
	for _, p := range list {
		if p.ProviderID == orgIDs[provider] && p.RecipientID == orgIDs[recipient] {
			return p.ID, nil
		}
	}
	return "", fmt.Errorf("demo: no partnership of %s with %s", provider, recipient)
}

const placeholderTarget = "The target is a placeholder: the account sets none."

func loadIndicators(ctx context.Context, s *store.Store, orgIDs map[string]string) error {
	system := store.Actor{}
	kashiPS, err := partnershipOf(ctx, s, orgIDs, xinhua, kashi)
	if err != nil {
		return err
	}
	baoshanPS, err := partnershipOf(ctx, s, orgIDs, xinhua, baoshan)
	if err != nil {
		return err
	}
	missions, _, err := s.ListMissions(ctx, domain.MissionFilter{PartnershipID: baoshanPS, Limit: 100})
	if err != nil {
		return err
	}
	var team4 domain.Mission
	for _, m := range missions {
		if m.Sequence == 4 {
			team4 = m
		}
	}
	if team4.ID == "" {
		return fmt.Errorf("demo: no 4th team of Xinhua Hospital to Baoshan")
	}
	year2015 := func(in domain.Indicator) domain.Indicator {
		in.Period = domain.PeriodYear
		in.StartsOn, in.EndsOn = domain.Date{Year: 2015, Month: 1, Day: 1}, domain.Date{Year: 2015, Month: 12, Day: 31}
		return in
	}
	for _, in := range []domain.Indicator{
		year2015(domain.Indicator{PartnershipID: kashiPS, Name: "New techniques introduced", Rule: domain.RuleTechniques, Target: 80,
			Notes: "New medical techniques introduced into clinical practice at the Second People's Hospital of Kashi. " + placeholderTarget}),
		year2015(domain.Indicator{PartnershipID: kashiPS, Name: "Papers in SCI-indexed journals", Rule: domain.RuleSCIPublications, Target: 20,
			Notes: "Papers in journals indexed by the Science Citation Index, by the team and by local doctors. " + placeholderTarget}),
		{PartnershipID: baoshanPS, Name: "Patients seen in specialty clinics", Rule: domain.RuleActivities, ActivityKind: "specialty_clinic",
			Period: domain.PeriodQuarter, StartsOn: team4.StartsOn, EndsOn: team4.EndsOn, Target: 2000,
			Notes: "Patients the 4th team saw in specialty clinics at Baoshan People's Hospital, over its months there. " + placeholderTarget +
				" The counts of patients are placeholders too (activities)."},
	} {
		if err := s.CreateIndicator(ctx, system, &in); err != nil {
			return fmt.Errorf("demo: indicator %q: %w", in.Name, err)
		}
	}
	return nil
}
