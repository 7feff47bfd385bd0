package domain

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func fields(err error) []string {
	var out []string
	for _, f := range ErrorFields(err) {
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return out
}

func ptr(n int64) *int64 { return &n }

func TestOrganizationValidate(t *testing.T) {
	valid := func() Organization {
		return Organization{Name: "Second People's Hospital of Kashi", Kind: "hospital", Country: "CN", Subdivision: "CN-XJ",
			BedsTotal: ptr(1000), BedsInService: ptr(800), Accreditations: []Accreditation{
				{Kind: "designation", Name: "Tertiary class A hospital", GrantedOn: DayOf(Date{2015, 1, 28})}}}
	}
	tests := []struct {
		name   string
		change func(o *Organization)
		want   []string
	}{
		{"valid", func(o *Organization) {}, nil},
		{"no name", func(o *Organization) { o.Name = "  " }, []string{"name"}},
		{"unknown kind", func(o *Organization) { o.Kind = "castle" }, []string{"kind"}},
		{"lower-case country", func(o *Organization) { o.Country = "cn"; o.Subdivision = "" }, []string{"country"}},
		{"not a country", func(o *Organization) { o.Country = "ZZ"; o.Subdivision = "" }, []string{"country"}},
		{"subdivision of another country", func(o *Organization) { o.Subdivision = "US-WA" }, []string{"subdivision"}},
		{"malformed subdivision", func(o *Organization) { o.Subdivision = "Xinjiang" }, []string{"subdivision"}},
		{"more beds in service than beds", func(o *Organization) { o.BedsInService = ptr(1001) }, []string{"beds_in_service"}},
		{"negative beds", func(o *Organization) { o.BedsTotal = ptr(-1); o.BedsInService = nil }, []string{"beds_total"}},
		{"relation without parent", func(o *Organization) { o.ParentRelation = "branch" }, []string{"parent_relation"}},
		{"parent without relation", func(o *Organization) { o.ParentID = "p1" }, []string{"parent_relation"}},
		{"own parent", func(o *Organization) { o.ID = "x"; o.ParentID = "x"; o.ParentRelation = "branch" }, []string{"parent_id"}},
		{"website not http", func(o *Organization) { o.Website = "ftp://example.org" }, []string{"website"}},
		{"accreditation without date", func(o *Organization) { o.Accreditations[0].GrantedOn = PartialDate{} }, []string{"accreditations[0].granted_on"}},
		{"accreditation of unknown kind", func(o *Organization) { o.Accreditations[0].Kind = "award" }, []string{"accreditations[0].kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := valid()
			tt.change(&o)
			err := o.Validate()
			if got := fields(err); !slices.Equal(got, tt.want) {
				t.Errorf("fields = %v, want %v (%v)", got, tt.want, err)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Errorf("code = %q, want invalid", ErrorCode(err))
			}
		})
	}
}

func TestPersonAndItemValidate(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"valid person", (&Person{OrganizationID: "o", Name: "Sun Kun", Languages: []string{"zh-CN", "en"}, Email: "a@b.org", Phone: "+86 21 1234 5678"}).Validate(), nil},
		{"person without organization", (&Person{Name: "X"}).Validate(), []string{"organization_id"}},
		{"bad language", (&Person{OrganizationID: "o", Name: "X", Languages: []string{"not a tag!"}}).Validate(), []string{"languages[0]"}},
		{"bad email", (&Person{OrganizationID: "o", Name: "X", Email: "nobody"}).Validate(), []string{"email"}},
		{"email with name", (&Person{OrganizationID: "o", Name: "X", Email: "X <x@y.org>"}).Validate(), []string{"email"}},
		{"bad phone", (&Person{OrganizationID: "o", Name: "X", Phone: "call me"}).Validate(), []string{"phone"}},
		{"born in the future", (&Person{OrganizationID: "o", Name: "X", BirthDate: Date{3000, 1, 1}}).Validate(), []string{"birth_date"}},
		{"valid item", (&Item{Code: "N95", Name: "N95 respirator", Category: "ppe", Unit: "piece"}).Validate(), nil},
		{"item without unit", (&Item{Code: "N95", Name: "N95 respirator", Category: "ppe"}).Validate(), []string{"unit"}},
		{"item with spaces in code", (&Item{Code: "N 95", Name: "N95", Category: "ppe", Unit: "piece"}).Validate(), []string{"code"}},
		{"item of unknown category", (&Item{Code: "X", Name: "X", Category: "food", Unit: "kg"}).Validate(), []string{"category"}},
		{"screener without department", (&User{Email: "s@x.org", Name: "S", Memberships: []Membership{{OrganizationID: "o", Role: RoleScreener}}}).Validate(), []string{"memberships[0].department_id"}},
		{"viewer with department", (&User{Email: "s@x.org", Name: "S", Memberships: []Membership{{OrganizationID: "o", Role: RoleViewer, DepartmentID: "d"}}}).Validate(), []string{"memberships[0].department_id"}},
		{"unknown role", (&User{Email: "s@x.org", Name: "S", Memberships: []Membership{{OrganizationID: "o", Role: "king"}}}).Validate(), []string{"memberships[0].role"}},
	}
	for _, tt := range tests {
		if got := fields(tt.err); !slices.Equal(got, tt.want) {
			t.Errorf("%s: fields = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestDate(t *testing.T) {
	d, err := ParseDate("2015-01-28")
	if err != nil || d != (Date{2015, 1, 28}) || d.String() != "2015-01-28" {
		t.Fatalf("ParseDate = %v, %v", d, err)
	}
	for _, bad := range []string{"2015-1-28", "28/01/2015", "2015-02-30", "20150128", "2015-01-28T00:00:00Z"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	var v struct {
		D Date `json:"d"`
	}
	if err := json.Unmarshal([]byte(`{"d":"2010-06-01"}`), &v); err != nil || v.D.String() != "2010-06-01" {
		t.Errorf("unmarshal: %v %v", v.D, err)
	}
	if err := json.Unmarshal([]byte(`{"d":20100601}`), &v); err == nil {
		t.Error("a number was accepted as a date")
	}
	b, _ := json.Marshal(struct {
		D Date `json:"d"`
	}{})
	if string(b) != `{"d":null}` {
		t.Errorf("zero date marshals as %s", b)
	}
}

// FuzzParseDate checks that any date that parses prints back the same.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2015-01-28", "", "0000-00-00", "2024-02-29", "9999-12-31", "2015-13-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil || s == "" {
			return
		}
		if d.String() != s {
			t.Errorf("ParseDate(%q) prints back as %q", s, d.String())
		}
		var back Date
		if err := back.Scan(d.String()); err != nil || back != d {
			t.Errorf("Scan(%q) = %v, %v", d.String(), back, err)
		}
	})
}

