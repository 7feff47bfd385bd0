package domain

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Meta is what every record carries: an id, when it was created and last
// updated, and a version that an update must name to guard against lost updates.
type Meta struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

// OrgKind is the kind of an organization.
type OrgKind string

// OrgKinds lists every organization kind, in the order forms offer them.
var OrgKinds = []OrgKind{"hospital", "foundation", "government", "ngo", "international", "university", "company", "other"}

// ParentRelations lists how an organization can stand to its parent.
var ParentRelations = []string{"affiliation", "branch"}

// AccreditationKinds lists the kinds of dated recognition an organization holds.
var AccreditationKinds = []string{"accreditation", "designation"}

// Accreditation is a dated accreditation or designation of an organization:
// JCI in 2010, National Children's Medical Center in 2017, tertiary class A.
type Accreditation struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	GrantedBy string `json:"granted_by,omitempty"`
	GrantedOn Date   `json:"granted_on"`
}

// Organization is a hospital, foundation, authority or other body that gives,
// receives or coordinates aid.
type Organization struct {
	Meta
	Name                string          `json:"name"`
	Kind                OrgKind         `json:"kind"`
	Country             string          `json:"country"`
	Subdivision         string          `json:"subdivision,omitempty"`
	City                string          `json:"city,omitempty"`
	ParentID            string          `json:"parent_id,omitempty"`
	ParentRelation      string          `json:"parent_relation,omitempty"`
	BedsTotal           *int64          `json:"beds_total,omitempty"`
	BedsInService       *int64          `json:"beds_in_service,omitempty"`
	ClinicalDepartments *int64          `json:"clinical_departments,omitempty"`
	Website             string          `json:"website,omitempty"`
	Latitude            *float64        `json:"latitude,omitempty"`
	Longitude           *float64        `json:"longitude,omitempty"`
	Accreditations      []Accreditation `json:"accreditations"`
}

