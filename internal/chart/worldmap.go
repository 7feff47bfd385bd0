package chart

import (
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// countriesTopology is Natural Earth's 1:110m countries as TopoJSON, from
// the npm package world-atlas 2.0.2; see countries-110m.LICENSE.
//
//go:embed countries-110m.json
var countriesTopology []byte

// Map is a world map that shades the countries given, stepped by value
// with a legend, leaves the others light grey, and draws flows between
// countries as curved arrows whose width grows with their value.
// Antarctica is left out. A country or flow too small for the map's scale
// (Singapore, say) is listed below the map with its value instead.
//
// The whole world with every country shaded, linked and named comes to
// about 66 kB, with nothing shaded to about 58 kB; see TestMapSize.
type Map struct {
	// Title names the figure for a screen reader and for print.
	Title string
	// Names gives the name of each country by ISO 3166-1 alpha-2 code, in
	// the page's language, for its title and the list below the map; a
	// country without a name is called by its code.
	Names map[string]string
	// Countries are the countries to shade, each once.
	Countries []Country
	// Flows are the arrows to draw.
	Flows []Flow
	// Legend heads the legend of shades, such as "Teams sent".
	Legend string
	// OffMap heads the list of countries and flows the map cannot show,
	// such as "Not on the map".
	OffMap string
	// Format turns a value into text; nil writes plain digits.
	Format func(int64) string
}

// Country is a country to shade.
type Country struct {
	// Code is the ISO 3166-1 alpha-2 code, such as "MA".
	Code string
	// Value sets the shade; from 0 to MaxValue.
	Value int64
	// Href is the address of the records behind the value; "" for none.
	Href string
}

// Flow is an arrow from one country to another.
type Flow struct {
	// From and To are ISO 3166-1 alpha-2 codes of two different countries.
	From, To string
	// Value sets the arrow's width; from 0 to MaxValue.
	Value int64
	// Href is the address of the records behind the flow; "" for none.
	Href string
}

// Codes returns the ISO 3166-1 alpha-2 codes of the countries the map
// draws, sorted.
func Codes() []string {
	w, err := theWorld()
	if err != nil {
		return nil
	}
	codes := make([]string, len(w.countries))
	for i, c := range w.countries {
		codes[i] = c.code
	}
	slices.Sort(codes)
	return codes
}

// SVG returns the map as an <svg> element to put into a page as it is. It
// fails when a code is not two capital letters, a country is given twice,
// a flow goes from a country to itself, a value is negative, a href is not
// a relative, http(s) or mailto address, a label is too long, or there are
// more than MaxFlows flows.
func (m Map) SVG() (template.HTML, error) {
	if err := m.check(); err != nil {
		return "", err
	}
	w, err := theWorld()
	if err != nil {
		return "", err
	}
	return m.draw(w), nil
}

func (m Map) check() error {
	for _, f := range [][2]string{{"title", m.Title}, {"legend", m.Legend}, {"off map", m.OffMap}} {
		if err := checkLabel(f[0], f[1]); err != nil {
			return err
		}
	}
	for code, name := range m.Names {
		if err := checkCode("names", code); err != nil {
			return err
		}
		if err := checkLabel("names["+code+"]", name); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for i, c := range m.Countries {
		field := "countries[" + strconv.Itoa(i) + "]"
		if err := checkCode(field, c.Code); err != nil {
			return err
		}
		if seen[c.Code] {
			return fmt.Errorf("chart: %s: country %s is given twice", field, c.Code)
		}
		seen[c.Code] = true
		if err := checkValue(field+".value", c.Value); err != nil {
			return err
		}
		if err := checkHref(field+".href", c.Href); err != nil {
			return err
		}
	}
	if len(m.Flows) > MaxFlows {
		return fmt.Errorf("chart: %d flows, more than %d", len(m.Flows), MaxFlows)
	}
	for i, f := range m.Flows {
		field := "flows[" + strconv.Itoa(i) + "]"
		if err := checkCode(field+".from", f.From); err != nil {
			return err
		}
		if err := checkCode(field+".to", f.To); err != nil {
			return err
		}
		if f.From == f.To {
			return fmt.Errorf("chart: %s goes from %s to itself", field, f.From)
		}
		if err := checkValue(field+".value", f.Value); err != nil {
			return err
		}
		if err := checkHref(field+".href", f.Href); err != nil {
			return err
		}
	}
	return nil
}

// checkCode refuses a code that is not two capital letters A to Z.
func checkCode(field, code string) error {
	if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
		return fmt.Errorf("chart: %s: %q is not an ISO 3166-1 alpha-2 code", field, code)
	}
	return nil
}

// world is the map's countries, projected, simplified and written as path
// data once.
type world struct {
	countries []worldCountry
	index     map[string]int
	height    float64
}

// worldCountry is one country of the map.
type worldCountry struct {
	code  string
	path  string // the d attribute of all its polygons
	label point  // the centroid of its largest polygon, where flows meet it
}

var theWorld = sync.OnceValues(func() (*world, error) { return buildWorld(countriesTopology) })

const (
	mapPad       = 2.0
	simplifyTol  = 0.12 // in figure units; a tenth of a unit is the finest step written
	droppedCode  = "AQ" // Antarctica
	smallestRing = 0.6  // rings narrower and lower than this are too small to draw
)

// buildWorld decodes the topology, projects it with the Natural Earth
// projection fitted to the figure's width, and writes each country's path.
func buildWorld(data []byte) (*world, error) {
	arcs, features, err := decodeTopology(data, "countries")
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(features))
	for i, f := range features {
		code, ok := alpha2[f.id]
		if f.id == "" {
			code, ok = unnumbered[f.name]
		}
		if !ok {
			return nil, fmt.Errorf("chart: country %q (%q) has no alpha-2 code", f.name, f.id)
		}
		codes[i] = code
	}

	// Fit the projected bounds of every drawn arc to the figure's width.
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i, f := range features {
		if codes[i] == droppedCode {
			continue
		}
		for _, poly := range f.polygons {
			for _, r := range poly {
				for _, a := range r {
					for _, ll := range arcs[arcIndex(a)] {
						p := naturalEarth(ll)
						minX, maxX = math.Min(minX, p.x), math.Max(maxX, p.x)
						minY, maxY = math.Min(minY, p.y), math.Max(maxY, p.y)
					}
				}
			}
		}
	}
	k := (width - 2*mapPad) / (maxX - minX)
	fit := func(p lonLat) point {
		q := naturalEarth(p)
		return point{mapPad + (q.x-minX)*k, mapPad + (q.y-minY)*k}
	}
	simple := make([][]lonLat, len(arcs))
	for i, a := range arcs {
		pts := make([]point, len(a))
		for j, p := range a {
			pts[j] = fit(p)
		}
		for j, keep := range simplify(pts, simplifyTol) {
			if keep {
				simple[i] = append(simple[i], a[j])
			}
		}
	}

	w := &world{height: math.Ceil((maxY-minY)*k + 2*mapPad)}
	type shape struct {
		d     strings.Builder
		best  float64
		label point
	}
	shapes := map[string]*shape{}
	for i, f := range features {
		code := codes[i]
		if code == droppedCode {
			continue
		}
		s, ok := shapes[code]
		if !ok {
			s = &shape{best: -1}
			shapes[code] = s
			w.countries = append(w.countries, worldCountry{code: code})
		}
		for _, poly := range f.polygons {
			for _, outer := range splitAntimeridian(ring(simple, poly[0])) {
				pts := project(outer, fit)
				a, c := area(pts)
				big := math.Abs(a) > s.best
				if big {
					s.best, s.label = math.Abs(a), c
				}
				writeRing(&s.d, pts, big)
			}
			for _, hole := range poly[1:] {
				for _, r := range splitAntimeridian(ring(simple, hole)) {
					writeRing(&s.d, project(r, fit), false)
				}
			}
		}
	}
	// A country whose every ring rounds away is left for the list below
	// the map.
	drawn := w.countries[:0]
	w.index = map[string]int{}
	for _, c := range w.countries {
		s := shapes[c.code]
		if s.d.Len() == 0 {
			continue
		}
		c.path, c.label = s.d.String(), s.label
		w.index[c.code] = len(drawn)
		drawn = append(drawn, c)
	}
	w.countries = drawn
	return w, nil
}

