package main

import (
	"os"
	"os/exec"
	"path/filepath"
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
