package domain

import (
	"math/big"
	"strings"
)

// ProgramKind is the kind of a program.
type ProgramKind string

// ProgramKinds lists every program kind, in the order forms offer them.
var ProgramKinds = []ProgramKind{"counterpart_assistance", "international_aid", "foundation_program", "joint_institution", "exchange", "emergency_response"}

// Program is a named initiative with sponsors under which partnerships run:
// Shanghai-Yunnan partner assistance, medical aid to Morocco (since 1975).
// Its dates are dates of history, known to the year where the accounts give
// only a year.
type Program struct {
	Meta
	Name        string      `json:"name"`
	Kind        ProgramKind `json:"kind"`
	SponsorIDs  []string    `json:"sponsor_ids"`
	Description string      `json:"description,omitempty"`
	StartsOn    PartialDate `json:"starts_on,omitzero"`
	EndsOn      PartialDate `json:"ends_on,omitzero"`
}

// Validate returns an EINVALID error naming every field that is wrong.
func (pr *Program) Validate() error {
	var p Problems
	required(&p, "name", pr.Name, MaxName)
	if !oneOf(string(pr.Kind), ProgramKinds) {
		p.Add("kind", MsgOneOf, "Allowed", joinKinds(ProgramKinds), "Value", pr.Kind)
	}
	if len(pr.SponsorIDs) == 0 {
		p.Add("sponsor_ids", MsgSponsorRequired)
	}
	if len(pr.SponsorIDs) > MaxSponsors {
		p.Add("sponsor_ids", MsgTooMany, "Max", MaxSponsors)
	}
	distinctOrgs(&p, "sponsor_ids", pr.SponsorIDs)
	maxLen(&p, "description", pr.Description, MaxText)
	period(&p, pr.StartsOn, pr.EndsOn)
	return p.Err("program")
}

// PartnershipStatus is where a partnership stands.
type PartnershipStatus string

// The statuses of a partnership.
const (
	PartnershipPlanned   PartnershipStatus = "planned"
	PartnershipActive    PartnershipStatus = "active"
	PartnershipCompleted PartnershipStatus = "completed"
	PartnershipSuspended PartnershipStatus = "suspended"
)

// PartnershipStatuses lists every partnership status, in the order a
// partnership moves through them.
var PartnershipStatuses = []PartnershipStatus{PartnershipPlanned, PartnershipActive, PartnershipSuspended, PartnershipCompleted}

// PartnershipTransitions says which statuses a partnership may move to from
// each status. A new partnership may start in any status, as the accounts
// record partnerships long under way or finished; a completed one is over.
var PartnershipTransitions = map[PartnershipStatus][]PartnershipStatus{
	PartnershipPlanned:   {PartnershipActive, PartnershipSuspended},
	PartnershipActive:    {PartnershipSuspended, PartnershipCompleted},
	PartnershipSuspended: {PartnershipActive, PartnershipCompleted},
}

// Transition returns nil when a partnership may move from status s to to
// (staying is always allowed), and ECONFLICT naming both otherwise.
func (s PartnershipStatus) Transition(id string, to PartnershipStatus) error {
	if s == to || oneOf(string(to), PartnershipTransitions[s]) {
		return nil
	}
	return Refuse(ECONFLICT, "status", MsgPartnershipTransition, "Partnership", id, "Status", s, "To", to)
}

// ParticipantRole is the role of an organization in a partnership: the
// roles of the IATI standard.
type ParticipantRole string

// ParticipantRoles lists the roles of participating organizations.
var ParticipantRoles = []ParticipantRole{"funding", "accountable", "extending", "implementing"}

// Participant is an organization taking part in a partnership, with one or
// more roles.
type Participant struct {
	OrganizationID string            `json:"organization_id"`
	Roles          []ParticipantRole `json:"roles"`
}

// Partnership is, within a program, a provider organization's assistance to
// a recipient organization (Xinhua Hospital -> Baoshan People's Hospital),
// with the organizations that take part in it.
type Partnership struct {
	Meta
	ProgramID    string            `json:"program_id"`
	Name         string            `json:"name"`
	ProviderID   string            `json:"provider_id"`
	RecipientID  string            `json:"recipient_id"`
	Status       PartnershipStatus `json:"status"`
	Goals        string            `json:"goals,omitempty"`
	StartsOn     PartialDate       `json:"starts_on,omitzero"`
	EndsOn       PartialDate       `json:"ends_on,omitzero"`
	Participants []Participant     `json:"participants"`
}

