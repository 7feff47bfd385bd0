// Package access decides who may do what. Every handler, of the pages and of
// the API, asks Allow before it acts; the rules are the table below and
// nowhere else.
package access

import (
	"slices"
	"strings"

	"aidbridge/internal/domain"
)

// Action is something a user asks to do.
type Action string

// The actions of the directory and of accounts.
const (
	ReadDirectory      Action = "directory.read"
	CreateOrganization Action = "organization.create"
	UpdateOrganization Action = "organization.update"
	DeleteOrganization Action = "organization.delete"
	ManageDepartments  Action = "department.manage"
	CreatePerson       Action = "person.create"
	UpdatePerson       Action = "person.update"
	DeletePerson       Action = "person.delete"
	ReadPersonalData   Action = "person.read_personal"
	CreateItem         Action = "item.create"
	UpdateItem         Action = "item.update"
	DeleteItem         Action = "item.delete"
	ManageMembers      Action = "membership.manage"
	ReadMembers        Action = "membership.read"
	PostNeed           Action = "need.post"
	PledgeToNeed       Action = "pledge.create"
	DecidePledge       Action = "pledge.decide"
	WithdrawPledge     Action = "pledge.withdraw"
	ShipPledges        Action = "shipment.ship"
	ReceiveShipment    Action = "shipment.receive"
	ReadShipment       Action = "shipment.read"
	ReadStock          Action = "stock.read"
	AdjustStock        Action = "stock.adjust"
	ReadAudit          Action = "audit.read"
	ManageOwnTokens    Action = "token.manage"
	ManageOwnAccount   Action = "account.manage"
	ReadAllocation     Action = "allocation.read"
	CreateSiteAdmin    Action = "user.create_site_admin"
	CreateLoneUser     Action = "user.create_without_membership"
	LinkPersonToUser   Action = "person.link_user"
)

// The actions of partnerships.
const (
	ReadPartnerships  Action = "partnership.read"
	CreateProgram     Action = "program.create"
	UpdateProgram     Action = "program.update"
	DeleteProgram     Action = "program.delete"
	CreatePartnership Action = "partnership.create"
	UpdatePartnership Action = "partnership.update"
	DeletePartnership Action = "partnership.delete"
	CreateCommitment  Action = "commitment.create"
	RecordDelivery    Action = "commitment.deliver"
)

// The actions of missions and of the selection of their teams.
const (
	ReadMissions        Action = "mission.read"
	CreateMission       Action = "mission.create"
	UpdateMission       Action = "mission.update"
	DeleteMission       Action = "mission.delete"
	MoveMission         Action = "mission.move"
	ReadTeamPersonal    Action = "mission.read_team_personal"
	ReadApplication     Action = "application.read"
	ReadAllApplications Action = "application.read_all"
	RegisterApplication Action = "application.register"
	ScreenApplication   Action = "application.screen"
	DecideApplication   Action = "application.decide"
	WithdrawApplication Action = "application.withdraw"
)

// The actions of outcomes and indicators.
const (
	ReadOutcomes    Action = "outcome.read"
	RecordOutcome   Action = "outcome.record"
	UpdateOutcome   Action = "outcome.update"
	DeleteOutcome   Action = "outcome.delete"
	ManageIndicator Action = "indicator.manage"
	ReadReports     Action = "report.read"
)

// The actions of contributions.
const (
	ReadContributions  Action = "contribution.read"
	CreateContribution Action = "contribution.create"
	UpdateContribution Action = "contribution.update"
	DeleteContribution Action = "contribution.delete"
)

// The actions of field work.
const (
	ReadActivities Action = "activity.read"
	LogActivity    Action = "activity.log"
	UpdateActivity Action = "activity.update"
	DeleteActivity Action = "activity.delete"
)

// The actions of events.
const (
	ReadEvents       Action = "event.read"
	CreateEvent      Action = "event.create"
	UpdateEvent      Action = "event.update"
	DeleteEvent      Action = "event.delete"
	UpdateActionItem Action = "event.update_action_item"
)

// Resource is what an action is on: the organization that owns the record and
// whatever else a rule needs to know of it.
type Resource struct {
	OrganizationID string   // the organization the record belongs to
	ParentID       string   // for a new organization: its parent, if any
	UserID         string   // the user the record is about (a person's own account, a token's owner)
	OtherID        string   // a second organization party to the record (a shipment's recipient)
	Sponsors       []string // the sponsors of a program, each of which answers for it
	DepartmentID   string   // the department of the person the record is about (an applicant's)
	TeamUserIDs    []string // the accounts of the people on a mission's team
}

type rule struct {
	what     string // the action, for the error message
	describe string // who may, for the error message
	allow    func(u *domain.User, r Resource) bool
}

func anyone(u *domain.User, r Resource) bool { return true }