// project returns the positions of a ring in the figure.
func project(r []lonLat, fit func(lonLat) point) []point {
	out := make([]point, len(r))
	for i, p := range r {
		out[i] = fit(p)
	}
	return out
}

// writeRing appends a closed ring as path data in tenths of a unit: an
// absolute move, then relative lines. Points that round onto the one
// before are dropped; a ring too small to see is left out unless keep.
func writeRing(b *strings.Builder, r []point, keep bool) {
	pts := make([][2]int, 0, len(r))
	for _, p := range r {
		q := [2]int{int(math.Round(p.x * 10)), int(math.Round(p.y * 10))}
		if n := len(pts); n > 0 && pts[n-1] == q {
			continue
		}
		pts = append(pts, q)
	}
	if n := len(pts); n > 1 && pts[n-1] == pts[0] {
		pts = pts[:n-1]
	}
	if len(pts) < 3 {
		return
	}
	minX, minY, maxX, maxY := pts[0][0], pts[0][1], pts[0][0], pts[0][1]
	for _, p := range pts {
		minX, maxX = min(minX, p[0]), max(maxX, p[0])
		minY, maxY = min(minY, p[1]), max(maxY, p[1])
	}
	if !keep && float64(maxX-minX) < smallestRing*10 && float64(maxY-minY) < smallestRing*10 {
		return
	}
	b.WriteString("M")
	b.WriteString(tenths(pts[0][0]))
	b.WriteString(" ")
	b.WriteString(tenths(pts[0][1]))
	b.WriteString("l")
	for i := 1; i < len(pts); i++ {
		for j, v := range []int{pts[i][0] - pts[i-1][0], pts[i][1] - pts[i-1][1]} {
			s := tenths(v)
			if (i > 1 || j > 0) && s[0] != '-' {
				b.WriteByte(' ')
			}
			b.WriteString(s)
		}
	}
	b.WriteString("z")
}