func TestAuditChanged(t *testing.T) {
	e := AuditEntry{Before: map[string]any{"city": "Shanghai", "beds_total": 1500.0, "name": "SCMC"},
		After: map[string]any{"city": "Pudong", "beds_total": 1500.0, "name": "SCMC", "website": "https://x.org"}}
	if got := e.Changed(); !slices.Equal(got, []string{"city", "website"}) {
		t.Errorf("Changed = %v", got)
	}
}

func TestMoney(t *testing.T) {
	tests := []struct {
		amount, cur string
		minor       int64
		back        string
		bad         bool
	}{
		{"2150.5", "USD", 215050, "2150.50", false},
		{"0.07", "CNY", 7, "0.07", false},
		{"300000000", "CNY", 30000000000, "300000000.00", false},
		{"1500", "JPY", 1500, "1500", false},
		{"1.234", "KWD", 1234, "1.234", false},
		{"-3.10", "EUR", -310, "-3.10", false},
		{"1.999", "USD", 0, "", true},
		{"1,50", "USD", 0, "", true},
		{"1e3", "USD", 0, "", true},
		{"", "USD", 0, "", true},
		{"5.", "USD", 0, "", true},
		{"99999999999999999999", "USD", 0, "", true},
		{"10", "XYZ", 0, "", true},
		{"10", "usd", 0, "", true},
	}
	for _, tt := range tests {
		m, err := ParseMoney(tt.amount, tt.cur)
		if tt.bad {
			if err == nil {
				t.Errorf("ParseMoney(%q, %q) accepted: %v", tt.amount, tt.cur, m)
			}
			continue
		}
		if err != nil || m.Minor != tt.minor || m.Amount() != tt.back {
			t.Errorf("ParseMoney(%q, %q) = %d %q, %v", tt.amount, tt.cur, m.Minor, m.Amount(), err)
		}
	}
	var m Money
	if err := json.Unmarshal([]byte(`{"amount":"12.30","currency":"USD"}`), &m); err != nil || m.Minor != 1230 {
		t.Errorf("unmarshal: %v %v", m, err)
	}
	if err := json.Unmarshal([]byte(`{"amount":12.3,"currency":"USD"}`), &m); err == nil {
		t.Error("a float amount was accepted")
	}
}

