// Command solve reads a minimum-cost flow problem in DIMACS format, solves it
// with aidbridge's allocation engine and writes the DIMACS solution: it is
// equivalent to `aidbridge allocate --dimacs FILE`, built on its own so the
// benchmark does not depend on the rest of the command.
//
//	solve [-cpuprofile FILE] [-q] INFILE [OUTFILE]
//
// With -q the solution is discarded and only the cost is printed.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime/pprof"

	"aidbridge/internal/flow"
)

func main() {
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	quiet := flag.Bool("q", false, "print only the optimal cost")
	flag.Parse()
	if flag.NArg() < 1 || flag.NArg() > 2 {
		fmt.Fprintln(os.Stderr, "usage: solve [-cpuprofile FILE] [-q] INFILE [OUTFILE]")
		os.Exit(2)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	in, err := os.Open(flag.Arg(0))
	if err != nil {
		log.Fatal(err)
	}
	defer in.Close()
	var out io.Writer = os.Stdout
	var firstLine *bytes.Buffer
	switch {
	case *quiet:
		firstLine = new(bytes.Buffer)
		out = &headWriter{buf: firstLine}
	case flag.NArg() == 2:
		f, err := os.Create(flag.Arg(1))
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		out = f
	}
	if err := flow.SolveDIMACS(in, out); err != nil {
		pprof.StopCPUProfile()
		log.Fatal(err)
	}
	if *quiet {
		fmt.Print(firstLine.String())
	}
}

// headWriter keeps the first line written to it and discards the rest.
type headWriter struct {
	buf  *bytes.Buffer
	done bool
}

func (h *headWriter) Write(p []byte) (int, error) {
	if !h.done {
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			h.buf.Write(p[:i+1])
			h.done = true
		} else {
			h.buf.Write(p)
		}
	}
	return len(p), nil
}
