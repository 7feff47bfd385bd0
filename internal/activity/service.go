// Package activity is the field work of missions' teams as users see it:
// any signed-in user reads what a team did; the members of the team, and
// the admins and coordinators of the organization that sent it, log,
// change and delete it. Every call asks the access policy first.
package activity

import (
	"context"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// Service reads and changes activities on behalf of a user.
type Service struct {
	store *store.Store
}

// NewService returns a Service over s.
func NewService(s *store.Store) *Service { return &Service{store: s} }

func actor(u *domain.User) store.Actor { return store.Actor{UserID: u.ID} }

func read(u *domain.User) error { return access.Allow(u, access.ReadActivities, access.Resource{}) }

// Resource returns what the policy asks of mission m's field work: the
// sending organization and the accounts of the people on its team.
func (s *Service) Resource(ctx context.Context, m domain.Mission) (access.Resource, error) {
	users, err := s.store.TeamUsers(ctx, m.ID)
	return access.Resource{OrganizationID: m.SendingID, TeamUserIDs: users}, err
}

// mission returns the mission with its policy resource; ENOTFOUND when
// there is none.
func (s *Service) mission(ctx context.Context, id string) (domain.Mission, access.Resource, error) {
	m, err := s.store.FindMission(ctx, id)
	if err != nil {
		return m, access.Resource{}, err
	}
	res, err := s.Resource(ctx, m)
	return m, res, err
}

// List returns a page of the activities the filter selects and the next
// cursor.
func (s *Service) List(ctx context.Context, u *domain.User, f domain.ActivityFilter) ([]domain.Activity, string, error) {
	if err := read(u); err != nil {
		return nil, "", err
	}
	return s.store.ListActivities(ctx, f)
}

// Activity returns one activity; ENOTFOUND when there is none.
func (s *Service) Activity(ctx context.Context, u *domain.User, id string) (domain.Activity, error) {
	if err := read(u); err != nil {
		return domain.Activity{}, err
	}
	return s.store.FindActivity(ctx, id)
}

// Log stores the activities of one day or several of mission missionID,
// all or none, when u is on its team or an admin or coordinator of its
// sending organization. Each activity is of that mission, whatever it
// said. EINVALID with a mission_id that does not exist.
func (s *Service) Log(ctx context.Context, u *domain.User, missionID string, list []domain.Activity) error {
	if err := read(u); err != nil {
		return err
	}
	_, res, err := s.mission(ctx, missionID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		var p domain.Problems
		p.Add("mission_id", domain.MsgNotFound, "What", "mission", "ID", missionID)
		return p.Err("activities")
	}
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.LogActivity, res); err != nil {
		return err
	}
	for i := range list {
		list[i].MissionID = missionID
	}
	return s.store.CreateActivities(ctx, actor(u), list)
}

// Update stores a change of an activity when u may change its mission's
// field work.
func (s *Service) Update(ctx context.Context, u *domain.User, a *domain.Activity) error {
	cur, err := s.Activity(ctx, u, a.ID)
	if err != nil {
		return err
	}
	_, res, err := s.mission(ctx, cur.MissionID)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.UpdateActivity, res); err != nil {
		return err
	}
	return s.store.UpdateActivity(ctx, actor(u), a)
}

// Delete deletes activity id at version when u may.
func (s *Service) Delete(ctx context.Context, u *domain.User, id string, version int64) error {
	cur, err := s.Activity(ctx, u, id)
	if err != nil {
		return err
	}
	_, res, err := s.mission(ctx, cur.MissionID)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.DeleteActivity, res); err != nil {
		return err
	}
	return s.store.DeleteActivity(ctx, actor(u), id, version)
}

// Calendar returns a month of mission missionID's field work, day by day
// and kind by kind; ENOTFOUND when there is no such mission.
func (s *Service) Calendar(ctx context.Context, u *domain.User, missionID string, month domain.Month) (domain.ActivityCalendar, error) {
	if err := read(u); err != nil {
		return domain.ActivityCalendar{}, err
	}
	if _, err := s.store.FindMission(ctx, missionID); err != nil {
		return domain.ActivityCalendar{}, err
	}
	return s.store.ActivityCalendar(ctx, missionID, month)
}

// DefaultMonth returns the month a calendar of mission m opens at: that of
// its latest activity, else of its departure.
func (s *Service) DefaultMonth(ctx context.Context, u *domain.User, m domain.Mission) (domain.Month, error) {
	if err := read(u); err != nil {
		return domain.Month{}, err
	}
	latest, err := s.store.LatestActivity(ctx, m.ID)
	if err != nil || latest.IsZero() {
		return domain.MonthOf(m.StartsOn), err
	}
	return domain.MonthOf(latest), nil
}

// Totals returns what the teams of partnership partnershipID did from one
// day to another, by month and kind; ENOTFOUND when there is no such
// partnership.
func (s *Service) Totals(ctx context.Context, u *domain.User, partnershipID string, from, to domain.Date) ([]domain.ActivityTotal, error) {
	if err := read(u); err != nil {
		return nil, err
	}
	if _, err := s.store.FindPartnership(ctx, partnershipID); err != nil {
		return nil, err
	}
	return s.store.ActivityTotals(ctx, partnershipID, from, to)
}
