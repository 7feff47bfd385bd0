package chart

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"aidbridge/internal/golden"
)

// names calls every country "name of XX".
func names() map[string]string {
	out := map[string]string{}
	for _, c := range Codes() {
		out[c] = "name of " + c
	}
	out["SG"] = "name of SG"
	return out
}

func teamsMap() Map {
	return Map{
		Title:  "Medical teams sent, 1975–2024",
		Names:  names(),
		Legend: "Teams",
		OffMap: "Not on the map",
		Format: group,
		Countries: []Country{
			{Code: "MA", Value: 12, Href: "/countries/MA?kind=team&since=1975"},
			{Code: "DZ", Value: 40, Href: "/countries/DZ"},
			{Code: "KH", Value: 22},
			{Code: "BR", Value: 5},
			{Code: "US", Value: 0},
			{Code: "SG", Value: 3},
		},
		Flows: []Flow{
			{From: "CN", To: "MA", Value: 12, Href: "/flows?from=CN&to=MA"},
			{From: "CN", To: "DZ", Value: 40},
			{From: "CN", To: "KH", Value: 22},
			{From: "CN", To: "SG", Value: 3},
		},
	}
}

func TestMapGolden(t *testing.T) {
	m := teamsMap()
	got, err := m.SVG()
	if err != nil {
		t.Fatal(err)
	}
	checkFigure(t, got, m.Title)
	again, _ := m.SVG()
	if got != again {
		t.Errorf("two renderings of the same map differ")
	}
	golden.Compare(t, []byte(got), "map-teams")
}

// countryPaths returns the path of each country drawn, by code, from
// its title.
func countryPaths(t *testing.T, root *node) map[string]*node {
	t.Helper()
	out := map[string]*node{}
	for _, p := range root.children[1].all("path") {
		title := p.titleText()
		code, _, _ := strings.Cut(strings.TrimPrefix(title, "name of "), ":")
		if _, dup := out[code]; dup {
			t.Errorf("country %s is drawn twice", code)
		}
		out[code] = p
	}
	return out
}

func TestMapShadesExactlyTheCountriesGiven(t *testing.T) {
	m := teamsMap()
	svg, err := m.SVG()
	if err != nil {
		t.Fatal(err)
	}
	root := parse(t, svg)
	paths := countryPaths(t, root)
	if len(paths) != len(Codes()) {
		t.Errorf("%d countries drawn, want %d", len(paths), len(Codes()))
	}
	given := map[string]Country{}
	for _, c := range m.Countries {
		given[c.Code] = c
	}
	for code, p := range paths {
		c, ok := given[code]
		shaded := p.attr["fill"] != landColour
		if shaded != ok {
			t.Errorf("%s: shaded = %v, given = %v", code, shaded, ok)
		}
		if ok && p.titleText() != "name of "+code+": "+group(c.Value) {
			t.Errorf("%s: title %q", code, p.titleText())
		}
	}
	if paths["DZ"].attr["fill"] != shades[len(shades)-1] {
		t.Errorf("the largest value is not the darkest shade")
	}
	if paths["US"].attr["fill"] != shades[0] {
		t.Errorf("a value of 0 is not the lightest shade")
	}
	links := map[string]string{}
	for _, a := range root.all("a") {
		if ps := a.all("path"); len(ps) > 0 {
			links[ps[0].titleText()] = a.attr["href"]
		}
	}
	if got := links["name of MA: 12"]; got != "/countries/MA?kind=team&since=1975" {
		t.Errorf("Morocco links to %q", got)
	}
	if !strings.Contains(string(svg), `href="/countries/MA?kind=team&amp;since=1975"`) {
		t.Errorf("the href is not escaped")
	}
	if texts := strings.Join(root.texts(), "|"); !strings.Contains(texts, "Not on the map: name of SG 3, name of CN → name of SG 3") {
		t.Errorf("Singapore is not listed below the map: %q", texts)
	}
}

