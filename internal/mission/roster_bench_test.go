package mission

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"aidbridge/internal/domain"
)

// BenchmarkRoster solves the roster of a mission of 50 slots, one place
// each over ten specialties, from 5,000 passed and reserve applicants, a
// tenth of whom fail a requirement and some of whom are on other teams.
// The goal is under 100 ms.
func BenchmarkRoster(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	m := domain.Mission{StartsOn: domain.Date{Year: 2030, Month: 1, Day: 1}, EndsOn: domain.Date{Year: 2031, Month: 12, Day: 31}}
	for j := range 50 {
		m.Slots = append(m.Slots, domain.Slot{ID: fmt.Sprint("s", j), Specialty: fmt.Sprint("Specialty ", j%10), Count: 1 + j%2,
			Languages: []string{"zh"}, MinTitle: "attending", MaxAge: 55})
	}
	cands := make([]domain.Candidate, 5000)
	for i := range cands {
		stage := domain.StagePassed
		if i%4 == 0 {
			stage = domain.StageReserve
		}
		c := candidate(fmt.Sprint(i), fmt.Sprint("Specialty ", rng.IntN(10)), stage, rng.IntN(4), m.Slots[rng.IntN(50)].ID)
		c.Person.BirthDate = domain.Date{Year: 1970 + rng.IntN(30), Month: 6, Day: 1}
		c.Busy = rng.IntN(20) == 0
		cands[i] = c
	}
	b.ResetTimer()
	for b.Loop() {
		r, err := Roster(m, cands)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Lines) == 0 {
			b.Fatal("nobody placed")
		}
	}
}
