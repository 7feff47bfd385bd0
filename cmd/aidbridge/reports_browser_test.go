package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"aidbridge/internal/store/storetest"
)

// TestBrowserKashiReport reads the Xinjiang account's figures off the
// report page of the Kashi partnership, in English and in Chinese, finds
// its charts, and follows a figure to the records behind it.
func TestBrowserKashiReport(t *testing.T) {
	t.Parallel()
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	id := m.kashiPartnership()
	c := newChrome(t, m)
	c.login("viewer@shhealth.example.org")
	if st := c.open("/partnerships/" + id); st != 200 {
		t.Fatalf("the partnership: %d", st)
	}
	if st := c.click("#report-link"); st != 200 {
		t.Fatalf("the report: %d", st)
	}
	for css, want := range map[string]string{
		"#figure-technique .figure":        "81",
		"#figure-trainee .figure":          "47",
		"#figure-research_project .figure": "19",
		"#figure-publication .figure":      "61",
		"#papers-team":                     "47 papers, 24 in SCI-indexed journals",
		"#papers-local":                    "14 papers, 3 in SCI-indexed journals, 2 in journals with an impact factor above 5",
		"#teams":                           "1",
	} {
		if got := c.text(css); got != want {
			t.Errorf("%s: %q, want %q", css, got, want)
		}
	}
	// The techniques by novelty, read off the chart's own bars.
	bars := eval[map[string]string](c, `Object.fromEntries([...document.querySelectorAll("#chart-novelty svg a")].map(a => [new URL(a.getAttribute("href"), location.href).searchParams.get("novelty"), a.textContent.trim()]))`)
	for novelty, want := range map[string]string{"fills_regional_gap": "5", "region_leading": "13", "fills_subregional_gap": "18", "new_to_hospital": "45"} {
		if !strings.Contains(bars[novelty], want) {
			t.Errorf("the bar of %s reads %q, want %s", novelty, bars[novelty], want)
		}
	}
	for _, chart := range []string{"#chart-novelty", "#chart-by-year", "#chart-papers", "#chart-projects", "#chart-teams"} {
		if n := eval[int](c, `document.querySelectorAll(`+jsString(chart+" svg rect, "+chart+" svg path")+`).length`); n < 2 {
			t.Errorf("%s draws %d shapes", chart, n)
		}
	}
	projects := c.text("#projects-" + m.orgID("The Second People's Hospital of Kashi"))
	if projects != "11" {
		t.Errorf("projects held by the Kashi hospital: %q, want 11", projects)
	}
	ms := c.text("#milestone-list")
	for _, want := range []string{"2015-01-28", "Tertiary class A hospital", "4 members", "Bachu County People's Hospital", "Yecheng County People's Hospital"} {
		if !strings.Contains(ms, want) {
			t.Errorf("milestones %q lack %q", ms, want)
		}
	}
	// A figure links to its records: the 18 techniques filling a gap in
	// South Xinjiang.
	if st := c.click(`#chart-novelty svg a[href*="fills_subregional_gap"]`); st != 200 {
		t.Fatalf("the techniques behind a bar: %d", st)
	}
	if n := eval[int](c, `document.querySelectorAll("#outcomes tbody tr").length`); n != 18 {
		t.Errorf("techniques filling a gap in South Xinjiang listed: %d, want 18", n)
	}

	// In Chinese, and on a phone, the report reads as well.
	c.do("phone width", chromedp.EmulateViewport(390, 800))
	c.do("Chinese", chromedp.Evaluate[chromedp.Void](`document.cookie = "aidbridge_lang=zh-CN; path=/"`))
	c.open("/reports/partnerships/" + id)
	if got := c.text("#papers-local"); got != "14 篇，其中 SCI 收录 3 篇，影响因子大于 5 的 2 篇" {
		t.Errorf("the papers of local doctors in Chinese: %q", got)
	}
	if w := eval[int](c, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the report is %d px wide at 390 px", w)
	}
}

