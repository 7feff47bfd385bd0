package flow

// The DIMACS minimum-cost-flow format (First DIMACS Implementation Challenge,
// 1990-91), as read by LEMON's dimacs-solver and GLPK's glpsol --mincost:
//
//	c a comment
//	p min NODES ARCS
//	n ID FLOW            (FLOW > 0 supply, < 0 demand; nodes without a line have 0)
//	a SRC DST LOW CAP COST
//
// Node ids are 1-based. The reader is strict: one problem line before any
// node or arc line, each node described at most once, exactly ARCS arc lines,
// integers only, 0 <= LOW <= CAP. CAP -1 means uncapacitated, as LEMON reads
// it (LEMON takes any CAP < LOW so, GLPK refuses negative bounds); files with
// uncapacitated arcs are therefore not readable by glpsol.
//
// A solution is written as
//
//	s COST
//	f SRC DST FLOW       (every arc with positive flow, in input order)

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
)

// The solver allocates its node storage from the node count of the problem
// line, which a file of a few bytes can set to millions. ReadDIMACS and
// SolveDIMACS accept DefaultDIMACSNodes (about 100 MB of solver storage at
// most); SolveDIMACSNodes takes a larger bound, up to MaxDIMACSNodes, for
// those who mean it.
const (
	DefaultDIMACSNodes = 1 << 20
	MaxDIMACSNodes     = 1 << 24
)

// maxLine is the longest line the reader accepts, comments excepted.
const maxLine = 4096

// preallocArcs bounds the arc storage allocated from the problem line's count
// before the arcs are actually read; beyond it the slices grow as arcs come.
const preallocArcs = 1 << 20

// SyntaxError reports malformed DIMACS input and the line where it was found.
// errors.Is(err, ErrInvalid) holds for it.
type SyntaxError struct {
	Line int    // 1-based line number; 0 for errors at end of input
	Msg  string // what is wrong, naming the offending value
}

// Error returns "line N: message".
func (e *SyntaxError) Error() string {
	if e.Line == 0 {
		return "dimacs: " + e.Msg
	}
	return "line " + strconv.Itoa(e.Line) + ": " + e.Msg
}

// Unwrap returns ErrInvalid.
func (e *SyntaxError) Unwrap() error { return ErrInvalid }

// ReadDIMACS reads a minimum-cost flow problem in DIMACS format; node i of
// the file becomes node i-1 of the Problem, and an arc with capacity -1
// becomes uncapacitated (Cap == Inf). It returns a *SyntaxError (which wraps
// ErrInvalid) for malformed input and the reader's error if reading fails.
// It does not check that supplies balance; Solve does.
func ReadDIMACS(r io.Reader) (*Problem, error) {
	net, err := readDIMACS(r, DefaultDIMACSNodes)
	if err != nil {
		return nil, err
	}
	return net.problem(), nil
}

// problem returns net as a Problem.
func (net *network) problem() *Problem {
	p := &Problem{N: net.n, Supply: net.supply, Arcs: make([]Arc, len(net.src))}
	for i := range p.Arcs {
		p.Arcs[i] = Arc{From: int(net.src[i]), To: int(net.tgt[i]), Lower: net.lower[i], Cap: net.cap[i], Cost: net.cost[i]}
	}
	return p
}

// SolveDIMACS reads a problem in DIMACS format from r, solves it and writes
// the optimal solution to w in DIMACS solution format: "s COST", then
// "f SRC DST FLOW" for every arc with positive flow, in input order. It
// writes nothing if it fails, and returns the errors of ReadDIMACS and Solve
// (errors.Is with ErrInvalid, ErrOverflow, ErrInfeasible, ErrUnbounded) or of
// writing to w. It is what `aidbridge allocate --dimacs FILE` runs; given an
// *os.File it sizes its storage from the file's length.
func SolveDIMACS(r io.Reader, w io.Writer) error {
	return SolveDIMACSNodes(r, w, DefaultDIMACSNodes)
}

