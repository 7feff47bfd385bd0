package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// ProgramBody is what a client sends to create or change a program.
type ProgramBody struct {
	Name        string              `json:"name" minLength:"1" limit:"name"`
	Kind        oneOf[programKinds] `json:"kind"`
	SponsorIDs  []string            `json:"sponsor_ids" minItems:"1" limit:"sponsors" doc:"The sponsoring organizations; their admins and coordinators change the program"`
	Description string              `json:"description,omitempty" limit:"text"`
	StartsOn    domain.PartialDate  `json:"starts_on,omitzero" doc:"A year, month or day: 1975 for medical aid to Morocco"`
	EndsOn      domain.PartialDate  `json:"ends_on,omitzero"`
	Versioned
}

func (b ProgramBody) record() domain.Program {
	return domain.Program{Name: b.Name, Kind: domain.ProgramKind(b.Kind), SponsorIDs: b.SponsorIDs, Description: b.Description,
		StartsOn: b.StartsOn, EndsOn: b.EndsOn}
}

// ParticipantBody is an organization taking part in a partnership with its
// IATI roles.
type ParticipantBody struct {
	OrganizationID string                    `json:"organization_id" minLength:"1"`
	Roles          []oneOf[participantRoles] `json:"roles" minItems:"1"`
}

// PartnershipBody is what a client sends to create or change a
// partnership. A change of status must follow the partnership's
// transitions (planned -> active or suspended; active -> suspended or
// completed; suspended -> active or completed).
type PartnershipBody struct {
	ProgramID    string                     `json:"program_id" minLength:"1"`
	Name         string                     `json:"name" minLength:"1" limit:"name"`
	ProviderID   string                     `json:"provider_id" minLength:"1"`
	RecipientID  string                     `json:"recipient_id" minLength:"1"`
	Status       oneOf[partnershipStatuses] `json:"status"`
	Goals        string                     `json:"goals,omitempty" limit:"text"`
	StartsOn     domain.PartialDate         `json:"starts_on,omitzero"`
	EndsOn       domain.PartialDate         `json:"ends_on,omitzero"`
	Participants []ParticipantBody          `json:"participants,omitempty" limit:"participants"`
	Versioned
}

func (b PartnershipBody) record() domain.Partnership {
	ps := domain.Partnership{ProgramID: b.ProgramID, Name: b.Name, ProviderID: b.ProviderID, RecipientID: b.RecipientID,
		Status: domain.PartnershipStatus(b.Status), Goals: b.Goals, StartsOn: b.StartsOn, EndsOn: b.EndsOn, Participants: []domain.Participant{}}
	for _, p := range b.Participants {
		pt := domain.Participant{OrganizationID: p.OrganizationID}
		for _, r := range p.Roles {
			pt.Roles = append(pt.Roles, domain.ParticipantRole(r))
		}
		ps.Participants = append(ps.Participants, pt)
	}
	return ps
}

// CommitmentBody is what a client sends to record a commitment.
type CommitmentBody struct {
	PartyID     string                 `json:"party_id" minLength:"1" doc:"The organization that commits"`
	Kind        oneOf[commitmentKinds] `json:"kind"`
	Amount      domain.Money           `json:"amount,omitzero" doc:"Required for money; optionally the value of equipment, training or personnel"`
	Description string                 `json:"description,omitempty" limit:"text"`
	CommittedOn domain.PartialDate     `json:"committed_on,omitzero"`
}

// DeliveryBody is what a client sends to record a delivery against a
// commitment: an amount in the commitment's currency, a description, or
// both.
type DeliveryBody struct {
	DeliveredOn domain.PartialDate `json:"delivered_on" doc:"A year, month or day"`
	Amount      domain.Money       `json:"amount,omitzero" doc:"In the commitment's currency; what was delivered in all may not exceed what was committed (409 delivery_too_much)"`
	Description string             `json:"description,omitempty" limit:"text"`
}

