// Package chart draws the figures of reports as inline SVG: bars, progress
// against a target over time, and a world map with flows between countries.
//
// Every figure is an <svg> with a viewBox and width="100%", so it fills the
// column it is put in, from a phone to an A4 page; the page's stylesheet may
// cap its width. Text is set in the page's font, colours keep apart in
// greyscale (with hatching and outlines where a colour alone would not tell
// series apart), and there is no script and no reference outside the figure.
// A bar, a point or a country can carry a link to the records behind it.
//
// Labels arrive translated; numbers are exact int64 values turned into text
// by the caller's Format function, so a page in English and one in Chinese
// each show their own digits, and a money figure passes a Format that knows
// the currency and its minor unit (values are then in minor units). The
// same input always gives the same bytes.
package chart

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"hash/fnv"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The limits of what one figure draws; past them a figure would no longer
// read, and the render function refuses the input.
const (
	// MaxCategories is the most categories of a bar chart and the most
	// periods of a progress chart.
	MaxCategories = 100
	// MaxSeries is the most series of a bar chart: one per fill style.
	MaxSeries = 6
	// MaxFlows is the most flows drawn on a map.
	MaxFlows = 200
	// MaxValue is the largest value a figure draws, a million million
	// million: ten thousand million million yuan in fen.
	MaxValue = 1_000_000_000_000_000_000
	// MaxLabel is the most characters (runes) of a label; a longer label
	// is refused, a long one is wrapped.
	MaxLabel = 300
)

// Sizes in viewBox units. The figures are laid out at a width of 400, which
// on a 390 px phone shows 13-unit text at about 11.5 px.
const (
	width      = 400.0
	fontSize   = 13.0
	smallSize  = 11.0
	lineHeight = 16.0
	inkColour  = "#222"
	gridColour = "#d4d4d4"
	axisColour = "#777"
	mutedInk   = "#555"
)

// writer builds an SVG document; every text and attribute value goes
// through XML escaping.
type writer struct {
	b bytes.Buffer
}

// open writes a start tag with attributes given as name, value pairs.
func (w *writer) open(name string, attrs ...string) {
	w.tag(name, attrs)
	w.b.WriteByte('>')
}

// leaf writes an element with no content.
func (w *writer) leaf(name string, attrs ...string) {
	w.tag(name, attrs)
	w.b.WriteString("/>")
}

func (w *writer) tag(name string, attrs []string) {
	w.b.WriteByte('<')
	w.b.WriteString(name)
	for i := 0; i+1 < len(attrs); i += 2 {
		w.b.WriteByte(' ')
		w.b.WriteString(attrs[i])
		w.b.WriteString(`="`)
		xml.EscapeText(&w.b, []byte(attrs[i+1]))
		w.b.WriteByte('"')
	}
}

// close writes an end tag.
func (w *writer) close(name string) {
	w.b.WriteString("</")
	w.b.WriteString(name)
	w.b.WriteByte('>')
}

// text writes escaped character data.
func (w *writer) text(s string) {
	xml.EscapeText(&w.b, []byte(s))
}

// title writes a <title> child, the name a screen reader and a pointer
// hovering over the shape give.
func (w *writer) title(s string) {
	w.open("title")
	w.text(s)
	w.close("title")
}

// textAt writes a <text> element at x, y with extra attributes.
func (w *writer) textAt(x, y float64, s string, attrs ...string) {
	w.open("text", append([]string{"x", num(x), "y", num(y)}, attrs...)...)
	w.text(s)
	w.close("text")
}

// linkOpen opens an <a> around the shapes that follow when href is set, and
// returns whether it did, for linkClose.
func (w *writer) linkOpen(href string) bool {
	if href == "" {
		return false
	}
	w.open("a", "href", href)
	return true
}

func (w *writer) linkClose(opened bool) {
	if opened {
		w.close("a")
	}
}

// start writes the <svg> element and its title; end closes it.
func (w *writer) start(kind, title string, height float64) {
	w.open("svg", "xmlns", "http://www.w3.org/2000/svg", "viewBox", "0 0 "+num(width)+" "+num(height),
		"width", "100%", "role", "img", "aria-label", title, "class", "chart chart-"+kind,
		"font-size", num(fontSize), "fill", inkColour)
	w.title(title)
}

func (w *writer) end() template.HTML {
	w.close("svg")
	// The document is built from escaped text and attribute values only.
	return template.HTML(w.b.String())
}

// num formats a coordinate rounded to one decimal, without a trailing ".0".
func num(f float64) string {
	t := math.Round(f * 10)
	if t == 0 {
		return "0"
	}
	if math.Mod(t, 10) == 0 {
		return strconv.FormatFloat(t/10, 'f', 0, 64)
	}
	return strconv.FormatFloat(t/10, 'f', 1, 64)
}

