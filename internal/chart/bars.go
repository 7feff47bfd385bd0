package chart

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// Bars is a bar chart of categories with one or more series, the bars of
// a category side by side or stacked, running across the figure
// (Horizontal, for long category names, written above their bars) or up
// it (for years and months, written below).
type Bars struct {
	// Title names the figure for a screen reader and for print.
	Title string
	// Categories are the labels of the bars, in the order drawn.
	Categories []string
	// Series hold the values; a legend names them when there are two or
	// more.
	Series []Series
	// Stacked puts the series of a category on top of one another, with
	// the total at the end of the bar.
	Stacked bool
	// Horizontal lays the bars across the figure.
	Horizontal bool
	// Format turns a value into text for the value labels and the axis;
	// nil writes plain digits.
	Format func(int64) string
	// Empty is the message shown instead of the chart when there are no
	// categories or no series.
	Empty string
}

// Series is one set of values of a bar chart, one per category.
type Series struct {
	// Name labels the series in the legend and in each bar's title.
	Name string
	// Values has one value per category, each from 0 to MaxValue; a
	// stack adds up to at most MaxValue.
	Values []int64
	// Hrefs is nil, or has one address per category ("" for none) that
	// the bar links to: the records behind the value.
	Hrefs []string
}

// SVG returns the chart as an <svg> element to put into a page as it is.
// It fails when a series has not one value (or href) per category, a
// value is negative, a href is not a relative, http(s) or mailto address,
// a label is too long, or there are more than MaxCategories categories or
// MaxSeries series.
func (b Bars) SVG() (template.HTML, error) {
	if err := b.check(); err != nil {
		return "", err
	}
	if len(b.Categories) == 0 || len(b.Series) == 0 {
		return emptyFigure("bars", b.Title, b.Empty), nil
	}
	parts := append([]string{b.Title}, b.Categories...)
	for _, s := range b.Series {
		parts = append(parts, s.Name)
	}
	l := barLayout{Bars: b, format: formatter(b.Format), id: figureID("bars", parts...)}
	if b.Horizontal {
		return l.across(), nil
	}
	return l.upright(), nil
}

func (b Bars) check() error {
	if err := checkLabel("title", b.Title); err != nil {
		return err
	}
	if err := checkLabel("empty", b.Empty); err != nil {
		return err
	}
	if len(b.Categories) > MaxCategories {
		return fmt.Errorf("chart: %d categories, more than %d", len(b.Categories), MaxCategories)
	}
	if len(b.Series) > MaxSeries {
		return fmt.Errorf("chart: %d series, more than %d", len(b.Series), MaxSeries)
	}
	for i, c := range b.Categories {
		if err := checkLabel("categories["+strconv.Itoa(i)+"]", c); err != nil {
			return err
		}
	}
	for i, s := range b.Series {
		field := "series[" + strconv.Itoa(i) + "]"
		if err := checkLabel(field+".name", s.Name); err != nil {
			return err
		}
		if len(s.Values) != len(b.Categories) {
			return fmt.Errorf("chart: %s has %d values for %d categories", field, len(s.Values), len(b.Categories))
		}
		if s.Hrefs != nil && len(s.Hrefs) != len(b.Categories) {
			return fmt.Errorf("chart: %s has %d hrefs for %d categories", field, len(s.Hrefs), len(b.Categories))
		}
		for j, v := range s.Values {
			if err := checkValue(fmt.Sprintf("%s.values[%d]", field, j), v); err != nil {
				return err
			}
		}
		for j, h := range s.Hrefs {
			if err := checkHref(field+".hrefs["+strconv.Itoa(j)+"]", h); err != nil {
				return err
			}
		}
	}
	if b.Stacked {
		for j := range b.Categories {
			var sum int64
			for _, s := range b.Series {
				sum += s.Values[j]
				if sum > MaxValue {
					return fmt.Errorf("chart: the stack of categories[%d] comes to more than %d", j, int64(MaxValue))
				}
			}
		}
	}
	return nil
}

// barLayout draws a checked, non-empty bar chart.
type barLayout struct {
	Bars
	format func(int64) string
	id     string
}

// total returns the sum of the series of category j.
func (l barLayout) total(j int) int64 {
	var sum int64
	for _, s := range l.Series {
		sum += s.Values[j]
	}
	return sum
}

