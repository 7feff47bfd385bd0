package mission

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/flow"
)

// The costs of a placement in a roster: each mission the person went on in
// the recent years costs recentCost, a reserve costs reserveCost more than
// an applicant who passed and was not yet decided on, and a slot other than
// the one applied for (of the same specialty, whose requirements the
// person meets) otherSlotCost more, so that those who passed come first,
// the burden of missions is shared, and people go where they asked.
const (
	recentCost    = 10
	reserveCost   = 5
	otherSlotCost = 1
	placeCost     = 1
)

// Suggest proposes whom to place on the mission's open places, for a
// reviewer to accept line by line: passed and reserve applicants on no
// overlapping team, each on a slot whose specialty and requirements they
// meet, as many as can be placed and, among those placements,
// the one with the fewest recent missions and reserves. It is a
// minimum-cost flow (an assignment problem) solved exactly by the engine of
// internal/flow. For the sending organization's reviewers, admins and
// coordinators.
func (s *Service) Suggest(ctx context.Context, u *domain.User, missionID string) (domain.Roster, error) {
	m, err := s.Mission(ctx, u, missionID)
	if err != nil {
		return domain.Roster{}, err
	}
	if err := access.Allow(u, access.ReadAllApplications, MissionResource(m)); err != nil {
		return domain.Roster{}, err
	}
	cands, err := s.store.RosterCandidates(ctx, m)
	if err != nil {
		return domain.Roster{}, err
	}
	return Roster(m, cands)
}

// Roster solves the placement of candidates onto the mission's open places.
//
// Only the cheapest candidates of each slot can matter: with P places open
// in all, an optimal placement never needs a slot's candidate beyond its P
// cheapest, for one of those is always free to take the place at no more
// cost. So each slot keeps its P cheapest, which bounds the network by the
// places rather than by the applicants.
//
// The network: a source of P units; an arc of capacity 1 from the source
// to each candidate kept; from a candidate, an arc of capacity 1 to each
// slot they may take, at the cost of placing them there; from each slot,
// an arc to the sink of capacity its open places; and a bypass from the
// source to the sink for the places left open, at a cost above any P
// placements together, so that the optimum fills as many places as
// possible and then costs the least.
func Roster(m domain.Mission, cands []domain.Candidate) (domain.Roster, error) {
	out := domain.Roster{Lines: []domain.RosterLine{}, Gaps: []domain.RosterGap{}}
	slotIndex := map[string]int{}
	total := 0
	for i, sl := range m.Slots {
		slotIndex[sl.ID] = i
		total += sl.Open()
	}
	type option struct {
		cand int
		cost int64
	}
	perSlot := make([][]option, len(m.Slots))
	if total > 0 {
		for i, c := range cands {
			if c.Busy {
				continue
			}
			for j, sl := range m.Slots {
				if sl.Open() == 0 || !sl.Fits(c.Person, m.StartsOn) {
					continue
				}
				cost := int64(placeCost + recentCost*c.Recent)
				if c.Application.Stage == domain.StageReserve {
					cost += reserveCost
				}
				if sl.ID != c.Application.SlotID {
					cost += otherSlotCost
				}
				perSlot[j] = append(perSlot[j], option{i, cost})
			}
		}
	}
	node := map[int]int{} // candidate -> node
	var kept []int        // candidates by node, from 2
	for j := range perSlot {
		slices.SortFunc(perSlot[j], func(a, b option) int {
			if a.cost != b.cost {
				return int(a.cost - b.cost)
			}
			return a.cand - b.cand
		})
		if len(perSlot[j]) > total {
			perSlot[j] = perSlot[j][:total]
		}
		for _, o := range perSlot[j] {
			if _, ok := node[o.cand]; !ok {
				node[o.cand] = 2 + len(kept)
				kept = append(kept, o.cand)
			}
		}
	}
	// Nodes: 0 the source, 1 the sink, the candidates kept, then the slots.
	source, sink := 0, 1
	slotNode := func(j int) int { return 2 + len(kept) + j }
	n := 2 + len(kept) + len(m.Slots)
	var arcs []flow.Arc
	for range kept {
		arcs = append(arcs, flow.Arc{From: source, To: 2 + len(arcs), Cap: 1})
	}
	type placement struct{ cand, slot int }
	placeArc := map[int]placement{} // by arc index, the candidate -> slot arcs
	maxCost := int64(placeCost)
	for j, opts := range perSlot {
		for _, o := range opts {
			placeArc[len(arcs)] = placement{o.cand, j}
			arcs = append(arcs, flow.Arc{From: node[o.cand], To: slotNode(j), Cap: 1, Cost: o.cost})
			maxCost = max(maxCost, o.cost)
		}
	}
	for j, sl := range m.Slots {
		arcs = append(arcs, flow.Arc{From: slotNode(j), To: sink, Cap: int64(sl.Open())})
	}
	bypass := (int64(total) + 1) * (maxCost + 1)
	arcs = append(arcs, flow.Arc{From: source, To: sink, Cap: int64(total), Cost: bypass})
	supply := make([]int64, n)
	supply[source], supply[sink] = int64(total), -int64(total)
	sol, err := flow.Solve(&flow.Problem{N: n, Supply: supply, Arcs: arcs})
	if err != nil {
		return out, fmt.Errorf("roster network: %w", err)
	}
	filled := make([]int, len(m.Slots))
	for a, x := range sol.Flow {
		p, ok := placeArc[a]
		if !ok || x == 0 {
			continue
		}
		c, sl := cands[p.cand], m.Slots[p.slot]
		filled[p.slot]++
		out.Cost += arcs[a].Cost
		out.Lines = append(out.Lines, domain.RosterLine{ApplicationID: c.Application.ID, PersonID: c.Person.ID, PersonName: c.Person.Name,
			SlotID: sl.ID, Specialty: sl.Specialty, Stage: c.Application.Stage, Recent: c.Recent, Version: c.Application.Version,
			Moved: sl.ID != c.Application.SlotID})
	}
	slices.SortStableFunc(out.Lines, func(a, b domain.RosterLine) int {
		if d := slotIndex[a.SlotID] - slotIndex[b.SlotID]; d != 0 {
			return d
		}
		if a.Recent != b.Recent {
			return a.Recent - b.Recent
		}
		return strings.Compare(a.PersonName, b.PersonName)
	})
	for j, sl := range m.Slots {
		if open := sl.Open() - filled[j]; open > 0 {
			out.Gaps = append(out.Gaps, domain.RosterGap{SlotID: sl.ID, Specialty: sl.Specialty, Open: open})
		}
	}
	return out, nil
}
