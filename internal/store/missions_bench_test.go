package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

// bulk runs the statements of fn in one transaction on the store's
// database, for setting up what the benchmarks read; the records it makes
// are as the store would make them, without an audit.
func bulk(b *testing.B, s *store.Store, fn func(tx *sql.Tx) error) {
	b.Helper()
	tx, err := s.DB().Begin()
	if err != nil {
		b.Fatal(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkTeamFacts counts the teams and person-times of a program by
// year over 100,000 team memberships: 25,000 missions of four members,
// under 100 partnerships of one program, since 1975. The goal is under
// 100 ms on both databases.
func BenchmarkTeamFacts(b *testing.B) {
	for _, be := range storetest.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			ctx := context.Background()
			f := newMissions(b, storetest.Open(b, be))
			ps, _ := f.s.FindPartnership(ctx, f.partnership)
			const partnerships, missions, members = 100, 25000, 4
			bulk(b, f.s, func(tx *sql.Tx) error {
				ids := []string{ps.ID}
				for i := 1; i < partnerships; i++ {
					id := fmt.Sprintf("bench-ps-%d", i)
					if _, err := tx.Exec(`INSERT INTO partnerships (id, program_id, name, provider_id, recipient_id, status, created_at, updated_at)
						VALUES ($1, $2, $3, $4, $5, 'active', $6, $6)`, id, ps.ProgramID, id, f.xinhua, f.baoshan, ps.CreatedAt); err != nil {
						return err
					}
					ids = append(ids, id)
				}
				people := make([]string, 2000)
				for i := range people {
					people[i] = fmt.Sprintf("bench-person-%d", i)
					if _, err := tx.Exec(`INSERT INTO people (id, organization_id, name, created_at, updated_at) VALUES ($1, $2, $1, $3, $3)`,
						people[i], f.xinhua, ps.CreatedAt); err != nil {
						return err
					}
				}
				for i := range missions {
					id := fmt.Sprintf("bench-m-%d", i)
					starts := domain.Date{Year: 1975 + i%50, Month: time.Month(1 + (i/50)%12), Day: 1}
					ends := domain.Date{Year: starts.Year, Month: starts.Month, Day: 28}
					if _, err := tx.Exec(`INSERT INTO missions (id, partnership_id, sequence, sending_id, host_id, starts_on, ends_on, status, created_at, updated_at)
						VALUES ($1, $2, $3, $4, $5, $6, $7, 'returned', $8, $8)`, id, ids[i%partnerships], 1+i/partnerships, f.xinhua, f.baoshan,
						starts, ends, ps.CreatedAt); err != nil {
						return err
					}
					for k := range members {
						if _, err := tx.Exec(`INSERT INTO team_members (mission_id, person_id, role) VALUES ($1, $2, 'member')`,
							id, people[(i*members+k)%len(people)]); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if _, err := f.s.DB().Exec(`ANALYZE`); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				facts, err := f.s.TeamFacts(ctx, domain.MissionFilter{ProgramID: ps.ProgramID})
				if err != nil {
					b.Fatal(err)
				}
				if facts.Teams != missions || facts.PersonTimes != missions*members {
					b.Fatalf("%d teams, %d person-times", facts.Teams, facts.PersonTimes)
				}
			}
		})
	}
}

// BenchmarkRosterCandidates reads the 5,000 screened applicants of a
// mission with their recent missions and overlaps, which the roster
// suggestion of 50 slots then places (BenchmarkRoster in internal/mission
// times that part). Together the goal is under 100 ms.
func BenchmarkRosterCandidates(b *testing.B) {
	for _, be := range storetest.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			ctx := context.Background()
			f := newMissions(b, storetest.Open(b, be))
			m := f.mission(b, 1, "2030-01-01", "2031-12-31", 50)
			ps, _ := f.s.FindPartnership(ctx, f.partnership)
			const applicants = 5000
			bulk(b, f.s, func(tx *sql.Tx) error {
				for i := range applicants {
					person, app := fmt.Sprintf("bench-person-%d", i), fmt.Sprintf("bench-app-%d", i)
					if _, err := tx.Exec(`INSERT INTO people (id, organization_id, name, specialty, languages, title_rank, birth_date, created_at, updated_at)
						VALUES ($1, $2, $1, 'Cardiology', '["zh"]', 'attending', $3, $4, $4)`, person, f.xinhua, domain.Date{Year: 1970 + i%30, Month: 6, Day: 1}, ps.CreatedAt); err != nil {
						return err
					}
					stage := "passed"
					if i%4 == 0 {
						stage = "reserve"
					}
					if _, err := tx.Exec(`INSERT INTO applications (id, mission_id, slot_id, person_id, stage, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
						app, m.ID, m.Slots[0].ID, person, stage, ps.CreatedAt); err != nil {
						return err
					}
				}
				// A past mission for every tenth of them.
				for i := 0; i < applicants; i += 10 {
					id := fmt.Sprintf("bench-past-%d", i)
					if _, err := tx.Exec(`INSERT INTO missions (id, partnership_id, sequence, sending_id, host_id, starts_on, ends_on, status, created_at, updated_at)
						VALUES ($1, $2, $3, $4, $5, '2025-01-01', '2025-06-30', 'returned', $6, $6)`, id, f.partnership, 100+i, f.xinhua, f.baoshan, ps.CreatedAt); err != nil {
						return err
					}
					if _, err := tx.Exec(`INSERT INTO team_members (mission_id, person_id, role) VALUES ($1, $2, 'member')`, id, fmt.Sprintf("bench-person-%d", i)); err != nil {
						return err
					}
				}
				return nil
			})
			if _, err := f.s.DB().Exec(`ANALYZE`); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				cands, err := f.s.RosterCandidates(ctx, m)
				if err != nil {
					b.Fatal(err)
				}
				if len(cands) != applicants {
					b.Fatalf("%d candidates", len(cands))
				}
			}
		})
	}
}
