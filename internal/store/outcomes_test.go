package store_test

import (
	"context"
	"testing"

	"aidbridge/internal/domain"
	"aidbridge/internal/store/storetest"
)

func TestOutcomes(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newMissions(t, storetest.Open(t, b))
			// Team 4 went with Dr. Chen and Dr. Li; Dr. Wang stayed home.
			m := domain.Mission{PartnershipID: f.partnership, Sequence: 4, SendingID: f.xinhua, HostID: f.baoshan,
				StartsOn: day(t, "2015-03-01"), EndsOn: day(t, "2015-08-31"), Status: domain.MissionReturned,
				Slots: []domain.Slot{{Specialty: "Cardiology", Count: 2}}}
			team := []domain.TeamMember{{PersonID: f.doctors[0].ID, Role: domain.RoleLeader}, {PersonID: f.doctors[1].ID, Role: domain.RoleOnTeam}}
			if err := f.s.RecordMission(ctx, admin, &m, team); err != nil {
				t.Fatal(err)
			}

			tech := domain.Outcome{PartnershipID: f.partnership, MissionID: m.ID, Kind: domain.OutcomeTechnique, Title: "Percutaneous coronary intervention",
				OccurredOn: domain.DayOf(day(t, "2015-05-10")), Novelty: "fills_subregional_gap", PersonIDs: []string{f.doctors[0].ID, f.doctors[1].ID}}
			if err := f.s.CreateOutcome(ctx, admin, &tech); err != nil {
				t.Fatal(err)
			}
			got, err := f.s.FindOutcome(ctx, tech.ID)
			if err != nil || got.Title != tech.Title || got.Novelty != "fills_subregional_gap" || len(got.PersonIDs) != 2 || got.PersonIDs[0] != f.doctors[0].ID || got.Version != 1 {
				t.Errorf("stored technique: %+v, %v", got, err)
			}

			paper := domain.Outcome{PartnershipID: f.partnership, Kind: domain.OutcomePublication, Title: "Outcomes of PCI in South Xinjiang",
				OccurredOn: domain.YearOf(2015), Journal: "Heart", SCIIndexed: true, ImpactFactor: domain.Decimal{Thousandths: 5123}, LocalFirstAuthor: true}
			if err := f.s.CreateOutcome(ctx, admin, &paper); err != nil {
				t.Fatal(err)
			}
			if got, _ := f.s.FindOutcome(ctx, paper.ID); got.ImpactFactor.String() != "5.123" || !got.SCIIndexed || !got.LocalFirstAuthor {
				t.Errorf("stored paper: %+v", got)
			}

			project := domain.Outcome{PartnershipID: f.partnership, Kind: domain.OutcomeResearchProject, Title: "Screening of congenital heart disease",
				OccurredOn: domain.YearOf(2015), Funder: "Xinjiang Natural Science Foundation", Funding: "funded", LeadID: f.baoshan,
				Amount: domain.Money{Minor: 12345678, Currency: "CNY"}}
			if err := f.s.CreateOutcome(ctx, admin, &project); err != nil {
				t.Fatal(err)
			}
			if got, _ := f.s.FindOutcome(ctx, project.ID); got.Amount != project.Amount || got.LeadID != f.baoshan {
				t.Errorf("stored project: %+v", got)
			}

			// Refusals name the field, and store nothing.
			for _, c := range []struct {
				name  string
				o     domain.Outcome
				field string
			}{
				{"a technique without its novelty", domain.Outcome{PartnershipID: f.partnership, Kind: domain.OutcomeTechnique, Title: "x", OccurredOn: domain.YearOf(2015)}, "novelty"},
				{"a journal on a technique", domain.Outcome{PartnershipID: f.partnership, Kind: domain.OutcomeTechnique, Title: "x", OccurredOn: domain.YearOf(2015), Novelty: "new_to_hospital", Journal: "Heart"}, "journal"},
				{"someone not on the team", domain.Outcome{PartnershipID: f.partnership, MissionID: m.ID, Kind: domain.OutcomeTechnique, Title: "x", OccurredOn: domain.YearOf(2015), Novelty: "new_to_hospital", PersonIDs: []string{f.doctors[2].ID}}, "person_ids"},
				{"a partnership that does not exist", domain.Outcome{PartnershipID: "nope", Kind: domain.OutcomeService, Title: "ICU", OccurredOn: domain.YearOf(2015), Change: "established"}, "partnership_id"},
				{"a consortium without members", domain.Outcome{PartnershipID: f.partnership, Kind: domain.OutcomeMilestone, Title: "Consortium", OccurredOn: domain.YearOf(2015), Milestone: "consortium"}, "member_ids"},
				{"an organization that does not exist", domain.Outcome{PartnershipID: f.partnership, Kind: domain.OutcomeMilestone, Title: "Consortium", OccurredOn: domain.YearOf(2015), Milestone: "consortium", MemberIDs: []string{"nope"}}, "member_ids"},
			} {
				err := f.s.CreateOutcome(ctx, admin, &c.o)
				if domain.ErrorCode(err) != domain.EINVALID || fieldCodes(err)[c.field] == nil {
					t.Errorf("%s: %v, want invalid %s", c.name, err, c.field)
				}
			}
			list, _, err := f.s.ListOutcomes(ctx, domain.OutcomeFilter{PartnershipID: f.partnership})
			if err != nil || len(list) != 3 {
				t.Fatalf("outcomes after refusals: %d, %v; want 3", len(list), err)
			}
			// Latest first: the technique of May 2015, then the two of 2015 (1 January) by id.
			if list[0].ID != tech.ID {
				t.Errorf("first listed: %s, want the technique", list[0].Title)
			}

			// A change from a stale version is refused; one from the version read is taken.
			change := tech
			change.Title = "PCI"
			if err := f.s.UpdateOutcome(ctx, admin, &change); err != nil {
				t.Fatal(err)
			}
			stale := tech
			stale.Title = "Primary PCI"
			if err := f.s.UpdateOutcome(ctx, admin, &stale); domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("a change from version 1 after version 2: %v, want conflict", err)
			}

			// Filters and paging.
			for _, c := range []struct {
				f    domain.OutcomeFilter
				want int
			}{
				{domain.OutcomeFilter{Kind: "publication"}, 1},
				{domain.OutcomeFilter{Novelty: "fills_subregional_gap"}, 1},
				{domain.OutcomeFilter{PersonID: f.doctors[1].ID}, 1},
				{domain.OutcomeFilter{MissionID: m.ID}, 1},
				{domain.OutcomeFilter{Query: "pci"}, 2},
				{domain.OutcomeFilter{From: day(t, "2015-02-01")}, 1},
			} {
				got, _, err := f.s.ListOutcomes(ctx, c.f)
				if err != nil || len(got) != c.want {
					t.Errorf("%+v: %d outcomes, %v; want %d", c.f, len(got), err, c.want)
				}
			}
			var seen []string
			cursor := ""
			for {
				got, next, err := f.s.ListOutcomes(ctx, domain.OutcomeFilter{Limit: 1, Cursor: cursor})
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range got {
					seen = append(seen, o.ID)
				}
				if next == "" {
					break
				}
				cursor = next
			}
			if len(seen) != 3 || seen[0] == seen[1] || seen[1] == seen[2] {
				t.Errorf("pages of one: %v", seen)
			}

			if err := f.s.DeleteOutcome(ctx, admin, paper.ID, 1); err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.FindOutcome(ctx, paper.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("deleted paper: %v, want not found", err)
			}
		})
	}
}