// tenths writes t tenths as a short decimal: 12.3, -.5, 4.
func tenths(t int) string {
	sign := ""
	if t < 0 {
		sign, t = "-", -t
	}
	whole, frac := t/10, t%10
	switch {
	case frac == 0:
		return sign + strconv.Itoa(whole)
	case whole == 0:
		return sign + "." + strconv.Itoa(frac)
	}
	return sign + strconv.Itoa(whole) + "." + strconv.Itoa(frac)
}

// shades are the fills of the value classes, light to dark, each a
// distinct grey in print and all darker than an unshaded country.
var shades = [4]string{"#a6c8e4", "#5a9bd0", "#2b6aa8", "#0d3b6e"}

const (
	landColour   = "#e4e4e4"
	flowColour   = "#b8460b"
	borderColour = "#fff"
)

func (m Map) draw(wd *world) template.HTML {
	format := formatter(m.Format)
	name := func(code string) string {
		if n := m.Names[code]; n != "" {
			return n
		}
		return code
	}

	// Value classes of equal, round width.
	var largest int64
	for _, c := range m.Countries {
		largest = max(largest, c.Value)
	}
	step, top := ticks(largest, 4)
	classes := int(top / step)
	class := func(v int64) int {
		if v <= 0 {
			return 0
		}
		return int((v - 1) / step)
	}
	shade := func(i int) string {
		if classes == 1 {
			return shades[2]
		}
		return shades[i*(len(shades)-1)/(classes-1)]
	}

	shaded := map[string]Country{}
	var offMap []string
	for _, c := range m.Countries {
		shaded[c.Code] = c
		if _, ok := wd.index[c.Code]; !ok {
			offMap = append(offMap, name(c.Code)+" "+format(c.Value))
		}
	}
	var flows []Flow
	for _, f := range m.Flows {
		_, fromOK := wd.index[f.From]
		_, toOK := wd.index[f.To]
		if fromOK && toOK {
			flows = append(flows, f)
			continue
		}
		offMap = append(offMap, name(f.From)+" → "+name(f.To)+" "+format(f.Value))
	}

	// The legend and the list of what the map cannot show, below it.
	var legend []legendItem
	if len(m.Countries) > 0 {
		for i := 0; i < classes; i++ {
			lo, hi := int64(i)*step, int64(i+1)*step
			label := format(lo) + "–" + format(hi)
			if step == 1 {
				label = format(hi)
			}
			fill := shade(i)
			legend = append(legend, legendItem{label: label, mark: func(w *writer, x, y float64) {
				w.leaf("rect", "x", num(x), "y", num(y-6), "width", "16", "height", "12", "fill", fill)
			}})
		}
	}
	y := wd.height + 4
	legendTop := y
	if len(legend) > 0 {
		if m.Legend != "" {
			y += lineHeight
		}
		y += legendHeight(legend)
	}
	var offLines []string
	if len(offMap) > 0 {
		text := strings.Join(offMap, ", ")
		if m.OffMap != "" {
			text = m.OffMap + ": " + text
		}
		offLines = wrap(text, width, smallSize, 4)
	}
	offTop := y
	y += float64(len(offLines)) * lineHeight

	var w writer
	w.start("map", m.Title, math.Ceil(y+2))
	w.open("g", "stroke", borderColour, "stroke-width", "0.3", "stroke-linejoin", "round", "fill-rule", "evenodd")
	for _, c := range wd.countries {
		s, ok := shaded[c.code]
		if !ok {
			w.open("path", "d", c.path, "fill", landColour)
			w.title(name(c.code))
			w.close("path")
			continue
		}
		a := w.linkOpen(s.Href)
		w.open("path", "d", c.path, "fill", shade(class(s.Value)))
		w.title(name(c.code) + ": " + format(s.Value))
		w.close("path")
		w.linkClose(a)
	}
	w.close("g")

	if len(flows) > 0 {
		m.drawFlows(&w, wd, flows, format, name)
	}

	if len(legend) > 0 {
		if m.Legend != "" {
			w.textAt(0, legendTop+12, m.Legend, "font-size", num(smallSize), "font-weight", "bold")
			legendTop += lineHeight
		}
		w.legend(legend, legendTop)
	}
	for i, line := range offLines {
		w.textAt(0, offTop+float64(i)*lineHeight+12, line, "font-size", num(smallSize), "fill", mutedInk)
	}
	return w.end()
}

