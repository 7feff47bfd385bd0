// Command gen writes a seeded minimum-cost flow instance in DIMACS format.
// By default it is an allocation instance: the transportation problem
// aidbridge solves when stock is scarce.
//
//	go run ./bench/allocation/gen -donors 2000 -needs 50000 -lanes 10 -seed 1 -o inst.min
//	go run ./bench/allocation/gen -family assign -nodes 100000 -arcs 1000000 -seed 1 -o inst.min
//
// The other families (netgen, grid, assign, lowneg) are described in
// internal/flow/instances; they take -nodes and -arcs.
//
// In a transportation instance nodes 1..D are donors (supply), D+1..D+N are
// needs (demand), D+N+1 is the unmet-demand source and D+N+2 the excess-stock
// sink. Each need has k lanes
// from distinct random donors, with a shipping cost growing with the distance
// between two random points, and an arc from the unmet-demand source whose cost
// is the need's urgency penalty; each donor has a zero-cost arc to the
// excess-stock sink. The instance is therefore always feasible and balanced.
// Total supply is about 70% of total demand, so the optimum leaves some demand
// unmet and the urgency weights decide which.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"os"

	"aidbridge/internal/flow/instances"
)

func main() {
	family := flag.String("family", "transport", "transport, netgen, grid, assign or lowneg")
	nodes := flag.Int("nodes", 1000, "nodes (all families but transport)")
	arcs := flag.Int("arcs", 10000, "arcs (all families but transport)")
	donors := flag.Int("donors", 200, "number of donors (supply nodes)")
	needs := flag.Int("needs", 2000, "number of open needs (demand nodes)")
	lanes := flag.Int("lanes", 10, "lanes per need, from distinct random donors")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("o", "", "output file (default standard output)")
	flag.Parse()
	if *family != "transport" && (*nodes > 1<<24 || *arcs > 1<<28) {
		log.Fatalf("gen: at most %d nodes and %d arcs", 1<<24, 1<<28)
	}
	if *donors < 1 || *needs < 1 || *lanes < 1 || *lanes > *donors {
		log.Fatalf("gen: need donors >= 1, needs >= 1 and 1 <= lanes <= donors (got %d, %d, %d)", *donors, *needs, *lanes)
	}
	w := io.Writer(os.Stdout)
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var err error
	if *family == "transport" {
		err = generate(bw, *donors, *needs, *lanes, *seed)
	} else {
		err = instances.Write(bw, *family, *nodes, *arcs, *seed)
	}
	if err != nil {
		log.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		log.Fatal(err)
	}
}

// generate writes one instance; it returns the first write error.
func generate(w *bufio.Writer, d, n, k int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0x6169646272696467)) // "aidbridg"
	type point struct{ x, y float64 }
	dp := make([]point, d)
	for i := range dp {
		dp[i] = point{rng.Float64(), rng.Float64()}
	}
	demand := make([]int64, n)
	penalty := make([]int64, n)
	var totalDemand int64
	for j := range demand {
		demand[j] = 1 + rng.Int64N(100)
		penalty[j] = 200 + rng.Int64N(4800) // urgency weight per unmet unit
		totalDemand += demand[j]
	}
	supply := make([]int64, d)
	avg := float64(totalDemand) * 0.7 / float64(d)
	var totalSupply int64
	for i := range supply {
		supply[i] = 1 + rng.Int64N(int64(2*avg)+1)
		totalSupply += supply[i]
	}
	src, sink := d+n+1, d+n+2
	nodes := d + n + 2
	arcs := n*k + n + d
	fmt.Fprintf(w, "c aidbridge allocation instance: %d donors, %d needs, %d lanes per need, seed %d\n", d, n, k, seed)
	fmt.Fprintf(w, "p min %d %d\n", nodes, arcs)
	for i, s := range supply {
		fmt.Fprintf(w, "n %d %d\n", i+1, s)
	}
	for j, q := range demand {
		fmt.Fprintf(w, "n %d %d\n", d+j+1, -q)
	}
	fmt.Fprintf(w, "n %d %d\n", src, totalDemand)
	fmt.Fprintf(w, "n %d %d\n", sink, -totalSupply)
	picked := make([]int, 0, k)
	for j := 0; j < n; j++ {
		p := point{rng.Float64(), rng.Float64()}
		picked = picked[:0]
		for len(picked) < k {
			c := rng.IntN(d)
			dup := false
			for _, q := range picked {
				if q == c {
					dup = true
					break
				}
			}
			if !dup {
				picked = append(picked, c)
			}
		}
		for _, c := range picked {
			dist := math.Hypot(p.x-dp[c].x, p.y-dp[c].y)
			cost := 10 + int64(dist*2000) + rng.Int64N(50)
			fmt.Fprintf(w, "a %d %d 0 %d %d\n", c+1, d+j+1, demand[j], cost)
		}
	}
	for j := 0; j < n; j++ {
		fmt.Fprintf(w, "a %d %d 0 %d %d\n", src, d+j+1, demand[j], penalty[j])
	}
	for i := 0; i < d; i++ {
		if _, err := fmt.Fprintf(w, "a %d %d 0 %d 0\n", i+1, sink, supply[i]); err != nil {
			return err
		}
	}
	return nil
}
