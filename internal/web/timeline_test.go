package web

import (
	"net/http/httptest"
	"testing"

	"aidbridge/internal/domain"
)

func TestRotationTimeline(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	l := c.localizer(httptest.NewRequest("GET", "/", nil))
	d := func(s string) domain.Date {
		v, err := domain.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	team := func(seq int, starts, ends string, status domain.MissionStatus, size int) domain.Mission {
		return domain.Mission{Meta: domain.Meta{ID: "m" + l.Number(int64(seq))}, Sequence: seq, StartsOn: d(starts), EndsOn: d(ends), Status: status,
			Slots: []domain.Slot{{Count: size, Filled: size}}}
	}
	if rotationTimeline(l, nil) != nil {
		t.Error("a timeline of no missions")
	}
	ms := []domain.Mission{
		team(3, "2019-01-01", "2020-12-31", domain.MissionReturned, 6),
		team(1, "2015-10-22", "2017-10-21", domain.MissionReturned, 6),
		team(2, "2017-06-01", "2019-05-31", domain.MissionReturned, 4), // overlaps team 1: a second lane
		team(4, "2021-01-01", "2022-12-31", domain.MissionCancelled, 5),
		team(5, "2023-01-01", "2024-12-31", domain.MissionDeployed, 5),
	}
	c2 := rotationTimeline(l, ms)
	if c2 == nil || len(c2.Bars) != 4 {
		t.Fatalf("timeline %+v, want four bars (the cancelled team left out)", c2)
	}
	if c2.Summary != "4 teams from 2015 to 2024" {
		t.Errorf("summary %q", c2.Summary)
	}
	lanes := map[string]int{}
	for _, b := range c2.Bars {
		lanes[b.MissionID] = b.Y
		if b.X < timelineLeft || b.X+b.W > timelineWidth-timelineLeft+1 {
			t.Errorf("bar %s from %d, %d wide, leaves the chart", b.MissionID, b.X, b.W)
		}
	}
	if lanes["m1"] != lanes["m3"] || lanes["m2"] == lanes["m1"] || lanes["m5"] != lanes["m1"] {
		t.Errorf("lanes %v: team 2 overlaps team 1 and needs its own; 3 and 5 follow 1", lanes)
	}
	if b := c2.Bars[0]; b.MissionID != "m1" || b.Label != "1 (6)" || b.Title != "Team 1: 6 people, 2015-10-22 to 2017-10-21 (Returned)" {
		t.Errorf("first bar %+v", b)
	}
	if c2.Ticks[0].Label != "2015" || c2.Height != timelineTop+2*timelineLane+4 {
		t.Errorf("ticks %v, height %d", c2.Ticks, c2.Height)
	}
	// Seventeen two-year tours over forty years: ticks every five years,
	// and every bar still labelled with its number.
	var long []domain.Mission
	for i := range 17 {
		y := 1975 + i*5/2
		long = append(long, team(i+1, itoaYear(y)+"-03-01", itoaYear(y+2)+"-02-28", domain.MissionReturned, 4))
	}
	c3 := rotationTimeline(l, long)
	if len(c3.Ticks) > 13 || c3.Ticks[1].Label != "1980" {
		t.Errorf("ticks over forty years: %v", c3.Ticks)
	}
	for _, b := range c3.Bars {
		if b.Label == "" {
			t.Errorf("bar %s has no label at width %d", b.MissionID, b.W)
		}
	}
}

func itoaYear(y int) string { return domain.Date{Year: y, Month: 1, Day: 1}.String()[:4] }
