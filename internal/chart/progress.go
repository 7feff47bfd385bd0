package chart

import (
	"fmt"
	"html/template"
	"strconv"
)

// Progress is an indicator over time: the actual value of each period
// (year or quarter) as bars, or as a line through points, against a
// target level and an optional baseline level drawn across the periods.
type Progress struct {
	// Title names the figure for a screen reader and for print.
	Title string
	// Periods are the periods in the order drawn.
	Periods []Period
	// Actual labels the actual values in the legend.
	Actual string
	// Baseline is the level the indicator started from; nil for none.
	Baseline *Level
	// Target is the level to reach; nil for none.
	Target *Level
	// Line draws the actual values as a line through points instead of
	// bars.
	Line bool
	// Format turns a value into text; nil writes plain digits.
	Format func(int64) string
	// Empty is the message shown instead of the chart when there are no
	// periods.
	Empty string
}

// Period is one period of a progress chart.
type Period struct {
	// Label names the period, such as "2024" or "2024 Q3".
	Label string
	// Value is the actual value, from 0 to MaxValue.
	Value int64
	// NoValue marks a period with no actual value yet: its label is
	// drawn, its bar or point is not.
	NoValue bool
	// Href is the address of the records behind the value; "" for none.
	Href string
}

// Level is a value drawn across all periods, such as a target.
type Level struct {
	// Label names the level in the legend, such as "Target".
	Label string
	// Value is the level, from 0 to MaxValue.
	Value int64
}

// SVG returns the chart as an <svg> element to put into a page as it is.
// It fails when a value is negative, a href is not a relative, http(s) or
// mailto address, a label is too long, or there are more than
// MaxCategories periods.
func (p Progress) SVG() (template.HTML, error) {
	if err := p.check(); err != nil {
		return "", err
	}
	if len(p.Periods) == 0 {
		return emptyFigure("progress", p.Title, p.Empty), nil
	}
	return p.draw(), nil
}

func (p Progress) check() error {
	for _, f := range [][2]string{{"title", p.Title}, {"actual", p.Actual}, {"empty", p.Empty}} {
		if err := checkLabel(f[0], f[1]); err != nil {
			return err
		}
	}
	if len(p.Periods) > MaxCategories {
		return fmt.Errorf("chart: %d periods, more than %d", len(p.Periods), MaxCategories)
	}
	for i, pd := range p.Periods {
		field := "periods[" + strconv.Itoa(i) + "]"
		if err := checkLabel(field+".label", pd.Label); err != nil {
			return err
		}
		if err := checkValue(field+".value", pd.Value); err != nil {
			return err
		}
		if err := checkHref(field+".href", pd.Href); err != nil {
			return err
		}
	}
	for i, lv := range []*Level{p.Baseline, p.Target} {
		field := [...]string{"baseline", "target"}[i]
		if lv == nil {
			continue
		}
		if err := checkLabel(field+".label", lv.Label); err != nil {
			return err
		}
		if err := checkValue(field+".value", lv.Value); err != nil {
			return err
		}
	}
	return nil
}

const (
	targetColour   = "#222"
	baselineColour = "#666"
)