// FuzzParseMoney checks that parsed amounts print back to the same value.
func FuzzParseMoney(f *testing.F) {
	f.Add("2150.50", "USD")
	f.Add("1", "JPY")
	f.Add("-0.001", "KWD")
	f.Fuzz(func(t *testing.T, amount, cur string) {
		m, err := ParseMoney(amount, cur)
		if err != nil {
			return
		}
		back, err := ParseMoney(m.Amount(), m.Currency)
		if err != nil || back != m {
			t.Errorf("%q %s -> %d -> %q -> %v, %v", amount, cur, m.Minor, m.Amount(), back, err)
		}
	})
}

func TestParsePartialDate(t *testing.T) {
	tests := []struct {
		in, want string
		prec     DatePrecision
		ok       bool
	}{
		{"2010", "2010", PrecisionYear, true},
		{"2015-10", "2015-10", PrecisionMonth, true},
		{"2015-01-28", "2015-01-28", PrecisionDay, true},
		{" 2010 ", "2010", PrecisionYear, true},
		{"", "", "", true},
		{"0000", "", "", false},
		{"10", "", "", false},
		{"2015-13", "", "", false},
		{"2015-02-30", "", "", false},
		{"JCI 2010", "", "", false},
	}
	for _, tt := range tests {
		got, err := ParsePartialDate(tt.in)
		if (err == nil) != tt.ok || got.String() != tt.want || got.Precision != tt.prec {
			t.Errorf("ParsePartialDate(%q) = %q %q, %v; want %q %q ok %v", tt.in, got, got.Precision, err, tt.want, tt.prec, tt.ok)
		}
		if err != nil {
			continue
		}
		b, _ := got.MarshalJSON()
		var back PartialDate
		if err := back.UnmarshalJSON(b); err != nil || back != got {
			t.Errorf("%q: JSON %s reads back as %v, %v", tt.in, b, back, err)
		}
	}
}

func FuzzParsePartialDate(f *testing.F) {
	for _, s := range []string{"2010", "2015-10", "2015-01-28", "0000", "1799-12-31", "2027-02-30", "10", "", "２０１０"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParsePartialDate(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("ParsePartialDate(%q) error %v is not invalid", s, err)
			}
			return
		}
		if d.IsZero() {
			return
		}
		if d.Date.Year < MinYear || d.Date.Year > MaxYear {
			t.Fatalf("ParsePartialDate(%q) = %v, outside the range", s, d)
		}
		back, err := ParsePartialDate(d.String())
		if err != nil || back != d {
			t.Fatalf("%q -> %q -> %v, %v", s, d.String(), back, err)
		}
	})
}

func FuzzCheckQuery(f *testing.F) {
	for _, s := range []string{"cardiology", "x\x00y", "\xff\xfe", "a\tb\nc", "名字", strings.Repeat("a", 201)} {
		f.Add("q", s)
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		err := CheckQuery(map[string][]string{name: {value}})
		text := func(s string) bool {
			return utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' })
		}
		valid := ValidText(name) && ValidText(value)
		if valid != (text(name) && text(value)) {
			t.Fatalf("ValidText(%q, %q) = %v", name, value, valid)
		}
		if !valid && err == nil {
			t.Fatalf("CheckQuery took %q=%q, which is not text", name, value)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Fatalf("CheckQuery error %v is not invalid", err)
		}
	})
}
