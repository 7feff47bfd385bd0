package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// SlotBody is a place on a mission's team as a client sends it.
type SlotBody struct {
	ID        string                   `json:"id,omitempty" doc:"On update: the id of a slot kept; a slot without an id is added, a stored slot left out is removed (refused while anyone applied for it)"`
	Specialty string                   `json:"specialty" minLength:"1" limit:"short"`
	Count     int                      `json:"count" minimum:"1" limit:"slot_count"`
	Languages []string                 `json:"languages,omitempty" limit:"languages" doc:"Languages every member of the slot must speak, as BCP 47 tags"`
	MinTitle  oneOfOrEmpty[titleRanks] `json:"min_title,omitempty" doc:"The lowest title rank the slot takes"`
	MaxAge    int                      `json:"max_age,omitempty" minimum:"0" limit:"age" doc:"The highest age on the day of departure; 0 for none"`
}

// MissionBody is what a client sends to open or change a mission. The
// status is read on creation only (draft or recruiting); it changes
// through POST /api/v1/missions/{id}/status.
type MissionBody struct {
	PartnershipID     string                        `json:"partnership_id" minLength:"1"`
	Sequence          int                           `json:"sequence" minimum:"1" limit:"sequence" doc:"The number of the team within its partnership: the 4th team"`
	SendingID         string                        `json:"sending_id" minLength:"1" doc:"The organization that sends the team; its admins and coordinators run the mission"`
	HostID            string                        `json:"host_id" minLength:"1"`
	StartsOn          domain.Date                   `json:"starts_on" doc:"The day of departure"`
	EndsOn            domain.Date                   `json:"ends_on" doc:"The day of return"`
	FormationDeadline domain.Date                   `json:"formation_deadline,omitzero" doc:"The day by which the team must be formed"`
	Status            oneOfOrEmpty[openingStatuses] `json:"status,omitempty" doc:"On creation: draft (the default) or recruiting"`
	Description       string                        `json:"description,omitempty" limit:"text"`
	Slots             []SlotBody                    `json:"slots" minItems:"1" limit:"slots"`
	Versioned
}

func (b MissionBody) record() domain.Mission {
	m := domain.Mission{PartnershipID: b.PartnershipID, Sequence: b.Sequence, SendingID: b.SendingID, HostID: b.HostID,
		StartsOn: b.StartsOn, EndsOn: b.EndsOn, FormationDeadline: b.FormationDeadline, Status: domain.MissionStatus(b.Status),
		Description: b.Description, Slots: []domain.Slot{}}
	if m.Status == "" {
		m.Status = domain.MissionDraft
	}
	for _, s := range b.Slots {
		langs := s.Languages
		if langs == nil {
			langs = []string{}
		}
		m.Slots = append(m.Slots, domain.Slot{ID: s.ID, Specialty: s.Specialty, Count: s.Count, Languages: langs,
			MinTitle: domain.TitleRank(s.MinTitle), MaxAge: s.MaxAge})
	}
	return m
}

// MoveBody is a change of a mission's status.
type MoveBody struct {
	Status oneOf[missionStatuses] `json:"status" doc:"The status to move to: draft -> recruiting -> formed -> deployed -> returned, a step back before departure, or cancelled"`
	Reason string                 `json:"reason,omitempty" limit:"note" doc:"Required to form a team with places open (why it goes short-staffed) and to cancel"`
	Versioned
}

// LeaderBody names the team member who leads.
type LeaderBody struct {
	PersonID string `json:"person_id" minLength:"1"`
}

// ApplicationBody is a person's application for a place on a mission.
type ApplicationBody struct {
	SlotID   string `json:"slot_id" minLength:"1"`
	PersonID string `json:"person_id" minLength:"1" doc:"A person of the sending organization: yourself, or, for its admins and coordinators, anyone of it"`
	Note     string `json:"note,omitempty" limit:"note" doc:"Why the person volunteers"`
}

// ScreeningBody is the screening of an application by the screener of the
// applicant's department.
type ScreeningBody struct {
	Outcome oneOf[screeningOutcomes] `json:"outcome"`
	Note    string                   `json:"note,omitempty" limit:"note" doc:"Required when it fails"`
	Versioned
}