// SolveDIMACSNodes is SolveDIMACS for problems of at most maxNodes nodes
// (at most MaxDIMACSNodes); a larger node count is a *SyntaxError naming
// the bound.
func SolveDIMACSNodes(r io.Reader, w io.Writer, maxNodes int) error {
	net, err := readDIMACS(r, min(max(maxNodes, 0), MaxDIMACSNodes))
	if err != nil {
		return err
	}
	// The solver takes over and modifies net's slices except src and tgt,
	// whose first m entries it leaves alone.
	m := len(net.src)
	src, tgt := net.src, net.tgt
	sol, err := solveNetwork(net)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	buf := make([]byte, 0, 80)
	buf = append(buf, "s "...)
	buf = strconv.AppendInt(buf, sol.Cost, 10)
	buf = append(buf, '\n')
	bw.Write(buf)
	for a := 0; a < m; a++ {
		if x := sol.Flow[a]; x > 0 {
			buf = appendFlowLine(buf[:0], int(src[a]), int(tgt[a]), x)
			bw.Write(buf)
		}
	}
	return bw.Flush()
}

// WriteSolution writes sol, a solution of p, in DIMACS solution format:
// "s COST", then "f SRC DST FLOW" (1-based ids) for every arc with positive
// flow, in p's arc order. It returns an error wrapping ErrInvalid if sol does
// not match p, or the error of writing to w.
func WriteSolution(w io.Writer, p *Problem, sol *Solution) error {
	if len(sol.Flow) != len(p.Arcs) {
		return fmt.Errorf("solution has %d flows for %d arcs: %w", len(sol.Flow), len(p.Arcs), ErrInvalid)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	buf := make([]byte, 0, 80)
	buf = append(buf, "s "...)
	buf = strconv.AppendInt(buf, sol.Cost, 10)
	buf = append(buf, '\n')
	bw.Write(buf)
	for i, a := range p.Arcs {
		if x := sol.Flow[i]; x > 0 {
			buf = appendFlowLine(buf[:0], a.From, a.To, x)
			bw.Write(buf)
		}
	}
	return bw.Flush()
}

// appendFlowLine appends "f SRC DST FLOW\n" with 1-based ids.
func appendFlowLine(buf []byte, from, to int, x int64) []byte {
	buf = append(buf, "f "...)
	buf = strconv.AppendInt(buf, int64(from)+1, 10)
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, int64(to)+1, 10)
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, x, 10)
	return append(buf, '\n')
}