// nobody lets no one through but a site administrator, who passes every
// rule not excluded for them.
func nobody(*domain.User, Resource) bool { return false }

func orgRoles(roles ...domain.Role) func(u *domain.User, r Resource) bool {
	return func(u *domain.User, r Resource) bool {
		return r.OrganizationID != "" && u.HasRole(r.OrganizationID, roles...)
	}
}

// parties lets through the roles held in the record's organization or in the
// other organization party to it.
func parties(roles ...domain.Role) func(u *domain.User, r Resource) bool {
	return func(u *domain.User, r Resource) bool {
		return (r.OrganizationID != "" && u.HasRole(r.OrganizationID, roles...)) || (r.OtherID != "" && u.HasRole(r.OtherID, roles...))
	}
}

// sponsors lets through the roles held in any sponsor of the program, or in
// the record's organization (the sponsor a form acts for).
func sponsors(roles ...domain.Role) func(u *domain.User, r Resource) bool {
	return func(u *domain.User, r Resource) bool {
		for _, id := range append([]string{r.OrganizationID}, r.Sponsors...) {
			if id != "" && u.HasRole(id, roles...) {
				return true
			}
		}
		return false
	}
}

// screener lets through a screener of the record's department in the
// record's organization.
func screener(u *domain.User, r Resource) bool {
	if r.OrganizationID == "" || r.DepartmentID == "" {
		return false
	}
	for _, m := range u.Memberships {
		if m.OrganizationID == r.OrganizationID && m.Role == domain.RoleScreener && m.DepartmentID == r.DepartmentID {
			return true
		}
	}
	return false
}

// teamMember lets through a user linked to a person on the mission's team.
func teamMember(u *domain.User, r Resource) bool { return slices.Contains(r.TeamUserIDs, u.ID) }

func self(u *domain.User, r Resource) bool { return r.UserID != "" && r.UserID == u.ID }

func either(fs ...func(*domain.User, Resource) bool) func(*domain.User, Resource) bool {
	return func(u *domain.User, r Resource) bool {
		for _, f := range fs {
			if f(u, r) {
				return true
			}
		}
		return false
	}
}

var anyRole = domain.Roles

