package chart

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"aidbridge/internal/golden"
)

// novelty is the techniques of the Xinjiang account by novelty.
func novelty() Bars {
	return Bars{
		Title:      "Techniques introduced, by novelty",
		Horizontal: true,
		Format:     group,
		Categories: []string{"fills a national gap", "fills a regional gap", "region-leading", "fills a sub-regional gap", "new to the hospital"},
		Series: []Series{{
			Name:   "Techniques",
			Values: []int64{0, 5, 13, 18, 45},
			Hrefs:  []string{"", "/outcomes?novelty=fills_regional_gap", "/outcomes?novelty=region_leading", "/outcomes?novelty=fills_subregional_gap", "/outcomes?novelty=new_to_hospital"},
		}},
	}
}

func barExamples() map[string]Bars {
	return map[string]Bars{
		"horizontal": novelty(),
		"vertical-stacked": {
			Title:      "Papers by year",
			Stacked:    true,
			Format:     group,
			Categories: []string{"2019", "2020", "2021", "2022", "2023"},
			Series: []Series{
				{Name: "SCI", Values: []int64{2, 3, 5, 4, 10}, Hrefs: []string{"/p?y=2019&sci=1", "", "", "", ""}},
				{Name: "Other", Values: []int64{3, 4, 0, 5, 6}},
				{Name: "By local doctors", Values: []int64{1, 2, 2, 3, 4}},
			},
		},
		"vertical-grouped-zh": {
			Title:      "每月论文",
			Format:     group,
			Categories: []string{"1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"},
			Series: []Series{
				{Name: "SCI 论文", Values: []int64{2, 3, 5, 4, 6, 4, 1, 0, 3, 4, 2, 7}},
				{Name: "其他", Values: []int64{3, 4, 2, 5, 6, 3, 1, 2, 3, 4, 5, 6}},
			},
		},
		"horizontal-stacked-money": {
			Title:      "Contributions by donor",
			Horizontal: true,
			Stacked:    true,
			Format:     yuan,
			Categories: []string{"Shanghai Municipal Health Commission", "Xinhua Hospital", "上海市卫生健康委员会"},
			Series: []Series{
				{Name: "Money", Values: []int64{2_000_000_000, 35_000_000, 1_200_000}},
				{Name: "Goods", Values: []int64{500_000_000, 120_000_000, 0}},
			},
		},
		"empty": {Title: "Outcomes by kind", Empty: "No outcomes recorded yet."},
	}
}

func TestBarsGolden(t *testing.T) {
	for name, b := range barExamples() {
		t.Run(name, func(t *testing.T) {
			got, err := b.SVG()
			if err != nil {
				t.Fatal(err)
			}
			checkFigure(t, got, b.Title)
			again, _ := b.SVG()
			if got != again {
				t.Errorf("two renderings of the same chart differ")
			}
			golden.Compare(t, []byte(got), "bars-"+name)
		})
	}
}

// categoryGroups returns the <g class="category"> elements of a bar chart.
func categoryGroups(root *node) []*node {
	var out []*node
	for _, g := range root.all("g") {
		if g.attr["class"] == "category" {
			out = append(out, g)
		}
	}
	return out
}

func TestBarsZeroDrawsNoBarButKeepsLabel(t *testing.T) {
	for _, horizontal := range []bool{true, false} {
		b := novelty()
		b.Horizontal = horizontal
		svg, err := b.SVG()
		if err != nil {
			t.Fatal(err)
		}
		cats := categoryGroups(parse(t, svg))
		if len(cats) != len(b.Categories) {
			t.Fatalf("horizontal=%v: %d category groups, want %d", horizontal, len(cats), len(b.Categories))
		}
		for i, g := range cats {
			rects := len(g.all("rect"))
			want := 1
			if b.Series[0].Values[i] == 0 {
				want = 0
			}
			if rects != want {
				t.Errorf("horizontal=%v: %q (value %d) draws %d bars, want %d", horizontal, b.Categories[i], b.Series[0].Values[i], rects, want)
			}
			if !strings.Contains(strings.Join(g.texts(), " "), b.Categories[i]) {
				t.Errorf("horizontal=%v: %q lost its label: %q", horizontal, b.Categories[i], g.texts())
			}
		}
	}
}