var subdivisionRE = regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]{1,3}$`)

// ValidCountry reports whether code is an ISO 3166-1 alpha-2 country code.
func ValidCountry(code string) bool {
	if len(code) != 2 || strings.ToUpper(code) != code {
		return false
	}
	r, err := language.ParseRegion(code)
	return err == nil && r.IsCountry() && r.String() == code
}

// Validate returns an EINVALID error naming every field that is wrong.
func (o *Organization) Validate() error {
	var p Problems
	if strings.TrimSpace(o.Name) == "" {
		p.Add("name", "is required")
	} else if len(o.Name) > 300 {
		p.Add("name", "must be at most 300 characters")
	}
	if !oneOf(string(o.Kind), OrgKinds) {
		p.Add("kind", "must be one of %s, not %q", joinKinds(OrgKinds), o.Kind)
	}
	if !ValidCountry(o.Country) {
		p.Add("country", "must be an ISO 3166-1 alpha-2 code such as CN or US, not %q", o.Country)
	}
	if o.Subdivision != "" {
		if !subdivisionRE.MatchString(o.Subdivision) {
			p.Add("subdivision", "must be an ISO 3166-2 code such as CN-YN, not %q", o.Subdivision)
		} else if !strings.HasPrefix(o.Subdivision, o.Country+"-") {
			p.Add("subdivision", "%s is not a subdivision of country %s", o.Subdivision, o.Country)
		}
	}
	if o.ParentID == "" && o.ParentRelation != "" {
		p.Add("parent_relation", "needs a parent_id")
	}
	if o.ParentID != "" {
		if o.ParentID == o.ID {
			p.Add("parent_id", "an organization cannot be its own parent")
		}
		if !oneOf(o.ParentRelation, ParentRelations) {
			p.Add("parent_relation", "must be affiliation or branch, not %q", o.ParentRelation)
		}
	}
	nonNegative(&p, "beds_total", o.BedsTotal)
	nonNegative(&p, "beds_in_service", o.BedsInService)
	nonNegative(&p, "clinical_departments", o.ClinicalDepartments)
	if o.BedsTotal != nil && o.BedsInService != nil && *o.BedsInService > *o.BedsTotal {
		p.Add("beds_in_service", "%d beds in service is more than the %d beds in total", *o.BedsInService, *o.BedsTotal)
	}
	if o.Website != "" {
		u, err := url.Parse(o.Website)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.Add("website", "must be an http or https address, not %q", o.Website)
		}
	}
	if (o.Latitude == nil) != (o.Longitude == nil) {
		p.Add("latitude", "give both latitude and longitude, or neither")
	}
	if o.Latitude != nil && (*o.Latitude < -90 || *o.Latitude > 90) {
		p.Add("latitude", "must be between -90 and 90, got %g", *o.Latitude)
	}
	if o.Longitude != nil && (*o.Longitude < -180 || *o.Longitude > 180) {
		p.Add("longitude", "must be between -180 and 180, got %g", *o.Longitude)
	}
	for i, a := range o.Accreditations {
		f := "accreditations[" + itoa(i) + "]"
		if !oneOf(a.Kind, AccreditationKinds) {
			p.Add(f+".kind", "must be accreditation or designation, not %q", a.Kind)
		}
		if strings.TrimSpace(a.Name) == "" {
			p.Add(f+".name", "is required")
		}
		if a.GrantedOn.IsZero() {
			p.Add(f+".granted_on", "is required")
		}
	}
	return p.Err("organization")
}

// Department is a named department of an organization, to which people
// belong and which a screener screens for.
type Department struct {
	Meta
	OrganizationID string `json:"organization_id"`
	Name           string `json:"name"`
}

// Validate returns an EINVALID error naming every field that is wrong.
func (d *Department) Validate() error {
	var p Problems
	if d.OrganizationID == "" {
		p.Add("organization_id", "is required")
	}
	if strings.TrimSpace(d.Name) == "" {
		p.Add("name", "is required")
	}
	return p.Err("department")
}

// Person is someone named in the records: a doctor, an official, a
// representative. BirthDate, Email and Phone are personal data.
type Person struct {
	Meta
	OrganizationID string   `json:"organization_id"`
	DepartmentID   string   `json:"department_id,omitempty"`
	UserID         string   `json:"user_id,omitempty"`
	Name           string   `json:"name"`
	Title          string   `json:"title,omitempty"`
	Specialty      string   `json:"specialty,omitempty"`
	Languages      []string `json:"languages"`
	BirthDate      Date     `json:"birth_date,omitzero"`
	Email          string   `json:"email,omitempty"`
	Phone          string   `json:"phone,omitempty"`
	// PersonalHidden is true when the reader may not see the personal fields,
	// which are then left empty.
	PersonalHidden bool `json:"personal_hidden"`
}

var phoneRE = regexp.MustCompile(`^\+?[0-9 ()./-]{5,30}$`)

// Validate returns an EINVALID error naming every field that is wrong.
func (p *Person) Validate() error {
	var ps Problems
	if p.OrganizationID == "" {
		ps.Add("organization_id", "is required")
	}
	if strings.TrimSpace(p.Name) == "" {
		ps.Add("name", "is required")
	} else if len(p.Name) > 300 {
		ps.Add("name", "must be at most 300 characters")
	}
	for i, l := range p.Languages {
		if _, err := language.Parse(l); err != nil || l == "" {
			ps.Add("languages["+itoa(i)+"]", "must be a language tag such as en or zh-CN, not %q", l)
		}
	}
	if !p.BirthDate.IsZero() {
		if p.BirthDate.Year < 1900 || p.BirthDate.Time().After(time.Now()) {
			ps.Add("birth_date", "%s is not a plausible birth date", p.BirthDate)
		}
	}
	if p.Email != "" {
		if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email {
			ps.Add("email", "%q is not an email address", p.Email)
		}
	}
	if p.Phone != "" && !phoneRE.MatchString(p.Phone) {
		ps.Add("phone", "%q is not a phone number (digits, spaces and + ( ) - . / only)", p.Phone)
	}
	return ps.Err("person")
}

// ItemCategory is the category of a catalog item.
type ItemCategory string

// ItemCategories lists every item category.
var ItemCategories = []ItemCategory{"ppe", "diagnostics", "medicine", "equipment", "tcm", "other"}

// Item is an entry of the supply catalog; quantities of it are counted in Unit.
type Item struct {
	Meta
	Code     string       `json:"code"`
	Name     string       `json:"name"`
	Category ItemCategory `json:"category"`
	Unit     string       `json:"unit"`
}

var itemCodeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Validate returns an EINVALID error naming every field that is wrong.
func (it *Item) Validate() error {
	var p Problems
	if !itemCodeRE.MatchString(it.Code) {
		p.Add("code", "must be 1 to 64 letters, digits, dots, dashes or underscores, not %q", it.Code)
	}
	if strings.TrimSpace(it.Name) == "" {
		p.Add("name", "is required")
	}
	if !oneOf(string(it.Category), ItemCategories) {
		p.Add("category", "must be one of %s, not %q", joinKinds(ItemCategories), it.Category)
	}
	if strings.TrimSpace(it.Unit) == "" {
		p.Add("unit", "is required (piece, kit, box, ...)")
	}
	return p.Err("item")
}

func nonNegative(p *Problems, field string, v *int64) {
	if v != nil && *v < 0 {
		p.Add(field, "must not be negative, got %d", *v)
	}
}

func oneOf[S ~string](v string, list []S) bool {
	for _, s := range list {
		if string(s) == v {
			return true
		}
	}
	return false
}

func joinKinds[S ~string](list []S) string {
	parts := make([]string, len(list))
	for i, s := range list {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}
