package mission

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"aidbridge/internal/domain"
)

func candidate(id, specialty string, stage domain.ApplicationStage, recent int, slot string) domain.Candidate {
	return domain.Candidate{
		Application: domain.Application{ID: id, SlotID: slot, PersonID: "p" + id, PersonName: "Person " + id, Stage: stage},
		Person: domain.Person{Meta: domain.Meta{ID: "p" + id}, Name: "Person " + id, Specialty: specialty, Languages: []string{"zh"}, TitleRank: "attending",
			BirthDate: domain.Date{Year: 1985, Month: 1, Day: 1}},
		Recent: recent,
	}
}

func TestRoster(t *testing.T) {
	t.Parallel()
	m := domain.Mission{StartsOn: domain.Date{Year: 2030, Month: 1, Day: 1}, EndsOn: domain.Date{Year: 2030, Month: 6, Day: 30},
		Slots: []domain.Slot{
			{ID: "card", Specialty: "Cardiology", Count: 3, Filled: 1, Languages: []string{"zh"}},
			{ID: "surg", Specialty: "Surgery", Count: 1, MaxAge: 40},
		}}
	busy := candidate("4", "Surgery", domain.StagePassed, 0, "surg")
	busy.Busy = true
	old := candidate("5", "Surgery", domain.StagePassed, 0, "surg")
	old.Person.BirthDate = domain.Date{Year: 1970, Month: 1, Day: 1}
	mute := candidate("6", "Cardiology", domain.StagePassed, 0, "card")
	mute.Person.Languages = []string{"en"}
	cands := []domain.Candidate{
		candidate("1", "Cardiology", domain.StagePassed, 0, "card"),
		candidate("2", "Cardiology", domain.StagePassed, 2, "card"),
		candidate("3", "cardiology", domain.StageReserve, 0, "card"),
		busy, old, mute,
	}
	r, err := Roster(m, cands)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range r.Lines {
		got = append(got, l.ApplicationID+"@"+l.SlotID)
	}
	// Two cardiology places are open: the passed applicant without recent
	// missions, then the reserve (5) before the one with two recent
	// missions (20). Nobody fits surgery: one is on another team, the
	// other is over 40.
	if fmt.Sprint(got) != "[1@card 3@card]" {
		t.Errorf("lines %v, want [1@card 3@card]", got)
	}
	if len(r.Gaps) != 1 || r.Gaps[0].SlotID != "surg" || r.Gaps[0].Open != 1 {
		t.Errorf("gaps %+v, want one open surgery place", r.Gaps)
	}
	if r.Cost != 1+6 {
		t.Errorf("cost %d, want 7", r.Cost)
	}
}

// TestRosterAgainstSearch checks the roster against an exhaustive search
// on small random missions: as many people placed as any placement can,
// and no placement of as many costs less.
func TestRosterAgainstSearch(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	specialties := []string{"Cardiology", "Surgery", "Nursing"}
	for round := range 300 {
		m := domain.Mission{StartsOn: domain.Date{Year: 2030, Month: 1, Day: 1}, EndsOn: domain.Date{Year: 2030, Month: 6, Day: 30}}
		for j := range 1 + rng.IntN(3) {
			m.Slots = append(m.Slots, domain.Slot{ID: fmt.Sprint("s", j), Specialty: specialties[rng.IntN(3)], Count: 1 + rng.IntN(2)})
		}
		var cands []domain.Candidate
		for i := range rng.IntN(7) {
			stage := domain.StagePassed
			if rng.IntN(3) == 0 {
				stage = domain.StageReserve
			}
			c := candidate(fmt.Sprint(i), specialties[rng.IntN(3)], stage, rng.IntN(3), m.Slots[rng.IntN(len(m.Slots))].ID)
			c.Busy = rng.IntN(6) == 0
			cands = append(cands, c)
		}
		r, err := Roster(m, cands)
		if err != nil {
			t.Fatal(err)
		}
		bestN, bestCost := search(m, cands)
		applied := map[string]string{}
		for _, c := range cands {
			applied[c.Application.ID] = c.Application.SlotID
		}
		for _, l := range r.Lines {
			if l.Moved != (l.SlotID != applied[l.ApplicationID]) {
				t.Fatalf("round %d: line %+v says moved %v", round, l, l.Moved)
			}
		}
		if len(r.Lines) != bestN || r.Cost != bestCost {
			t.Fatalf("round %d: roster places %d at cost %d, the search %d at cost %d", round, len(r.Lines), r.Cost, bestN, bestCost)
		}
	}
}

// search tries every placement of the candidates: each on one slot it may
// take or on none, within the slots' open places.
func search(m domain.Mission, cands []domain.Candidate) (int, int64) {
	open := make([]int, len(m.Slots))
	for j, s := range m.Slots {
		open[j] = s.Open()
	}
	bestN, bestCost := 0, int64(0)
	var try func(i, n int, cost int64)
	try = func(i, n int, cost int64) {
		if i == len(cands) {
			if n > bestN || (n == bestN && cost < bestCost) {
				bestN, bestCost = n, cost
			}
			return
		}
		try(i+1, n, cost)
		c := cands[i]
		if c.Busy {
			return
		}
		for j, s := range m.Slots {
			if open[j] == 0 || !s.Fits(c.Person, m.StartsOn) {
				continue
			}
			k := int64(placeCost + recentCost*c.Recent)
			if c.Application.Stage == domain.StageReserve {
				k += reserveCost
			}
			if s.ID != c.Application.SlotID {
				k += otherSlotCost
			}
			open[j]--
			try(i+1, n+1, cost+k)
			open[j]++
		}
	}
	try(0, 0, 0)
	return bestN, bestCost
}
