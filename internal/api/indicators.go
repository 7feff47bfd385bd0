package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// IndicatorBody is what a client sends to set or change an indicator of a
// partnership.
type IndicatorBody struct {
	PartnershipID string                      `json:"partnership_id" minLength:"1"`
	Name          string                      `json:"name" minLength:"1" limit:"name" doc:"What is measured, such as New techniques introduced"`
	Rule          oneOf[indicatorRules]       `json:"rule" doc:"Where the values come from: counted from the partnership's outcomes of a kind, summed from its activities of a kind, or entered by hand"`
	Novelty       oneOfOrEmpty[novelties]     `json:"novelty,omitempty" doc:"Rule techniques: count only the techniques of this novelty"`
	ActivityKind  oneOfOrEmpty[activityKinds] `json:"activity_kind,omitempty" doc:"Rule activities: the kind whose patients or participants are summed (required)"`
	Period        oneOf[indicatorPeriods]     `json:"period" doc:"Followed by year or by quarter"`
	StartsOn      domain.Date                 `json:"starts_on" doc:"The first day counted"`
	EndsOn        domain.Date                 `json:"ends_on" doc:"The last day counted; at most 40 periods after the first"`
	Baseline      int64                       `json:"baseline,omitempty" minimum:"0" limit:"indicator_value" doc:"The value before the first day"`
	Target        int64                       `json:"target" minimum:"1" limit:"indicator_value" doc:"The value to reach by the last day, baseline included"`
	Notes         string                      `json:"notes,omitempty" limit:"text"`
	Versioned
}

func (b IndicatorBody) record() domain.Indicator {
	in := domain.Indicator{PartnershipID: b.PartnershipID, Name: b.Name, Rule: domain.IndicatorRule(b.Rule), Novelty: domain.Novelty(b.Novelty),
		ActivityKind: domain.ActivityKind(b.ActivityKind), Period: domain.IndicatorPeriod(b.Period), StartsOn: b.StartsOn, EndsOn: b.EndsOn,
		Baseline: b.Baseline, Target: b.Target, Notes: b.Notes}
	in.Normalize()
	return in
}

// IndicatorValueBody is a value entered by hand for one period.
type IndicatorValueBody struct {
	Value int64 `json:"value" minimum:"0" limit:"indicator_value" doc:"What the period brought"`
}

func (s *Server) registerIndicators(a huma.API) {
	tags := []string{"Indicators"}
	huma.Register(a, huma.Operation{OperationID: "list-indicators", Method: http.MethodGet, Path: "/api/v1/partnerships/{id}/indicators",
		Summary: "List the indicators of a partnership", Description: "By name, each with its value in every period, what was reached from the baseline on, and whether that meets the target.",
		Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*Page[domain.IndicatorProgress], error) {
			list, err := s.Outcomes.ListIndicators(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return page(list, ""), nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-indicator", Method: http.MethodGet, Path: "/api/v1/indicators/{id}",
		Summary: "Get an indicator with its progress", Description: "Its value in every period, derived from the records or entered, what was reached, and whether that meets the target.",
		Tags: tags},
		func(ctx context.Context, in *struct {
			ID string `path:"id"`
		}) (*One[domain.IndicatorProgress], error) {
			pr, err := s.Outcomes.IndicatorProgress(ctx, user(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return one(pr, pr.Indicator.Version), nil
		})
	registerRecords(a, records[domain.Indicator, IndicatorBody]{name: "indicator", plural: "indicators", title: "an indicator", tags: tags,
		updateDoc: "The admins and coordinators of the partnership's provider or recipient change an indicator. Values entered for periods it no longer covers are dropped.",
		meta:      func(in *domain.Indicator) (*string, *int64) { return &in.ID, &in.Version },
		create:    s.Outcomes.CreateIndicator,
		update:    s.Outcomes.UpdateIndicator,
		delete:    s.Outcomes.DeleteIndicator,
	})
	huma.Register(a, huma.Operation{OperationID: "enter-indicator-value", Method: http.MethodPut, Path: "/api/v1/indicators/{id}/values/{period}",
		Summary: "Enter the value of a period", Description: "Only for an indicator of rule entered (409 otherwise); the value replaces any entered before for the period. Answers the indicator with its progress.",
		Tags: tags},
		func(ctx context.Context, in *struct {
			ID     string `path:"id"`
			Period string `path:"period" doc:"2015 for a year, 2015-Q2 for a quarter"`
			Body   IndicatorValueBody
		}) (*One[domain.IndicatorProgress], error) {
			pr, err := s.Outcomes.EnterValue(ctx, user(ctx), in.ID, in.Period, in.Body.Value)
			if err != nil {
				return nil, err
			}
			return one(pr, pr.Indicator.Version), nil
		})
}