// DecisionBody is the sending organization's decision on a screened
// application.
type DecisionBody struct {
	Outcome oneOf[decisionOutcomes] `json:"outcome"`
	Leader  bool                    `json:"leader,omitempty" doc:"For a selection: as the team's leader (refused with 409 while the team has one)"`
	SlotID  string                  `json:"slot_id,omitempty" doc:"For a selection: another slot of the mission to place the applicant on, as a roster line proposes; its requirements must hold"`
	Note    string                  `json:"note,omitempty" limit:"note" doc:"Required when it is rejected"`
	Versioned
}

// WithdrawalBody withdraws an application before the decision.
type WithdrawalBody struct {
	Note string `json:"note,omitempty" limit:"note"`
	Versioned
}

// PersonHistory is a person's missions with their role and days served.
type PersonHistory struct {
	Missions []HistoryEntry `json:"missions"`
	Days     int            `json:"days_served" doc:"Days on missions that left, departure and return counted"`
}

// HistoryEntry is one mission of a person's history.
type HistoryEntry struct {
	Mission domain.Mission  `json:"mission"`
	Role    domain.TeamRole `json:"role"`
	Days    int             `json:"days"`
}

// MissionPath is the id in the path of an operation on one record.
type MissionPath struct {
	ID string `path:"id"`
}

