package flow

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

const textbookDIMACS = `c the example of the package tests
p min 4 5
n 1 4
n 4 -4
a 1 2 0 4 2
a 1 3 0 2 2
a 2 3 0 2 1
a 2 4 0 3 3
a 3 4 1 5 1
`

func TestReadDIMACS(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *Problem
	}{
		{
			name: "textbook",
			in:   textbookDIMACS,
			want: &Problem{N: 4, Supply: []int64{4, 0, 0, -4}, Arcs: []Arc{
				{0, 1, 0, 4, 2}, {0, 2, 0, 2, 2}, {1, 2, 0, 2, 1}, {1, 3, 0, 3, 3}, {2, 3, 1, 5, 1},
			}},
		},
		{
			name: "crlf, tabs, blank lines, comments anywhere, signs, leading zeros",
			in:   "c x\r\n\r\np\tmin  2 2\r\n  \nc\nn 2 -007\r\na 1 2 0 -1 +3\nc mid\nn 1 +7\na 2 2 1 1 -4",
			want: &Problem{N: 2, Supply: []int64{7, -7}, Arcs: []Arc{
				{0, 1, 0, Inf, 3}, {1, 1, 1, 1, -4},
			}},
		},
		{
			name: "no nodes",
			in:   "p min 0 0\n",
			want: &Problem{},
		},
		{
			name: "nodes without lines have zero supply",
			in:   "p min 3 0\n",
			want: &Problem{N: 3, Supply: []int64{0, 0, 0}},
		},
		{
			name: "extreme integers",
			in:   "p min 2 1\nn 1 9223372036854775807\nn 2 -9223372036854775808\na 1 2 0 9223372036854775807 -9223372036854775808\n",
			want: &Problem{N: 2, Supply: []int64{9223372036854775807, -9223372036854775808}, Arcs: []Arc{
				{0, 1, 0, Inf, -9223372036854775808},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadDIMACS(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("ReadDIMACS() error = %v", err)
			}
			if !sameProblem(got, tt.want) {
				t.Errorf("ReadDIMACS() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestReadDIMACSErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", "dimacs: no problem line (p min NODES ARCS)"},
		{"only comments", "c a\nc b\n", "dimacs: no problem line"},
		{"arc before p", "a 1 2 0 1 1\n", "line 1: arc line before the problem line"},
		{"node before p", "c\nn 1 1\n", "line 2: node line before the problem line"},
		{"max problem", "p max 2 1\n", `line 1: problem type "max", want min`},
		{"short p", "p min 2\n", `line 1: problem line must be "p min NODES ARCS"`},
		{"long p", "p min 2 1 1\n", `line 1: problem line must be "p min NODES ARCS"`},
		{"pfoo", "pfoo min 2 1\n", `line 1: problem line must be "p min NODES ARCS"`},
		{"second p", "p min 2 0\np min 2 0\n", "line 2: second problem line"},
		{"negative nodes", "p min -1 0\n", "line 1: node count -1 is negative"},
		{"huge nodes", "p min 99999999999 0\n", "line 1: node count 99999999999 is above the bound of 1048576 nodes"},
		{"huge arcs", "p min 1 99999999999\n", "line 1: arc count 99999999999 out of range"},
		{"nodes not int", "p min two 0\n", `line 1: node count "two" is not an integer`},
		{"unknown line", "p min 2 0\nx 1 2\n", `line 2: unknown line type "x"`},
		{"unknown c-word", "p min 2 0\ncomment\n", `line 2: unknown line type "comment"`},
		{"node out of range", "p min 2 0\nn 3 1\n", "line 2: node id 3 out of range [1,2]"},
		{"node zero", "p min 2 0\nn 0 1\n", "line 2: node id 0 out of range [1,2]"},
		{"node twice", "p min 2 0\nn 1 1\nn 1 -1\n", "line 3: node 1 described twice"},
		{"node flow not int", "p min 2 0\nn 1 1.5\n", `line 2: node 1: flow "1.5" is not an integer`},
		{"node flow overflow", "p min 2 0\nn 1 9223372036854775808\n", `line 2: node 1: flow "9223372036854775808" is not an integer`},
		{"node missing flow", "p min 2 0\nn 1\n", `line 2: node line must be "n ID FLOW"`},
		{"arc fields", "p min 2 1\na 1 2 0 1\n", `line 2: arc line must be "a SRC DST LOW CAP COST"`},
		{"arc source range", "p min 2 1\na 3 2 0 1 1\n", "line 2: arc source id 3 out of range [1,2]"},
		{"arc target range", "p min 2 1\na 1 9 0 1 1\n", "line 2: arc target id 9 out of range [1,2]"},
		{"negative capacity", "p min 9 1\na 5 9 0 -3 1\n", "line 2: arc 5->9: capacity -3 is negative (-1 means uncapacitated)"},
		{"capacity below lower", "p min 9 1\na 5 9 4 3 1\n", "line 2: arc 5->9: capacity 3 is below lower bound 4"},
		{"negative lower", "p min 9 1\na 5 9 -1 3 1\n", "line 2: arc 5->9: lower bound -1 is negative"},
		{"fractional cost", "p min 2 1\na 1 2 0 5 2.5\n", `line 2: arc 1->2: cost "2.5" is not an integer`},
		{"hex capacity", "p min 2 1\na 1 2 0 0x10 2\n", `line 2: arc 1->2: capacity "0x10" is not an integer`},
		{"sign only", "p min 2 1\na 1 2 - 1 2\n", `line 2: arc 1->2: lower bound "-" is not an integer`},
		{"too many arcs", "p min 2 1\na 1 2 0 1 1\na 1 2 0 1 1\n", "line 3: more arcs than the 1 the problem line announces"},
		{"too few arcs", "p min 2 2\na 1 2 0 1 1\n", "dimacs: problem line announces 2 arcs, found 1"},
		{"long line", "p min 2 1\na 1 2 0 1 " + strings.Repeat("1", 5000) + "\n", "line 2: line longer than 4096 bytes"},
		{"very long line", "p min 2 1\na 1 2 0 1 " + strings.Repeat("1", 100000) + "\n", "line 2: line longer than 65536 bytes"},
		{"nul byte", "p min 2 0\n\x00\n", `line 2: unknown line type "\x00"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDIMACS(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("ReadDIMACS() = nil error, want %q", tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("ReadDIMACS() error = %q, want prefix %q", err, tt.want)
			}
			var se *SyntaxError
			if !errors.As(err, &se) || !errors.Is(err, ErrInvalid) {
				t.Errorf("ReadDIMACS() error %T is not a *SyntaxError wrapping ErrInvalid", err)
			}
		})
	}
}

func TestReadDIMACSLongComment(t *testing.T) {
	in := "c " + strings.Repeat("x", 200000) + "\np min 1 0\n"
	p, err := ReadDIMACS(strings.NewReader(in))
	if err != nil || p.N != 1 {
		t.Fatalf("ReadDIMACS() = %+v, %v; want one node", p, err)
	}
}

func TestReadDIMACSReadError(t *testing.T) {
	r := iotest.TimeoutReader(strings.NewReader(textbookDIMACS))
	if _, err := ReadDIMACS(iotest.OneByteReader(r)); err == nil || errors.Is(err, ErrInvalid) {
		t.Fatalf("ReadDIMACS() error = %v, want the reader's error", err)
	}
}

// TestReadDIMACSHugeCounts checks that a problem line claiming the largest
// counts allocates storage bounded by preallocArcs, not by the claim.
func TestReadDIMACSHugeCounts(t *testing.T) {
	in := "p min 1048576 2130706430\na 1 2 0 1 1\n"
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ReadDIMACS(strings.NewReader(in))
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "announces 2130706430 arcs, found 1") {
		t.Fatalf("ReadDIMACS() error = %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 100<<20 {
		t.Errorf("ReadDIMACS allocated %d MiB for a two-line file", grew>>20)
	}
}

func TestWriteDIMACS(t *testing.T) {
	p := &Problem{N: 3, Supply: []int64{5, 0, -5}, Arcs: []Arc{{0, 1, 0, Inf, 2}, {1, 2, 1, 5, -3}}}
	var b bytes.Buffer
	if err := WriteDIMACS(&b, p); err != nil {
		t.Fatal(err)
	}
	want := "p min 3 2\nn 1 5\nn 3 -5\na 1 2 0 -1 2\na 2 3 1 5 -3\n"
	if got := b.String(); got != want {
		t.Errorf("WriteDIMACS() = %q, want %q", got, want)
	}
	back, err := ReadDIMACS(&b)
	if err != nil || !sameProblem(back, p) {
		t.Errorf("ReadDIMACS(WriteDIMACS(p)) = %+v, %v; want %+v", back, err, p)
	}
}

func TestWriteDIMACSRefuses(t *testing.T) {
	tests := []struct {
		name string
		p    *Problem
		want string
	}{
		{"supplies", &Problem{N: 2, Supply: []int64{1}}, "1 supplies for 2 nodes"},
		{"node", &Problem{N: 1, Supply: []int64{0}, Arcs: []Arc{{0, 1, 0, 1, 1}}}, "arc 1 (1->2): node out of range [1,1]"},
		{"lower", &Problem{N: 1, Supply: []int64{0}, Arcs: []Arc{{0, 0, -2, 1, 1}}}, "lower bound -2 is negative"},
		{"capacity", &Problem{N: 1, Supply: []int64{0}, Arcs: []Arc{{0, 0, 2, 1, 1}}}, "capacity 1 is below lower bound 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteDIMACS(&bytes.Buffer{}, tt.p)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("WriteDIMACS() error = %v, want ErrInvalid containing %q", err, tt.want)
			}
		})
	}
}

func TestSolveDIMACS(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr error
	}{
		{
			name: "textbook",
			in:   textbookDIMACS,
			want: "s 14\nf 1 2 2\nf 1 3 2\nf 2 3 2\nf 3 4 4\n",
		},
		{
			name:    "infeasible",
			in:      "p min 2 1\nn 1 3\nn 2 -3\na 1 2 0 2 2\n",
			wantErr: ErrInfeasible,
		},
		{
			name:    "unbounded",
			in:      "p min 2 2\na 1 2 0 -1 -2\na 2 1 0 -1 1\n",
			wantErr: ErrUnbounded,
		},
		{
			name:    "unbalanced",
			in:      "p min 2 1\nn 1 3\nn 2 -2\na 1 2 0 5 2\n",
			wantErr: ErrInvalid,
		},
		{
			name:    "syntax",
			in:      "p min 2 1\nn 1 3\n",
			wantErr: ErrInvalid,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := SolveDIMACS(strings.NewReader(tt.in), &out)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("SolveDIMACS() error = %v, want %v", err, tt.wantErr)
				}
				if out.Len() != 0 {
					t.Errorf("SolveDIMACS() wrote %q on error", out.String())
				}
				return
			}
			if err != nil {
				t.Fatalf("SolveDIMACS() error = %v", err)
			}
			if got := out.String(); got != tt.want {
				t.Errorf("SolveDIMACS() wrote %q, want %q", got, tt.want)
			}
			// WriteSolution writes the same for the same solution.
			p, _ := ReadDIMACS(strings.NewReader(tt.in))
			sol, err := Solve(p)
			if err != nil {
				t.Fatal(err)
			}
			var out2 bytes.Buffer
			if err := WriteSolution(&out2, p, sol); err != nil {
				t.Fatal(err)
			}
			if out2.String() != tt.want {
				t.Errorf("WriteSolution() wrote %q, want %q", out2.String(), tt.want)
			}
		})
	}
}

func TestWriteSolutionMismatch(t *testing.T) {
	p := &Problem{N: 1, Supply: []int64{0}, Arcs: []Arc{{0, 0, 0, 1, 1}}}
	if err := WriteSolution(&bytes.Buffer{}, p, &Solution{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("WriteSolution() error = %v, want ErrInvalid", err)
	}
}

// sameProblem reports whether a and b describe the same problem, treating nil
// and empty slices alike.
func sameProblem(a, b *Problem) bool {
	if a.N != b.N || len(a.Supply) != len(b.Supply) || len(a.Arcs) != len(b.Arcs) {
		return false
	}
	for i := range a.Supply {
		if a.Supply[i] != b.Supply[i] {
			return false
		}
	}
	for i := range a.Arcs {
		if a.Arcs[i] != b.Arcs[i] {
			return false
		}
	}
	return true
}

// FuzzReadDIMACS checks that the reader never panics, and that whatever it
// accepts round-trips through WriteDIMACS and, when Solve finds an optimum,
// comes with a valid optimality certificate.
func FuzzReadDIMACS(f *testing.F) {
	f.Add([]byte(textbookDIMACS))
	f.Add([]byte("p min 2 2\na 1 2 0 -1 -2\na 2 1 0 -1 1\n"))
	f.Add([]byte("c x\r\n\r\np\tmin  2 2\r\n  \nc\nn 2 -007\r\na 1 2 0 -1 +3\nc mid\nn 1 +7\na 2 2 1 1 -4"))
	f.Add([]byte("p min 3 3\nn 1 2\nn 3 -2\na 1 2 1 3 -1\na 2 3 0 2 1\na 3 1 0 1 0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		net, err := readDIMACS(bytes.NewReader(data), 1<<12)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *SyntaxError", err)
			}
			return
		}
		p := net.problem()
		var b bytes.Buffer
		if err := WriteDIMACS(&b, p); err != nil {
			t.Fatalf("WriteDIMACS refused what ReadDIMACS accepted: %v", err)
		}
		back, err := ReadDIMACS(&b)
		if err != nil {
			t.Fatalf("ReadDIMACS refused what WriteDIMACS wrote: %v\n%s", err, b.String())
		}
		if !sameProblem(p, back) {
			t.Fatalf("round trip changed the problem:\n%+v\n%+v", p, back)
		}
		if len(p.Arcs) > 200 {
			return
		}
		if sol, err := Solve(p); err == nil {
			checkSolution(t, p, sol)
		}
	})
}

// TestSolveDIMACSNodeBound checks that a short file claiming millions of
// nodes is refused before any node storage is allocated, and solved when
// the caller raises the bound on purpose.
func TestSolveDIMACSNodeBound(t *testing.T) {
	in := "p min 16777216 1\na 1 2 0 1 0\n"
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := SolveDIMACS(strings.NewReader(in), io.Discard)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "--max-nodes") {
		t.Fatalf("SolveDIMACS() error = %v, want the node bound named", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Errorf("SolveDIMACS allocated %d MiB to refuse a 29-byte file", grew>>20)
	}
	var out strings.Builder
	if err := SolveDIMACSNodes(strings.NewReader("p min 3 1\nn 1 1\nn 3 -1\na 1 3 0 1 5\n"), &out, 3); err != nil || out.String() != "s 5\nf 1 3 1\n" {
		t.Errorf("SolveDIMACSNodes within the bound = %q, %v", out.String(), err)
	}
}
