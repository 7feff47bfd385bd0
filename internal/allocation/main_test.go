package allocation

import (
	"flag"
	"os"
	"testing"
)

// TestMain raises rapid's default of 100 checks per property to 10,000 (about
// a second), unless -rapid.checks is given or the run is -short.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("rapid.checks"); f != nil && !testing.Short() {
		set := false
		flag.Visit(func(g *flag.Flag) { set = set || g.Name == f.Name })
		if !set {
			f.Value.Set("10000")
		}
	}
	os.Exit(m.Run())
}
