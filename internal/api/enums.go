package api

import (
	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// list names one of the domain's lists of codes, so that a field of the API
// takes its allowed values from the domain rather than from a copy in a tag.
type list interface{ codes() []string }

// oneOf is a string field whose value is one of L's codes; the OpenAPI
// document lists them and requests with another are refused with 422.
type oneOf[L list] string

// Schema returns a string schema enumerating L's codes.
func (oneOf[L]) Schema(huma.Registry) *huma.Schema { return enumSchema[L](false) }

// oneOfOrEmpty is like oneOf for an optional field or filter, where ""
// means none.
type oneOfOrEmpty[L list] string

// Schema returns a string schema enumerating L's codes and "".
func (oneOfOrEmpty[L]) Schema(huma.Registry) *huma.Schema { return enumSchema[L](true) }

func enumSchema[L list](empty bool) *huma.Schema {
	var l L
	values := make([]any, 0, len(l.codes())+1)
	for _, c := range l.codes() {
		values = append(values, c)
	}
	if empty {
		values = append(values, "")
	}
	s := &huma.Schema{Type: huma.TypeString, Enum: values}
	s.PrecomputeMessages()
	return s
}

func codesOf[S ~string](values []S) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// The domain's lists that API fields name.
type (
	orgKinds            struct{}
	parentRelations     struct{}
	itemCategories      struct{}
	roles               struct{}
	urgencies           struct{}
	needStatuses        struct{}
	pledgeStatuses      struct{}
	shipmentStatuses    struct{}
	manualMovements     struct{}
	allocationPolicies  struct{}
	auditEntityTypes    struct{}
	programKinds        struct{}
	partnershipStatuses struct{}
	participantRoles    struct{}
	commitmentKinds     struct{}
	titleRanks          struct{}
	missionStatuses     struct{}
	openingStatuses     struct{}
	applicationStages   struct{}
	screeningOutcomes   struct{}
	decisionOutcomes    struct{}
	outcomeKinds        struct{}
	novelties           struct{}
	serviceChanges      struct{}
	fundings            struct{}
	milestoneKinds      struct{}
	yesNo               struct{}
	contributionKinds   struct{}
	activityKinds       struct{}
	eventKinds          struct{}
	actionStatuses      struct{}
	indicatorRules      struct{}
	indicatorPeriods    struct{}
)

func (orgKinds) codes() []string            { return codesOf(domain.OrgKinds) }
func (parentRelations) codes() []string     { return domain.ParentRelations }
func (itemCategories) codes() []string      { return codesOf(domain.ItemCategories) }
func (roles) codes() []string               { return codesOf(domain.Roles) }
func (urgencies) codes() []string           { return codesOf(domain.Urgencies) }
func (needStatuses) codes() []string        { return codesOf(domain.NeedStatuses) }
func (pledgeStatuses) codes() []string      { return codesOf(domain.PledgeStatuses) }
func (shipmentStatuses) codes() []string    { return codesOf(domain.ShipmentStatuses) }
func (manualMovements) codes() []string     { return codesOf(domain.ManualMovementKinds) }
func (allocationPolicies) codes() []string  { return domain.AllocationPolicies }
func (auditEntityTypes) codes() []string    { return domain.AuditEntityTypes }
func (programKinds) codes() []string        { return codesOf(domain.ProgramKinds) }
func (partnershipStatuses) codes() []string { return codesOf(domain.PartnershipStatuses) }
func (participantRoles) codes() []string    { return codesOf(domain.ParticipantRoles) }
func (commitmentKinds) codes() []string     { return codesOf(domain.CommitmentKinds) }
func (titleRanks) codes() []string          { return codesOf(domain.TitleRanks) }
func (missionStatuses) codes() []string     { return codesOf(domain.MissionStatuses) }
func (openingStatuses) codes() []string {
	return codesOf([]domain.MissionStatus{domain.MissionDraft, domain.MissionRecruiting})
}
func (applicationStages) codes() []string { return codesOf(domain.ApplicationStages) }
func (screeningOutcomes) codes() []string {
	return codesOf(domain.StageRegistered.Outcomes(domain.StepScreen))
}
func (decisionOutcomes) codes() []string {
	return codesOf(domain.StagePassed.Outcomes(domain.StepDecide))
}
func (outcomeKinds) codes() []string      { return codesOf(domain.OutcomeKinds) }
func (novelties) codes() []string         { return codesOf(domain.Novelties) }
func (serviceChanges) codes() []string    { return codesOf(domain.ServiceChanges) }
func (fundings) codes() []string          { return codesOf(domain.Fundings) }
func (milestoneKinds) codes() []string    { return codesOf(domain.MilestoneKinds) }
func (yesNo) codes() []string             { return []string{"yes", "no"} }
func (contributionKinds) codes() []string { return codesOf(domain.ContributionKinds) }
func (activityKinds) codes() []string     { return codesOf(domain.ActivityKinds) }
func (eventKinds) codes() []string        { return codesOf(domain.EventKinds) }
func (actionStatuses) codes() []string    { return codesOf(domain.ActionStatuses) }
func (indicatorRules) codes() []string    { return codesOf(domain.IndicatorRules) }
func (indicatorPeriods) codes() []string  { return codesOf(domain.IndicatorPeriods) }