// TestBrowserPrintReport prints a partnership's report to PDF in Chromium
// and finds its charts in the PDF, and no navigation.
func TestBrowserPrintReport(t *testing.T) {
	t.Parallel()
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		storetest.Missing(t, "PDF suite", "pdftotext not installed: apt-get install poppler-utils")
		t.Skip("pdftotext not installed")
	}
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	c := newChrome(t, m)
	c.login("partners@xinhua.example.org")
	c.open("/reports/partnerships/" + m.kashiPartnership())
	pdf, err := chromedp.Run(c.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPrintBackground()))
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdftotext, pdf)
	for _, want := range []string{"Techniques introduced, by novelty", "fills a sub-regional gap", "Papers of the team and of local doctors", "Tertiary class A hospital"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed report lacks %q", want)
		}
	}
	if strings.Contains(text, "Log out") || strings.Contains(text, "My applications") {
		t.Errorf("the printed report shows the navigation")
	}
}

// pdfText returns the text of a PDF, as pdftotext reads it.
func pdfText(t *testing.T, pdftotext string, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestBrowserFieldWorkJourney is a day of the doctor on the 4th team to
// Baoshan: they log the day's activities and a new technique from their
// mission's page, and the coordinator sees both in the partnership's
// report, and the partnership's indicator of patients seen in specialty
// clinics move; the report prints with its charts.
func TestBrowserFieldWorkJourney(t *testing.T) {
	t.Parallel()
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		storetest.Missing(t, "PDF suite", "pdftotext not installed: apt-get install poppler-utils")
		t.Skip("pdftotext not installed")
	}
	m := startMain(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	team4 := demoTeam(t, m, "Baoshan", 4)
	report := "/reports/partnerships/" + team4.PartnershipID

	coord := newChrome(t, m)
	coord.login("partners@xinhua.example.org")
	coord.open(report)
	before := map[string]int{}
	const clinics = "#report-indicators .indicator-value" // the patients of the team's specialty clinics
	for _, css := range []string{"#figure-technique .figure", "#activities-total", "#activities-count", clinics} {
		before[css] = number(t, coord.text(css))
	}

	doctor := newChrome(t, m)
	doctor.login("doctor@xinhua.example.org")
	doctor.open("/missions/" + team4.ID)
	if st := doctor.click("#field-work-link"); st != 200 {
		t.Fatalf("the calendar: %d", st)
	}
	if st := doctor.click("#log-activities"); st != 200 {
		t.Fatalf("the quick entry: %d", st)
	}
	doctor.do("pick the day", chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-done_on").value = "2015-11-08"`))
	doctor.do("pick a specialty clinic", chromedp.SetValue(chromedp.ID("f-kind-0"), "specialty_clinic"))
	doctor.typeInto("#f-count-0", "26")
	doctor.do("pick a teaching round", chromedp.SetValue(chromedp.ID("f-kind-1"), "teaching_round"))
	doctor.typeInto("#f-count-1", "12")
	if st := doctor.click(`#activity-form button[type="submit"]`); st != 200 {
		t.Fatalf("log the day: %d at %s", st, doctor.location())
	}

	// The technique, from the mission's page: its partnership and mission
	// are given, the kind is picked, then its fields.
	doctor.open("/missions/" + team4.ID)
	if st := doctor.click("#record-outcome"); st != 200 {
		t.Fatalf("record an outcome: %d", st)
	}
	if st := doctor.click(`#pick-kind a[href*="kind=technique"]`); st != 200 {
		t.Fatalf("pick the technique: %d", st)
	}
	doctor.typeInto("#f-title", "Transcatheter closure of atrial septal defects")
	doctor.typeInto("#f-occurred_on", "2015-11-08")
	doctor.do("pick the novelty", chromedp.SetValue(chromedp.ID("f-novelty"), "fills_regional_gap"))
	doctor.do("name the doctor", chromedp.Click(chromedp.CSS(`input[name="person_ids"]`)))
	if st := doctor.click(`#outcome-form button[type="submit"]`); st != 200 {
		t.Fatalf("save the technique: %d at %s", st, doctor.location())
	}
	if got := doctor.text("#outcome-novelty"); got != "fills a regional gap" {
		t.Errorf("the technique's novelty: %q", got)
	}

	coord.open(report)
	for css, more := range map[string]int{"#figure-technique .figure": 1, "#activities-total": 2, "#activities-count": 38, clinics: 26} {
		if got := number(t, coord.text(css)); got != before[css]+more {
			t.Errorf("%s after the day: %d, want %d", css, got, before[css]+more)
		}
	}
	pdf, err := chromedp.Run(coord.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPrintBackground()))
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdftotext, pdf)
	for _, want := range []string{"Techniques introduced, by novelty", "Activities by kind", "Specialty clinic"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed report lacks %q", want)
		}
	}
}

// number reads a whole number written with digit grouping.
func number(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}