// Validate returns an EINVALID error naming every field that is wrong.
func (ps *Partnership) Validate() error {
	var p Problems
	if ps.ProgramID == "" {
		p.Add("program_id", MsgRequired)
	}
	required(&p, "name", ps.Name, MaxName)
	if ps.ProviderID == "" {
		p.Add("provider_id", MsgRequired)
	}
	if ps.RecipientID == "" {
		p.Add("recipient_id", MsgRequired)
	}
	if ps.ProviderID != "" && ps.ProviderID == ps.RecipientID {
		p.Add("recipient_id", MsgSameParties)
	}
	if !oneOf(string(ps.Status), PartnershipStatuses) {
		p.Add("status", MsgOneOf, "Allowed", joinKinds(PartnershipStatuses), "Value", ps.Status)
	}
	maxLen(&p, "goals", ps.Goals, MaxText)
	period(&p, ps.StartsOn, ps.EndsOn)
	if len(ps.Participants) > MaxParticipants {
		p.Add("participants", MsgTooMany, "Max", MaxParticipants)
	}
	ids := make([]string, len(ps.Participants))
	for i, pt := range ps.Participants {
		f := "participants[" + itoa(i) + "]"
		ids[i] = pt.OrganizationID
		if pt.OrganizationID == "" {
			p.Add(f+".organization_id", MsgRequired)
		}
		if len(pt.Roles) == 0 {
			p.Add(f+".roles", MsgRolesRequired)
		}
		seen := map[ParticipantRole]bool{}
		for _, r := range pt.Roles {
			if !oneOf(string(r), ParticipantRoles) {
				p.Add(f+".roles", MsgOneOf, "Allowed", joinKinds(ParticipantRoles), "Value", r)
			} else if seen[r] {
				p.Add(f+".roles", MsgRoleTwice, "Role", r)
			}
			seen[r] = true
		}
	}
	distinctOrgs(&p, "participants", ids)
	return p.Err("partnership")
}

// CommitmentKind is what a party commits to a partnership.
type CommitmentKind string

// CommitmentKinds lists the kinds of commitments.
var CommitmentKinds = []CommitmentKind{"money", "equipment", "training", "personnel"}

// Commitment is what a party pledges to a partnership (Project HOPE: 25
// million US dollars for equipment and training), with what was delivered
// against it. Amount is required for money and optional otherwise (the
// value of equipment); Delivered is the sum of the deliveries' amounts, in
// the commitment's currency, and never more than Amount.
type Commitment struct {
	Meta
	PartnershipID string         `json:"partnership_id"`
	PartyID       string         `json:"party_id"`
	Kind          CommitmentKind `json:"kind"`
	Amount        Money          `json:"amount,omitzero"`
	Description   string         `json:"description,omitempty"`
	CommittedOn   PartialDate    `json:"committed_on,omitzero"`
	Delivered     Money          `json:"delivered,omitzero"`
	Deliveries    []Delivery     `json:"deliveries"`
}

// Validate returns an EINVALID error naming every field that is wrong.
func (c *Commitment) Validate() error {
	var p Problems
	if c.PartnershipID == "" {
		p.Add("partnership_id", MsgRequired)
	}
	if c.PartyID == "" {
		p.Add("party_id", MsgRequired)
	}
	if !oneOf(string(c.Kind), CommitmentKinds) {
		p.Add("kind", MsgOneOf, "Allowed", joinKinds(CommitmentKinds), "Value", c.Kind)
	}
	switch {
	case c.Amount.IsZero() && c.Kind == "money":
		p.Add("amount", MsgMoneyAmount)
	case !c.Amount.IsZero() && c.Amount.Minor <= 0:
		p.Add("amount", MsgPositive, "Value", c.Amount.Amount())
	case !c.Amount.IsZero():
		if _, err := CurrencyScale(c.Amount.Currency); err != nil {
			p.Add("amount", MsgCurrency, "Value", c.Amount.Currency)
		}
	}
	if c.Kind != "money" && c.Amount.IsZero() && strings.TrimSpace(c.Description) == "" {
		p.Add("description", MsgDescribeCommitment)
	}
	maxLen(&p, "description", c.Description, MaxText)
	return p.Err("commitment")
}

// Share returns the delivered part of the commitment in thousandths of the
// amount committed, rounded down, exactly; ok is false when the commitment
// names no amount, so that there is no share to give.
func (c *Commitment) Share() (permille int64, ok bool) {
	if c.Amount.Minor <= 0 {
		return 0, false
	}
	n := new(big.Int).Mul(big.NewInt(c.Delivered.Minor), big.NewInt(1000))
	return n.Quo(n, big.NewInt(c.Amount.Minor)).Int64(), true
}

