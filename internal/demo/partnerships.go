package demo

import (
	"context"
	"fmt"
	"strconv"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// The programs and partnerships of the accounts. Where an account gives
// only a year, the date is a year (domain.YearOf); where it gives none, the
// date is left empty.

// demoProgram is a program with its partnerships; sponsors and the
// organizations of partnerships are organization keys.
type demoProgram struct {
	p            domain.Program
	sponsors     []string
	partnerships []demoPartnership
}

// demoPartnership is a partnership with its participants' roles and the
// commitments made to it, by organization key.
type demoPartnership struct {
	p                   domain.Partnership
	provider, recipient string
	participants        []demoParticipant
	commitments         []demoCommitment
}

type demoParticipant struct {
	org   string
	roles []domain.ParticipantRole
}

type demoCommitment struct {
	party      string
	c          domain.Commitment
	amount     string // with the currency below; "" for none
	currency   string
	deliveries []domain.Delivery
}

// Placeholder partner institutions: SCMC "has partnership with more than
// 30 top international medical institutions in more than ten countries,
// and has set up 8 international joint laboratories / centers / bases".
// The account names none of them, so neither their names nor their
// countries are facts: both are placeholders, as the names say.
const (
	placeholderPartners = 31
	jointLaboratories   = 8
)

// placeholderCountries are eleven countries the placeholder institutions
// are spread over, to make "more than ten countries" expressible; which
// institution is in which is not known.
var placeholderCountries = []string{"US", "GB", "CA", "AU", "DE", "FR", "IT", "JP", "SG", "NL", "SE"}

func placeholderKey(i int) string { return "partner-" + strconv.Itoa(i) }

func role(rs ...string) []domain.ParticipantRole {
	out := make([]domain.ParticipantRole, len(rs))
	for i, r := range rs {
		out[i] = domain.ParticipantRole(r)
	}
	return out
}

func programsOfAccounts() []demoProgram {
	programs := []demoProgram{
		{p: domain.Program{Name: "Shanghai-Yunnan partner assistance", Kind: "counterpart_assistance",
			// "Shanghai-to-Yunnan partner assistance has lasted for nearly 20
			// years": no start date is given.
			Description: "A task the Central Government entrusts to Shanghai: partner assistance to Yunnan Province, lasting for nearly 20 years."},
			sponsors: []string{shGov},
			partnerships: []demoPartnership{{provider: xinhua, recipient: baoshan,
				p: domain.Partnership{Name: "Xinhua Hospital → Baoshan People's Hospital", Status: domain.PartnershipActive,
					Goals: "Teach and pass the advanced medical technology of Shanghai to the healthcare professionals of Baoshan, and bring quality healthcare to the people of West Yunnan at their homes."},
				participants: []demoParticipant{{xinhua, role("implementing")}}}}},
		{p: domain.Program{Name: "Medical aid to Morocco (since 1975)", Kind: "international_aid", StartsOn: domain.YearOf(1975),
			Description: "Xinhua Hospital has been entrusted by the Shanghai Municipal Government since 1975 to dispatch medical teams to Morocco: 17 teams, 67 person-times in more than 40 years."},
			sponsors: []string{shGov},
			partnerships: []demoPartnership{{provider: xinhua, recipient: meknes,
				// The account names Meknes only for the team of 2015; the
				// partnership runs under the program since 1975.
				p: domain.Partnership{Name: "Xinhua Hospital → hospital in Meknes", Status: domain.PartnershipActive, StartsOn: domain.YearOf(1975),
					Goals: "Serve the local people with medical teams of Xinhua Hospital, each on a two-year mission."},
				participants: []demoParticipant{{shGov, role("accountable")}, {xinhua, role("implementing")}}}}},
		{p: domain.Program{Name: "Shanghai-Xinjiang partner assistance", Kind: "counterpart_assistance",
			Description: "Shanghai medical teams assist hospitals in Xinjiang Uygur Autonomous Region."},
			sponsors: []string{shGov},
			partnerships: []demoPartnership{{provider: xinhua, recipient: kashi,
				// "Xinhua Hospital has provided assistance to the Second
				// People's Hospital of Kashi for three years": the years are
				// not given.
				p: domain.Partnership{Name: "Xinhua Hospital → The Second People's Hospital of Kashi (three years)", Status: domain.PartnershipCompleted,
					Goals: "Support the discipline construction of the Second People's Hospital of Kashi and make it one of the best hospitals in South Xinjiang; upgrade it to a tertiary class A hospital."},
				participants: []demoParticipant{{shGov, role("accountable")}, {shSci, role("funding")}, {xinhua, role("implementing")}}}}},
		{p: domain.Program{Name: "Founding of Shanghai Children's Medical Center", Kind: "joint_institution",
			Description: "Shanghai Children's Medical Center was jointly established by the Shanghai Municipal People's Government and Project HOPE; it was officially opened in 1998."},
			sponsors: []string{shGov, hope},
			partnerships: []demoPartnership{{provider: hope, recipient: scmc,
				// Project HOPE experts first visited the center in 1988; the
				// hospital was officially opened in 1998.
				p: domain.Partnership{Name: "Founding partnership of SCMC: Shanghai and Project HOPE", Status: domain.PartnershipCompleted,
					StartsOn: domain.YearOf(1988), EndsOn: domain.YearOf(1998),
					Goals: "Build a children's hospital in Pudong, Shanghai, with equipment and personnel training from the US side."},
				participants: []demoParticipant{{shGov, role("funding", "accountable")}, {hope, role("funding", "implementing")}},
				commitments: []demoCommitment{
					{party: hope, amount: "25000000", currency: "USD",
						c: domain.Commitment{Kind: "money", Description: "The US side agreed to invest $25 million in equipment and personnel training."},
						// The account says what happened, not how much of the
						// money it took: a delivery in words only.
						deliveries: []domain.Delivery{{DeliveredOn: domain.YearOf(1988),
							Description: "Project HOPE experts visit the center for the first time; Chinese doctors begin to study overseas."}}},
					{party: shGov, amount: "300000000", currency: "CNY",
						c: domain.Commitment{Kind: "money", Description: "The Chinese side decided to spend about 300 million yuan (about $60 million in 1990) on the project."}},
				}}}},
	}
	// SCMC's international partnerships and joint laboratories, with
	// placeholder partners.
	intl := demoProgram{p: domain.Program{Name: "SCMC international partnerships", Kind: "exchange",
		Description: "SCMC has partnership with more than 30 top international medical institutions in more than ten countries. The partner institutions here are placeholders: the account does not name them."},
		sponsors: []string{scmc}}
	for i := 1; i <= placeholderPartners; i++ {
		intl.partnerships = append(intl.partnerships, demoPartnership{provider: placeholderKey(i), recipient: scmc,
			p:            domain.Partnership{Name: fmt.Sprintf("Partner institution %02d (placeholder) ↔ SCMC", i), Status: domain.PartnershipActive},
			participants: []demoParticipant{{placeholderKey(i), role("implementing")}, {scmc, role("implementing")}}})
	}
	labs := demoProgram{p: domain.Program{Name: "SCMC international joint laboratories, centers and bases", Kind: "joint_institution",
		Description: "SCMC has set up 8 international joint laboratories, centers and bases. Their partners are placeholders: the account does not name them."},
		sponsors: []string{scmc}}
	for i := 1; i <= jointLaboratories; i++ {
		labs.partnerships = append(labs.partnerships, demoPartnership{provider: scmc, recipient: placeholderKey(i),
			p:            domain.Partnership{Name: fmt.Sprintf("Joint laboratory %d (placeholder)", i), Status: domain.PartnershipActive},
			participants: []demoParticipant{{scmc, role("implementing")}, {placeholderKey(i), role("implementing")}}})
	}
	return append(programs, intl, labs)
}

// loadPartnerships adds the placeholder partner institutions, then the
// programs, partnerships, commitments and deliveries of the accounts.
func loadPartnerships(ctx context.Context, s *store.Store, orgIDs map[string]string) error {
	system := store.Actor{}
	for i := 1; i <= placeholderPartners; i++ {
		o := domain.Organization{Name: fmt.Sprintf("Partner institution %02d (placeholder)", i), Kind: "other",
			Country: placeholderCountries[(i-1)%len(placeholderCountries)]}
		if err := s.CreateOrganization(ctx, system, &o); err != nil {
			return fmt.Errorf("create organization %q: %w", o.Name, err)
		}
		orgIDs[placeholderKey(i)] = o.ID
	}
	for _, dp := range programsOfAccounts() {
		pr := dp.p
		for _, k := range dp.sponsors {
			pr.SponsorIDs = append(pr.SponsorIDs, orgIDs[k])
		}
		if err := s.CreateProgram(ctx, system, &pr); err != nil {
			return fmt.Errorf("create program %q: %w", pr.Name, err)
		}
		for _, d := range dp.partnerships {
			ps := d.p
			ps.ProgramID, ps.ProviderID, ps.RecipientID = pr.ID, orgIDs[d.provider], orgIDs[d.recipient]
			for _, pt := range d.participants {
				ps.Participants = append(ps.Participants, domain.Participant{OrganizationID: orgIDs[pt.org], Roles: pt.roles})
			}
			if err := s.CreatePartnership(ctx, system, &ps); err != nil {
				return fmt.Errorf("create partnership %q: %w", ps.Name, err)
			}
			for _, dc := range d.commitments {
				c := dc.c
				c.PartnershipID, c.PartyID = ps.ID, orgIDs[dc.party]
				if dc.amount != "" {
					m, err := domain.ParseMoney(dc.amount, dc.currency)
					if err != nil {
						return err
					}
					c.Amount = m
				}
				if err := s.CreateCommitment(ctx, system, &c); err != nil {
					return fmt.Errorf("create commitment of %s to %q: %w", dc.party, ps.Name, err)
				}
				for _, dd := range dc.deliveries {
					dd.CommitmentID = c.ID
					if _, err := s.RecordDelivery(ctx, system, &dd); err != nil {
						return fmt.Errorf("record delivery against %s's commitment: %w", dc.party, err)
					}
				}
			}
		}
	}
	return nil
}
