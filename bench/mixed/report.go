package main

import (
	"fmt"
	"strings"
)

// report prints the results as Markdown: the steps of every configuration,
// each route at the highest rate within the goal, and a summary.
func report(c config, runs []run) {
	if len(runs) == 0 {
		return
	}
	m := runs[0].m
	fmt.Printf("\n### Steps: open-loop, %s measured per step after %s warm-up; latency from when each request was due\n\n", c.step, c.warmup)
	fmt.Println("| configuration | due /s | answered /s | errors | 409 refused | skipped | in flight at the end | slowest route, p99 ms | within goal | CPU: machine busy (aidbridge, PostgreSQL, load, other) | busy before |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range runs {
		for i, s := range r.steps {
			w, p := s.worst()
			slowest := "–"
			if w >= 0 {
				slowest = fmt.Sprintf("%s, %.1f", r.m.routes[w].name, ms(p))
			}
			within := "yes"
			if i > r.best {
				within = "**no**"
			}
			fmt.Printf("| %s | %.0f | %.0f | %d | %d | %d | %d | %s | %s | %s | %.0f%% |\n", r.setup.name, s.rate, s.throughput(),
				s.total(func(x routeStats) int { return x.failed }), s.total(func(x routeStats) int { return x.refused }),
				s.total(func(x routeStats) int { return x.skipped }), s.inflight, slowest, within, s.cpu, r.busy[i])
		}
	}

	fmt.Printf("\n### Routes at each configuration's highest rate within the goal (p99 < %s): p50 / p99 ms (requests); and one request alone, ms\n\n", c.goal)
	head, rule := "| route | share |", "|---|---|"
	for _, r := range runs {
		head += fmt.Sprintf(" %s at %s | alone |", r.setup.name, rateOf(r))
		rule += "---|---|"
	}
	fmt.Println(head)
	fmt.Println(rule)
	for ri, rt := range m.routes {
		share := fmt.Sprintf("%.1f%%", 100*float64(rt.weight)/float64(m.full))
		switch {
		case rt.perStep > 0:
			share = fmt.Sprintf("%d per step", rt.perStep)
		case rt.weight == 0:
			share = "alone only"
		}
		line := fmt.Sprintf("| %s | %s |", rt.name, share)
		for _, r := range runs {
			x := r.steps[max(0, r.best)].routes[ri]
			cell := fmt.Sprintf("%.1f / %.1f (%d)", ms(pct(x.lat, .5)), ms(pct(x.lat, .99)), len(x.lat))
			switch {
			case r.m.out[ri]:
				cell = "left out"
			case len(x.lat) == 0:
				cell = "–"
			}
			if pct(x.lat, .99) >= c.goal {
				cell = "**" + cell + "**"
			}
			if x.refused > 0 {
				cell += fmt.Sprintf(", %d refused", x.refused)
			}
			if x.failed > 0 {
				cell += fmt.Sprintf(", %d errors", x.failed)
			}
			alone := "–"
			if len(r.alone) > ri {
				alone = fmt.Sprintf("%.1f", ms(r.alone[ri]))
			}
			if _, ok := r.aloneFailed[ri]; ok {
				alone += ", **failed**"
			}
			line += " " + cell + " | " + alone + " |"
		}
		fmt.Println(line)
	}

	fmt.Println("\n### Summary")
	fmt.Println()
	fmt.Println("| configuration | highest rate within the goal | answered /s there | next step: what broke | over the goal alone, left out of the steps (alone) |")
	fmt.Println("|---|---|---|---|---|")
	for _, r := range runs {
		there := "–"
		if r.best >= 0 {
			there = fmt.Sprintf("%.0f", r.steps[r.best].throughput())
		}
		broke := "none: the last rate was within the goal"
		if r.best+1 < len(r.steps) {
			broke = breakage(c, r, r.steps[r.best+1])
		}
		var out []string
		for ri, rt := range r.m.routes {
			if r.m.out[ri] {
				out = append(out, fmt.Sprintf("%s (%.0f ms)", rt.name, ms(r.alone[ri])))
			}
		}
		fmt.Printf("| %s | %s | %s | %s | %s |\n", r.setup.name, rateOf(r), there, broke, orNone(out))
	}
	var one, two *run
	for i := range runs {
		switch r := &runs[i]; {
		case r.setup.dialect == "postgres" && r.setup.instances == 1:
			one = r
		case r.setup.dialect == "postgres" && r.setup.instances == 2:
			two = r
		}
	}
	if one != nil && two != nil && one.best >= 0 && two.best >= 0 {
		a, b := one.steps[one.best].throughput(), two.steps[two.best].throughput()
		fmt.Printf("\nPostgreSQL, one instance to two: %.0f to %.0f answered/s within the goal (×%.2f).\n", a, b, b/a)
	}
	fmt.Println()
}

func rateOf(r run) string {
	if r.best < 0 {
		return "none"
	}
	return fmt.Sprintf("%.0f/s", r.steps[r.best].rate)
}

// breakage says which routes went over the goal or failed at step s.
func breakage(c config, r run, s stepResult) string {
	var out []string
	for ri, x := range s.routes {
		switch {
		case x.failed > 0:
			out = append(out, fmt.Sprintf("%s: %d errors", r.m.routes[ri].name, x.failed))
		case len(x.lat) > 0 && pct(x.lat, .99) >= c.goal:
			out = append(out, fmt.Sprintf("%s p99 %.0f ms", r.m.routes[ri].name, ms(pct(x.lat, .99))))
		}
	}
	return fmt.Sprintf("at %.0f/s: %s", s.rate, strings.Join(out, "; "))
}
