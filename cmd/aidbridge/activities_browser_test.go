package main

import (
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"aidbridge/internal/store/storetest"
)

// TestBrowserFieldWork: the demo doctor of the 4th team to Baoshan opens
// the team's field work from its mission page, logs a Sunday of two
// activities in one form, with a member involved in one of them, and reads
// the counts off the calendar and the month's list; at 390 px the calendar
// is a list of days no wider than the phone.
func TestBrowserFieldWork(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	team4 := demoTeam(t, m, "Baoshan", 4)
	c := newChrome(t, m)
	c.login("doctor@xinhua.example.org")

	if st := c.open("/missions/" + team4.ID); st != 200 {
		t.Fatalf("the mission's page: %d", st)
	}
	if st := c.click("#field-work-link"); st != 200 {
		t.Fatalf("the calendar: %d", st)
	}
	// It opens at the month of the latest activity: December 2015.
	if got := eval[string](c, `document.querySelector("#calendar-month").dataset.month`); got != "2015-12" {
		t.Errorf("the calendar opens at %s, want 2015-12", got)
	}
	if st := c.click("#month-prev"); st != 200 {
		t.Fatalf("the month before: %d", st)
	}
	const sunday = `[data-day="2015-11-08"]`
	if c.has(sunday + " li") {
		t.Fatalf("the demo has field work on Sunday 2015-11-08 already: %s", c.text(sunday))
	}
	if st := c.click("#log-activities"); st != 200 {
		t.Fatalf("the quick entry: %d", st)
	}
	c.do("pick the day", chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-done_on").value = "2015-11-08"`))
	c.do("pick surgery", chromedp.SetValue(chromedp.ID("f-kind-0"), "surgery"))
	c.typeInto("#f-count-0", "3")
	c.typeInto("#f-place-0", "Operating theatre")
	c.do("tick the first member", chromedp.Click(chromedp.CSS(`input[name="people_0"]`)))
	c.do("pick lecture", chromedp.SetValue(chromedp.ID("f-kind-1"), "lecture"))
	c.typeInto("#f-count-1", "45")
	if st := c.click(`#activity-form button[type="submit"]`); st != 200 {
		t.Fatalf("log the day: %d at %s", st, c.location())
	}
	if got := eval[string](c, `document.querySelector("#calendar-month").dataset.month`); got != "2015-11" {
		t.Errorf("after logging, the calendar shows %s, want 2015-11", got)
	}
	for kind, want := range map[string]string{"surgery": "3", "lecture": "45"} {
		if got := c.text(sunday + ` li[data-kind="` + kind + `"] .kind-count`); got != want {
			t.Errorf("%s on 2015-11-08: %q, want %q", kind, got, want)
		}
	}
	if n := eval[int](c, `document.querySelectorAll(`+jsString(sunday+" li")+`).length`); n != 2 {
		t.Errorf("kinds on 2015-11-08: %d, want 2", n)
	}
	rows := eval[[]string](c, `[...document.querySelectorAll("#activity-list tbody tr")].filter(r => r.cells[0].textContent.trim() == "2015-11-08").map(r => r.cells[2].textContent.trim() + " " + r.dataset.kind)`)
	slices.Sort(rows)
	if len(rows) != 2 || rows[0] != "3 surgery" || rows[1] != "45 lecture" {
		t.Errorf("the month's list on 2015-11-08: %v", rows)
	}

	// On a phone the grid is a list of the days with activities.
	c.do("phone width", chromedp.EmulateViewport(390, 800))
	c.open("/missions/" + team4.ID + "/activities?month=2015-11")
	if w := eval[int](c, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the calendar is %d px wide at 390 px", w)
	}
	if eval[bool](c, `getComputedStyle(document.querySelector(".calendar-head")).display !== "none"`) {
		t.Errorf("the weekday header shows on a phone")
	}
	if eval[bool](c, `getComputedStyle(document.querySelector(`+jsString(sunday)+`)).display === "none"`) {
		t.Errorf("the Sunday with activities is hidden on a phone")
	}
}