// policy is the whole of who may do what. A site administrator may do
// everything except read personal data that is not theirs to read.
var policy = map[Action]rule{
	ReadDirectory: {"read the directory", "any signed-in user", anyone},
	CreateOrganization: {"create this organization", "a site administrator, or an admin or coordinator of the parent organization", func(u *domain.User, r Resource) bool {
		return r.ParentID != "" && u.HasRole(r.ParentID, domain.RoleAdmin, domain.RoleCoordinator)
	}},
	UpdateOrganization: {"change this organization", "an admin or coordinator of the organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	DeleteOrganization: {"delete this organization", "an admin of the organization", orgRoles(domain.RoleAdmin)},
	ManageDepartments:  {"change the departments of this organization", "an admin or coordinator of the organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	CreatePerson:       {"add people to this organization", "an admin or coordinator of the person's organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	UpdatePerson:       {"change this person", "an admin or coordinator of the person's organization, or the person", either(orgRoles(domain.RoleAdmin, domain.RoleCoordinator), self)},
	DeletePerson:       {"delete this person", "an admin or coordinator of the person's organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	ReadPersonalData:   {"see this person's personal data", "an admin or coordinator of the person's organization, or the person", either(orgRoles(domain.RoleAdmin, domain.RoleCoordinator), self)},
	CreateItem: {"add items to the catalog", "an admin or coordinator of any organization", func(u *domain.User, r Resource) bool {
		return u.HasRoleAnywhere(domain.RoleAdmin, domain.RoleCoordinator)
	}},
	UpdateItem:       {"change catalog items", "a site administrator", nobody},
	DeleteItem:       {"delete catalog items", "a site administrator", nobody},
	ManageMembers:    {"manage the members of this organization", "an admin of the organization", orgRoles(domain.RoleAdmin)},
	ReadMembers:      {"see the members of this organization", "a member of the organization", orgRoles(anyRole...)},
	PostNeed:         {"post or change needs of this organization", "an admin or coordinator of the needing organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	PledgeToNeed:     {"pledge for this organization", "an admin or coordinator of the donor organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	DecidePledge:     {"accept or decline pledges to this need", "an admin or coordinator of the needing organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	WithdrawPledge:   {"withdraw this pledge", "an admin or coordinator of the donor organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	ShipPledges:      {"ship for this organization", "an admin or coordinator of the donor organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	ReceiveShipment:  {"record the receipt of this shipment", "an admin or coordinator of the receiving organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	ReadShipment:     {"see this shipment", "a member of the donor or the recipient", parties(anyRole...)},
	ReadStock:        {"see this organization's stock", "a member of the organization", orgRoles(anyRole...)},
	AdjustStock:      {"change this organization's stock", "an admin or coordinator of the organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	ReadAudit:        {"read the history of this record", "a member of an organization the record belongs to", either(parties(anyRole...), self, func(u *domain.User, r Resource) bool { return r.OrganizationID == "" && r.UserID == "" })},
	ManageOwnTokens:  {"manage these API tokens", "the token's owner", self},
	ManageOwnAccount: {"change this account's password or sessions", "the account's owner", self},
	ReadAllocation:   {"see this allocation proposal", "the user who proposed it", self},
	CreateSiteAdmin:  {"create a site administrator", "a site administrator", nobody},
	CreateLoneUser:   {"create a user without a membership", "a site administrator; others give the new user a membership in an organization they administer", nobody},
	LinkPersonToUser: {"link a person to a user account", "a site administrator", nobody},

	ReadPartnerships:  {"read programs and partnerships", "any signed-in user", anyone},
	CreateProgram:     {"create this program", "an admin or coordinator of a sponsor of the program", sponsors(domain.RoleAdmin, domain.RoleCoordinator)},
	UpdateProgram:     {"change this program", "an admin or coordinator of a sponsor of the program", sponsors(domain.RoleAdmin, domain.RoleCoordinator)},
	DeleteProgram:     {"delete this program", "an admin or coordinator of a sponsor of the program", sponsors(domain.RoleAdmin, domain.RoleCoordinator)},
	CreatePartnership: {"create a partnership for this provider", "an admin or coordinator of the provider organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	UpdatePartnership: {"change this partnership", "an admin or coordinator of the provider organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	DeletePartnership: {"delete this partnership", "an admin or coordinator of the provider organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	CreateCommitment:  {"record a commitment to this partnership", "an admin or coordinator of the committing party or of the partnership's provider", parties(domain.RoleAdmin, domain.RoleCoordinator)},
	RecordDelivery:    {"record a delivery against this commitment", "an admin or coordinator of the committing party or of the partnership's provider", parties(domain.RoleAdmin, domain.RoleCoordinator)},

	ReadMissions:        {"read missions and their teams", "any signed-in user", anyone},
	CreateMission:       {"open a mission for this sending organization", "an admin or coordinator of the sending organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	UpdateMission:       {"change this mission", "an admin or coordinator of the sending organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	DeleteMission:       {"delete this mission", "an admin or coordinator of the sending organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	MoveMission:         {"change where this mission stands", "an admin or coordinator of the sending organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	ReadTeamPersonal:    {"see the personal data of this team", "an admin or coordinator of the sending organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	ReadApplication:     {"see this application", "the applicant, the screener of the applicant's department, and the reviewers, admins and coordinators of the sending organization", either(orgRoles(domain.RoleAdmin, domain.RoleCoordinator, domain.RoleReviewer), screener, self)},
	ReadAllApplications: {"see every application to this mission", "a reviewer, admin or coordinator of the sending organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator, domain.RoleReviewer)},
	RegisterApplication: {"apply for this person", "the person, or an admin or coordinator of the sending organization", either(orgRoles(domain.RoleAdmin, domain.RoleCoordinator), self)},
	ScreenApplication:   {"screen this application", "the screener of the applicant's department", screener},
	DecideApplication:   {"decide on this application", "a reviewer of the sending organization", orgRoles(domain.RoleReviewer)},
	WithdrawApplication: {"withdraw this application", "the applicant, or an admin or coordinator of the sending organization", either(orgRoles(domain.RoleAdmin, domain.RoleCoordinator), self)},

	ReadOutcomes:       {"read outcomes and indicators", "any signed-in user", anyone},
	RecordOutcome:      {"record an outcome of this partnership", "an admin or coordinator of the partnership's provider or recipient, or a member of the team of the mission it names", either(parties(domain.RoleAdmin, domain.RoleCoordinator), teamMember)},
	UpdateOutcome:      {"change this outcome", "an admin or coordinator of the partnership's provider or recipient, or a member of the team of the mission it names", either(parties(domain.RoleAdmin, domain.RoleCoordinator), teamMember)},
	DeleteOutcome:      {"delete this outcome", "an admin or coordinator of the partnership's provider or recipient, or a member of the team of the mission it names", either(parties(domain.RoleAdmin, domain.RoleCoordinator), teamMember)},
	ReadReports:        {"read reports", "any signed-in user", anyone},
	ManageIndicator:    {"set the indicators of this partnership", "an admin or coordinator of the partnership's provider or recipient", parties(domain.RoleAdmin, domain.RoleCoordinator)},
	ReadContributions:  {"read contributions", "any signed-in user", anyone},
	CreateContribution: {"record this contribution", "an admin or coordinator of the giver or of the recipient", parties(domain.RoleAdmin, domain.RoleCoordinator)},
	UpdateContribution: {"change this contribution", "an admin or coordinator of the giver or of the recipient", parties(domain.RoleAdmin, domain.RoleCoordinator)},
	DeleteContribution: {"delete this contribution", "an admin or coordinator of the giver or of the recipient", parties(domain.RoleAdmin, domain.RoleCoordinator)},
	ReadActivities:     {"read field work", "any signed-in user", anyone},
	LogActivity:        {"log field work of this mission", "a member of the mission's team, or an admin or coordinator of the sending organization", either(orgRoles(domain.RoleAdmin, domain.RoleCoordinator), teamMember)},
	UpdateActivity:     {"change this activity", "a member of the mission's team, or an admin or coordinator of the sending organization", either(orgRoles(domain.RoleAdmin, domain.RoleCoordinator), teamMember)},
	DeleteActivity:     {"delete this activity", "a member of the mission's team, or an admin or coordinator of the sending organization", either(orgRoles(domain.RoleAdmin, domain.RoleCoordinator), teamMember)},
	ReadEvents:         {"read events", "any signed-in user", anyone},
	CreateEvent:        {"record an event hosted by this organization", "an admin or coordinator of the host organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	UpdateEvent:        {"change this event", "an admin or coordinator of the host organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	DeleteEvent:        {"delete this event", "an admin or coordinator of the host organization", orgRoles(domain.RoleAdmin, domain.RoleCoordinator)},
	UpdateActionItem:   {"change where this action item stands", "an admin or coordinator of the host or of the item's owner organization, or the owner person", either(parties(domain.RoleAdmin, domain.RoleCoordinator), self)},
}

// The phrases of the policy are messages, so that a refusal reads in the
// reader's language: "may_ACTION" says what the action does, "who_ACTION"
// who may do it.
func init() {
	for a, rl := range policy {
		domain.DeclareMessage(string(mayID(a)), rl.what)
		domain.DeclareMessage(string(whoID(a)), rl.describe)
	}
}

func mayID(a Action) domain.MsgID {
	return domain.MsgID("may_" + strings.ReplaceAll(string(a), ".", "_"))
}
func whoID(a Action) domain.MsgID {
	return domain.MsgID("who_" + strings.ReplaceAll(string(a), ".", "_"))
}

// siteAdminExcluded lists the actions a site administrator does not get by
// being one.
var siteAdminExcluded = map[Action]bool{ReadPersonalData: true}

// Allow returns nil when u may do a on r, EUNAUTHORIZED when nobody is signed
// in, and EFORBIDDEN naming who may otherwise.
func Allow(u *domain.User, a Action, r Resource) error {
	if u == nil || u.ID == "" {
		return domain.Fail(domain.EUNAUTHORIZED, domain.MsgSignIn)
	}
	rl, ok := policy[a]
	if !ok {
		return domain.Errorf(domain.EINTERNAL, "no policy for action %q", a)
	}
	if u.SiteAdmin && !siteAdminExcluded[a] {
		return nil
	}
	if rl.allow(u, r) {
		return nil
	}
	return domain.Fail(domain.EFORBIDDEN, domain.MsgForbidden, "Action", domain.Message{ID: mayID(a)}, "Who", domain.Message{ID: whoID(a)})
}

// Can reports whether Allow would let u do a on r.
func Can(u *domain.User, a Action, r Resource) bool { return Allow(u, a, r) == nil }

// Somewhere returns nil when u may do a for at least one of their
// organizations (as the record's organization, or as the parent of a new
// one), EUNAUTHORIZED when nobody is signed in, and EFORBIDDEN naming who
// may otherwise. Pages ask it before they show an action or a form, so that
// nobody fills in a form in vain.
func Somewhere(u *domain.User, a Action) error {
	if u == nil || u.ID == "" {
		return Allow(u, a, Resource{})
	}
	if u.SiteAdmin && !siteAdminExcluded[a] {
		return nil
	}
	if len(Organizations(u, a)) > 0 || Can(u, a, Resource{}) {
		return nil
	}
	return Allow(u, a, Resource{})
}

// Organizations returns the ids of u's organizations for which u may do a,
// in the order of u's memberships, each once.
func Organizations(u *domain.User, a Action) []string {
	if u == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, m := range u.Memberships {
		id := m.OrganizationID
		if seen[id] {
			continue
		}
		seen[id] = true
		if Can(u, a, Resource{OrganizationID: id, ParentID: id}) {
			out = append(out, id)
		}
	}
	return out
}

// Everywhere reports whether u may do a for every organization, not only
// their own: a site administrator, for the actions not excluded for them.
// Pages offer every organization to such a user.
func Everywhere(u *domain.User, a Action) bool {
	return u != nil && u.ID != "" && u.SiteAdmin && !siteAdminExcluded[a]
}