// drawFlows writes each flow as a curve bowed to the north from the label
// point of one country to the other's, ending in an arrowhead, with its
// value at the middle.
func (m Map) drawFlows(w *writer, wd *world, flows []Flow, format func(int64) string, name func(string) string) {
	var largest int64
	for _, f := range flows {
		largest = max(largest, f.Value)
	}
	var placed []box
	w.open("g", "class", "flows")
	for _, f := range flows {
		a := wd.countries[wd.index[f.From]].label
		b := wd.countries[wd.index[f.To]].label
		sw := 1.0
		if largest > 0 {
			sw += 3 * float64(f.Value) / float64(largest)
		}
		dx, dy := b.x-a.x, b.y-a.y
		length := math.Hypot(dx, dy)
		if length < 1 {
			continue
		}
		// The normal that points up the figure, to bow the curve by.
		nx, ny := -dy/length, dx/length
		if ny > 0 || (ny == 0 && nx > 0) {
			nx, ny = -nx, -ny
		}
		bow := math.Min(0.25*length, 40)
		c := point{(a.x+b.x)/2 + nx*bow, (a.y+b.y)/2 + ny*bow}
		tx, ty := b.x-c.x, b.y-c.y
		tl := math.Hypot(tx, ty)
		tx, ty = tx/tl, ty/tl
		head := 3 + 1.6*sw
		half := 1.5 + sw
		base := point{b.x - tx*head, b.y - ty*head}
		end := point{b.x - tx*head*0.7, b.y - ty*head*0.7}
		d := "M" + num(a.x) + " " + num(a.y) + "Q" + num(c.x) + " " + num(c.y) + " " + num(end.x) + " " + num(end.y)
		tip := "M" + num(b.x) + " " + num(b.y) + "L" + num(base.x-ty*half) + " " + num(base.y+tx*half) +
			"L" + num(base.x+ty*half) + " " + num(base.y-tx*half) + "z"
		label, labelled := placeFlowLabel(&placed, format(f.Value), a, c, end, sw)
		title := name(f.From) + " → " + name(f.To) + ": " + format(f.Value)

		link := w.linkOpen(f.Href)
		w.open("g")
		w.title(title)
		w.leaf("path", "d", d, "fill", "none", "stroke", "#fff", "stroke-width", num(sw+2), "stroke-linecap", "round")
		w.leaf("path", "d", tip, "fill", "#fff", "stroke", "#fff", "stroke-width", "2", "stroke-linejoin", "round")
		w.leaf("path", "d", d, "fill", "none", "stroke", flowColour, "stroke-width", num(sw), "stroke-linecap", "round")
		w.leaf("path", "d", tip, "fill", flowColour)
		if labelled {
			w.textAt(label.x, label.y, format(f.Value), "font-size", num(flowLabelSize), "text-anchor", "middle",
				"stroke", "#fff", "stroke-width", "2.5", "paint-order", "stroke")
		}
		w.close("g")
		w.linkClose(link)
	}
	w.close("g")
}

const flowLabelSize = 10.0

// box is the room a label takes.
type box struct{ x0, y0, x1, y1 float64 }

func (b box) overlaps(o box) bool {
	return b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1
}

// placeFlowLabel finds a place for a flow's value on its curve from a to
// end bowed by c, from the middle outwards, clear of the labels placed
// before it; a label with no such place is left out (the flow's title
// still gives the value).
func placeFlowLabel(placed *[]box, s string, a, c, end point, sw float64) (point, bool) {
	half := textWidth(s, flowLabelSize)/2 + 1
	for _, t := range []float64{0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8} {
		u := 1 - t
		p := point{u*u*a.x + 2*u*t*c.x + t*t*end.x, u*u*a.y + 2*u*t*c.y + t*t*end.y}
		p.y -= sw/2 + 2
		b := box{p.x - half, p.y - flowLabelSize, p.x + half, p.y + 2}
		if !slices.ContainsFunc(*placed, b.overlaps) {
			*placed = append(*placed, b)
			return p, true
		}
	}
	return point{}, false
}
