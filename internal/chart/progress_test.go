package chart

import (
	"strings"
	"testing"

	"aidbridge/internal/golden"
)

func progressExamples() map[string]Progress {
	return map[string]Progress{
		"bars": {
			Title:    "Techniques introduced against the target",
			Actual:   "Techniques",
			Format:   group,
			Baseline: &Level{Label: "Baseline", Value: 10},
			Target:   &Level{Label: "Target", Value: 81},
			Periods: []Period{
				{Label: "2019", Value: 12, Href: "/outcomes?year=2019"}, {Label: "2020", Value: 30}, {Label: "2021", Value: 0},
				{Label: "2022", Value: 70}, {Label: "2023", Value: 81}, {Label: "2024", NoValue: true},
			},
		},
		"line": {
			Title:  "人才培养",
			Actual: "已培养",
			Line:   true,
			Format: group,
			Target: &Level{Label: "目标", Value: 40},
			Periods: []Period{
				{Label: "2023 Q1", Value: 5}, {Label: "2023 Q2", Value: 11}, {Label: "2023 Q3", Value: 20},
				{Label: "2023 Q4", NoValue: true}, {Label: "2024 Q1", Value: 31, Href: "/people?trained=2024Q1"}, {Label: "2024 Q2", Value: 47},
			},
		},
		"empty": {Title: "Indicator", Empty: "No periods yet."},
	}
}

func TestProgressGolden(t *testing.T) {
	for name, p := range progressExamples() {
		t.Run(name, func(t *testing.T) {
			got, err := p.SVG()
			if err != nil {
				t.Fatal(err)
			}
			checkFigure(t, got, p.Title)
			golden.Compare(t, []byte(got), "progress-"+name)
		})
	}
}

// TestProgressShapes checks that each period with a value has a shape
// whose title gives it, a period with no value has none but keeps its
// label, and the target's line lies within the axis.
func TestProgressShapes(t *testing.T) {
	for name, p := range progressExamples() {
		if name == "empty" {
			continue
		}
		svg, err := p.SVG()
		if err != nil {
			t.Fatal(err)
		}
		root := parse(t, svg)
		shape := "rect"
		if p.Line {
			shape = "circle"
		}
		titles := map[string]bool{}
		for _, n := range root.all(shape) {
			titles[n.titleText()] = true
		}
		texts := strings.Join(root.texts(), "|")
		for _, pd := range p.Periods {
			want := pd.Label + ": " + group(pd.Value)
			drawn := !pd.NoValue && (p.Line || pd.Value > 0)
			if titles[want] != drawn {
				t.Errorf("%s: period %s drawn = %v, want %v", name, pd.Label, titles[want], drawn)
			}
			if !strings.Contains(texts, pd.Label) {
				t.Errorf("%s: period %s has no label", name, pd.Label)
			}
		}
		var target *node
		for _, n := range root.all("path") {
			if strings.HasPrefix(n.titleText(), p.Target.Label+":") {
				target = n
			}
		}
		if target == nil {
			t.Fatalf("%s: no target line", name)
		}
		if !strings.Contains(texts, p.Target.Label+": "+group(p.Target.Value)) {
			t.Errorf("%s: the legend does not give the target", name)
		}
	}
}

func TestProgressAxisCoversTarget(t *testing.T) {
	p := Progress{Title: "t", Actual: "a", Target: &Level{Label: "Target", Value: 900},
		Periods: []Period{{Label: "2024", Value: 12}}}
	svg, err := p.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(svg), ">1000</text>") {
		t.Errorf("the axis does not reach the target of 900:\n%s", svg)
	}
}

func TestProgressRefused(t *testing.T) {
	for name, p := range map[string]Progress{
		"negative":        {Periods: []Period{{Label: "a", Value: -1}}},
		"negative target": {Target: &Level{Value: -5}, Periods: []Period{{Label: "a"}}},
		"too large":       {Periods: []Period{{Label: "a", Value: MaxValue + 1}}},
		"bad href":        {Periods: []Period{{Label: "a", Href: "javascript:x"}}},
		"too many":        {Periods: make([]Period, MaxCategories+1)},
	} {
		if _, err := p.SVG(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
