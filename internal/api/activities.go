package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// ActivityBody is one activity as a client sends it.
type ActivityBody struct {
	Kind      oneOf[activityKinds] `json:"kind"`
	DoneOn    domain.Date          `json:"done_on" doc:"The day, from the team's departure to its return"`
	Count     int                  `json:"count" minimum:"0" limit:"activity_count" doc:"Patients or participants"`
	PersonIDs []string             `json:"person_ids,omitempty" limit:"activity_people" doc:"Members of the mission's team involved"`
	Place     string               `json:"place,omitempty" limit:"short"`
	Notes     string               `json:"notes,omitempty" limit:"note"`
}

func (b ActivityBody) activity() domain.Activity {
	people := b.PersonIDs
	if people == nil {
		people = []string{}
	}
	return domain.Activity{Kind: domain.ActivityKind(b.Kind), DoneOn: b.DoneOn, Count: b.Count, PersonIDs: people,
		Place: b.Place, Notes: b.Notes}
}

// ActivityBatchBody is the field work of a mission logged together, such
// as a day's activities in one form.
type ActivityBatchBody struct {
	MissionID  string         `json:"mission_id" minLength:"1"`
	Activities []ActivityBody `json:"activities" minItems:"1" limit:"activities"`
}

// ActivityChangeBody is a change of one activity, at the version read.
type ActivityChangeBody struct {
	ActivityBody
	Versioned
}

// Activities is the list of activities stored together.
type Activities struct {
	Body struct {
		Items []domain.Activity `json:"items"`
	}
}