// largest returns the longest bar's value.
func (l barLayout) largest() int64 {
	var m int64
	for j := range l.Categories {
		if l.Stacked {
			m = max(m, l.total(j))
			continue
		}
		for _, s := range l.Series {
			m = max(m, s.Values[j])
		}
	}
	return m
}

// valueLabels returns the value labels written at the ends of bars.
func (l barLayout) valueLabels() []string {
	var out []string
	for j := range l.Categories {
		if l.Stacked {
			out = append(out, l.format(l.total(j)))
			continue
		}
		for _, s := range l.Series {
			out = append(out, l.format(s.Values[j]))
		}
	}
	return out
}

// legendItems returns the legend, none for a single series.
func (l barLayout) legendItems() []legendItem {
	if len(l.Series) < 2 {
		return nil
	}
	items := make([]legendItem, len(l.Series))
	for i, s := range l.Series {
		items[i] = legendItem{label: s.Name, mark: swatch(l.id, i)}
	}
	return items
}

// barTitle is the text a reader gets for one bar or segment.
func (l barLayout) barTitle(j, i int) string {
	v := l.format(l.Series[i].Values[j])
	if len(l.Series) == 1 {
		return l.Categories[j] + ": " + v
	}
	return l.Categories[j] + ", " + l.Series[i].Name + ": " + v
}

func (l barLayout) href(j, i int) string {
	if l.Series[i].Hrefs == nil {
		return ""
	}
	return l.Series[i].Hrefs[j]
}

// segmentLabel writes the value of a stacked segment inside it when it
// fits, over a halo of the segment's colour.
func (l barLayout) segmentLabel(w *writer, i int, v int64, x, y, room float64) {
	s := l.format(v)
	if textWidth(s, smallSize)+6 > room {
		return
	}
	f := palette[i]
	ink := "#fff"
	if f.light {
		ink = inkColour
	}
	w.textAt(x, y, s, "text-anchor", "middle", "font-size", num(smallSize), "fill", ink,
		"stroke", f.colour, "stroke-width", "3", "paint-order", "stroke")
}

const (
	barThick   = 14.0 // the thickness of one bar
	stackThick = 18.0 // the thickness of a stacked bar
	barGap     = 2.0  // between the bars of one category
	rowGap     = 10.0 // between categories of a horizontal chart
	plotHeight = 180.0
)

// across draws the horizontal chart: each category's label on its own
// line(s), its bars below it, value labels at the bar ends and the axis
// at the bottom.
func (l barLayout) across() template.HTML {
	legend := l.legendItems()
	top := 0.0
	if len(legend) > 0 {
		top = legendHeight(legend) + 6
	}
	valueRoom := 0.0
	for _, s := range l.valueLabels() {
		valueRoom = max(valueRoom, textWidth(s, smallSize))
	}
	x0 := 0.5
	plotW := width - x0 - valueRoom - 6
	step, axisTop := ticks(l.largest(), 4)
	scale := plotW / float64(axisTop)

	type row struct {
		lines []string
		y     float64 // the top of the label
		bar   float64 // the top of the first bar
	}
	rows := make([]row, len(l.Categories))
	y := top + 2
	for j, c := range l.Categories {
		lines := wrap(c, width, fontSize, 2)
		if len(lines) == 0 {
			lines = []string{""}
		}
		rows[j] = row{lines: lines, y: y, bar: y + float64(len(lines))*lineHeight + 2}
		if l.Stacked {
			y = rows[j].bar + stackThick
		} else {
			y = rows[j].bar + float64(len(l.Series))*(barThick+barGap) - barGap
		}
		y += rowGap
	}
	axisY := y - rowGap/2
	height := axisY + 18

	var w writer
	w.start("bars", l.Title, height)
	w.patterns(l.id, len(l.Series))
	if len(legend) > 0 {
		w.legend(legend, 0)
	}
	// Grid and axis behind the bars.
	w.open("g", "font-size", num(smallSize), "fill", mutedInk)
	for v := int64(0); v <= axisTop; v += step {
		x := x0 + float64(v)*scale
		w.leaf("path", "d", "M"+num(x)+" "+num(top)+"V"+num(axisY), "stroke", gridColour, "stroke-width", "0.8")
		anchor := "middle"
		if v == 0 {
			anchor = "start"
		}
		w.textAt(x, axisY+14, l.format(v), "text-anchor", anchor)
		if axisTop-v < step {
			break
		}
	}
	w.leaf("path", "d", "M"+num(x0)+" "+num(top)+"V"+num(axisY), "stroke", axisColour, "stroke-width", "1")
	w.close("g")

	for j, r := range rows {
		w.open("g", "class", "category")
		for k, line := range r.lines {
			w.textAt(x0, r.y+float64(k)*lineHeight+12, line)
		}
		if l.Stacked {
			x := x0
			for i, s := range l.Series {
				v := s.Values[j]
				if v == 0 {
					continue
				}
				wd := float64(v) * scale
				a := w.linkOpen(l.href(j, i))
				w.open("rect", "x", num(x), "y", num(r.bar), "width", num(wd), "height", num(stackThick),
					"fill", paint(l.id, i), "stroke", inkColour, "stroke-width", "0.6")
				w.title(l.barTitle(j, i))
				w.close("rect")
				l.segmentLabel(&w, i, v, x+wd/2, r.bar+stackThick/2+4, wd)
				w.linkClose(a)
				x += wd
			}
			w.textAt(x+4, r.bar+stackThick/2+4, l.format(l.total(j)), "font-size", num(smallSize))
		} else {
			for i, s := range l.Series {
				v := s.Values[j]
				by := r.bar + float64(i)*(barThick+barGap)
				wd := float64(v) * scale
				a := w.linkOpen(l.href(j, i))
				if v > 0 {
					w.open("rect", "x", num(x0), "y", num(by), "width", num(wd), "height", num(barThick),
						"fill", paint(l.id, i), "stroke", inkColour, "stroke-width", "0.6")
					w.title(l.barTitle(j, i))
					w.close("rect")
				}
				w.textAt(x0+wd+4, by+barThick/2+4, l.format(v), "font-size", num(smallSize))
				w.linkClose(a)
			}
		}
		w.close("g")
	}
	return w.end()
}