func (s *Server) registerPartnerships(a huma.API) {
	tags := []string{"Partnerships"}
	huma.Register(a, huma.Operation{OperationID: "list-programs", Method: http.MethodGet, Path: "/api/v1/programs",
		Summary: "List programs", Tags: tags},
		func(ctx context.Context, in *struct {
			ListInput
			Kind           oneOfOrEmpty[programKinds] `query:"kind"`
			OrganizationID string                     `query:"organization_id" doc:"Programs this organization sponsors"`
		}) (*Page[domain.Program], error) {
			list, next, err := s.Partners.ListPrograms(ctx, user(ctx), domain.ProgramFilter{Query: in.Q, Kind: string(in.Kind),
				OrganizationID: in.OrganizationID, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			return page(list, next), nil
		})
	registerRecords(a, records[domain.Program, ProgramBody]{name: "program", plural: "programs", title: "a program", tags: tags,
		updateDoc: "The sponsors' admins and coordinators change a program; the new sponsors must include one of theirs.",
		deleteDoc: "Refused with 409 while partnerships belong to the program.",
		meta:      func(p *domain.Program) (*string, *int64) { return &p.ID, &p.Version },
		get:       s.Partners.Program,
		create:    s.Partners.CreateProgram,
		update:    s.Partners.UpdateProgram,
		delete:    s.Partners.DeleteProgram,
	})

	huma.Register(a, huma.Operation{OperationID: "list-partnerships", Method: http.MethodGet, Path: "/api/v1/partnerships",
		Summary: "List partnerships", Tags: tags},
		func(ctx context.Context, in *struct {
			ListInput
			ProgramID      string                            `query:"program_id"`
			OrganizationID string                            `query:"organization_id" doc:"Partnerships this organization provides, receives or takes part in"`
			Status         oneOfOrEmpty[partnershipStatuses] `query:"status"`
			Kind           oneOfOrEmpty[programKinds]        `query:"kind" doc:"The kind of the partnership's program"`
		}) (*Page[domain.Partnership], error) {
			list, next, err := s.Partners.ListPartnerships(ctx, user(ctx), domain.PartnershipFilter{Query: in.Q, ProgramID: in.ProgramID,
				OrganizationID: in.OrganizationID, Status: string(in.Status), Kind: string(in.Kind), Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			return page(list, next), nil
		})
	registerRecords(a, records[domain.Partnership, PartnershipBody]{name: "partnership", plural: "partnerships", title: "a partnership", tags: tags,
		updateDoc: "The provider's admins and coordinators change a partnership. A status that may not follow the stored one is refused with 409 partnership_transition.",
		deleteDoc: "Refused with 409 while commitments are made to the partnership.",
		meta:      func(p *domain.Partnership) (*string, *int64) { return &p.ID, &p.Version },
		get:       s.Partners.Partnership,
		create:    s.Partners.CreatePartnership,
		update:    s.Partners.UpdatePartnership,
		delete:    s.Partners.DeletePartnership,
	})

	huma.Register(a, huma.Operation{OperationID: "list-commitments", Method: http.MethodGet, Path: "/api/v1/partnerships/{id}/commitments",
		Summary: "List the commitments to a partnership", Description: "Each with its deliveries and, where it names an amount, what of it was delivered, in its own currency.", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*Page[domain.Commitment], error) {
			list, err := s.Partners.Commitments(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return page(list, ""), nil
		})
	huma.Register(a, huma.Operation{OperationID: "create-commitment", Method: http.MethodPost, Path: "/api/v1/partnerships/{id}/commitments",
		Summary: "Record a commitment to a partnership", Description: "By an admin or coordinator of the committing party or of the partnership's provider.",
		Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			ID   string `path:"id"`
			Body CommitmentBody
		}) (*One[domain.Commitment], error) {
			c := domain.Commitment{PartnershipID: in.ID, PartyID: in.Body.PartyID, Kind: domain.CommitmentKind(in.Body.Kind),
				Amount: in.Body.Amount, Description: in.Body.Description, CommittedOn: in.Body.CommittedOn}
			if err := s.Partners.CreateCommitment(ctx, user(ctx), &c); err != nil {
				return nil, err
			}
			return one(c, c.Version), nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-commitment", Method: http.MethodGet, Path: "/api/v1/commitments/{id}",
		Summary: "Get a commitment with its deliveries", Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*One[domain.Commitment], error) {
			c, err := s.Partners.Commitment(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return one(c, c.Version), nil
		})
	huma.Register(a, huma.Operation{OperationID: "create-delivery", Method: http.MethodPost, Path: "/api/v1/commitments/{id}/deliveries",
		Summary: "Record a delivery against a commitment", Description: "Returns the commitment as it now stands. Deliveries are a ledger: recorded, never changed.",
		Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct {
			ID   string `path:"id"`
			Body DeliveryBody
		}) (*One[domain.Commitment], error) {
			d := domain.Delivery{CommitmentID: in.ID, DeliveredOn: in.Body.DeliveredOn, Amount: in.Body.Amount, Description: in.Body.Description}
			c, err := s.Partners.RecordDelivery(ctx, user(ctx), &d)
			if err != nil {
				return nil, err
			}
			return one(c, c.Version), nil
		})
}
