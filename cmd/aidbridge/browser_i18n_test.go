package main

import (
	"regexp"
	"strings"
	"testing"

	"aidbridge/internal/store/storetest"
)

// englishWords finds a run of three English words, the sign of a sentence
// left untranslated.
var englishWords = regexp.MustCompile(`[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,}){2,}`)

// TestBrowserErrorsInChinese posts bad forms in Chromium as a reader who
// chose Chinese: the field errors, the refusals of the store and a stale
// version all read in Chinese, with no English sentence, at the status of
// the refusal.
func TestBrowserErrorsInChinese(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	need, _, _ := seattleNeed(t, m)
	scmc := m.orgID(scmcName)
	c := newChrome(t, m)
	c.login("coordinator@scmc.example.org")
	c.chooseLanguage("zh-CN")

	// errors returns the texts of the form's error messages and its alert.
	errors := func() []string {
		return eval[[]string](c, `[...document.querySelectorAll("main .error, main .alert")].map(e => e.textContent.trim())`)
	}
	check := func(what string, status, want int64, wantFields ...string) {
		t.Helper()
		if status != want {
			t.Errorf("%s: status %d, want %d", what, status, want)
		}
		msgs := errors()
		if len(msgs) == 0 {
			t.Fatalf("%s: no error shown: %s", what, c.text("main"))
		}
		for _, f := range wantFields {
			if !c.has("#e-" + f) {
				t.Errorf("%s: no error next to %s", what, f)
			}
		}
		for _, msg := range msgs {
			if w := englishWords.FindString(msg); w != "" {
				t.Errorf("%s: English in an error on a Chinese page: %q in %q", what, w, msg)
			}
			if !regexp.MustCompile(`\p{Han}`).MatchString(msg) {
				t.Errorf("%s: an error without Chinese: %q", what, msg)
			}
		}
	}

	// The domain's field errors.
	if st := c.open("/organizations/" + scmc + "/edit"); st != 200 {
		t.Fatalf("edit page: %d", st)
	}
	c.typeInto("#f-beds_in_service", "2000")
	c.typeInto("#f-website", "scmc.example")
	c.typeInto("#f-country", "China")
	check("organization", c.click(`main form button[type=submit]`), 422, "beds_in_service", "website", "country")
	if msg := c.text("#e-beds_in_service"); !strings.Contains(msg, "2,000") {
		t.Errorf("beds error %q does not name 2,000", msg)
	}

	// A number the form cannot read, then a refusal of the store about a
	// field: more than is left to pledge.
	if st := c.open("/needs/" + need); st != 200 {
		t.Fatalf("need page: %d", st)
	}
	c.typeInto("#pledge-form #f-quantity", "2.5")
	check("pledge of 2.5", c.click(`#pledge-form button[type=submit]`), 422, "quantity")
	c.typeInto("#pledge-form #f-quantity", "2500")
	check("pledge of 2500", c.click(`#pledge-form button[type=submit]`), 409, "quantity")
	if msg := c.text("#e-quantity"); !strings.Contains(msg, "2,000") || !strings.Contains(msg, "2,500") {
		t.Errorf("over-pledge error %q does not name what is left and what was offered", msg)
	}

	// A stale version: another tab saved the organization meanwhile.
	if st := c.open("/organizations/" + scmc + "/edit"); st != 200 {
		t.Fatalf("edit page: %d", st)
	}
	other := m.login("coordinator@scmc.example.org")
	o, _ := m.Store.FindOrganization(t.Context(), scmc)
	if r := other.post("/organizations/"+scmc, orgValuesForTest(o)); r.Status != 303 {
		t.Fatalf("save from the other tab: %d", r.Status)
	}
	c.typeInto("#f-city", "上海浦东")
	check("stale save", c.click(`main form button[type=submit]`), 409)
	if got := c.value("#f-city"); got != "上海浦东" {
		t.Errorf("the stale form lost what was typed: city %q", got)
	}
}