// upright draws the vertical chart: the value axis on the left, the
// categories along the bottom, value labels above the bars (turned
// upright where they are wider than a bar).
func (l barLayout) upright() template.HTML {
	legend := l.legendItems()
	top := 0.0
	if len(legend) > 0 {
		top = legendHeight(legend) + 6
	}
	step, axisTop := ticks(l.largest(), 5)
	x0 := axisRoom(l.format, step, axisTop)
	plotW := width - x0
	slot := plotW / float64(len(l.Categories))
	group := slot * 0.72
	barW := group
	if !l.Stacked {
		barW = group / float64(len(l.Series))
	}

	cats := layCategories(l.Categories, slot)
	if need := cats.longest * 0.71; cats.slanted && x0+slot/2 < need {
		// Move the plot right so that the first slanted label stays in
		// the figure.
		half := 1 / (2 * float64(len(l.Categories)))
		x0 = (need - width*half) / (1 - half)
		plotW = width - x0
		slot = plotW / float64(len(l.Categories))
		group = slot * 0.72
		barW = group
		if !l.Stacked {
			barW = group / float64(len(l.Series))
		}
	}

	labels := l.valueLabels()
	widest := 0.0
	for _, s := range labels {
		widest = max(widest, textWidth(s, smallSize))
	}
	turned := widest > barW+slot*0.28/float64(max(1, len(l.Series)))-2
	head := 14.0
	if turned {
		head = widest + 6
	}
	plotTop := top + head
	baseY := plotTop + plotHeight
	scale := plotHeight / float64(axisTop)

	height := baseY + cats.room

	var w writer
	w.start("bars", l.Title, height)
	w.patterns(l.id, len(l.Series))
	if len(legend) > 0 {
		w.legend(legend, 0)
	}
	w.valueAxis(l.format, step, axisTop, x0, baseY, scale)

	for j := range l.Categories {
		cx := x0 + slot*(float64(j)+0.5)
		gx := cx - group/2
		w.open("g", "class", "category")
		w.category(cats, j, cx, baseY)
		if l.Stacked {
			y := baseY
			for i, s := range l.Series {
				v := s.Values[j]
				if v == 0 {
					continue
				}
				h := float64(v) * scale
				y -= h
				a := w.linkOpen(l.href(j, i))
				w.open("rect", "x", num(gx), "y", num(y), "width", num(barW), "height", num(h),
					"fill", paint(l.id, i), "stroke", inkColour, "stroke-width", "0.6")
				w.title(l.barTitle(j, i))
				w.close("rect")
				if h >= 14 {
					l.segmentLabel(&w, i, v, cx, y+h/2+4, barW)
				}
				w.linkClose(a)
			}
			l.valueLabel(&w, l.format(l.total(j)), cx, y, turned)
		} else {
			for i, s := range l.Series {
				v := s.Values[j]
				h := float64(v) * scale
				bx := gx + float64(i)*barW
				a := w.linkOpen(l.href(j, i))
				if v > 0 {
					w.open("rect", "x", num(bx), "y", num(baseY-h), "width", num(barW), "height", num(h),
						"fill", paint(l.id, i), "stroke", inkColour, "stroke-width", "0.6")
					w.title(l.barTitle(j, i))
					w.close("rect")
				}
				l.valueLabel(&w, l.format(v), bx+barW/2, baseY-h, turned)
				w.linkClose(a)
			}
		}
		w.close("g")
	}
	return w.end()
}

