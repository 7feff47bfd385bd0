package domain

import "time"

// The selections of lists, and the shapes of what some lists return, as the
// services take and give them.

// NeedFilter selects needs for the board. Zero fields select everything;
// Open selects the needs still waiting for pledges or deliveries.
type NeedFilter struct {
	ItemID         string
	OrganizationID string
	Country        string
	Status         string
	Urgency        string
	Open           bool
	Cursor         string
	Limit          int
}

// Member is a user's membership of an organization, as the organization's
// members list shows it.
type Member struct {
	UserID       string `json:"user_id"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	Role         Role   `json:"role"`
	DepartmentID string `json:"department_id,omitempty"`
}

// OrganizationFilter selects organizations. Zero fields select everything.
type OrganizationFilter struct {
	Query    string // part of the name, any case
	Kind     string
	Country  string
	ParentID string
	Cursor   string
	Limit    int
}

// PersonFilter selects people. Zero fields select everything.
type PersonFilter struct {
	Query          string
	OrganizationID string
	DepartmentID   string
	Specialty      string
	Cursor         string
	Limit          int
}

// ShipmentFilter selects shipments: those of which an organization is donor
// or recipient, optionally in one status.
type ShipmentFilter struct {
	OrganizationID string
	Status         string
	Limit          int
}

// LeadTime is how long one need waited: from the plea to its first pledge,
// first dispatch and first receipt. Missing steps are nil.
type LeadTime struct {
	NeedID      string     `json:"need_id"`
	ItemID      string     `json:"item_id"`
	PleadedAt   time.Time  `json:"pleaded_at"`
	FirstPledge *time.Time `json:"first_pledge_at,omitempty"`
	Dispatched  *time.Time `json:"first_dispatch_at,omitempty"`
	Received    *time.Time `json:"first_receipt_at,omitempty"`
}

// AuditFilter selects audit entries. Zero fields select everything.
type AuditFilter struct {
	EntityType     string
	EntityID       string
	OrganizationID string
	BeforeID       int64 // entries older than this id, for paging
	Limit          int
}

// ItemFilter selects catalog items. Zero fields select everything.
type ItemFilter struct {
	Query    string // part of the name or code
	Category string
	Cursor   string
	Limit    int
}
