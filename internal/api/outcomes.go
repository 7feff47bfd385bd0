package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// OutcomeBody is what a client sends to record or change an outcome. The
// fields after notes belong to one kind each; a field of another kind is
// refused with 422 outcome_field_kind.
type OutcomeBody struct {
	PartnershipID string                       `json:"partnership_id" minLength:"1"`
	MissionID     string                       `json:"mission_id,omitempty" doc:"The mission whose team brought it, of the same partnership"`
	Kind          oneOf[outcomeKinds]          `json:"kind"`
	Title         string                       `json:"title" minLength:"1" limit:"name" doc:"The technique, the service, the trainee's name, the project, the paper or the milestone"`
	OccurredOn    domain.PartialDate           `json:"occurred_on" doc:"When: a year, a month or a day"`
	Department    string                       `json:"department,omitempty" limit:"short" doc:"The department where it happened"`
	PersonIDs     []string                     `json:"person_ids,omitempty" limit:"outcome_people" doc:"Team members involved; with a mission, each must have been on its team"`
	Notes         string                       `json:"notes,omitempty" limit:"text"`
	Novelty       oneOfOrEmpty[novelties]      `json:"novelty,omitempty" doc:"Technique: how new it is where it was introduced (required)"`
	Change        oneOfOrEmpty[serviceChanges] `json:"change,omitempty" doc:"Service: established or restructured (required)"`
	MentorID      string                       `json:"mentor_id,omitempty" doc:"Trainee: the person who mentored them"`
	Field         string                       `json:"field,omitempty" limit:"short" doc:"Trainee: the field trained in (required)"`
	Funder        string                       `json:"funder,omitempty" limit:"name" doc:"Research project: who funds it (required)"`
	Amount        domain.Money                 `json:"amount,omitzero" doc:"Research project: the funding, exactly, in any currency"`
	Funding       oneOfOrEmpty[fundings]       `json:"funding,omitempty" doc:"Research project: applied or funded (required)"`
	LeadID        string                       `json:"lead_id,omitempty" doc:"Research project: the organization that holds it, such as the local hospital"`
	Journal       string                       `json:"journal,omitempty" limit:"name" doc:"Publication: the journal (required)"`
	SCIIndexed    bool                         `json:"sci_indexed,omitempty" doc:"Publication: in a journal indexed by the Science Citation Index"`
	ImpactFactor  domain.Decimal               `json:"impact_factor,omitzero" doc:"Publication: the journal's impact factor, up to three decimals"`
	LocalFirst    bool                         `json:"local_first_author,omitempty" doc:"Publication: a local doctor is the first author"`
	Milestone     oneOfOrEmpty[milestoneKinds] `json:"milestone,omitempty" doc:"Milestone: accreditation, consortium or award (required)"`
	Grantor       string                       `json:"grantor,omitempty" limit:"name" doc:"Milestone: who granted the accreditation or award"`
	MemberIDs     []string                     `json:"member_ids,omitempty" limit:"participants" doc:"Consortium: its member organizations (required)"`
	Versioned
}

func (b OutcomeBody) record() domain.Outcome {
	o := domain.Outcome{PartnershipID: b.PartnershipID, MissionID: b.MissionID, Kind: domain.OutcomeKind(b.Kind), Title: b.Title,
		OccurredOn: b.OccurredOn, Department: b.Department, PersonIDs: b.PersonIDs, Notes: b.Notes,
		Novelty: domain.Novelty(b.Novelty), Change: domain.ServiceChange(b.Change), MentorID: b.MentorID, Field: b.Field,
		Funder: b.Funder, Amount: b.Amount, Funding: domain.Funding(b.Funding), LeadID: b.LeadID,
		Journal: b.Journal, SCIIndexed: b.SCIIndexed, ImpactFactor: b.ImpactFactor, LocalFirstAuthor: b.LocalFirst,
		Milestone: domain.MilestoneKind(b.Milestone), Grantor: b.Grantor, MemberIDs: b.MemberIDs}
	o.Normalize()
	return o
}

