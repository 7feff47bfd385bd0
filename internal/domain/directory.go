package domain

import (
	"strconv"

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
	Kind      string      `json:"kind"`
	Name      string      `json:"name" limit:"name"`
	GrantedBy string      `json:"granted_by,omitempty" limit:"name"`
	GrantedOn PartialDate `json:"granted_on"`
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
		p.Add("name", MsgRequired)
	} else {
		maxLen(&p, "name", o.Name, MaxName)
	}
	if !oneOf(string(o.Kind), OrgKinds) {
		p.Add("kind", MsgOneOf, "Allowed", joinKinds(OrgKinds), "Value", o.Kind)
	}
	if !ValidCountry(o.Country) {
		p.Add("country", MsgCountry, "Value", o.Country)
	}
	if o.Subdivision != "" {
		if !subdivisionRE.MatchString(o.Subdivision) {
			p.Add("subdivision", MsgSubdivision, "Value", o.Subdivision)
		} else if !strings.HasPrefix(o.Subdivision, o.Country+"-") {
			p.Add("subdivision", MsgSubdivisionOf, "Value", o.Subdivision, "Country", o.Country)
		}
	}
	maxLen(&p, "city", o.City, MaxShort)
	maxLen(&p, "website", o.Website, MaxWebsite)
	if len(o.Accreditations) > MaxAccreditations {
		p.Add("accreditations", MsgTooMany, "Max", MaxAccreditations)
	}
	if o.ParentID == "" && o.ParentRelation != "" {
		p.Add("parent_relation", MsgRelationNeedsParent)
	}
	if o.ParentID != "" {
		if o.ParentID == o.ID {
			p.Add("parent_id", MsgOwnParent)
		}
		if !oneOf(o.ParentRelation, ParentRelations) {
			p.Add("parent_relation", MsgOneOf, "Allowed", strings.Join(ParentRelations, ", "), "Value", o.ParentRelation)
		}
	}
	nonNegative(&p, "beds_total", o.BedsTotal)
	nonNegative(&p, "beds_in_service", o.BedsInService)
	nonNegative(&p, "clinical_departments", o.ClinicalDepartments)
	if o.BedsTotal != nil && o.BedsInService != nil && *o.BedsInService > *o.BedsTotal {
		p.Add("beds_in_service", MsgBedsInService, "InService", *o.BedsInService, "Total", *o.BedsTotal)
	}
	if o.Website != "" {
		u, err := url.Parse(o.Website)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.Add("website", MsgWebsite, "Value", o.Website)
		}
	}
	if (o.Latitude == nil) != (o.Longitude == nil) {
		p.Add("latitude", MsgBothCoordinates)
	}
	if o.Latitude != nil && (*o.Latitude < -90 || *o.Latitude > 90) {
		p.Add("latitude", MsgBetween, "Min", -90, "Max", 90, "Value", *o.Latitude)
	}
	if o.Longitude != nil && (*o.Longitude < -180 || *o.Longitude > 180) {
		p.Add("longitude", MsgBetween, "Min", -180, "Max", 180, "Value", *o.Longitude)
	}
	for i, a := range o.Accreditations {
		f := "accreditations[" + itoa(i) + "]"
		if !oneOf(a.Kind, AccreditationKinds) {
			p.Add(f+".kind", MsgOneOf, "Allowed", strings.Join(AccreditationKinds, ", "), "Value", a.Kind)
		}
		if strings.TrimSpace(a.Name) == "" {
			p.Add(f+".name", MsgRequired)
		}
		maxLen(&p, f+".name", a.Name, MaxName)
		maxLen(&p, f+".granted_by", a.GrantedBy, MaxName)
		if a.GrantedOn.IsZero() {
			p.Add(f+".granted_on", MsgRequired)
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
		p.Add("organization_id", MsgRequired)
	}
	if strings.TrimSpace(d.Name) == "" {
		p.Add("name", MsgRequired)
	}
	maxLen(&p, "name", d.Name, MaxName)
	return p.Err("department")
}

// Person is someone named in the records: a doctor, an official, a
// representative. BirthDate, Email and Phone are personal data.
type Person struct {
	Meta
	OrganizationID string `json:"organization_id"`
	DepartmentID   string `json:"department_id,omitempty"`
	UserID         string `json:"user_id,omitempty"`
	Name           string `json:"name"`
	Title          string `json:"title,omitempty"`
	// TitleRank is the rank of the title, which places on a team may ask
	// for: resident, attending, associate_chief or chief.
	TitleRank TitleRank `json:"title_rank,omitempty"`
	Specialty string    `json:"specialty,omitempty"`
	Languages []string  `json:"languages"`
	BirthDate Date      `json:"birth_date,omitzero"`
	Email     string    `json:"email,omitempty"`
	Phone     string    `json:"phone,omitempty"`
	// PersonalHidden is true when the reader may not see the personal fields,
	// which are then left empty.
	PersonalHidden bool `json:"personal_hidden"`
}

var phoneRE = regexp.MustCompile(`^\+?[0-9 ()./-]{5,}$`)