// Left returns what of the amount committed is still to deliver.
func (c *Commitment) Left() Money {
	return Money{Minor: c.Amount.Minor - c.Delivered.Minor, Currency: c.Amount.Currency}
}

// Delivery is what was delivered against a commitment on a date of
// history: an amount in the commitment's currency, a description, or both.
// Deliveries are a ledger: recorded, never changed.
type Delivery struct {
	ID           string      `json:"id"`
	CommitmentID string      `json:"commitment_id"`
	DeliveredOn  PartialDate `json:"delivered_on"`
	Amount       Money       `json:"amount,omitzero"`
	Description  string      `json:"description,omitempty"`
}

// Validate returns an EINVALID error naming every field that is wrong.
// Whether the amount fits the commitment is the store's to say, in the
// transaction that adds it.
func (d *Delivery) Validate() error {
	var p Problems
	if d.CommitmentID == "" {
		p.Add("commitment_id", MsgRequired)
	}
	if d.DeliveredOn.IsZero() {
		p.Add("delivered_on", MsgRequired)
	}
	if d.Amount.IsZero() && strings.TrimSpace(d.Description) == "" {
		p.Add("amount", MsgDeliveryEmpty)
	}
	if !d.Amount.IsZero() && d.Amount.Minor <= 0 {
		p.Add("amount", MsgPositive, "Value", d.Amount.Amount())
	}
	maxLen(&p, "description", d.Description, MaxText)
	return p.Err("delivery")
}

// ProgramFilter selects programs. Zero fields select everything.
type ProgramFilter struct {
	Query          string // part of the name, any case
	Kind           string
	OrganizationID string // a sponsor
	Cursor         string
	Limit          int
}

// PartnershipFilter selects partnerships. Zero fields select everything.
type PartnershipFilter struct {
	Query          string
	ProgramID      string
	OrganizationID string // the provider, the recipient or a participant
	Status         string
	Kind           string // the kind of the program
	Cursor         string
	Limit          int
}

func required(p *Problems, field, s string, max int) {
	if strings.TrimSpace(s) == "" {
		p.Add(field, MsgRequired)
		return
	}
	maxLen(p, field, s, max)
}

func distinctOrgs(p *Problems, field string, ids []string) {
	seen := map[string]bool{}
	for _, id := range ids {
		if id != "" && seen[id] {
			p.Add(field, MsgOrganizationTwice, "ID", id)
			return
		}
		seen[id] = true
	}
}

// period notes an end before the start.
func period(p *Problems, starts, ends PartialDate) {
	if !starts.IsZero() && !ends.IsZero() && ends.Date.Before(starts.Date) {
		p.Add("ends_on", MsgEndsBeforeStarts, "Starts", starts.String())
	}
}

// Messages of partnerships.
var (
	MsgSponsorRequired       = msg("sponsor_required", "name at least one sponsoring organization")
	MsgOrganizationTwice     = msg("organization_twice", "organization {{.ID}} is named twice")
	MsgEndsBeforeStarts      = msg("ends_before_starts", "ends before it starts ({{.Starts}})")
	MsgSameParties           = msg("same_parties", "the provider and the recipient must be two different organizations")
	MsgRolesRequired         = msg("roles_required", "give the organization at least one role")
	MsgRoleTwice             = msg("role_twice", "role {{.Role}} is given twice")
	MsgPartnershipTransition = msg("partnership_transition", "partnership {{.Partnership}} is {{.Status}} and cannot become {{.To}}")
	MsgMoneyAmount           = msg("money_amount", "is required for a commitment of money")
	MsgDescribeCommitment    = msg("describe_commitment", "say what is committed, or give its value")
	MsgDeliveryEmpty         = msg("delivery_empty", "give the amount delivered or describe what was delivered")
	MsgDeliveryCurrency      = msg("delivery_currency", "the commitment is in {{.Currency}}: record the delivery in {{.Currency}}, not {{.Value}}")
	MsgDeliveryNoAmount      = msg("delivery_no_amount", "the commitment names no amount: describe what was delivered instead")
	MsgDeliveryTooMuch       = msg("delivery_too_much", "only {{.Left}} of {{.Committed}} is still to deliver; the delivery says {{.Amount}}")
	MsgNoSuchProgram         = msg("no_such_program", "program {{.ID}} does not exist")
	MsgProgramInUse          = msg("program_in_use", "program “{{.Name}}” cannot be deleted: {{.Count}} partnerships belong to it; remove them first")
	MsgPartnershipInUse      = msg("partnership_in_use", "partnership “{{.Name}}” cannot be deleted: {{.Count}} commitments are made to it")
)