// valueLabel writes a value above the top of a vertical bar at x, y.
func (l barLayout) valueLabel(w *writer, s string, x, y float64, turned bool) {
	if turned {
		w.textAt(x+4, y-4, s, "font-size", num(smallSize), "transform", "rotate(-90 "+num(x+4)+" "+num(y-4)+")")
		return
	}
	w.textAt(x, y-4, s, "font-size", num(smallSize), "text-anchor", "middle")
}

// axisRoom returns the x of a vertical value axis: the width of its
// widest tick label and a gap.
func axisRoom(format func(int64) string, step, axisTop int64) float64 {
	room := 0.0
	for v := int64(0); v <= axisTop; v += step {
		room = max(room, textWidth(format(v), smallSize))
		if axisTop-v < step {
			break
		}
	}
	return room + 6
}

// valueAxis writes the grid lines and tick labels of a vertical value
// axis from 0 to axisTop at x0, with 0 at baseY.
func (w *writer) valueAxis(format func(int64) string, step, axisTop int64, x0, baseY, scale float64) {
	w.open("g", "font-size", num(smallSize), "fill", mutedInk)
	for v := int64(0); v <= axisTop; v += step {
		y := baseY - float64(v)*scale
		w.leaf("path", "d", "M"+num(x0)+" "+num(y)+"H"+num(width), "stroke", gridColour, "stroke-width", "0.8")
		w.textAt(x0-4, y+4, format(v), "text-anchor", "end")
		if axisTop-v < step {
			break
		}
	}
	w.leaf("path", "d", "M"+num(x0)+" "+num(baseY)+"H"+num(width), "stroke", axisColour, "stroke-width", "1")
	w.close("g")
}

// categoryLabels are the labels along the bottom of a vertical chart: up
// to two lines across each slot, or all turned 45 degrees when a word does
// not fit its slot.
type categoryLabels struct {
	lines   [][]string
	slanted bool
	longest float64 // the width of the longest slanted label
	room    float64 // the height they take below the axis
}

func layCategories(cats []string, slot float64) categoryLabels {
	c := categoryLabels{lines: make([][]string, len(cats)), room: 2*lineHeight + 2}
	for j, s := range cats {
		c.lines[j] = wrap(s, slot-2, smallSize, 2)
		if strings.Join(c.lines[j], " ") != strings.Join(strings.Fields(s), " ") &&
			strings.Join(c.lines[j], "") != strings.Join(strings.Fields(s), "") {
			// The label does not fit in two lines, or a word is cut.
			c.slanted = true
		}
	}
	if c.slanted {
		for j, s := range cats {
			c.lines[j] = []string{ellipsize(s, slantedMax, smallSize)}
			c.longest = max(c.longest, textWidth(c.lines[j][0], smallSize))
		}
		c.room = c.longest*0.71 + 14
	}
	return c
}

// slantedMax is the longest a slanted category label runs.
const slantedMax = 160.0

// category writes label j centred on x below the axis at baseY.
func (w *writer) category(c categoryLabels, j int, x, baseY float64) {
	if c.slanted {
		w.textAt(x, baseY+14, c.lines[j][0], "font-size", num(smallSize),
			"text-anchor", "end", "transform", "rotate(-45 "+num(x)+" "+num(baseY+14)+")")
		return
	}
	for k, line := range c.lines[j] {
		w.textAt(x, baseY+14+float64(k)*lineHeight, line, "font-size", num(smallSize), "text-anchor", "middle")
	}
}