func TestMapDrawsFlowFromChinaToMorocco(t *testing.T) {
	svg, err := teamsMap().SVG()
	if err != nil {
		t.Fatal(err)
	}
	w, err := theWorld()
	if err != nil {
		t.Fatal(err)
	}
	root := parse(t, svg)
	var flow *node
	for _, g := range root.all("g") {
		if g.titleText() == "name of CN → name of MA: 12" {
			flow = g
		}
	}
	if flow == nil {
		t.Fatal("no flow from China to Morocco")
	}
	var curve string
	for _, p := range flow.all("path") {
		if p.attr["stroke"] == flowColour {
			curve = p.attr["d"]
		}
	}
	cn := w.countries[w.index["CN"]].label
	ma := w.countries[w.index["MA"]].label
	if want := "M" + num(cn.x) + " " + num(cn.y) + "Q"; !strings.HasPrefix(curve, want) {
		t.Errorf("the flow %q does not start at China's label point %s", curve, want)
	}
	f := strings.Fields(strings.ReplaceAll(curve[strings.Index(curve, "Q")+1:], "Q", " "))
	ex, _ := strconv.ParseFloat(f[2], 64)
	ey, _ := strconv.ParseFloat(f[3], 64)
	if d := math.Hypot(ex-ma.x, ey-ma.y); d > 12 {
		t.Errorf("the flow ends %v from Morocco's label point", d)
	}
	// Morocco's label point is in Morocco: west of Algeria's, north of the Sahara's.
	if dz := w.countries[w.index["DZ"]].label; ma.x >= dz.x {
		t.Errorf("Morocco's label point %v is east of Algeria's %v", ma, dz)
	}
	var sw []float64
	for _, g := range root.all("g") {
		if strings.HasPrefix(g.titleText(), "name of CN → ") {
			for _, p := range g.all("path") {
				if p.attr["stroke"] == flowColour {
					sw = append(sw, attrFloat(t, p, "stroke-width"))
				}
			}
		}
	}
	// Flows to MA (12), DZ (40), KH (22), drawn; SG is not on the map.
	if len(sw) != 3 || !(sw[1] > sw[2] && sw[2] > sw[0]) {
		t.Errorf("stroke widths %v do not follow the values 12, 40, 22", sw)
	}
}

func TestEveryCountryHasACode(t *testing.T) {
	_, features, err := decodeTopology(countriesTopology, "countries")
	if err != nil {
		t.Fatal(err)
	}
	if len(features) != 177 {
		t.Errorf("%d countries in the file, want 177", len(features))
	}
	used := map[string]bool{}
	for _, f := range features {
		code, ok := alpha2[f.id]
		if f.id == "" {
			code, ok = unnumbered[f.name]
		}
		if !ok || checkCode("", code) != nil {
			t.Errorf("%q (%q) has no alpha-2 code", f.name, f.id)
		}
		used[f.id] = true
	}
	for id := range alpha2 {
		if !used[id] {
			t.Errorf("the table has %s, which is not in the file", id)
		}
	}
	codes := Codes()
	// 177 areas, Northern Cyprus and Somaliland drawn with Cyprus and
	// Somalia, Antarctica left out.
	if len(codes) != 174 {
		t.Errorf("%d countries drawn, want 174", len(codes))
	}
	for _, c := range []string{"CN", "MA", "XK", "FJ", "RU", "LS"} {
		if _, ok := slices.BinarySearch(codes, c); !ok {
			t.Errorf("%s is not drawn", c)
		}
	}
}

// pathBounds returns the bounds of path data written by writeRing.
func pathBounds(t *testing.T, d string) (minX, minY, maxX, maxY float64) {
	t.Helper()
	minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, ring := range strings.Split(strings.TrimSuffix(d, "z"), "z") {
		abs, rel, _ := strings.Cut(strings.TrimPrefix(ring, "M"), "l")
		xy := strings.Fields(abs)
		x, _ := strconv.ParseFloat(xy[0], 64)
		y, _ := strconv.ParseFloat(xy[1], 64)
		nums := strings.Fields(strings.ReplaceAll(rel, "-", " -"))
		for i := -2; i < len(nums); i += 2 {
			if i >= 0 {
				dx, err1 := strconv.ParseFloat(nums[i], 64)
				dy, err2 := strconv.ParseFloat(nums[i+1], 64)
				if err1 != nil || err2 != nil {
					t.Fatalf("bad path data near %q", nums[i])
				}
				x, y = x+dx, y+dy
			}
			minX, maxX = math.Min(minX, x), math.Max(maxX, x)
			minY, maxY = math.Min(minY, y), math.Max(maxY, y)
		}
	}
	return
}

// TestMapCutsAtTheAntimeridian checks that Fiji and Russia, whose rings
// cross the 180th meridian, are not drawn across the map.
func TestMapCutsAtTheAntimeridian(t *testing.T) {
	w, err := theWorld()
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"FJ", "RU", "US", "CN"} {
		c := w.countries[w.index[code]]
		minX, minY, maxX, maxY := pathBounds(t, c.path)
		if minX < 0 || maxX > width || minY < 0 || maxY > w.height {
			t.Errorf("%s: bounds %v %v %v %v pass the figure", code, minX, minY, maxX, maxY)
		}
		// Each ring on its own stays narrow: none runs across the map.
		for _, ring := range strings.SplitAfter(c.path, "z") {
			if ring == "" {
				continue
			}
			x0, _, x1, _ := pathBounds(t, ring)
			if x1-x0 > 0.5*width {
				t.Errorf("%s has a ring %v wide", code, x1-x0)
			}
		}
	}
}