func (s *Server) registerMissions(a huma.API) {
	tags := []string{"Missions"}
	huma.Register(a, huma.Operation{OperationID: "list-missions", Method: http.MethodGet, Path: "/api/v1/missions",
		Summary: "List missions", Description: "Latest departure first; with forming=true, the missions still being formed (draft and recruiting), soonest formation deadline first.", Tags: tags},
		func(ctx context.Context, in *struct {
			Cursor         string                        `query:"cursor" doc:"The next_cursor of the previous page"`
			Limit          int                           `query:"limit" minimum:"1" default:"50" doc:"Items per page, at most 200"`
			PartnershipID  string                        `query:"partnership_id"`
			ProgramID      string                        `query:"program_id"`
			OrganizationID string                        `query:"organization_id" doc:"Missions this organization sends or hosts"`
			Status         oneOfOrEmpty[missionStatuses] `query:"status"`
			Forming        bool                          `query:"forming"`
		}) (*Page[domain.Mission], error) {
			list, next, err := s.Missions.ListMissions(ctx, user(ctx), domain.MissionFilter{PartnershipID: in.PartnershipID, ProgramID: in.ProgramID,
				OrganizationID: in.OrganizationID, Status: string(in.Status), Forming: in.Forming, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			return page(list, next), nil
		})
	registerRecords(a, records[domain.Mission, MissionBody]{name: "mission", plural: "missions", title: "a mission", tags: tags,
		updateDoc: "The sending organization's admins and coordinators change a mission's number, organizations, dates, deadline, description and slots; " +
			"once the team has left its dates stay (409 dates_fixed), and new dates may not put a member on two missions at once (409 overlap).",
		deleteDoc: "Refused with 409 while anyone applied or the team has members: cancel the mission instead.",
		meta:      func(m *domain.Mission) (*string, *int64) { return &m.ID, &m.Version },
		get:       s.Missions.Mission,
		create:    s.Missions.CreateMission,
		update:    s.Missions.UpdateMission,
		delete:    s.Missions.DeleteMission,
	})
	huma.Register(a, huma.Operation{OperationID: "move-mission", Method: http.MethodPost, Path: "/api/v1/missions/{id}/status",
		Summary: "Change where a mission stands", Tags: tags,
		Description: "Formed needs every place filled, or a reason for going short-staffed, and one leader (409 short_staffed, no_leader); " +
			"deployed needs formed; cancelled needs a reason. A move the transitions do not allow is refused with 409 mission_transition."},
		func(ctx context.Context, in *struct {
			MissionPath
			VersionInput
			Body MoveBody
		}) (*One[domain.Mission], error) {
			v, err := versionOf(in.Body.Version, in.IfMatch)
			if err != nil {
				return nil, err
			}
			m, err := s.Missions.Move(ctx, user(ctx), domain.MissionMove{ID: in.ID, Version: v, To: domain.MissionStatus(in.Body.Status), Reason: in.Body.Reason})
			if err != nil {
				return nil, err
			}
			return one(m, m.Version), nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-team", Method: http.MethodGet, Path: "/api/v1/missions/{id}/team",
		Summary: "Get a mission's team", Tags: tags,
		Description: "Leader first; names, titles and specialties for every signed-in user, birth dates only for the sending organization's admins and coordinators. " +
			"The average age on departure is in tenths of a year."},
		func(ctx context.Context, in *MissionPath) (*One[domain.Team], error) {
			m, err := s.Missions.Mission(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			t, err := s.Missions.Team(ctx, user(ctx), m)
			if err != nil {
				return nil, err
			}
			return one(t, 0), nil
		})
	huma.Register(a, huma.Operation{OperationID: "set-leader", Method: http.MethodPut, Path: "/api/v1/missions/{id}/leader",
		Summary: "Make a team member the leader", Description: "By a reviewer of the sending organization; the leader before becomes a member.", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *struct {
			MissionPath
			Body LeaderBody
		}) (*NoContent, error) {
			return &NoContent{}, s.Missions.SetLeader(ctx, user(ctx), in.ID, in.Body.PersonID)
		})
	huma.Register(a, huma.Operation{OperationID: "suggest-roster", Method: http.MethodGet, Path: "/api/v1/missions/{id}/roster",
		Summary: "Suggest a roster for a mission's open places", Tags: tags,
		Description: "For the sending organization's reviewers, admins and coordinators. Passed and reserve applicants on no overlapping team, each on a slot " +
			"whose specialty and requirements they meet: as many placed as can be, and among those placements the one with the fewest recent missions " +
			"(within 10 years before departure), reserves and changes of slot, solved exactly as a minimum-cost assignment. " +
			"Accept a line by posting its decision (outcome selected, with the line's slot_id), which makes the same checks as any decision."},
		func(ctx context.Context, in *struct {
			MissionPath
		}) (*One[domain.Roster], error) {
			r, err := s.Missions.Suggest(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return one(r, 0), nil
		})
	huma.Register(a, huma.Operation{OperationID: "list-mission-applications", Method: http.MethodGet, Path: "/api/v1/missions/{id}/applications",
		Summary: "List the applications to a mission", Tags: tags,
		Description: "Those the reader may see: every one for the sending organization's reviewers, admins and coordinators; a screener's own department's; and the reader's own."},
		func(ctx context.Context, in *struct {
			MissionPath
			Cursor string                          `query:"cursor"`
			Limit  int                             `query:"limit" minimum:"1" default:"50"`
			Stage  oneOfOrEmpty[applicationStages] `query:"stage"`
		}) (*Page[domain.Application], error) {
			list, next, err := s.Missions.Applications(ctx, user(ctx), in.ID, string(in.Stage), in.Cursor, in.Limit)
			if err != nil {
				return nil, err
			}
			return page(list, next), nil
		})
	huma.Register(a, huma.Operation{OperationID: "create-application", Method: http.MethodPost, Path: "/api/v1/missions/{id}/applications",
		Summary: "Apply for a place on a mission", Tags: tags, DefaultStatus: http.StatusCreated,
		Description: "While the mission recruits. The person must meet the slot's requirements on the day of departure (422 naming slot_id), " +
			"have no open application to the mission and be on no team whose dates overlap (409 overlap naming the other mission)."},
		func(ctx context.Context, in *struct {
			MissionPath
			Body ApplicationBody
		}) (*One[domain.Application], error) {
			app := domain.Application{MissionID: in.ID, SlotID: in.Body.SlotID, PersonID: in.Body.PersonID, Note: in.Body.Note}
			if err := s.Missions.Register(ctx, user(ctx), &app); err != nil {
				return nil, err
			}
			return one(app, app.Version), nil
		})
	huma.Register(a, huma.Operation{OperationID: "list-my-applications", Method: http.MethodGet, Path: "/api/v1/applications",
		Summary: "List your own applications", Tags: tags},
		func(ctx context.Context, in *struct {
			Cursor string `query:"cursor"`
			Limit  int    `query:"limit" minimum:"1" default:"50"`
		}) (*Page[domain.Application], error) {
			list, next, err := s.Missions.MyApplications(ctx, user(ctx), in.Cursor, in.Limit)
			if err != nil {
				return nil, err
			}
			return page(list, next), nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-application", Method: http.MethodGet, Path: "/api/v1/applications/{id}",
		Summary: "Get an application with its steps", Description: "For the applicant, the screener of the applicant's department, and the sending organization's reviewers, admins and coordinators.", Tags: tags},
		func(ctx context.Context, in *MissionPath) (*One[domain.Application], error) {
			app, _, err := s.Missions.Application(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return one(app, app.Version), nil
		})
	huma.Register(a, huma.Operation{OperationID: "screen-application", Method: http.MethodPost, Path: "/api/v1/applications/{id}/screening",
		Summary: "Screen an application", Tags: tags,
		Description: "By the screener of the applicant's department, while the mission recruits: passed or failed, with a note (required when it fails)."},
		func(ctx context.Context, in *struct {
			MissionPath
			VersionInput
			Body ScreeningBody
		}) (*One[domain.Application], error) {
			return s.decide(ctx, domain.StepScreen, domain.Decision{ApplicationID: in.ID, To: domain.ApplicationStage(in.Body.Outcome),
				Note: in.Body.Note, Version: in.Body.Version}, in.IfMatch)
		})
	s.registerDecision(a, tags)
	huma.Register(a, huma.Operation{OperationID: "withdraw-application", Method: http.MethodPost, Path: "/api/v1/applications/{id}/withdrawal",
		Summary: "Withdraw an application", Description: "By the applicant or the sending organization's admins and coordinators, before the decision.", Tags: tags},
		func(ctx context.Context, in *struct {
			MissionPath
			VersionInput
			Body WithdrawalBody
		}) (*One[domain.Application], error) {
			return s.decide(ctx, domain.StepWithdraw, domain.Decision{ApplicationID: in.ID, To: domain.StageWithdrawn, Note: in.Body.Note, Version: in.Body.Version}, in.IfMatch)
		})

	huma.Register(a, huma.Operation{OperationID: "get-person-missions", Method: http.MethodGet, Path: "/api/v1/people/{id}/missions",
		Summary: "Get a person's mission history", Tags: tags},
		func(ctx context.Context, in *MissionPath) (*One[PersonHistory], error) {
			h, err := s.Missions.PersonHistory(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := PersonHistory{Missions: []HistoryEntry{}, Days: h.Total}
			for i, m := range h.Missions {
				out.Missions = append(out.Missions, HistoryEntry{Mission: m, Role: h.Roles[i], Days: h.Days[i]})
			}
			return one(out, 0), nil
		})
	for _, k := range []struct{ kind, path string }{{"program", "/api/v1/programs/{id}/teams"}, {"partnership", "/api/v1/partnerships/{id}/teams"}} {
		huma.Register(a, huma.Operation{OperationID: "get-" + k.kind + "-teams", Method: http.MethodGet, Path: k.path,
			Summary: "Count the teams and person-times of a " + k.kind, Tags: tags,
			Description: "From the records of its missions that left (deployed or returned): teams, person-times (one per member of each team), in all and by the year of departure."},
			func(ctx context.Context, in *MissionPath) (*One[domain.TeamFacts], error) {
				f := domain.MissionFilter{PartnershipID: in.ID}
				var err error
				if k.kind == "program" {
					f = domain.MissionFilter{ProgramID: in.ID}
					_, err = s.Partners.Program(ctx, user(ctx), in.ID)
				} else {
					_, err = s.Partners.Partnership(ctx, user(ctx), in.ID)
				}
				if err != nil {
					return nil, err
				}
				facts, err := s.Missions.Facts(ctx, user(ctx), f)
				if err != nil {
					return nil, err
				}
				return one(facts, 0), nil
			})
	}
}

// decide takes a step on an application, with the version from the body
// or If-Match.
func (s *Server) decide(ctx context.Context, step domain.Step, d domain.Decision, ifMatch string) (*One[domain.Application], error) {
	v, err := versionOf(d.Version, ifMatch)
	if err != nil {
		return nil, err
	}
	d.Version = v
	app, err := s.Missions.Decide(ctx, user(ctx), step, d)
	if err != nil {
		return nil, err
	}
	return one(app, app.Version), nil
}

// registerDecision registers the decision operation.
func (s *Server) registerDecision(a huma.API, tags []string) {
	huma.Register(a, huma.Operation{OperationID: "decide-application", Method: http.MethodPost, Path: "/api/v1/applications/{id}/decision",
		Summary: "Decide on an application", Tags: tags,
		Description: "By a reviewer of the sending organization, after the screening (409 not_screened before it), while the mission recruits: " +
			"selected (onto the team: 409 slot_full, overlap or leader_taken when a rule stands in the way), reserve, or rejected with a note."},
		func(ctx context.Context, in *struct {
			MissionPath
			VersionInput
			Body DecisionBody
		}) (*One[domain.Application], error) {
			return s.decide(ctx, domain.StepDecide, domain.Decision{ApplicationID: in.ID, To: domain.ApplicationStage(in.Body.Outcome),
				Leader: in.Body.Leader, SlotID: in.Body.SlotID, Note: in.Body.Note, Version: in.Body.Version}, in.IfMatch)
		})
}