func (p Progress) draw() template.HTML {
	format := formatter(p.Format)
	parts := []string{p.Title, p.Actual}
	for _, pd := range p.Periods {
		parts = append(parts, pd.Label)
	}
	id := figureID("progress", parts...)

	legend := []legendItem{{label: p.Actual, mark: func(w *writer, x, y float64) {
		if p.Line {
			w.leaf("path", "d", "M"+num(x)+" "+num(y)+"h16", "stroke", palette[0].colour, "stroke-width", "2")
			w.leaf("circle", "cx", num(x+8), "cy", num(y), "r", "3.5", "fill", palette[0].colour, "stroke", "#fff", "stroke-width", "1.2")
			return
		}
		swatch(id, 0)(w, x, y)
	}}}
	if p.Baseline != nil {
		legend = append(legend, legendItem{label: p.Baseline.Label + ": " + format(p.Baseline.Value), mark: levelMark(baselineColour, "2 2.5")})
	}
	if p.Target != nil {
		legend = append(legend, legendItem{label: p.Target.Label + ": " + format(p.Target.Value), mark: levelMark(targetColour, "6 3")})
	}
	top := legendHeight(legend) + 6

	var largest int64
	for _, pd := range p.Periods {
		if !pd.NoValue {
			largest = max(largest, pd.Value)
		}
	}
	for _, lv := range []*Level{p.Baseline, p.Target} {
		if lv != nil {
			largest = max(largest, lv.Value)
		}
	}
	step, axisTop := ticks(largest, 5)
	x0 := axisRoom(format, step, axisTop)
	slot := (width - x0) / float64(len(p.Periods))
	barW := slot * 0.6
	plotTop := top + 16
	baseY := plotTop + plotHeight
	scale := plotHeight / float64(axisTop)
	cats := make([]string, len(p.Periods))
	for i, pd := range p.Periods {
		cats[i] = pd.Label
	}
	labels := layCategories(cats, slot)

	var w writer
	w.start("progress", p.Title, baseY+labels.room)
	w.legend(legend, 0)
	w.valueAxis(format, step, axisTop, x0, baseY, scale)

	centre := func(i int) float64 { return x0 + slot*(float64(i)+0.5) }
	yOf := func(v int64) float64 { return baseY - float64(v)*scale }
	for i := range p.Periods {
		w.category(labels, i, centre(i), baseY)
	}
	if p.Line {
		// The line runs through consecutive periods that have a value and
		// breaks where one has none.
		d := ""
		for i, pd := range p.Periods {
			if pd.NoValue {
				continue
			}
			cmd := "L"
			if i == 0 || p.Periods[i-1].NoValue {
				cmd = "M"
			}
			d += cmd + num(centre(i)) + " " + num(yOf(pd.Value))
		}
		if d != "" {
			w.leaf("path", "d", d, "fill", "none", "stroke", palette[0].colour, "stroke-width", "2", "stroke-linejoin", "round")
		}
	}
	p.levels(&w, x0, yOf)
	for i, pd := range p.Periods {
		if pd.NoValue {
			continue
		}
		x, y := centre(i), yOf(pd.Value)
		title := pd.Label + ": " + format(pd.Value)
		a := w.linkOpen(pd.Href)
		if p.Line {
			w.open("circle", "cx", num(x), "cy", num(y), "r", "4", "fill", palette[0].colour, "stroke", "#fff", "stroke-width", "1.5")
			w.title(title)
			w.close("circle")
		} else if pd.Value > 0 {
			w.open("rect", "x", num(x-barW/2), "y", num(y), "width", num(barW), "height", num(baseY-y),
				"fill", paint(id, 0), "stroke", inkColour, "stroke-width", "0.6")
			w.title(title)
			w.close("rect")
		}
		w.textAt(x, y-7, format(pd.Value), "font-size", num(smallSize), "text-anchor", "middle",
			"stroke", "#fff", "stroke-width", "3", "paint-order", "stroke")
		w.linkClose(a)
	}
	return w.end()
}

// levels writes the baseline and target lines across the plot, over a
// white halo so that they show over bars.
func (p Progress) levels(w *writer, x0 float64, yOf func(int64) float64) {
	for _, l := range []struct {
		level  *Level
		colour string
		dash   string
	}{{p.Baseline, baselineColour, "2 2.5"}, {p.Target, targetColour, "6 3"}} {
		if l.level == nil {
			continue
		}
		d := "M" + num(x0) + " " + num(yOf(l.level.Value)) + "H" + num(width)
		w.leaf("path", "d", d, "stroke", "#fff", "stroke-width", "4")
		w.open("path", "d", d, "stroke", l.colour, "stroke-width", "1.6", "stroke-dasharray", l.dash)
		w.title(l.level.Label + ": " + formatter(p.Format)(l.level.Value))
		w.close("path")
	}
}

// levelMark returns a legend mark for a level line.
func levelMark(colour, dash string) func(w *writer, x, y float64) {
	return func(w *writer, x, y float64) {
		w.leaf("path", "d", "M"+num(x)+" "+num(y)+"h18", "stroke", colour, "stroke-width", "1.6", "stroke-dasharray", dash)
	}
}