// Validate returns an EINVALID error naming every field that is wrong.
func (p *Person) Validate() error {
	var ps Problems
	if p.OrganizationID == "" {
		ps.Add("organization_id", MsgRequired)
	}
	if strings.TrimSpace(p.Name) == "" {
		ps.Add("name", MsgRequired)
	} else {
		maxLen(&ps, "name", p.Name, MaxName)
	}
	maxLen(&ps, "title", p.Title, MaxShort)
	maxLen(&ps, "specialty", p.Specialty, MaxShort)
	if len(p.Languages) > MaxLanguages {
		ps.Add("languages", MsgTooMany, "Max", MaxLanguages)
	}
	languageTags(&ps, "languages", p.Languages)
	if p.TitleRank != "" && !oneOf(string(p.TitleRank), TitleRanks) {
		ps.Add("title_rank", MsgOneOf, "Allowed", joinKinds(TitleRanks), "Value", p.TitleRank)
	}
	if !p.BirthDate.IsZero() {
		if p.BirthDate.Year < 1900 || p.BirthDate.Time().After(time.Now()) {
			ps.Add("birth_date", MsgBirthDate, "Value", p.BirthDate.String())
		}
	}
	maxLen(&ps, "email", p.Email, MaxEmail)
	if p.Email != "" {
		if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email {
			ps.Add("email", MsgEmail, "Value", p.Email)
		}
	}
	maxLen(&ps, "phone", p.Phone, MaxPhone)
	if p.Phone != "" && !phoneRE.MatchString(p.Phone) {
		ps.Add("phone", MsgPhone, "Value", p.Phone)
	}
	return ps.Err("person")
}

// languageTags notes, on field[i], each entry that is not a language tag.
func languageTags(p *Problems, field string, tags []string) {
	for i, l := range tags {
		if _, err := language.Parse(l); err != nil || l == "" {
			p.Add(field+"["+itoa(i)+"]", MsgLanguageTag, "Value", l)
		}
	}
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

var itemCodeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,` + strconv.Itoa(MaxItemCode-1) + `}$`)

// Validate returns an EINVALID error naming every field that is wrong.
func (it *Item) Validate() error {
	var p Problems
	if !itemCodeRE.MatchString(it.Code) {
		p.Add("code", MsgItemCode, "Max", MaxItemCode, "Value", it.Code)
	}
	if strings.TrimSpace(it.Name) == "" {
		p.Add("name", MsgRequired)
	}
	maxLen(&p, "name", it.Name, MaxName)
	if !oneOf(string(it.Category), ItemCategories) {
		p.Add("category", MsgOneOf, "Allowed", joinKinds(ItemCategories), "Value", it.Category)
	}
	if strings.TrimSpace(it.Unit) == "" {
		p.Add("unit", MsgUnitRequired)
	}
	maxLen(&p, "unit", it.Unit, MaxUnit)
	return p.Err("item")
}

func nonNegative(p *Problems, field string, v *int64) {
	if v != nil && *v < 0 {
		p.Add(field, MsgNotNegative, "Value", *v)
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

// Messages of the directory.
var (
	MsgCountry                = msg("country", "must be an ISO 3166-1 alpha-2 code such as CN or US, not “{{.Value}}”")
	MsgSubdivision            = msg("subdivision", "must be an ISO 3166-2 code such as CN-YN, not “{{.Value}}”")
	MsgSubdivisionOf          = msg("subdivision_of", "{{.Value}} is not a subdivision of country {{.Country}}")
	MsgRelationNeedsParent    = msg("relation_needs_parent", "needs a parent organization")
	MsgOwnParent              = msg("own_parent", "an organization cannot be its own parent")
	MsgBedsInService          = msg("beds_in_service", "{{.InService}} beds in service is more than the {{.Total}} beds in total")
	MsgWebsite                = msg("website", "must be an http or https address, not “{{.Value}}”")
	MsgBothCoordinates        = msg("both_coordinates", "give both latitude and longitude, or neither")
	MsgLanguageTag            = msg("language_tag", "must be a language tag such as en or zh-CN, not “{{.Value}}”")
	MsgBirthDate              = msg("birth_date", "{{.Value}} is not a plausible birth date")
	MsgPhone                  = msg("phone", "“{{.Value}}” is not a phone number (digits, spaces and + ( ) - . / only)")
	MsgItemCode               = msg("item_code", "must be 1 to {{.Max}} letters, digits, dots, dashes or underscores, not “{{.Value}}”")
	MsgUnitRequired           = msg("unit_required", "is required (piece, kit, box, ...)")
	MsgScreenerDepartment     = msg("screener_department", "a screener screens one department: name it")
	MsgParentCycle            = msg("parent_cycle", "would make a cycle of parents")
	MsgDependentBranches      = msg("dependent_branches", "organization “{{.Name}}” cannot be deleted: {{.Count}} organizations have it as parent; remove or move them first")
	MsgDependentDepartments   = msg("dependent_departments", "organization “{{.Name}}” cannot be deleted: {{.Count}} departments belong to it; remove them first")
	MsgDependentPeople        = msg("dependent_people", "organization “{{.Name}}” cannot be deleted: {{.Count}} people belong to it; remove or move them first")
	MsgDependentMembers       = msg("dependent_members", "organization “{{.Name}}” cannot be deleted: {{.Count}} user memberships name it; remove them first")
	MsgDepartmentInUse        = msg("department_in_use", "department “{{.Name}}” cannot be deleted: {{.Count}} people or screeners belong to it")
	MsgOnlyScreenerDepartment = msg("only_screener_department", "only a screener has a department")
)
