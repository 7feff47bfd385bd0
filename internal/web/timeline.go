package web

import (
	"slices"
	"strconv"
	"time"

	"aidbridge/internal/domain"
)

// rotationChart is the timeline of a partnership's or a program's
// missions: a bar per team from departure to return, labelled with its
// number and size, drawn by the template as inline SVG in a fixed
// coordinate space that CSS scales down. Teams at the same time take
// lanes of their own.
type rotationChart struct {
	Width, Height int
	Summary       string
	Caption       string
	Ticks         []timelineTick
	Bars          []rotationBar
	AxisY         int
}

// timelineTick is a year on the timeline's axis.
type timelineTick struct {
	X     int
	Label string
}

// rotationBar is one team on the timeline.
type rotationBar struct {
	MissionID    string
	X, Y, W      int
	TextX, TextY int
	Label        string // the number, with the size where it fits
	Title        string // all of it, for the tooltip and screen readers
	Status       domain.MissionStatus
}

// Timeline geometry, in SVG user units.
const (
	timelineWidth = 760
	timelineLeft  = 4
	timelineTop   = 26 // below the years
	timelineLane  = 28
	timelineBarH  = 20
	timelineChar  = 7 // the width of a label's character, about, at 12px
)

// rotationTimeline lays out the missions that count (all but cancelled),
// from the earliest departure to the latest return; nil when there are
// none.
func rotationTimeline(l *localizer, missions []domain.Mission) *rotationChart {
	var ms []domain.Mission
	for _, m := range missions {
		if m.Status.Counts() && !m.StartsOn.IsZero() && !m.EndsOn.IsZero() {
			ms = append(ms, m)
		}
	}
	if len(ms) == 0 {
		return nil
	}
	slices.SortFunc(ms, func(a, b domain.Mission) int {
		if c := a.StartsOn.Time().Compare(b.StartsOn.Time()); c != 0 {
			return c
		}
		return a.Sequence - b.Sequence
	})
	from := time.Date(ms[0].StartsOn.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	last := ms[0].EndsOn
	for _, m := range ms {
		if last.Before(m.EndsOn) {
			last = m.EndsOn
		}
	}
	to := time.Date(last.Year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	span := to.Sub(from).Hours()
	inner := timelineWidth - 2*timelineLeft
	x := func(t time.Time) int { return timelineLeft + int(float64(inner)*t.Sub(from).Hours()/span+0.5) }

	c := &rotationChart{Width: timelineWidth}
	years := to.Year() - from.Year()
	step := 1
	for _, s := range []int{1, 2, 5, 10, 20, 50} {
		step = s
		if years/s <= 12 {
			break
		}
	}
	for y := from.Year(); y <= to.Year(); y++ {
		if y%step == 0 || (y == from.Year() && step == 1) {
			t := timelineTick{X: x(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)), Label: strconv.Itoa(y)}
			if t.X > timelineWidth-4*timelineChar {
				t.Label = "" // no room for the year at the right edge
			}
			c.Ticks = append(c.Ticks, t)
		}
	}
	// Each team takes the first lane free at its departure.
	var laneEnds []domain.Date
	for _, m := range ms {
		lane := slices.IndexFunc(laneEnds, func(end domain.Date) bool { return end.Before(m.StartsOn) })
		if lane < 0 {
			lane = len(laneEnds)
			laneEnds = append(laneEnds, m.EndsOn)
		} else {
			laneEnds[lane] = m.EndsOn
		}
		filled, _ := m.Places()
		b := rotationBar{MissionID: m.ID, Status: m.Status, X: x(m.StartsOn.Time()), Y: timelineTop + lane*timelineLane}
		b.W = max(x(m.EndsOn.Time().AddDate(0, 0, 1))-b.X, 2)
		number, size := l.Number(int64(m.Sequence)), l.Number(int64(filled))
		b.Title = l.T("timeline_bar", "Sequence", number, "Size", size, "Starts", m.StartsOn.String(), "Ends", m.EndsOn.String(),
			"Status", l.T("mission_status_"+string(m.Status)))
		b.Label = l.T("timeline_label", "Sequence", number, "Size", size)
		if len([]rune(b.Label))*timelineChar+6 > b.W {
			b.Label = number
		}
		if len([]rune(b.Label))*timelineChar+4 > b.W {
			b.Label = ""
		}
		b.TextX, b.TextY = b.X+3, b.Y+timelineBarH-6
		c.Bars = append(c.Bars, b)
	}
	c.AxisY = timelineTop - 8
	c.Height = timelineTop + len(laneEnds)*timelineLane + 4
	c.Caption = l.T("timeline_caption")
	c.Summary = l.T("timeline_summary", "Count", l.Number(int64(len(ms))), "From", strconv.Itoa(ms[0].StartsOn.Year), "To", strconv.Itoa(last.Year))
	return c
}
