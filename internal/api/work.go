package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// WorkQueue is what waits for the user's organizations, section by section.
type WorkQueue struct {
	Body struct {
		Sections []domain.WorkSection `json:"sections" doc:"The sections that cover at least one of your organizations; none when you belong to none"`
	}
}

func (s *Server) registerWork(a huma.API) {
	huma.Register(a, huma.Operation{OperationID: "get-work", Method: http.MethodGet, Path: "/api/v1/work",
		Summary: "What waits for you",
		Description: "Your work queue, as your start page shows it: per section, how many records wait for one of your organizations and the first " +
			"ten of them. Sections (kind): offers_to_decide (pledges offered to your needs, to accept or decline), pledges_to_ship (accepted " +
			"pledges of yours with a quantity not yet on a shipment), shipments_to_dispatch (prepared, not dispatched), shipments_to_receive " +
			"(dispatched to you, receipt not recorded), overdue_needs (your needs still waiting after needed_by), unread_notifications. " +
			"A section appears when you may act on it for at least one of your organizations.",
		Tags: []string{"Work"}},
		func(ctx context.Context, in *struct{}) (*WorkQueue, error) {
			sections, err := s.Work.Queue(ctx, user(ctx))
			if err != nil {
				return nil, err
			}
			out := &WorkQueue{}
			out.Body.Sections = sections
			return out, nil
		})
}
