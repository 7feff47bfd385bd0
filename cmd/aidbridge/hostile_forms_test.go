package main

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
	"aidbridge/internal/web"
)

// The hostile-input walk over the pages: every form the pages draw, as the
// site administrator sees them, is sent with each of its fields replaced by
// hostile text. No answer may be a server error or show a Go value, and
// text the databases cannot hold (not UTF-8, NUL) and text beyond every
// limit are never taken. New forms join the walk as their pages draw them.

var (
	formRE     = regexp.MustCompile(`(?s)<form\b([^>]*)>(.*?)</form>`)
	attrRE     = regexp.MustCompile(`([a-z-]+)="([^"]*)"`)
	inputRE    = regexp.MustCompile(`(?s)<input\b([^>]*)>`)
	textareaRE = regexp.MustCompile(`(?s)<textarea\b([^>]*)>(.*?)</textarea>`)
	selectRE   = regexp.MustCompile(`(?s)<select\b([^>]*)>(.*?)</select>`)
	optionRE   = regexp.MustCompile(`(?s)<option\b([^>]*)>`)
)

func attrs(s string) map[string]string {
	out := map[string]string{}
	for _, m := range attrRE.FindAllStringSubmatch(s, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

// pageForm is a form as a page draws it: where it posts and what it sends
// as drawn.
type pageForm struct {
	page, action string
	values       url.Values
	fields       []string // in the order drawn
}

// formsOf returns the forms posted by a page, with their fields' values as
// drawn: an input's value (a checkbox only when checked), a textarea's
// text, a select's chosen option or its first.
func formsOf(page, body string) []pageForm {
	var out []pageForm
	for _, f := range formRE.FindAllStringSubmatch(body, -1) {
		a := attrs(f[1])
		if !strings.EqualFold(a["method"], "post") || a["action"] == "" {
			continue
		}
		pf := pageForm{page: page, action: a["action"], values: url.Values{}}
		add := func(name, value string) {
			if name == "" {
				return
			}
			if !slices.Contains(pf.fields, name) {
				pf.fields = append(pf.fields, name)
			}
			pf.values.Add(name, value)
		}
		for _, in := range inputRE.FindAllStringSubmatch(f[2], -1) {
			ia := attrs(in[1])
			switch ia["type"] {
			case "submit", "button":
				continue
			case "checkbox", "radio":
				if !strings.Contains(in[1], "checked") {
					if !slices.Contains(pf.fields, ia["name"]) && ia["name"] != "" {
						pf.fields = append(pf.fields, ia["name"])
					}
					continue
				}
			}
			add(ia["name"], ia["value"])
		}
		for _, ta := range textareaRE.FindAllStringSubmatch(f[2], -1) {
			add(attrs(ta[1])["name"], html.UnescapeString(ta[2]))
		}
		for _, se := range selectRE.FindAllStringSubmatch(f[2], -1) {
			value, first := "", true
			for _, op := range optionRE.FindAllStringSubmatch(se[2], -1) {
				oa := attrs(op[1])
				if first || strings.Contains(op[1], "selected") {
					value, first = oa["value"], false
				}
			}
			add(attrs(se[1])["name"], value)
		}
		out = append(out, pf)
	}
	return out
}

// formWalkSkipped are the forms the walk leaves alone, each with why.
var formWalkSkipped = map[string]string{
	"/logout":   "signing out takes no input",
	"/language": "the language switch takes one of its own codes, and falls back to English on any other",
}

// formWalkIgnored are the fields a form may send that the server does not
// store as sent, each with why: whatever they hold, no text of theirs is
// kept, and the action may go through.
var formWalkIgnored = map[string]string{
	"back":          "where to go back to: anything but a path of the site goes home",
	"shortage":      "a checkbox: any value means it is ticked",
	"department_id": "of a member's removal: read only for a screener's membership, and the drawn member is no screener",
}

func TestHostileFormWalk(t *testing.T) {
	t.Parallel()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			m := startMain(t, b)
			admin := m.login("admin@example.org")
			token := m.token("admin@example.org")
			ids := map[string]string{}
			first := func(kind, path string) {
				if items := smokeItems(m.call("GET", path, token, nil)); len(items) > 0 {
					ids[kind] = fmt.Sprint(items[0]["id"])
				}
			}
			ids["organizations"] = m.orgID(scmcName)
			ids["items"] = m.itemID("N95")
			first("people", "/api/v1/people?organization_id="+ids["organizations"])
			first("needs", "/api/v1/needs?open=true")
			first("shipments", "/api/v1/shipments")
			first("programs", "/api/v1/programs")
			first("partnerships", "/api/v1/partnerships?q=founding")
			first("missions", "/api/v1/missions?forming=true&status=recruiting")
			first("applications", "/api/v1/missions/"+ids["missions"]+"/applications?stage=registered")
			first("contributions", "/api/v1/contributions?kind=goods")
			ids["indicators"] = smokeIndicator(t, m)

			seen := map[string]bool{}
			var forms []pageForm
			for _, rt := range web.Routes() {
				method, _, _ := strings.Cut(rt.Pattern, " ")
				if method != "GET" {
					continue
				}
				path, err := smokePath(rt.Pattern, ids)
				if err != nil {
					continue // a kind the walk has no record of; the page smoke test covers the pages
				}
				res := admin.get(path)
				if res.Status != 200 {
					continue
				}
				for _, f := range formsOf(path, string(res.Body)) {
					key := regexp.MustCompile(`/[0-9a-z]{26}`).ReplaceAllString(f.action, "/{id}") + " " + strings.Join(f.fields, ",")
					if seen[key] || formWalkSkipped[f.action] != "" {
						continue
					}
					seen[key] = true
					forms = append(forms, f)
				}
			}
			if len(forms) < 20 {
				t.Fatalf("the pages draw %d forms, fewer than the walk expects", len(forms))
			}
			hostile := []struct {
				name, value string
				never       bool // a value no field may take
			}{
				{"not UTF-8", "x\xffy", true},
				{"NUL", "x\x00y", true},
				{"100,000 characters", strings.Repeat("a", 100000), true},
				{"markup", `<script>alert(1)</script>"'&`, false},
				{"a huge number", "9223372036854775808", false},
				{"a date that is none", "2027-02-30", false},
			}
			sent := 0
			for _, f := range forms {
				for _, field := range f.fields {
					for _, h := range hostile {
						v := url.Values{}
						for k, vs := range f.values {
							v[k] = slices.Clone(vs)
						}
						v.Set(field, h.value)
						res := admin.post(f.action, v)
						sent++
						body := string(res.Body)
						where := fmt.Sprintf("%s (form of %s) %s = %s", f.action, f.page, field, h.name)
						switch {
						case res.Status >= 500:
							t.Errorf("%s: status %d", where, res.Status)
						case res.Status == 303 && h.never:
							// A button's refusal is said on the page it goes back to.
							back := admin.get(res.Header.Get("Location"))
							if !strings.Contains(string(back.Body), `class="flash refused"`) && formWalkIgnored[field] == "" {
								t.Errorf("%s: taken (303 to %.80s)", where, res.Header.Get("Location"))
							}
						}
						for _, a := range smokeArtifacts {
							if strings.Contains(body, a.text) {
								t.Errorf("%s: the answer shows %s", where, a.what)
							}
						}
						if h.name == "markup" && strings.Contains(body, "<script>alert(1)</script>") {
							t.Errorf("%s: the answer shows the markup unescaped", where)
						}
					}
				}
			}
			t.Logf("%d forms, %d hostile posts", len(forms), sent)
			storedHostile(t, m)
		})
	}
}

// storedHostile looks through every text column of every table for what
// no field may take: a run of 1,000 of the walk's 100,000 characters, or a
// NUL (which PostgreSQL cannot store at all).
func storedHostile(t *testing.T, m *testMain) {
	t.Helper()
	db := m.Store.DB()
	long := "%" + strings.Repeat("a", 1000) + "%"
	query := `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'text'`
	if m.Store.Dialect() == store.SQLite {
		query = `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.type = 'TEXT'`
	}
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	var cols [][2]string
	for rows.Next() {
		var c [2]string
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	if len(cols) < 50 {
		t.Fatalf("%d text columns found: the walk does not see the schema", len(cols))
	}
	for _, c := range cols {
		cond := `"` + c[1] + `" LIKE $1`
		if m.Store.Dialect() == store.SQLite {
			cond += ` OR instr("` + c[1] + `", char(0)) > 0`
		}
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM "`+c[0]+`" WHERE `+cond, long).Scan(&n); err != nil {
			t.Fatalf("%s.%s: %v", c[0], c[1], err)
		}
		if n > 0 {
			t.Errorf("%s.%s holds what no field may take, in %d rows", c[0], c[1], n)
		}
	}
}
