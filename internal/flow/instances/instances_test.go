package instances_test

import (
	"bufio"
	"bytes"
	"testing"

	"aidbridge/internal/flow"
	"aidbridge/internal/flow/instances"
)

// TestWrite checks that every family is reproducible from its seed, reads
// back as a balanced problem of the asked size and has an optimum.
func TestWrite(t *testing.T) {
	for _, family := range instances.Families {
		t.Run(family, func(t *testing.T) {
			var a, b bytes.Buffer
			for _, buf := range []*bytes.Buffer{&a, &b} {
				if err := instances.Write(bufio.NewWriter(buf), family, 300, 3000, 7); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Fatal("two instances from one seed differ")
			}
			p, err := flow.ReadDIMACS(&a)
			if err != nil {
				t.Fatal(err)
			}
			if p.N < 290 || p.N > 300 || len(p.Arcs) != 3000 {
				t.Errorf("%d nodes and %d arcs, want about 300 and 3000", p.N, len(p.Arcs))
			}
			if _, err := flow.Solve(p); err != nil {
				t.Fatal(err)
			}
		})
	}
	if err := instances.Write(bufio.NewWriter(new(bytes.Buffer)), "ring", 10, 10, 1); err == nil {
		t.Error("an unknown family was accepted")
	}
}
