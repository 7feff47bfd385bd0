package chart

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// A TopoJSON topology as world-atlas writes it: the arcs are quantized
// (integer positions to multiply by the transform's scale and add to its
// translate) and delta-encoded (each position after an arc's first is the
// difference from the one before).
type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]int64 `json:"arcs"`
	Objects map[string]struct {
		Geometries []topoGeometry `json:"geometries"`
	} `json:"objects"`
}

// topoGeometry is a Polygon (a list of rings) or a MultiPolygon (a list of
// polygons); a ring is a list of arc indexes, where ^i (that is, -i-1)
// stands for arc i walked backwards.
type topoGeometry struct {
	Type       string                `json:"type"`
	ID         string                `json:"id"`
	Properties struct{ Name string } `json:"properties"`
	Arcs       json.RawMessage       `json:"arcs"`
}

// lonLat is a position in degrees.
type lonLat struct{ lon, lat float64 }

// feature is one country of a topology: its rings as indexes into the
// decoded arcs, grouped by polygon, the first ring of each the outer one.
type feature struct {
	id, name string
	polygons [][][]int
}

// decodeTopology reads a topology's arcs into degrees and the polygons of
// its object named object.
func decodeTopology(data []byte, object string) ([][]lonLat, []feature, error) {
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, nil, fmt.Errorf("chart: read topology: %w", err)
	}
	arcs := make([][]lonLat, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y int64
		arcs[i] = make([]lonLat, len(a))
		for j, d := range a {
			x += d[0]
			y += d[1]
			arcs[i][j] = lonLat{
				lon: float64(x)*t.Transform.Scale[0] + t.Transform.Translate[0],
				lat: float64(y)*t.Transform.Scale[1] + t.Transform.Translate[1],
			}
		}
	}
	obj, ok := t.Objects[object]
	if !ok {
		return nil, nil, fmt.Errorf("chart: topology has no object %q", object)
	}
	features := make([]feature, 0, len(obj.Geometries))
	for _, g := range obj.Geometries {
		f := feature{id: g.ID, name: g.Properties.Name}
		switch g.Type {
		case "Polygon":
			var rings [][]int
			if err := json.Unmarshal(g.Arcs, &rings); err != nil {
				return nil, nil, fmt.Errorf("chart: read polygon %q: %w", g.Properties.Name, err)
			}
			f.polygons = [][][]int{rings}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &f.polygons); err != nil {
				return nil, nil, fmt.Errorf("chart: read multipolygon %q: %w", g.Properties.Name, err)
			}
		default:
			return nil, nil, fmt.Errorf("chart: geometry %q is a %s, not a polygon", g.Properties.Name, g.Type)
		}
		for _, p := range f.polygons {
			for _, r := range p {
				for _, a := range r {
					if i := arcIndex(a); i < 0 || i >= len(arcs) {
						return nil, nil, fmt.Errorf("chart: geometry %q refers to arc %d of %d", g.Properties.Name, a, len(arcs))
					}
				}
			}
		}
		features = append(features, f)
	}
	return arcs, features, nil
}

// arcIndex returns the arc a ring entry refers to, whichever way it is
// walked.
func arcIndex(a int) int {
	if a < 0 {
		return ^a
	}
	return a
}

// point is a position in the figure.
type point struct{ x, y float64 }

// ring joins the arcs of a ring, each walked in its direction, into one
// list of positions; an arc starts where the one before it ended, so that
// shared position is kept once.
func ring(arcs [][]lonLat, entries []int) []lonLat {
	var out []lonLat
	for _, a := range entries {
		src := arcs[arcIndex(a)]
		pts := make([]lonLat, len(src))
		copy(pts, src)
		if a < 0 {
			slices.Reverse(pts)
		}
		if len(out) > 0 && len(pts) > 0 {
			pts = pts[1:]
		}
		out = append(out, pts...)
	}
	return out
}

