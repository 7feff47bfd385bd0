package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// NotificationList is the newest notifications of the user's organizations
// and how many of all of them the user has not read.
type NotificationList struct {
	Body struct {
		Items  []domain.Notification `json:"items" doc:"Newest first, with the names of the organizations and of the item"`
		Unread int                   `json:"unread" doc:"How many notifications are unread, shown here or not"`
	}
}

func (s *Server) registerNotifications(a huma.API) {
	tags := []string{"Notifications"}
	huma.Register(a, huma.Operation{OperationID: "list-notifications", Method: http.MethodGet, Path: "/api/v1/notifications",
		Summary: "What your counterparts changed",
		Description: "Notifications to your organizations: a pledge to your need, your pledge accepted or declined, a shipment dispatched to you, " +
			"a receipt recorded. A notification is unread until you mark it read or open the need or shipment it is about.",
		Tags: tags},
		func(ctx context.Context, in *struct {
			Limit int `query:"limit" minimum:"1" default:"50" doc:"Entries per page, at most 200"`
		}) (*NotificationList, error) {
			list, unread, err := s.Notify.Notifications(ctx, user(ctx), in.Limit)
			if err != nil {
				return nil, err
			}
			out := &NotificationList{}
			out.Body.Items, out.Body.Unread = list, unread
			return out, nil
		})

	huma.Register(a, huma.Operation{OperationID: "read-notifications", Method: http.MethodPost, Path: "/api/v1/notifications/read",
		Summary: "Mark notifications read up to an id", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *struct {
			Body struct {
				UpTo int64 `json:"up_to" minimum:"1" doc:"The id of the newest notification read"`
			}
		}) (*NoContent, error) {
			return &NoContent{}, s.Notify.MarkRead(ctx, user(ctx), in.Body.UpTo)
		})
}
