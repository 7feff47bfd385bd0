// Package mission is the teams sent under partnerships and the selection of
// their members, as users see them: any signed-in user reads missions and
// their teams' names, titles and specialties; the sending organization's
// admins and coordinators open and run missions; a person applies, the
// screener of the person's department screens, the sending organization's
// reviewer decides. Every call asks the access policy first.
package mission

import (
	"context"
	"time"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// Service reads and changes missions and applications on behalf of a user.
type Service struct {
	store *store.Store
	now   func() time.Time
}

// NewService returns a Service over s.
func NewService(s *store.Store) *Service { return &Service{store: s, now: time.Now} }

func actor(u *domain.User) store.Actor { return store.Actor{UserID: u.ID} }

func read(u *domain.User) error { return access.Allow(u, access.ReadMissions, access.Resource{}) }

// Today is the date the service counts deadlines from, in UTC.
func (s *Service) Today() domain.Date { return domain.DateOf(s.now().UTC()) }

// MissionResource is what the policy asks of a mission: its sending
// organization.
func MissionResource(m domain.Mission) access.Resource {
	return access.Resource{OrganizationID: m.SendingID}
}

// ApplicationResource is what the policy asks of an application: the
// sending organization, the applicant's department and user.
func ApplicationResource(m domain.Mission, a domain.Application, applicantUser string) access.Resource {
	return access.Resource{OrganizationID: m.SendingID, DepartmentID: a.DepartmentID, UserID: applicantUser}
}

// ListMissions returns a page of missions and the next cursor.
func (s *Service) ListMissions(ctx context.Context, u *domain.User, f domain.MissionFilter) ([]domain.Mission, string, error) {
	if err := read(u); err != nil {
		return nil, "", err
	}
	return s.store.ListMissions(ctx, f)
}

// Mission returns one mission with its slots; ENOTFOUND when there is none.
func (s *Service) Mission(ctx context.Context, u *domain.User, id string) (domain.Mission, error) {
	if err := read(u); err != nil {
		return domain.Mission{}, err
	}
	return s.store.FindMission(ctx, id)
}

// CreateMission opens m when u is an admin or coordinator of its sending
// organization.
func (s *Service) CreateMission(ctx context.Context, u *domain.User, m *domain.Mission) error {
	if err := access.Allow(u, access.CreateMission, MissionResource(*m)); err != nil {
		return err
	}
	return s.store.CreateMission(ctx, actor(u), m)
}

// RecordMission stores a mission of history with the team that went, when
// u is an admin or coordinator of its sending organization.
func (s *Service) RecordMission(ctx context.Context, u *domain.User, m *domain.Mission, team []domain.TeamMember) error {
	if err := access.Allow(u, access.CreateMission, MissionResource(*m)); err != nil {
		return err
	}
	return s.store.RecordMission(ctx, actor(u), m, team)
}

// UpdateMission stores m when u may change the mission as stored and as it
// will be.
func (s *Service) UpdateMission(ctx context.Context, u *domain.User, m *domain.Mission) error {
	cur, err := s.Mission(ctx, u, m.ID)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.UpdateMission, MissionResource(cur)); err != nil {
		return err
	}
	if err := access.Allow(u, access.UpdateMission, MissionResource(*m)); err != nil {
		return err
	}
	return s.store.UpdateMission(ctx, actor(u), m)
}

// DeleteMission deletes mission id at version when u may.
func (s *Service) DeleteMission(ctx context.Context, u *domain.User, id string, version int64) error {
	cur, err := s.Mission(ctx, u, id)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.DeleteMission, MissionResource(cur)); err != nil {
		return err
	}
	return s.store.DeleteMission(ctx, actor(u), id, version)
}

// Move changes where the mission stands, when u may, and returns it.
func (s *Service) Move(ctx context.Context, u *domain.User, mv domain.MissionMove) (domain.Mission, error) {
	cur, err := s.Mission(ctx, u, mv.ID)
	if err != nil {
		return cur, err
	}
	if err := access.Allow(u, access.MoveMission, MissionResource(cur)); err != nil {
		return cur, err
	}
	return s.store.MoveMission(ctx, actor(u), mv)
}