func TestSplitAntimeridian(t *testing.T) {
	square := []lonLat{{170, 10}, {-170, 10}, {-170, -10}, {170, -10}, {170, 10}}
	parts := splitAntimeridian(square)
	if len(parts) != 2 {
		t.Fatalf("%d parts, want 2", len(parts))
	}
	for i, part := range parts {
		for _, p := range part {
			if i == 0 && (p.lon < 170 || p.lon > 180) || i == 1 && (p.lon < -180 || p.lon > -170) {
				t.Errorf("part %d has %v", i, p)
			}
		}
	}
	if got := splitAntimeridian([]lonLat{{0, 0}, {10, 0}, {10, 10}}); len(got) != 1 || len(got[0]) != 3 {
		t.Errorf("a ring away from the meridian came back as %v", got)
	}
}

func TestDecodeTopology(t *testing.T) {
	// Two arcs, the second walked backwards to close the ring.
	data := `{"type":"Topology","transform":{"scale":[0.5,0.25],"translate":[-10,20]},
		"arcs":[[[0,0],[4,0],[0,4]],[[0,0],[0,4],[4,0]]],
		"objects":{"countries":{"type":"GeometryCollection","geometries":[
			{"type":"Polygon","id":"504","properties":{"name":"Morocco"},"arcs":[[0,-2]]},
			{"type":"MultiPolygon","id":"012","properties":{"name":"Algeria"},"arcs":[[[0,-2]],[[1]]]}]}}}`
	arcs, features, err := decodeTopology([]byte(data), "countries")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := arcs[0], []lonLat{{-10, 20}, {-8, 20}, {-8, 21}}; !equalLonLat(got, want) {
		t.Errorf("arc 0 = %v, want %v", got, want)
	}
	if got, want := ring(arcs, features[0].polygons[0][0]), []lonLat{{-10, 20}, {-8, 20}, {-8, 21}, {-10, 21}, {-10, 20}}; !equalLonLat(got, want) {
		t.Errorf("ring = %v, want %v", got, want)
	}
	if features[1].id != "012" || len(features[1].polygons) != 2 {
		t.Errorf("multipolygon = %+v", features[1])
	}
	for name, bad := range map[string]string{
		"not json":   `{`,
		"no object":  `{"arcs":[],"objects":{}}`,
		"bad arc":    `{"arcs":[],"objects":{"countries":{"geometries":[{"type":"Polygon","arcs":[[3]]}]}}}`,
		"not a poly": `{"arcs":[],"objects":{"countries":{"geometries":[{"type":"Point","arcs":[]}]}}}`,
	} {
		if _, _, err := decodeTopology([]byte(bad), "countries"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func equalLonLat(a, b []lonLat) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i].lon-b[i].lon) > 1e-9 || math.Abs(a[i].lat-b[i].lat) > 1e-9 {
			return false
		}
	}
	return true
}

// TestMapSize measures the whole world: every country shaded, linked and
// named comes to 65.9 kB, the world with nothing shaded to 58.4 kB. The
// test fails past 100 kB.
func TestMapSize(t *testing.T) {
	var all []Country
	for i, c := range Codes() {
		all = append(all, Country{Code: c, Value: int64(i), Href: "/countries/" + c})
	}
	full, err := Map{Title: "World", Names: names(), Countries: all, Legend: "Teams"}.SVG()
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Map{Title: "World"}.SVG()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("whole world: %d bytes shaded, linked and named; %d bytes plain", len(full), len(plain))
	if len(full) > 100_000 {
		t.Errorf("the whole world is %d bytes, more than 100 kB", len(full))
	}
}

func TestMapRefused(t *testing.T) {
	for name, m := range map[string]Map{
		"lower case":   {Countries: []Country{{Code: "ma"}}},
		"numeric":      {Countries: []Country{{Code: "504"}}},
		"twice":        {Countries: []Country{{Code: "MA"}, {Code: "MA"}}},
		"negative":     {Countries: []Country{{Code: "MA", Value: -1}}},
		"to itself":    {Flows: []Flow{{From: "CN", To: "CN"}}},
		"bad flow":     {Flows: []Flow{{From: "CN", To: "Morocco"}}},
		"bad href":     {Countries: []Country{{Code: "MA", Href: "javascript:alert(1)"}}},
		"bad name key": {Names: map[string]string{"Morocco": "Morocco"}},
	} {
		if _, err := m.SVG(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