// splitAntimeridian returns a ring that crosses the 180th meridian (Fiji,
// the east of Russia) as two rings, one each side, so that neither is
// drawn across the whole map; any other ring comes back as it is.
func splitAntimeridian(r []lonLat) [][]lonLat {
	if len(r) == 0 {
		return nil
	}
	// Walk the ring without jumps: a step of more than half the world is
	// the same place seen from the other side of the meridian.
	un := make([]lonLat, len(r))
	un[0] = r[0]
	crosses := false
	for i := 1; i < len(r); i++ {
		lon := r[i].lon
		for lon-un[i-1].lon > 180 {
			lon -= 360
		}
		for lon-un[i-1].lon < -180 {
			lon += 360
		}
		un[i] = lonLat{lon, r[i].lat}
		if lon > 180 || lon < -180 {
			crosses = true
		}
	}
	if !crosses {
		return [][]lonLat{r}
	}
	cut := 180.0
	if slices.ContainsFunc(un, func(p lonLat) bool { return p.lon < -180 }) {
		cut = -180
	}
	west := clipLon(un, cut, true)
	east := clipLon(un, cut, false)
	shift := -360.0
	if cut < 0 {
		shift = 360
	}
	var out [][]lonLat
	for _, part := range [][]lonLat{west, east} {
		if len(part) < 3 {
			continue
		}
		if part[0].lon > 180 || part[0].lon < -180 || slices.ContainsFunc(part, func(p lonLat) bool { return p.lon > 180 || p.lon < -180 }) {
			for i := range part {
				part[i].lon += shift
			}
		}
		out = append(out, part)
	}
	return out
}

// clipLon keeps the part of a closed ring west of the meridian at cut
// (west) or east of it (Sutherland and Hodgman against one edge).
func clipLon(r []lonLat, cut float64, west bool) []lonLat {
	inside := func(p lonLat) bool {
		if west {
			return p.lon <= cut
		}
		return p.lon >= cut
	}
	var out []lonLat
	for i := range r {
		p, q := r[i], r[(i+1)%len(r)]
		if inside(p) {
			out = append(out, p)
		}
		if inside(p) != inside(q) && p.lon != q.lon {
			t := (cut - p.lon) / (q.lon - p.lon)
			out = append(out, lonLat{cut, p.lat + t*(q.lat-p.lat)})
		}
	}
	return out
}

// naturalEarth projects a position with the Natural Earth projection
// (Šavrič, Jenny, Patterson and Jenny, 2011), whose polynomial gives x and
// y in units of the sphere's radius.
func naturalEarth(p lonLat) point {
	lam := p.lon * math.Pi / 180
	phi := p.lat * math.Pi / 180
	p2 := phi * phi
	p4 := p2 * p2
	p6 := p4 * p2
	p8 := p4 * p4
	p10 := p8 * p2
	p12 := p6 * p6
	x := lam * (0.8707 - 0.131979*p2 - 0.013791*p4 + 0.003971*p10 - 0.001529*p12)
	y := phi * (1.007226 + 0.015085*p2 - 0.044475*p6 + 0.028874*p8 - 0.005916*p10)
	return point{x, -y} // the figure's y runs down
}

// simplify marks the points of a line to keep: the ends, and those that
// lie farther than tol from the line through the points kept around them
// (Douglas and Peucker). Simplifying arcs rather than rings keeps a border
// shared by two countries one line.
func simplify(pts []point, tol float64) []bool {
	keep := make([]bool, len(pts))
	if len(pts) == 0 {
		return keep
	}
	keep[0], keep[len(pts)-1] = true, true
	var mark func(i, j int)
	mark = func(i, j int) {
		if j-i < 2 {
			return
		}
		far, at := -1.0, -1
		for k := i + 1; k < j; k++ {
			if d := segmentDistance(pts[k], pts[i], pts[j]); d > far {
				far, at = d, k
			}
		}
		if far > tol {
			keep[at] = true
			mark(i, at)
			mark(at, j)
		}
	}
	mark(0, len(pts)-1)
	return keep
}

// segmentDistance returns the distance of p from the segment a-b.
func segmentDistance(p, a, b point) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := ((p.x-a.x)*dx + (p.y-a.y)*dy) / l2
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(p.x-(a.x+t*dx), p.y-(a.y+t*dy))
}

// area returns the signed area of a closed ring and its centroid.
func area(r []point) (float64, point) {
	var a, cx, cy float64
	for i := range r {
		p, q := r[i], r[(i+1)%len(r)]
		c := p.x*q.y - q.x*p.y
		a += c
		cx += (p.x + q.x) * c
		cy += (p.y + q.y) * c
	}
	a /= 2
	if a == 0 {
		return 0, r[0]
	}
	return a, point{cx / (6 * a), cy / (6 * a)}
}