// Team returns the mission's team with its facts. Birth dates are left out
// for those who may not see the team's personal data; the average age is
// given to all.
func (s *Service) Team(ctx context.Context, u *domain.User, m domain.Mission) (domain.Team, error) {
	if err := read(u); err != nil {
		return domain.Team{}, err
	}
	members, err := s.store.Team(ctx, m.ID)
	if err != nil {
		return domain.Team{}, err
	}
	births := make([]domain.Date, len(members))
	personal := access.Can(u, access.ReadTeamPersonal, MissionResource(m))
	for i := range members {
		births[i] = members[i].BirthDate
		if !personal {
			members[i].BirthDate = domain.Date{}
		}
	}
	return domain.TeamOf(members, births, m.StartsOn), nil
}

// SetLeader makes a member of the team its leader, when u is a reviewer of
// the sending organization.
func (s *Service) SetLeader(ctx context.Context, u *domain.User, missionID, personID string) error {
	m, err := s.Mission(ctx, u, missionID)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.DecideApplication, MissionResource(m)); err != nil {
		return err
	}
	return s.store.SetLeader(ctx, actor(u), missionID, personID)
}

// OwnPerson returns the reader's own person in the organization, the one
// linked to their account; ok is false when there is none.
func (s *Service) OwnPerson(ctx context.Context, u *domain.User, orgID string) (domain.Person, bool, error) {
	if err := read(u); err != nil {
		return domain.Person{}, false, err
	}
	return s.store.PersonOfUser(ctx, u.ID, orgID)
}

// Applications returns a page of the applications to mission id that u may
// see: all of them for the sending organization's reviewers, admins and
// coordinators; a screener's own department's; and u's own.
func (s *Service) Applications(ctx context.Context, u *domain.User, missionID, stage, cursor string, limit int) ([]domain.Application, string, error) {
	m, err := s.Mission(ctx, u, missionID)
	if err != nil {
		return nil, "", err
	}
	f := store.ApplicationFilter{MissionID: m.ID, Stage: stage, Cursor: cursor, Limit: limit}
	if !access.Can(u, access.ReadAllApplications, MissionResource(m)) {
		f.Departments, f.OwnUserID = []string{}, u.ID
		for _, ms := range u.Memberships {
			if ms.OrganizationID == m.SendingID && ms.Role == domain.RoleScreener && ms.DepartmentID != "" {
				f.Departments = append(f.Departments, ms.DepartmentID)
			}
		}
	}
	return s.store.ListApplications(ctx, f)
}

// MyApplications returns a page of the applications of the people linked
// to u.
func (s *Service) MyApplications(ctx context.Context, u *domain.User, cursor string, limit int) ([]domain.Application, string, error) {
	if err := read(u); err != nil {
		return nil, "", err
	}
	return s.store.ListApplications(ctx, store.ApplicationFilter{Departments: []string{}, OwnUserID: u.ID, Cursor: cursor, Limit: limit})
}

// Application returns one application with its steps and its mission, when
// u may see it.
func (s *Service) Application(ctx context.Context, u *domain.User, id string) (domain.Application, domain.Mission, error) {
	if err := read(u); err != nil {
		return domain.Application{}, domain.Mission{}, err
	}
	a, err := s.store.FindApplication(ctx, id)
	if err != nil {
		return a, domain.Mission{}, err
	}
	m, err := s.store.FindMission(ctx, a.MissionID)
	if err != nil {
		return a, m, err
	}
	if err := access.Allow(u, access.ReadApplication, ApplicationResource(m, a, a.UserID)); err != nil {
		return domain.Application{}, domain.Mission{}, err
	}
	return a, m, nil
}