func TestStackedBarsSum(t *testing.T) {
	for _, horizontal := range []bool{true, false} {
		stacked := barExamples()["vertical-stacked"]
		stacked.Horizontal = horizontal
		totals := make([]int64, len(stacked.Categories))
		for _, s := range stacked.Series {
			for j, v := range s.Values {
				totals[j] += v
			}
		}
		// The same totals as one series share the stack's axis.
		single := stacked
		single.Series = []Series{{Name: "All", Values: totals}}

		length := "height"
		if horizontal {
			length = "width"
		}
		stackSVG, err := stacked.SVG()
		if err != nil {
			t.Fatal(err)
		}
		singleSVG, err := single.SVG()
		if err != nil {
			t.Fatal(err)
		}
		stackCats, singleCats := categoryGroups(parse(t, stackSVG)), categoryGroups(parse(t, singleSVG))
		for j := range stacked.Categories {
			var sum float64
			segments := stackCats[j].all("rect")
			for _, r := range segments {
				sum += attrFloat(t, r, length)
			}
			whole := attrFloat(t, singleCats[j].all("rect")[0], length)
			// Each segment is rounded to a tenth.
			if math.Abs(sum-whole) > 0.051*float64(len(segments)) {
				t.Errorf("horizontal=%v: %s: segments add up to %v, the total's bar is %v", horizontal, stacked.Categories[j], sum, whole)
			}
			if texts := stackCats[j].texts(); !contains(texts, group(totals[j])) {
				t.Errorf("horizontal=%v: %s: no total %s among %q", horizontal, stacked.Categories[j], group(totals[j]), texts)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestBarsAxisCoversLargest checks that the last tick label is at least the
// largest value and the longest bar stays inside the plot.
func TestBarsAxisCoversLargest(t *testing.T) {
	for _, largest := range []int64{1, 7, 45, 100, 101, 999_999, 2_500_000_000} {
		for _, horizontal := range []bool{true, false} {
			b := Bars{Title: "t", Horizontal: horizontal, Categories: []string{"a", "b"},
				Series: []Series{{Name: "s", Values: []int64{largest / 3, largest}}}}
			svg, err := b.SVG()
			if err != nil {
				t.Fatal(err)
			}
			root := parse(t, svg)
			var ticks []int64
			for _, g := range root.children {
				if g.name == "g" && g.attr["fill"] == mutedInk {
					for _, s := range g.texts() {
						v, err := strconv.ParseInt(s, 10, 64)
						if err != nil {
							t.Fatalf("tick label %q: %v", s, err)
						}
						ticks = append(ticks, v)
					}
				}
			}
			if len(ticks) < 2 || ticks[len(ticks)-1] < largest {
				t.Errorf("largest %d, horizontal=%v: ticks %v do not reach it", largest, horizontal, ticks)
			}
			rects := root.all("rect")
			long := rects[len(rects)-1]
			if horizontal && attrFloat(t, long, "x")+attrFloat(t, long, "width") > width {
				t.Errorf("largest %d: the bar passes the figure", largest)
			}
			if !horizontal && attrFloat(t, long, "y") < 0 {
				t.Errorf("largest %d: the bar passes the figure", largest)
			}
		}
	}
}

func TestBarsHrefsAndLabelsEscaped(t *testing.T) {
	b := Bars{
		Title:      `Papers "by" <year> & kind`,
		Categories: []string{`<script>alert(1)</script>`, "b"},
		Series: []Series{{Name: "s", Values: []int64{3, 4},
			Hrefs: []string{`/outcomes?kind=paper&year=2024&q="><script>`, ""}}},
	}
	svg, err := b.SVG()
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if strings.Contains(s, "<script") {
		t.Errorf("a label reached the figure unescaped:\n%s", s)
	}
	if !strings.Contains(s, `href="/outcomes?kind=paper&amp;year=2024&amp;q=&#34;&gt;&lt;script&gt;"`) {
		t.Errorf("href is not escaped as an attribute:\n%s", s)
	}
	root := checkFigure(t, svg, b.Title)
	links := root.all("a")
	if len(links) != 1 || links[0].attr["href"] != b.Series[0].Hrefs[0] {
		t.Fatalf("links = %v, want the one href back when read", links)
	}
	if len(links[0].all("rect")) != 1 {
		t.Errorf("the link does not hold the bar")
	}

	b.Series[0].Hrefs[1] = "javascript:alert(1)"
	if _, err := b.SVG(); err == nil || !strings.Contains(err.Error(), "hrefs[1]") {
		t.Errorf("a javascript: href gave %v, want an error naming it", err)
	}
}

func TestBarsEmpty(t *testing.T) {
	for name, b := range map[string]Bars{
		"no categories": {Title: "t", Empty: "Nothing recorded yet.", Series: []Series{{Name: "s"}}},
		"no series":     {Title: "t", Empty: "Nothing recorded yet.", Categories: []string{"a"}},
	} {
		svg, err := b.SVG()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		root := checkFigure(t, svg, "t")
		if texts := root.texts(); len(texts) != 1 || texts[0] != "Nothing recorded yet." {
			t.Errorf("%s: texts %q, want the message alone", name, texts)
		}
	}
}

func TestBarsRefused(t *testing.T) {
	many := make([]Series, MaxSeries+1)
	for i := range many {
		many[i] = Series{Name: "s", Values: []int64{1}}
	}
	for name, b := range map[string]Bars{
		"values short":   {Categories: []string{"a", "b"}, Series: []Series{{Values: []int64{1}}}},
		"hrefs short":    {Categories: []string{"a", "b"}, Series: []Series{{Values: []int64{1, 2}, Hrefs: []string{""}}}},
		"negative":       {Categories: []string{"a"}, Series: []Series{{Values: []int64{-1}}}},
		"too many":       {Categories: []string{"a"}, Series: many},
		"stack overflow": {Stacked: true, Categories: []string{"a"}, Series: []Series{{Values: []int64{math.MaxInt64}}, {Values: []int64{1}}}},
		"long label":     {Categories: []string{strings.Repeat("x", MaxLabel+1)}, Series: []Series{{Values: []int64{1}}}},
		"bad utf-8":      {Categories: []string{"\xff"}, Series: []Series{{Values: []int64{1}}}},
	} {
		if _, err := b.SVG(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestSlantedLabelsStayInTheFigure checks that category names too long for
// their slot are turned and the first one does not run off the left edge.
func TestSlantedLabelsStayInTheFigure(t *testing.T) {
	b := novelty()
	b.Horizontal = false
	svg, err := b.SVG()
	if err != nil {
		t.Fatal(err)
	}
	first := categoryGroups(parse(t, svg))[0].all("text")[0]
	if !strings.HasPrefix(first.attr["transform"], "rotate(-45") {
		t.Fatalf("the label %q is not turned", first.text)
	}
	if reach := attrFloat(t, first, "x") - 0.71*textWidth(first.text, smallSize); reach < 0 {
		t.Errorf("the label %q runs %v past the left edge", first.text, -reach)
	}
}