func (s *Server) registerOutcomes(a huma.API) {
	tags := []string{"Outcomes"}
	huma.Register(a, huma.Operation{OperationID: "list-outcomes", Method: http.MethodGet, Path: "/api/v1/outcomes",
		Summary: "List outcomes", Description: "Latest first.", Tags: tags},
		func(ctx context.Context, in *struct {
			Cursor        string                       `query:"cursor" doc:"The next_cursor of the previous page"`
			Limit         int                          `query:"limit" minimum:"1" default:"50" doc:"Items per page, at most 200"`
			PartnershipID string                       `query:"partnership_id"`
			ProgramID     string                       `query:"program_id"`
			MissionID     string                       `query:"mission_id"`
			PersonID      string                       `query:"person_id" doc:"Outcomes this team member was involved in"`
			Kind          oneOfOrEmpty[outcomeKinds]   `query:"kind"`
			Novelty       oneOfOrEmpty[novelties]      `query:"novelty"`
			Change        oneOfOrEmpty[serviceChanges] `query:"change"`
			Funding       oneOfOrEmpty[fundings]       `query:"funding"`
			LeadID        string                       `query:"lead_id" doc:"Research projects held by this organization"`
			Milestone     oneOfOrEmpty[milestoneKinds] `query:"milestone"`
			SCI           oneOfOrEmpty[yesNo]          `query:"sci_indexed" doc:"yes: papers in SCI-indexed journals; no: the others"`
			LocalFirst    oneOfOrEmpty[yesNo]          `query:"local_first_author" doc:"yes: papers whose first author is a local doctor; no: the others"`
			HighImpact    bool                         `query:"high_impact" doc:"Papers in journals with an impact factor above 5"`
			Query         string                       `query:"q" doc:"Part of the title"`
			dayRange
		}) (*Page[domain.Outcome], error) {
			from, to, err := in.days()
			if err != nil {
				return nil, err
			}
			list, next, err := s.Outcomes.ListOutcomes(ctx, user(ctx), domain.OutcomeFilter{PartnershipID: in.PartnershipID, ProgramID: in.ProgramID,
				MissionID: in.MissionID, PersonID: in.PersonID, Kind: string(in.Kind), Novelty: string(in.Novelty), Change: string(in.Change), Funding: string(in.Funding), LeadID: in.LeadID, Milestone: string(in.Milestone),
				SCI: string(in.SCI), LocalFirst: string(in.LocalFirst), HighImpact: in.HighImpact, Query: in.Query,
				From: from, To: to, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			return page(list, next), nil
		})
	registerRecords(a, records[domain.Outcome, OutcomeBody]{name: "outcome", plural: "outcomes", title: "an outcome", tags: tags,
		updateDoc: "The admins and coordinators of the partnership's provider or recipient change an outcome.",
		meta:      func(o *domain.Outcome) (*string, *int64) { return &o.ID, &o.Version },
		get:       s.Outcomes.Outcome,
		create:    s.Outcomes.CreateOutcome,
		update:    s.Outcomes.UpdateOutcome,
		delete:    s.Outcomes.DeleteOutcome,
	})
}

// dayRange is the from and to query parameters of a list of dated records.
type dayRange struct {
	From string `query:"from" pattern:"^[0-9]{4}-[0-9]{2}-[0-9]{2}$" doc:"On or after this day, YYYY-MM-DD"`
	To   string `query:"to" pattern:"^[0-9]{4}-[0-9]{2}-[0-9]{2}$" doc:"On or before this day, YYYY-MM-DD"`
}

// days returns the range's days; EINVALID naming the parameter that is no
// date.
func (r dayRange) days() (from, to domain.Date, err error) {
	var p domain.Problems
	for _, d := range []struct {
		name string
		in   string
		out  *domain.Date
	}{{"from", r.From, &from}, {"to", r.To, &to}} {
		if d.in == "" {
			continue
		}
		v, err := domain.ParseDate(d.in)
		if err != nil {
			p.Add(d.name, domain.MsgDate, "Value", d.in)
			continue
		}
		*d.out = v
	}
	return from, to, p.Err("query")
}