// Register records a's application when u is the person or an admin or
// coordinator of the sending organization.
func (s *Service) Register(ctx context.Context, u *domain.User, a *domain.Application) error {
	m, err := s.Mission(ctx, u, a.MissionID)
	if err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	var ps domain.Problems
	if _, ok := m.Slot(a.SlotID); !ok {
		ps.Add("slot_id", domain.MsgNoSuchSlot, "ID", a.SlotID)
	}
	p, err := s.store.FindPerson(ctx, a.PersonID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		ps.Add("person_id", domain.MsgNotFound, "What", "person", "ID", a.PersonID)
	} else if err != nil {
		return err
	}
	if err := ps.Err("application"); err != nil {
		return err
	}
	if err := access.Allow(u, access.RegisterApplication, access.Resource{OrganizationID: m.SendingID, UserID: p.UserID}); err != nil {
		return err
	}
	return s.store.Register(ctx, actor(u), a)
}

// stepActions says which action of the policy each step of the selection
// is.
var stepActions = map[domain.Step]access.Action{
	domain.StepScreen:   access.ScreenApplication,
	domain.StepDecide:   access.DecideApplication,
	domain.StepWithdraw: access.WithdrawApplication,
}

// Decide takes step on an application when u may take it, and returns the
// application as it now stands.
func (s *Service) Decide(ctx context.Context, u *domain.User, step domain.Step, d domain.Decision) (domain.Application, error) {
	a, m, err := s.Application(ctx, u, d.ApplicationID)
	if err != nil {
		return a, err
	}
	if err := access.Allow(u, stepActions[step], ApplicationResource(m, a, a.UserID)); err != nil {
		return a, err
	}
	if err := d.Validate(step); err != nil {
		return a, err
	}
	return s.store.Decide(ctx, actor(u), d)
}

// Can reports whether u may take step on application a of mission m, for
// the pages' buttons: the policy allows it and the stage leads somewhere
// by it while the mission takes it.
func Can(u *domain.User, step domain.Step, m domain.Mission, a domain.Application, applicantUser string) bool {
	if len(a.Stage.Outcomes(step)) == 0 {
		return false
	}
	if step == domain.StepWithdraw {
		if m.Status.DatesFixed() {
			return false
		}
	} else if !m.Status.Takes() {
		return false
	}
	return access.Can(u, stepActions[step], ApplicationResource(m, a, applicantUser))
}

// History is a person's missions, with their role and the days served.
type History struct {
	Missions []domain.Mission
	Roles    []domain.TeamRole
	Days     []int // of each mission: from departure to return, both counted
	Total    int   // days served on missions that left
}

// PersonHistory returns the missions the person was on.
func (s *Service) PersonHistory(ctx context.Context, u *domain.User, personID string) (History, error) {
	if err := read(u); err != nil {
		return History{}, err
	}
	if _, err := s.store.FindPerson(ctx, personID); err != nil {
		return History{}, err
	}
	ms, roles, err := s.store.PersonMissions(ctx, personID)
	if err != nil {
		return History{}, err
	}
	h := History{Missions: ms, Roles: roles, Days: make([]int, len(ms))}
	for i, m := range ms {
		h.Days[i] = int(m.EndsOn.Time().Sub(m.StartsOn.Time())/(24*time.Hour)) + 1
		if m.Status.DatesFixed() {
			h.Total += h.Days[i]
		}
	}
	return h, nil
}

// Facts counts, from the records, the teams and person-times of the
// program or partnership the filter names.
func (s *Service) Facts(ctx context.Context, u *domain.User, f domain.MissionFilter) (domain.TeamFacts, error) {
	if err := read(u); err != nil {
		return domain.TeamFacts{}, err
	}
	return s.store.TeamFacts(ctx, f)
}

// NoteDeadlines notifies the sending organizations of the missions whose
// formation deadline comes within three days with places open, once each;
// the server runs it on a timer, as the system.
func (s *Service) NoteDeadlines(ctx context.Context) (int, error) {
	return s.store.NoteFormingDeadlines(ctx, s.Today())
}