func (s *Server) registerActivities(a huma.API) {
	tags := []string{"Field work"}
	huma.Register(a, huma.Operation{OperationID: "list-activities", Method: http.MethodGet, Path: "/api/v1/activities",
		Summary: "List activities", Description: "By day, then as logged. From and to count their days.", Tags: tags},
		func(ctx context.Context, in *struct {
			Cursor        string                      `query:"cursor" doc:"The next_cursor of the previous page"`
			Limit         int                         `query:"limit" minimum:"1" default:"50" doc:"Items per page, at most 200"`
			MissionID     string                      `query:"mission_id"`
			PartnershipID string                      `query:"partnership_id"`
			Kind          oneOfOrEmpty[activityKinds] `query:"kind"`
			PersonID      string                      `query:"person_id" doc:"Activities this team member was involved in"`
			From          string                      `query:"from" doc:"The first day, YYYY-MM-DD"`
			To            string                      `query:"to" doc:"The last day, YYYY-MM-DD"`
		}) (*Page[domain.Activity], error) {
			from, to, err := period(in.From, in.To)
			if err != nil {
				return nil, err
			}
			list, next, err := s.Activities.List(ctx, user(ctx), domain.ActivityFilter{MissionID: in.MissionID, PartnershipID: in.PartnershipID,
				Kind: string(in.Kind), PersonID: in.PersonID, From: from, To: to, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			return page(list, next), nil
		})
	huma.Register(a, huma.Operation{OperationID: "log-activities", Method: http.MethodPost, Path: "/api/v1/activities",
		Summary: "Log a mission's activities", Tags: tags, DefaultStatus: http.StatusCreated,
		Description: "By a member of the mission's team or an admin or coordinator of its sending organization, once the team has left: " +
			"every activity is stored, or none. An activity dated outside the mission's days or naming someone not on its team is refused " +
			"with 422 naming activities[i].field; a team that has not left yet with 409 activity_not_left."},
		func(ctx context.Context, in *struct{ Body ActivityBatchBody }) (*Activities, error) {
			list := make([]domain.Activity, len(in.Body.Activities))
			for i, b := range in.Body.Activities {
				list[i] = b.activity()
			}
			if err := s.Activities.Log(ctx, user(ctx), in.Body.MissionID, list); err != nil {
				return nil, err
			}
			out := &Activities{}
			out.Body.Items = list
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-activity", Method: http.MethodGet, Path: "/api/v1/activities/{id}",
		Summary: "Get an activity", Tags: tags},
		func(ctx context.Context, in *MissionPath) (*One[domain.Activity], error) {
			act, err := s.Activities.Activity(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return one(act, act.Version), nil
		})
	huma.Register(a, huma.Operation{OperationID: "update-activity", Method: http.MethodPut, Path: "/api/v1/activities/{id}",
		Summary: "Change an activity", Tags: tags,
		Description: "Its kind, day, count, members, place and notes; it stays on its mission, within the mission's days."},
		func(ctx context.Context, in *struct {
			MissionPath
			VersionInput
			Body ActivityChangeBody
		}) (*One[domain.Activity], error) {
			v, err := versionOf(in.Body.Version, in.IfMatch)
			if err != nil {
				return nil, err
			}
			act := in.Body.activity()
			act.ID, act.Version = in.ID, v
			if err := s.Activities.Update(ctx, user(ctx), &act); err != nil {
				return nil, err
			}
			return one(act, act.Version), nil
		})
	huma.Register(a, huma.Operation{OperationID: "delete-activity", Method: http.MethodDelete, Path: "/api/v1/activities/{id}",
		Summary: "Delete an activity", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *struct {
			MissionPath
			VersionInput
			Version int64 `query:"version" doc:"The version you read (or send If-Match)"`
		}) (*NoContent, error) {
			v, err := versionOf(in.Version, in.IfMatch)
			if err != nil {
				return nil, err
			}
			return &NoContent{}, s.Activities.Delete(ctx, user(ctx), in.ID, v)
		})
	huma.Register(a, huma.Operation{OperationID: "get-activity-calendar", Method: http.MethodGet, Path: "/api/v1/missions/{id}/activity-calendar",
		Summary: "Get a month of a mission's field work", Tags: tags,
		Description: "The days of the month with activities, each with the number of activities and the patients or participants of each kind, summed by the database."},
		func(ctx context.Context, in *struct {
			MissionPath
			Month string `query:"month" doc:"YYYY-MM; by default the month of the latest activity, else of departure"`
		}) (*One[domain.ActivityCalendar], error) {
			m, err := s.Missions.Mission(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			month, err := s.Activities.DefaultMonth(ctx, user(ctx), m)
			if in.Month != "" {
				month, err = domain.ParseMonth(in.Month)
				err = refuseField("month", err)
			}
			if err != nil {
				return nil, err
			}
			cal, err := s.Activities.Calendar(ctx, user(ctx), in.ID, month)
			if err != nil {
				return nil, err
			}
			return one(cal, 0), nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-activity-totals", Method: http.MethodGet, Path: "/api/v1/partnerships/{id}/activity-totals",
		Summary: "Sum a partnership's field work by month and kind", Tags: tags,
		Description: "Activities and patients or participants of the partnership's teams, by month (YYYY-MM) and kind; from and to count their days."},
		func(ctx context.Context, in *struct {
			MissionPath
			From string `query:"from" doc:"The first day, YYYY-MM-DD"`
			To   string `query:"to" doc:"The last day, YYYY-MM-DD"`
		}) (*One[ActivityTotals], error) {
			from, to, err := period(in.From, in.To)
			if err != nil {
				return nil, err
			}
			totals, err := s.Activities.Totals(ctx, user(ctx), in.ID, from, to)
			if err != nil {
				return nil, err
			}
			return one(ActivityTotals{Totals: totals}, 0), nil
		})
}

// ActivityTotals is what a partnership's teams did, by month and kind.
type ActivityTotals struct {
	Totals []domain.ActivityTotal `json:"totals"`
}

// period reads the from and to days of a filter, EINVALID naming the one
// that is not a date.
func period(from, to string) (domain.Date, domain.Date, error) {
	f, err := domain.ParseDate(from)
	if err != nil {
		return f, f, refuseField("from", err)
	}
	t, err := domain.ParseDate(to)
	if err != nil {
		return f, t, refuseField("to", err)
	}
	return f, t, nil
}

// refuseField names field as the one at fault of err, a refusal of its
// value.
func refuseField(field string, err error) error {
	if err == nil {
		return nil
	}
	var p domain.Problems
	if e, ok := err.(*domain.Error); ok && e.Msg.ID != "" {
		p.AddMessage(field, e.Msg)
		return p.Err("query")
	}
	return err
}