// WriteDIMACS writes p in DIMACS format: the problem line, a node line for
// every node with nonzero supply, and the arcs in order, with capacity -1 for
// uncapacitated arcs. It returns an error wrapping ErrInvalid if p cannot be
// written so that ReadDIMACS reads it back unchanged (a node out of range, a
// negative lower bound, a capacity below its lower bound, or a wrong number of
// supplies), or the error of writing to w.
func WriteDIMACS(w io.Writer, p *Problem) error {
	if p.N < 0 || len(p.Supply) != p.N {
		return fmt.Errorf("%d supplies for %d nodes: %w", len(p.Supply), p.N, ErrInvalid)
	}
	for i, a := range p.Arcs {
		if a.From < 0 || a.From >= p.N || a.To < 0 || a.To >= p.N {
			return fmt.Errorf("arc %d (%d->%d): node out of range [1,%d]: %w", i+1, a.From+1, a.To+1, p.N, ErrInvalid)
		}
		if a.Lower < 0 {
			return fmt.Errorf("arc %d (%d->%d): lower bound %d is negative: %w", i, a.From, a.To, a.Lower, ErrInvalid)
		}
		if a.Cap != Inf && a.Cap < a.Lower {
			return fmt.Errorf("arc %d (%d->%d): capacity %d is below lower bound %d: %w", i, a.From, a.To, a.Cap, a.Lower, ErrInvalid)
		}
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "p min %d %d\n", p.N, len(p.Arcs))
	buf := make([]byte, 0, 100)
	for i, b := range p.Supply {
		if b != 0 {
			buf = append(buf[:0], "n "...)
			buf = strconv.AppendInt(buf, int64(i)+1, 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, b, 10)
			buf = append(buf, '\n')
			bw.Write(buf)
		}
	}
	for _, a := range p.Arcs {
		buf = append(buf[:0], "a "...)
		buf = strconv.AppendInt(buf, int64(a.From)+1, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(a.To)+1, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, a.Lower, 10)
		buf = append(buf, ' ')
		c := a.Cap
		if c == Inf {
			c = -1
		}
		buf = strconv.AppendInt(buf, c, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, a.Cost, 10)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}

// dimacsReader holds the state of one read.
type dimacsReader struct {
	line      int
	fields    [8][]byte // fields of the current line
	nf        int
	net       *network
	arcs      int // arcs announced by the problem line
	trustArcs int // how many of them storage is allocated for up front
	haveP     bool
	seen      []bool // nodes described so far, grown with supply
}

// readDIMACS reads a problem, refusing node counts above maxNodes.
func readDIMACS(r io.Reader, maxNodes int) (*network, error) {
	d := &dimacsReader{trustArcs: preallocArcs}
	// When the input's size is known, the arc count can be trusted as far as
	// the input could hold that many arc lines.
	const minArcLine = len("a 1 2 0 0 0\n")
	switch r := r.(type) {
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := r.Stat(); err == nil && fi.Mode().IsRegular() {
			d.trustArcs = max(d.trustArcs, int(min(fi.Size()/int64(minArcLine), math.MaxInt32)))
		}
	case interface{ Len() int }:
		d.trustArcs = max(d.trustArcs, r.Len()/minArcLine)
	}
	br := bufio.NewReaderSize(r, 1<<16)
	for {
		raw, err := br.ReadSlice('\n')
		if len(raw) > 0 || err == nil || err == bufio.ErrBufferFull {
			d.line++
			if err == bufio.ErrBufferFull {
				// Only comments may be that long; skip the rest of one.
				if raw[0] != 'c' || (raw[1] != ' ' && raw[1] != '\t') {
					return nil, d.errorf("line longer than %d bytes", br.Size())
				}
				for err == bufio.ErrBufferFull {
					_, err = br.ReadSlice('\n')
				}
				if err != nil && err != io.EOF {
					return nil, fmt.Errorf("reading dimacs: %w", err)
				}
				continue
			}
			if len(raw) > maxLine && (raw[0] != 'c' || (raw[1] != ' ' && raw[1] != '\t')) {
				return nil, d.errorf("line longer than %d bytes", maxLine)
			}
			if perr := d.parseLine(raw, maxNodes); perr != nil {
				return nil, perr
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil && err != bufio.ErrBufferFull {
			return nil, fmt.Errorf("reading dimacs: %w", err)
		}
	}
	if !d.haveP {
		return nil, &SyntaxError{Msg: "no problem line (p min NODES ARCS)"}
	}
	if got := len(d.net.src); got != d.arcs {
		return nil, &SyntaxError{Msg: fmt.Sprintf("problem line announces %d arcs, found %d", d.arcs, got)}
	}
	if k := d.net.n - len(d.net.supply); k > 0 {
		d.net.supply = grow(d.net.supply, k)
	}
	return d.net, nil
}

// errorf returns a *SyntaxError for the current line.
func (d *dimacsReader) errorf(format string, args ...any) error {
	return &SyntaxError{Line: d.line, Msg: fmt.Sprintf(format, args...)}
}

// split cuts line into fields separated by spaces and tabs; it reports false
// if there are more than len(d.fields).
func (d *dimacsReader) split(line []byte) bool {
	d.nf = 0
	i, n := 0, len(line)
	for {
		for i < n && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == n {
			return true
		}
		j := i
		for j < n && line[j] != ' ' && line[j] != '\t' {
			j++
		}
		if d.nf == len(d.fields) {
			return false
		}
		d.fields[d.nf] = line[i:j]
		d.nf++
		i = j
	}
}

// parseLine handles one line, with or without its newline.
func (d *dimacsReader) parseLine(raw []byte, maxNodes int) error {
	line := raw
	if k := len(line); k > 0 && line[k-1] == '\n' {
		line = line[:k-1]
	}
	if k := len(line); k > 0 && line[k-1] == '\r' {
		line = line[:k-1]
	}
	if len(line) == 0 {
		return nil
	}
	switch line[0] {
	case 'c':
		if len(line) > 1 && line[1] != ' ' && line[1] != '\t' {
			return d.errorf("unknown line type %q", firstField(line))
		}
		return nil
	case 'a':
		return d.arcLine(line)
	case 'n':
		return d.nodeLine(line)
	case 'p':
		return d.problemLine(line, maxNodes)
	}
	if !d.split(line) {
		return d.errorf("unknown line type %q", firstField(line))
	}
	if d.nf == 0 {
		return nil // blank
	}
	return d.errorf("unknown line type %q", firstField(line))
}

// firstField returns the first field of line, shortened for messages.
func firstField(line []byte) string {
	f := bytes.Fields(line)
	if len(f) == 0 {
		return ""
	}
	s := f[0]
	if len(s) > 20 {
		s = s[:20]
	}
	return string(s)
}

func (d *dimacsReader) problemLine(line []byte, maxNodes int) error {
	if d.haveP {
		return d.errorf("second problem line")
	}
	if !d.split(line) || d.nf != 4 || string(d.fields[0]) != "p" {
		return d.errorf("problem line must be \"p min NODES ARCS\"")
	}
	if string(d.fields[1]) != "min" {
		return d.errorf("problem type %q, want min", d.fields[1])
	}
	nodes, err := d.int("node count", d.fields[2])
	if err != nil {
		return err
	}
	arcs, err := d.int("arc count", d.fields[3])
	if err != nil {
		return err
	}
	if nodes < 0 {
		return d.errorf("node count %d is negative", nodes)
	}
	if nodes > int64(maxNodes) {
		return d.errorf("node count %d is above the bound of %d nodes (aidbridge allocate --max-nodes raises it, up to %d)", nodes, maxNodes, MaxDIMACSNodes)
	}
	if arcs < 0 || arcs > int64(math.MaxInt32-maxNodes-1) {
		return d.errorf("arc count %d out of range [0,%d]", arcs, math.MaxInt32-maxNodes-1)
	}
	n, m := int(nodes), int(arcs)
	// Storage is sized from the counts only up to a bound and grows as lines
	// come; the arc slices get room for the solver's artificial arcs too, so
	// that it need not copy them.
	pm := min(m, d.trustArcs)
	pre := pm + min(n, preallocArcs)
	d.net = &network{
		n:     n,
		src:   make([]int32, 0, pre),
		tgt:   make([]int32, 0, pre),
		lower: make([]int64, 0, pm),
		cap:   make([]int64, 0, pre),
		cost:  make([]int64, 0, pre),
	}
	d.arcs = m
	d.haveP = true
	return nil
}

func (d *dimacsReader) nodeLine(line []byte) error {
	if !d.haveP {
		return d.errorf("node line before the problem line")
	}
	if !d.split(line) || d.nf != 3 || string(d.fields[0]) != "n" {
		return d.errorf("node line must be \"n ID FLOW\"")
	}
	id, err := d.node("node", d.fields[1])
	if err != nil {
		return err
	}
	b, ok := parseInt(d.fields[2])
	if !ok {
		return d.errorf("node %d: flow %q is not an integer", id+1, d.fields[2])
	}
	if int(id) >= len(d.seen) {
		k := min(max(2*len(d.seen), int(id)+1, 1024), d.net.n)
		d.seen = grow(d.seen, k-len(d.seen))
		d.net.supply = grow(d.net.supply, k-len(d.net.supply))
	}
	if d.seen[id] {
		return d.errorf("node %d described twice", id+1)
	}
	d.seen[id] = true
	d.net.supply[id] = b
	return nil
}

func (d *dimacsReader) arcLine(line []byte) error {
	if !d.haveP {
		return d.errorf("arc line before the problem line")
	}
	// Fast path for the common well-formed line; anything unusual goes
	// through the general code below, which words the error.
	var f [5]int64
	i, ok := 1, true
	for k := range f {
		if f[k], i, ok = nextInt(line, i); !ok {
			break
		}
	}
	if ok {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		n := d.net
		if lo, cp := f[2], f[3]; i == len(line) && len(n.src) < d.arcs &&
			f[0] >= 1 && f[0] <= int64(n.n) && f[1] >= 1 && f[1] <= int64(n.n) &&
			lo >= 0 && (cp >= lo || cp == -1) {
			if cp == -1 {
				cp = Inf
			}
			n.src = append(n.src, int32(f[0]-1))
			n.tgt = append(n.tgt, int32(f[1]-1))
			n.lower = append(n.lower, lo)
			n.cap = append(n.cap, cp)
			n.cost = append(n.cost, f[4])
			return nil
		}
	}
	if !d.split(line) || d.nf != 6 || string(d.fields[0]) != "a" {
		return d.errorf("arc line must be \"a SRC DST LOW CAP COST\"")
	}
	if len(d.net.src) == d.arcs {
		return d.errorf("more arcs than the %d the problem line announces", d.arcs)
	}
	u, err := d.node("arc source", d.fields[1])
	if err != nil {
		return err
	}
	v, err := d.node("arc target", d.fields[2])
	if err != nil {
		return err
	}
	name := func(what string) string { return fmt.Sprintf("arc %d->%d: %s", u+1, v+1, what) }
	var vals [3]int64
	for k, what := range [3]string{"lower bound", "capacity", "cost"} {
		x, ok := parseInt(d.fields[3+k])
		if !ok {
			return d.errorf("%s %q is not an integer", name(what), d.fields[3+k])
		}
		vals[k] = x
	}
	lo, cp, c := vals[0], vals[1], vals[2]
	switch {
	case lo < 0:
		return d.errorf("%s %d is negative", name("lower bound"), lo)
	case cp == -1:
		cp = Inf
	case cp < 0:
		return d.errorf("%s %d is negative (-1 means uncapacitated)", name("capacity"), cp)
	case cp < lo:
		return d.errorf("%s %d is below lower bound %d", name("capacity"), cp, lo)
	}
	n := d.net
	n.src = append(n.src, u)
	n.tgt = append(n.tgt, v)
	n.lower = append(n.lower, lo)
	n.cap = append(n.cap, cp)
	n.cost = append(n.cost, c)
	return nil
}

// node parses a 1-based node id and returns it 0-based.
func (d *dimacsReader) node(what string, f []byte) (int32, error) {
	id, ok := parseInt(f)
	if !ok {
		return 0, d.errorf("%s id %q is not an integer", what, f)
	}
	if id < 1 || id > int64(d.net.n) {
		return 0, d.errorf("%s id %d out of range [1,%d]", what, id, d.net.n)
	}
	return int32(id - 1), nil
}

// int parses a decimal int64 with an optional sign; what names the value in
// the error.
func (d *dimacsReader) int(what string, f []byte) (int64, error) {
	v, ok := parseInt(f)
	if !ok {
		return 0, d.errorf("%s %q is not an integer", what, f)
	}
	return v, nil
}

// parseInt parses [+-]digits into an int64, rejecting overflow.
func parseInt(f []byte) (int64, bool) {
	neg := false
	if len(f) > 0 && (f[0] == '-' || f[0] == '+') {
		neg = f[0] == '-'
		f = f[1:]
	}
	if len(f) == 0 {
		return 0, false
	}
	for len(f) > 1 && f[0] == '0' {
		f = f[1:]
	}
	if len(f) > 19 {
		return 0, false
	}
	var v uint64
	for _, c := range f {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// nextInt parses, at line[i:], one or more blanks and an integer of at most
// 18 digits (so it cannot overflow) followed by a blank or the end of line.
// It returns the value and the index after it; ok is false for anything else.
func nextInt(line []byte, i int) (v int64, next int, ok bool) {
	n := len(line)
	if i >= n || (line[i] != ' ' && line[i] != '\t') {
		return 0, i, false
	}
	for i < n && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	neg := false
	if i < n && (line[i] == '-' || line[i] == '+') {
		neg = line[i] == '-'
		i++
	}
	start := i
	var u int64
	for i < n && line[i]-'0' <= 9 {
		u = u*10 + int64(line[i]-'0')
		i++
	}
	if i == start || i-start > 18 || (i < n && line[i] != ' ' && line[i] != '\t') {
		return 0, i, false
	}
	if neg {
		u = -u
	}
	return u, i, true
}