// checkHref refuses a link that is not a relative address, nor an http(s)
// or mailto one: a figure is put into a page as it is, so a javascript:
// address must never reach it.
func checkHref(field, href string) error {
	if href == "" {
		return nil
	}
	if !utf8.ValidString(href) || strings.ContainsAny(href, "\x00\r\n\t") {
		return fmt.Errorf("chart: %s: href %q is not a valid address", field, href)
	}
	u, err := url.Parse(href)
	if err != nil {
		return fmt.Errorf("chart: %s: href %q is not a valid address", field, href)
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https", "mailto":
		return nil
	}
	return fmt.Errorf("chart: %s: href %q has scheme %q; only relative, http, https and mailto addresses are allowed", field, href, u.Scheme)
}

// checkLabel refuses a label that is not UTF-8 or is longer than MaxLabel.
func checkLabel(field, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("chart: %s: label is not valid UTF-8", field)
	}
	if n := utf8.RuneCountInString(s); n > MaxLabel {
		return fmt.Errorf("chart: %s: label has %d characters, more than %d", field, n, MaxLabel)
	}
	return nil
}

// formatter returns f, or plain decimal digits when f is nil.
func formatter(f func(int64) string) func(int64) string {
	if f != nil {
		return f
	}
	return func(v int64) string { return strconv.FormatInt(v, 10) }
}

// textWidth estimates the width of s set at size: East Asian characters
// take a full em, Latin letters and digits about half of one. Layout only
// needs to keep text from running into its neighbours.
func textWidth(s string, size float64) float64 {
	var em float64
	for _, r := range s {
		switch {
		case wide(r):
			em += 1
		case strings.ContainsRune("il.,:;|!'` ()[]", r):
			em += 0.3
		case r == 'm' || r == 'w' || r == 'M' || r == 'W':
			em += 0.85
		case unicode.IsUpper(r) || unicode.IsDigit(r):
			em += 0.64
		default:
			em += 0.56
		}
	}
	return em * size
}

// wide reports whether r is set a full em wide.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xff60)
}

// wrap breaks s into at most lines lines no wider than max at size,
// between words, or between any two characters of East Asian text; the
// last line ends with an ellipsis when s does not fit.
func wrap(s string, max, size float64, lines int) []string {
	s = strings.Join(strings.Fields(s), " ")
	var out []string
	for s != "" && len(out) < lines {
		if textWidth(s, size) <= max {
			out = append(out, s)
			s = ""
			break
		}
		if len(out) == lines-1 {
			out = append(out, ellipsize(s, max, size))
			break
		}
		cut := fitPrefix(s, max, size)
		out = append(out, strings.TrimRight(s[:cut], " "))
		s = strings.TrimLeft(s[cut:], " ")
	}
	return out
}

// fitPrefix returns the byte length of the longest prefix of s that fits
// within max and ends at a break: after a space, or beside a wide
// character. With no such break it cuts the first word where it overflows.
func fitPrefix(s string, max, size float64) int {
	brk, w := 0, 0.0
	prev := rune(-1)
	for i, r := range s {
		if i > 0 && (r == ' ' || prev == '-' || wide(r) || wide(prev)) {
			brk = i
		}
		w += textWidth(string(r), size)
		if w > max {
			if brk > 0 {
				return brk
			}
			if i == 0 {
				return utf8.RuneLen(r)
			}
			return i
		}
		prev = r
	}
	return len(s)
}

// ellipsize shortens s to fit within max, ending it with an ellipsis.
func ellipsize(s string, max, size float64) string {
	if textWidth(s, size) <= max {
		return s
	}
	runes := []rune(s)
	for n := len(runes) - 1; n > 0; n-- {
		t := strings.TrimRight(string(runes[:n]), " ") + "…"
		if textWidth(t, size) <= max {
			return t
		}
	}
	return "…"
}

// checkValue refuses a value that is negative or above MaxValue.
func checkValue(field string, v int64) error {
	if v < 0 || v > MaxValue {
		return fmt.Errorf("chart: %s is %d; values must be from 0 to %d", field, v, int64(MaxValue))
	}
	return nil
}

// ticks returns a round axis step, 1, 2 or 5 times a power of ten, and the
// axis maximum, a multiple of the step at or above max, so that at most n
// steps cover the values; max is at most MaxValue.
func ticks(max int64, n int64) (step, top int64) {
	if max <= 0 {
		return 1, 1
	}
	raw := (max + n - 1) / n
	step = 1
	for {
		for _, m := range []int64{1, 2, 5} {
			if step*m >= raw {
				step *= m
				top = (max + step - 1) / step * step
				return step, top
			}
		}
		step *= 10
	}
}

// A fill is how the shapes of one series are painted: a colour, and for
// the series after the first two a pattern over it, so that series keep
// apart where colours print as greys.
type fill struct {
	colour  string // solid colour, or the pattern's ground
	pattern string // "" or the pattern kind
	light   bool   // whether text over it should be dark
}

