package chart

import (
	"bytes"
	"encoding/xml"
	"html/template"
	"io"
	"strconv"
	"strings"
	"testing"
)

// node is an element of a parsed figure.
type node struct {
	name     string
	attr     map[string]string
	children []*node
	text     string
}

// parse reads a figure as XML, failing the test when it is not well
// formed.
func parse(t *testing.T, svg template.HTML) *node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(svg)))
	root := &node{name: "#document"}
	stack := []*node{root}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("figure is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attr: map[string]string{}}
			for _, a := range tok.Attr {
				n.attr[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			stack[len(stack)-1].text += string(tok)
		}
	}
	if len(root.children) != 1 || root.children[0].name != "svg" {
		t.Fatalf("figure is not one <svg> element")
	}
	return root.children[0]
}

// all returns the elements named name under n, in document order.
func (n *node) all(name string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
		out = append(out, c.all(name)...)
	}
	return out
}

// titleText returns the text of n's <title> child.
func (n *node) titleText() string {
	for _, c := range n.children {
		if c.name == "title" {
			return c.text
		}
	}
	return ""
}

// texts returns the text of every <text> under n.
func (n *node) texts() []string {
	var out []string
	for _, c := range n.all("text") {
		out = append(out, c.text)
	}
	return out
}

func attrFloat(t *testing.T, n *node, name string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(n.attr[name], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.name, name, n.attr[name], err)
	}
	return f
}

// checkFigure checks what every figure promises a page: one <svg> that
// scales with its column, named for a screen reader, with no script, no
// inline style and nothing loaded from elsewhere.
func checkFigure(t *testing.T, svg template.HTML, title string) *node {
	t.Helper()
	root := parse(t, svg)
	want := map[string]string{"width": "100%", "role": "img", "aria-label": title, "xmlns": "http://www.w3.org/2000/svg"}
	for k, v := range want {
		if root.attr[k] != v {
			t.Errorf("<svg %s=%q>, want %q", k, root.attr[k], v)
		}
	}
	if _, ok := root.attr["height"]; ok {
		t.Errorf("<svg> has a fixed height")
	}
	if f := strings.Fields(root.attr["viewBox"]); len(f) != 4 || f[0] != "0" || f[1] != "0" {
		t.Errorf("viewBox = %q", root.attr["viewBox"])
	}
	if got := root.titleText(); got != title {
		t.Errorf("<title> = %q, want %q", got, title)
	}
	for _, bad := range []string{"<script", "style=", "xlink", "<image", "<foreignObject", "@import", "font-family"} {
		if strings.Contains(string(svg), bad) {
			t.Errorf("figure contains %q", bad)
		}
	}
	if i := strings.Index(string(svg), "url("); i >= 0 && !strings.HasPrefix(string(svg)[i:], "url(#") {
		t.Errorf("figure refers to an outside url: %q", string(svg)[i:min(len(svg), i+40)])
	}
	return root
}

// group writes thousands with commas, as an English page would.
func group(v int64) string {
	s := strconv.FormatInt(v, 10)
	var b bytes.Buffer
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// yuan writes an amount in fen as yuan with two decimals.
func yuan(v int64) string {
	return "¥" + group(v/100) + "." + strconv.FormatInt(v%100/10, 10) + strconv.FormatInt(v%10, 10)
}

func TestTicks(t *testing.T) {
	round := func(step int64) bool {
		for step%10 == 0 {
			step /= 10
		}
		return step == 1 || step == 2 || step == 5
	}
	values := []int64{0, 1, 2, 3, 4, 5, 7, 9, 10, 11, 19, 20, 49, 81, 99, 100, 101, 999, 1001, 12345, 2_500_000_000, 1 << 40, MaxValue - 1, MaxValue}
	for v := int64(1); v < 3000; v += 37 {
		values = append(values, v)
	}
	for _, v := range values {
		for _, n := range []int64{4, 5} {
			step, top := ticks(v, n)
			if top < v {
				t.Errorf("ticks(%d, %d): axis maximum %d is below the largest value", v, n, top)
			}
			if !round(step) {
				t.Errorf("ticks(%d, %d): step %d is not 1, 2 or 5 times a power of ten", v, n, step)
			}
			if top%step != 0 {
				t.Errorf("ticks(%d, %d): axis maximum %d is not a multiple of the step %d", v, n, top, step)
			}
			if v > 0 && top/step > n {
				t.Errorf("ticks(%d, %d): %d steps, more than %d", v, n, top/step, n)
			}
			if v > 0 && top-v >= step {
				t.Errorf("ticks(%d, %d): axis maximum %d passes the value by a whole step %d", v, n, top, step)
			}
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		max   float64
		lines int
		want  []string
	}{
		{"fills a sub-regional gap", 400, 2, []string{"fills a sub-regional gap"}},
		{"fills a sub-regional gap", 80, 2, []string{"fills a sub-", "regional gap"}},
		{"fills a sub-regional gap in the county", 60, 2, []string{"fills a", "sub-reg…"}},
		{"填补区域空白的技术", 50, 2, []string{"填补区", "域空白…"}},
		{"  spaced   out  ", 400, 2, []string{"spaced out"}},
		{"", 400, 2, nil},
	}
	for _, tt := range tests {
		got := wrap(tt.in, tt.max, 13, tt.lines)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrap(%q, %v) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
		for _, line := range got {
			if w := textWidth(line, 13); w > tt.max {
				t.Errorf("wrap(%q, %v): line %q is %v wide", tt.in, tt.max, line, w)
			}
		}
	}
}

func TestNum(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 1: "1", 1.04: "1", 1.05: "1.1", -0.04: "0", -2.25: "-2.3", 399.99: "400", 12.5: "12.5"} {
		if got := num(in); got != want {
			t.Errorf("num(%v) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[int]string{0: "0", 5: ".5", -5: "-.5", 123: "12.3", -120: "-12", 10: "1"} {
		if got := tenths(in); got != want {
			t.Errorf("tenths(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckHref(t *testing.T) {
	for _, ok := range []string{"", "/partnerships/p1", "outcomes?kind=technique&novelty=fills_regional_gap", "https://example.org/a", "mailto:a@example.org", "#top"} {
		if err := checkHref("f", ok); err != nil {
			t.Errorf("checkHref(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "/a\nb", "%zz"} {
		if err := checkHref("f", bad); err == nil {
			t.Errorf("checkHref(%q) accepted it", bad)
		}
	}
}
