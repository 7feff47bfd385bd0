package demo

import (
	"context"
	"fmt"
	"time"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// The teams Xinhua Hospital sent under its partnerships, and one team being
// formed now for the demo logins to work on.
//
// What the accounts give, and what is therefore fact here:
//   - Baoshan: the partner assistance had lasted two years; the 2nd and 3rd
//     teams had completed their six-month missions and the 4th was on its
//     way. The members of each team were selected by early mobilization,
//     voluntary registration, screening within the department and a final
//     hospital decision.
//   - Morocco: teams since 1975, 17 teams and 67 person-times in all, each
//     on a two-year mission; the team of 2015 was formed within two weeks of
//     an emergent notice, seen off at a farewell party on October 14, and its
//     six members departed for Meknes on October 22 for two years; they were
//     not more than 40 years old on average, the youngest team the hospital
//     ever sent.
//   - Kashi: three years of assistance; in 2015 a Xinhua medical team set up
//     the comprehensive ICU, Nephrology, the Hemodialysis Unit and
//     Neonatology and restructured the Imaging Center.
//
// What the accounts do not give, and is therefore a placeholder: every
// member's name (the names say so: "Morocco team 3 member 2"), specialty,
// title, title rank and birth date; the size of every team but the Morocco
// team of 2015; every date but that team's; the number of the Kashi team.
// The placeholder birth dates make every other team older on average than
// the Morocco team of 2015, as the account says it was the youngest.
//
// The 18th team to Morocco, recruiting, is a demo scenario and no fact: its
// dates, slots, volunteers and their applications are invented so that the
// coordinator, screener, reviewer and doctor of Xinhua find work to do.

// historyMember is a member of a team of history.
type historyMember struct {
	name      string
	specialty string
	rank      domain.TitleRank
	birth     domain.Date
	leader    bool
	personID  string // an existing person instead of a new one
}

// historyMission is a team of history under the partnership with the
// recipient of key recipient.
type historyMission struct {
	recipient   string
	sequence    int
	starts      domain.Date
	ends        domain.Date
	deadline    domain.Date
	status      domain.MissionStatus
	description string
	members     []historyMember
}

// specialtyDepartments is the Xinhua department of each placeholder
// specialty, so that every member belongs to a department.
var specialtyDepartments = map[string]string{
	"cardiology":             xinhuaCardiology,
	"general surgery":        "General Surgery",
	"pediatrics":             "Pediatrics",
	"neonatology":            "Pediatrics",
	"nephrology":             "Nephrology",
	"critical care medicine": "Critical Care Medicine",
	"imaging":                "Imaging",
}

// placeholderSpecialties are the specialties the placeholder members of
// Morocco and Baoshan teams are spread over: those of Xinhua's departments.
var placeholderSpecialties = []string{"general surgery", "cardiology", "pediatrics", "nephrology", "critical care medicine", "imaging"}

// rankTitles is the title shown for each placeholder rank.
var rankTitles = map[domain.TitleRank]string{
	"resident":        "Resident physician",
	"attending":       "Attending physician",
	"associate_chief": "Associate chief physician",
	"chief":           "Chief physician",
}

func day(y int, m time.Month, d int) domain.Date { return domain.Date{Year: y, Month: m, Day: d} }

// lasting returns the last day of a period of years and months from start.
func lasting(start domain.Date, years, months int) domain.Date {
	return domain.DateOf(start.Time().AddDate(years, months, -1))
}

// bornAged returns a placeholder birth date of someone who is age on
// departure: 1 to 11 months (by k) past their birthday.
func bornAged(departure domain.Date, age, k int) domain.Date {
	return domain.DateOf(departure.Time().AddDate(-age, -(k%11)-1, 0))
}

// Morocco: the figures of the account.
const (
	moroccoTeams       = 17
	moroccoPersonTimes = 67
)

// moroccoTeam2015 are the six members of the team of 2015. Their ages on
// departure are placeholders: 42, 40, 39, 38, 36 and 33, 38.0 on average,
// which is not more than 40 as the account says.
func moroccoTeam2015(departure domain.Date) []historyMember {
	ages := []int{42, 40, 39, 38, 36, 33}
	ranks := []domain.TitleRank{"associate_chief", "associate_chief", "attending", "attending", "attending", "attending"}
	out := make([]historyMember, len(ages))
	for i, age := range ages {
		out[i] = historyMember{name: fmt.Sprintf("Morocco team %d member %d", moroccoTeams, i+1),
			specialty: placeholderSpecialties[i], rank: ranks[i], birth: bornAged(departure, age, i), leader: i == 0}
	}
	return out
}

// placeholderTeam returns size placeholder members of a team, the first its
// leader, each between 42 and 53 years old on departure so that the team
// is older on average than the Morocco team of 2015.
func placeholderTeam(place string, sequence, size int, departure domain.Date) []historyMember {
	out := make([]historyMember, size)
	for k := range size {
		rank := domain.TitleRank("attending")
		if k == 0 {
			rank = "chief"
		} else if k%2 == 1 {
			rank = "associate_chief"
		}
		out[k] = historyMember{name: fmt.Sprintf("%s team %d member %d", place, sequence, k+1),
			specialty: placeholderSpecialties[(sequence+k)%len(placeholderSpecialties)], rank: rank,
			birth: bornAged(departure, 42+(sequence*7+k*5)%12, sequence+k), leader: k == 0}
	}
	return out
}

// moroccoHistory returns the 17 teams to Meknes. Teams 1 to 16 are
// placeholders: the account gives only their number and, with the team of
// 2015, their 67 person-times. They leave on October 1 (a placeholder day)
// of years spread evenly from 1975 to 2013, each for two years; teams 1 to
// 3 have three members, the others four: 3×3 + 13×4 + 6 = 67.
func moroccoHistory() []historyMission {
	var out []historyMission
	for n := 1; n < moroccoTeams; n++ {
		starts := day(1975+((n-1)*38+7)/15, time.October, 1)
		size := 4
		if n <= 3 {
			size = 3
		}
		out = append(out, historyMission{recipient: meknes, sequence: n, starts: starts, ends: lasting(starts, 2, 0),
			status: domain.MissionReturned,
			description: fmt.Sprintf("Medical team %d of Xinhua Hospital to Morocco, two years. Placeholder: the account gives the number of teams "+
				"since 1975 and their person-times, not this team's dates, size or members.", n),
			members: placeholderTeam("Morocco", n, size, starts)})
	}
	starts := day(2015, time.October, 22)
	out = append(out, historyMission{recipient: meknes, sequence: moroccoTeams, starts: starts, ends: lasting(starts, 2, 0),
		// The notice's day is not given. The team was formed by the farewell
		// party of October 14, which is taken as the end of the two weeks.
		deadline: day(2015, time.October, 14),
		status:   domain.MissionReturned,
		description: "Formed within two weeks of an emergent notice from the higher regulatory department, seen off at a farewell party on " +
			"October 14, 2015; six members departed for Meknes on October 22, 2015 for two years of medical aid. Not more than 40 years old " +
			"on average, the youngest team the hospital ever sent. Placeholder: the members' names, specialties, titles and birth dates.",
		members: moroccoTeam2015(starts)})
	return out
}

// baoshanHistory returns the 2nd, 3rd and 4th teams to Baoshan, six months
// each. The account gives their order, not their dates: it was written two
// years into the partnership with the 4th team on its way, beside accounts
// of 2015; the teams are placed back to back from July 2014, the 4th
// on its way when the account was written and returned since. Their sizes are placeholders; the demo
// doctor is on the 4th team.
func baoshanHistory(doctorPersonID string) []historyMission {
	var out []historyMission
	starts := day(2014, time.July, 1)
	for n := 2; n <= 4; n++ {
		m := historyMission{recipient: baoshan, sequence: n, starts: starts, ends: lasting(starts, 0, 6), status: domain.MissionReturned,
			description: fmt.Sprintf("Xinhua Hospital-to-Yunnan medical team %d: six months at Baoshan People's Hospital, its members selected "+
				"by early mobilization, voluntary registration, screening within the department and a final hospital decision. "+
				"Placeholder: the dates and the members.", n),
			members: placeholderTeam("Baoshan", n, 4, starts)}
		if n == 4 {
			m.description = "Xinhua Hospital-to-Yunnan medical team 4, on its way to Baoshan People's Hospital for six months when the account " +
				"was written, and back since. Placeholder: the dates and the members."
			m.members = append(m.members, historyMember{personID: doctorPersonID})
		}
		out = append(out, m)
		starts = domain.DateOf(m.ends.Time().AddDate(0, 0, 1))
	}
	return out
}

// kashiHistory returns the Xinhua team the account speaks of in 2015. The
// account does not number the teams of the three years nor say how many
// there were, so this one is numbered 1; its dates are the year 2015, its
// members four placeholders in the specialties of the services the account
// says the team set up.
func kashiHistory() []historyMission {
	starts := day(2015, time.January, 1)
	specialties := []string{"critical care medicine", "nephrology", "neonatology", "imaging"}
	ages := []int{48, 45, 43, 41}
	ranks := []domain.TitleRank{"chief", "associate_chief", "associate_chief", "attending"}
	members := make([]historyMember, len(specialties))
	for i, sp := range specialties {
		members[i] = historyMember{name: fmt.Sprintf("Kashi team 1 member %d", i+1), specialty: sp, rank: ranks[i],
			birth: bornAged(starts, ages[i], i), leader: i == 0}
	}
	return []historyMission{{recipient: kashi, sequence: 1, starts: starts, ends: day(2015, time.December, 31), status: domain.MissionReturned,
		description: "The Xinhua medical team of Shanghai-to-Xinjiang partner assistance in 2015: it helped set up the comprehensive ICU, " +
			"Nephrology, the Hemodialysis Unit and Neonatology and restructured the Imaging Center. Placeholder: the number, the dates within " +
			"2015 and the members.",
		members: members}}
}

// missionLoader creates the people and missions of the demo.
type missionLoader struct {
	s       *store.Store
	orgIDs  map[string]string
	deptIDs map[string]map[string]string
	// partnerships is the id of Xinhua's partnership with each recipient.
	partnerships map[string]string
}

// person creates a placeholder person of Xinhua.
func (l *missionLoader) person(ctx context.Context, name, specialty string, rank domain.TitleRank, birth domain.Date, languages []string) (string, error) {
	p := domain.Person{OrganizationID: l.orgIDs[xinhua], DepartmentID: l.deptIDs[xinhua][specialtyDepartments[specialty]],
		Name: name, Title: rankTitles[rank], TitleRank: rank, Specialty: specialty, BirthDate: birth, Languages: languages}
	if err := l.s.CreatePerson(ctx, store.Actor{}, &p); err != nil {
		return "", fmt.Errorf("create person %q: %w", name, err)
	}
	return p.ID, nil
}

// record stores a team of history: its members as people, one slot per
// specialty holding as many places as members, and the mission with its
// team.
func (l *missionLoader) record(ctx context.Context, hm historyMission) error {
	m := domain.Mission{PartnershipID: l.partnerships[hm.recipient], Sequence: hm.sequence, SendingID: l.orgIDs[xinhua],
		HostID: l.orgIDs[hm.recipient], StartsOn: hm.starts, EndsOn: hm.ends, FormationDeadline: hm.deadline, Status: hm.status,
		Description: hm.description}
	team := make([]domain.TeamMember, 0, len(hm.members))
	counts := map[string]int{}
	var order []string
	for _, hmem := range hm.members {
		id, specialty := hmem.personID, hmem.specialty
		if id == "" {
			var err error
			if id, err = l.person(ctx, hmem.name, hmem.specialty, hmem.rank, hmem.birth, nil); err != nil {
				return err
			}
		} else {
			p, err := l.s.FindPerson(ctx, id)
			if err != nil {
				return err
			}
			specialty = p.Specialty
		}
		if counts[specialty] == 0 {
			order = append(order, specialty)
		}
		counts[specialty]++
		tm := domain.TeamMember{PersonID: id, Role: domain.RoleOnTeam}
		if hmem.leader {
			tm.Role = domain.RoleLeader
		}
		team = append(team, tm)
	}
	for _, sp := range order {
		m.Slots = append(m.Slots, domain.Slot{Specialty: sp, Count: counts[sp]})
	}
	if err := l.s.RecordMission(ctx, store.Actor{}, &m, team); err != nil {
		return fmt.Errorf("record team %d to %s: %w", hm.sequence, hm.recipient, err)
	}
	return nil
}

// The recruiting 18th team to Morocco: a demo scenario, dated from the day
// the demo is loaded so that it is always being formed: it leaves on the
// first of the month three months on, and must be formed within 45 days.
var (
	loadedOn           = domain.DateOf(time.Now().UTC())
	recruitingStarts   = domain.DateOf(day(loadedOn.Year, loadedOn.Month, 1).Time().AddDate(0, 3, 0))
	recruitingDeadline = domain.DateOf(loadedOn.Time().AddDate(0, 0, 45))
)

// volunteer is an applicant to the recruiting team and how far the
// selection has got with them.
type volunteer struct {
	name      string
	specialty string
	rank      domain.TitleRank
	age       int // on departure
	personID  string
	note      string
	// steps are the stages the application is taken to after registering,
	// in order, each with its note.
	steps  []domain.Decision
	leader bool
}

func moved(to domain.ApplicationStage, note string) domain.Decision {
	return domain.Decision{To: to, Note: note}
}

// demoLogins are the ids of the Xinhua demo users and the demo doctor's
// person.
type demoLogins struct {
	coordinator, screener, reviewer, doctor string
	doctorPerson                            string
}

// loadMissions records the teams of history of Xinhua's partnerships with
// Baoshan, Meknes and Kashi, then opens the recruiting 18th team to Morocco
// and takes its applications through the selection as the demo users.
func loadMissions(ctx context.Context, s *store.Store, orgIDs map[string]string, deptIDs map[string]map[string]string, who demoLogins) error {
	l := &missionLoader{s: s, orgIDs: orgIDs, deptIDs: deptIDs, partnerships: map[string]string{}}
	list, _, err := s.ListPartnerships(ctx, domain.PartnershipFilter{OrganizationID: orgIDs[xinhua], Limit: 100})
	if err != nil {
		return err
	}
	for _, p := range list {
		for _, r := range []string{baoshan, meknes, kashi} {
			if p.ProviderID == orgIDs[xinhua] && p.RecipientID == orgIDs[r] {
				l.partnerships[r] = p.ID
			}
		}
	}
	for _, r := range []string{baoshan, meknes, kashi} {
		if l.partnerships[r] == "" {
			return fmt.Errorf("no partnership of Xinhua Hospital with %s", r)
		}
	}
	var history []historyMission
	history = append(history, baoshanHistory(who.doctorPerson)...)
	history = append(history, moroccoHistory()...)
	history = append(history, kashiHistory()...)
	for _, hm := range history {
		if err := l.record(ctx, hm); err != nil {
			return err
		}
	}
	return l.recruit(ctx, who)
}

// recruit opens the 18th team to Morocco (a demo scenario) and takes its
// applications to the stages that give each Xinhua login work: Cardiology
// applications awaiting the screener, the demo doctor's among them;
// applications passed by their departments awaiting the reviewer; a team
// with a leader and places still open for the coordinator to fill.
func (l *missionLoader) recruit(ctx context.Context, who demoLogins) error {
	fr := []string{"fr"}
	m := domain.Mission{PartnershipID: l.partnerships[meknes], Sequence: moroccoTeams + 1, SendingID: l.orgIDs[xinhua],
		HostID: l.orgIDs[meknes], StartsOn: recruitingStarts, EndsOn: lasting(recruitingStarts, 2, 0),
		FormationDeadline: recruitingDeadline, Status: domain.MissionRecruiting,
		Description: "Demo scenario, not a fact: the accounts end with the 17th team of 2015. This 18th team to Meknes, two years, " +
			"its dates, places and volunteers are invented for the demo.",
		Slots: []domain.Slot{
			{Specialty: "general surgery", Count: 2, Languages: fr, MinTitle: "attending", MaxAge: 50},
			{Specialty: "cardiology", Count: 2, Languages: fr, MinTitle: "attending", MaxAge: 50},
			{Specialty: "pediatrics", Count: 1, Languages: fr, MaxAge: 50},
			{Specialty: "critical care medicine", Count: 1, Languages: fr, MaxAge: 50},
		}}
	if err := l.s.CreateMission(ctx, store.Actor{UserID: who.coordinator}, &m); err != nil {
		return fmt.Errorf("open team %d to Morocco: %w", m.Sequence, err)
	}
	slotOf := map[string]string{}
	for _, sl := range m.Slots {
		slotOf[sl.Specialty] = sl.ID
	}
	passed := moved(domain.StagePassed, "Passed within the department.")
	volunteers := []volunteer{
		{name: "Demo Xinhua Surgeon 1", specialty: "general surgery", rank: "chief", age: 48, leader: true,
			steps: []domain.Decision{passed, moved(domain.StageSelected, "Selected to lead the team.")}},
		{name: "Demo Xinhua Surgeon 2", specialty: "general surgery", rank: "attending", age: 37, steps: []domain.Decision{passed}},
		{name: "Demo Xinhua Surgeon 3", specialty: "general surgery", rank: "associate_chief", age: 44,
			steps: []domain.Decision{moved(domain.StageWithdrawn, "Withdrawn for family reasons.")}},
		{name: "Demo Xinhua Cardiologist 1", specialty: "cardiology", rank: "associate_chief", age: 43,
			steps: []domain.Decision{passed, moved(domain.StageSelected, "Selected.")}},
		{name: "Demo Xinhua Cardiologist 2", specialty: "cardiology", rank: "attending", age: 39, steps: []domain.Decision{passed}},
		{name: "Demo Xinhua Cardiologist 3", specialty: "cardiology", rank: "attending", age: 35,
			steps: []domain.Decision{moved(domain.StageFailed, "Needed in the department while the catheterization laboratory is rebuilt.")}},
		{name: "Demo Xinhua Cardiologist 4", specialty: "cardiology", rank: "attending", age: 36, note: "I have worked in French before."},
		{name: "Demo Xinhua Cardiologist 5", specialty: "cardiology", rank: "associate_chief", age: 46},
		{personID: who.doctorPerson, note: "I would like to go to Morocco after my time in Baoshan."},
		{name: "Demo Xinhua Pediatrician 1", specialty: "pediatrics", rank: "attending", age: 41,
			steps: []domain.Decision{passed, moved(domain.StageReserve, "On reserve should a place open.")}},
		{name: "Demo Xinhua Intensivist 1", specialty: "critical care medicine", rank: "associate_chief", age: 45, steps: []domain.Decision{passed}},
	}
	for i, v := range volunteers {
		registeredBy := who.coordinator
		if v.personID == who.doctorPerson {
			registeredBy = who.doctor
		}
		personID, specialty := v.personID, v.specialty
		if personID == "" {
			var err error
			if personID, err = l.person(ctx, v.name, v.specialty, v.rank, bornAged(m.StartsOn, v.age, i), []string{"zh", "en", "fr"}); err != nil {
				return err
			}
		} else {
			p, err := l.s.FindPerson(ctx, personID)
			if err != nil {
				return err
			}
			specialty = p.Specialty
		}
		a := domain.Application{MissionID: m.ID, SlotID: slotOf[specialty], PersonID: personID, Note: v.note}
		if err := l.s.Register(ctx, store.Actor{UserID: registeredBy}, &a); err != nil {
			return fmt.Errorf("register %q for team %d to Morocco: %w", v.name, m.Sequence, err)
		}
		for _, d := range v.steps {
			// The Cardiology screener screens Cardiology; the other
			// departments have no demo login, so their screening is the
			// system's. The reviewer decides; withdrawals are made by the
			// coordinator for the volunteer.
			by := store.Actor{}
			switch domain.StepOf(d.To) {
			case domain.StepScreen:
				if specialtyDepartments[specialty] == xinhuaCardiology {
					by.UserID = who.screener
				}
			case domain.StepDecide:
				by.UserID = who.reviewer
			case domain.StepWithdraw:
				by.UserID = registeredBy
			}
			d.ApplicationID, d.Version, d.Leader = a.ID, a.Version, v.leader && d.To == domain.StageSelected
			next, err := l.s.Decide(ctx, by, d)
			if err != nil {
				return fmt.Errorf("take %q's application to %s: %w", v.name, d.To, err)
			}
			a = next
		}
	}
	return nil
}