// palette is the fill of each series, chosen for distinct lightness, in
// the order series are given.
var palette = [MaxSeries]fill{
	{colour: "#1f4e79"},
	{colour: "#e8a33d", light: true},
	{colour: "#5aa27c", pattern: "hatch"},
	{colour: "#b8c9e0", pattern: "dots", light: true},
	{colour: "#8a5a9b", pattern: "cross"},
	{colour: "#f2e2b8", pattern: "rows", light: true},
}

// paint returns the fill attribute of series i of a figure whose pattern
// ids start with id.
func paint(id string, i int) string {
	if palette[i].pattern == "" {
		return palette[i].colour
	}
	return "url(#" + id + "-p" + strconv.Itoa(i) + ")"
}

// patterns writes the <defs> of the patterned fills among the first n.
func (w *writer) patterns(id string, n int) {
	opened := false
	for i := 0; i < n; i++ {
		f := palette[i]
		if f.pattern == "" {
			continue
		}
		if !opened {
			w.open("defs")
			opened = true
		}
		w.open("pattern", "id", id+"-p"+strconv.Itoa(i), "width", "6", "height", "6", "patternUnits", "userSpaceOnUse")
		w.leaf("rect", "width", "6", "height", "6", "fill", f.colour)
		ink := "#fff"
		if f.light {
			ink = "#333"
		}
		switch f.pattern {
		case "hatch":
			w.leaf("path", "d", "M-1 1l2-2M0 6l6-6M5 7l2-2", "stroke", ink, "stroke-width", "1.4")
		case "dots":
			w.leaf("circle", "cx", "3", "cy", "3", "r", "1.2", "fill", ink)
		case "cross":
			w.leaf("path", "d", "M0 3h6M3 0v6", "stroke", ink, "stroke-width", "1.2")
		case "rows":
			w.leaf("path", "d", "M0 1.5h6M0 4.5h6", "stroke", ink, "stroke-width", "0.9")
		}
		w.close("pattern")
	}
	if opened {
		w.close("defs")
	}
}

// figureID returns a short id for the patterns of a figure, derived from
// what it shows, so that two different figures on one page do not share
// ids and the same figure always gets the same one.
func figureID(kind string, parts ...string) string {
	h := fnv.New64a()
	h.Write([]byte(kind))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return fmt.Sprintf("c%012x", h.Sum64()&0xffffffffffff)
}

// legendItem is one entry of a legend: a swatch drawn by mark at the given
// position, then the label.
type legendItem struct {
	label string
	mark  func(w *writer, x, y float64) // y is the text's middle line
}

// legendHeight returns the height the items take when laid out in rows
// across the figure.
func legendHeight(items []legendItem) float64 {
	places := legendPlaces(items)
	if len(places) == 0 {
		return 0
	}
	return float64(places[len(places)-1].row+1) * lineHeight
}

// place is where a legend item goes: its x and its row.
type place struct {
	x   float64
	row int
}

// legendPlaces places items left to right, wrapping to a new row where one
// would pass the figure's width.
func legendPlaces(items []legendItem) []place {
	out := make([]place, len(items))
	x, row := 0.0, 0
	for i, it := range items {
		wd := 22 + textWidth(it.label, smallSize) + 14
		if x > 0 && x+wd > width {
			x, row = 0, row+1
		}
		out[i] = place{x, row}
		x += wd
	}
	return out
}

// legend writes items in rows from top.
func (w *writer) legend(items []legendItem, top float64) {
	w.open("g", "font-size", num(smallSize))
	for i, p := range legendPlaces(items) {
		y := top + float64(p.row)*lineHeight + lineHeight/2
		items[i].mark(w, p.x, y)
		w.textAt(p.x+22, y+4, ellipsize(items[i].label, width-p.x-22, smallSize))
	}
	w.close("g")
}

// swatch returns a legend mark painted like series i.
func swatch(id string, i int) func(w *writer, x, y float64) {
	return func(w *writer, x, y float64) {
		w.leaf("rect", "x", num(x), "y", num(y-6), "width", "16", "height", "12", "fill", paint(id, i), "stroke", inkColour, "stroke-width", "0.6")
	}
}

// emptyFigure is the figure of a chart with nothing to show: its title
// and the caller's message.
func emptyFigure(kind, title, message string) template.HTML {
	var w writer
	w.start(kind, title, 48)
	w.leaf("rect", "x", "1", "y", "1", "width", num(width-2), "height", "46", "fill", "none", "stroke", gridColour, "stroke-dasharray", "4 3")
	w.textAt(width/2, 29, ellipsize(message, width-24, fontSize), "text-anchor", "middle", "fill", mutedInk)
	return w.end()
}
