// Package golden compares what a test produces, such as a chart or an
// export, with a golden file kept in the test's testdata folder, and rewrites
// the golden files when the test binary runs with -update.
//
// Importing the package registers the -update flag in the test binary; a
// test package that imports it must not define a flag of that name itself.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "write the golden files in testdata/ instead of comparing with them")

// Compare compares got with the file testdata/<name>.golden of the calling
// test's package, the working directory of a test. When the test binary runs
// with -update it writes got to that file instead, creating the folders it
// needs. A difference fails the test with the first differing lines; a
// missing or unreadable file stops it. Both say how to refresh the file.
func Compare(t testing.TB, got []byte, name string) {
	t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(name)+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("golden: create folder of %s: %v", path, err)
			return
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("golden: write %s: %v", path, err)
			return
		}
		t.Logf("golden: wrote %s", path)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden: %v\nto write it, run: %s", err, refreshCommand(t))
		return
	}
	if bytes.Equal(got, want) {
		return
	}
	t.Errorf("golden: output differs from %s:\n%s\nif the new output is right, run: %s",
		path, unified(path, "got", string(want), string(got)), refreshCommand(t))
}

// refreshCommand returns the go test command that rewrites the golden files
// of the running test.
func refreshCommand(t testing.TB) string {
	pkg := "."
	if dir, err := os.Getwd(); err == nil {
		pkg = packagePath(dir)
	}
	parts := strings.Split(t.Name(), "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	run := strings.Join(parts, "/")
	return fmt.Sprintf("go test %s -run '%s' -update", pkg, strings.ReplaceAll(run, "'", `'\''`))
}

// packagePath returns dir as a go test argument: relative to the folder of
// the nearest go.mod above it, or dir itself when there is none.
func packagePath(dir string) string {
	for root := dir; ; {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			rel, err := filepath.Rel(root, dir)
			if err != nil {
				return dir
			}
			if rel == "." {
				return "."
			}
			return "./" + filepath.ToSlash(rel)
		}
		parent := filepath.Dir(root)
		if parent == root {
			return dir
		}
		root = parent
	}
}

// The shape of the diff a mismatch shows: lines of context around changes,
// the most lines it prints, and the largest middle part (lines of one side
// times lines of the other) searched for common lines.
const (
	diffContext  = 3
	diffMaxLines = 40
	diffMaxCells = 1 << 20
)

// edit is one line of a diff: op is ' ' for a line of both sides, '-' for a
// line only of the first and '+' for a line only of the second.
type edit struct {
	op   byte
	line string // with its newline, when it has one
}

// unified returns a unified diff of the first place where a and b differ,
// named nameA and nameB, and notes when more differences follow.
func unified(nameA, nameB, a, b string) string {
	edits := lineDiff(splitLines(a), splitLines(b))
	first := -1
	for k, e := range edits {
		if e.op != ' ' {
			first = k
			break
		}
	}
	if first < 0 {
		return ""
	}
	// The hunk holds the changes that follow each other within twice the
	// context, and the context around them.
	last := first
	for k := first + 1; k < len(edits) && k <= last+2*diffContext; k++ {
		if edits[k].op != ' ' {
			last = k
		}
	}
	start, stop := max(0, first-diffContext), min(len(edits), last+diffContext+1)
	lineA, lineB := 1, 1
	for _, e := range edits[:start] {
		lineA, lineB = lineA+side(e, '-'), lineB+side(e, '+')
	}
	countA, countB := 0, 0
	for _, e := range edits[start:stop] {
		countA, countB = countA+side(e, '-'), countB+side(e, '+')
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s\n@@ -%s +%s @@\n", nameA, nameB, hunkRange(lineA, countA), hunkRange(lineB, countB))
	for k, e := range edits[start:stop] {
		if k == diffMaxLines {
			fmt.Fprintf(&sb, "... %d more lines in this hunk\n", stop-start-k)
			break
		}
		sb.WriteByte(e.op)
		sb.WriteString(printable(strings.TrimSuffix(e.line, "\n")))
		sb.WriteByte('\n')
		if !strings.HasSuffix(e.line, "\n") {
			sb.WriteString("\\ No newline at end of file\n")
		}
	}
	for _, e := range edits[stop:] {
		if e.op != ' ' {
			sb.WriteString("... more differences follow\n")
			break
		}
	}
	return strings.TrimSuffix(sb.String(), "\n")
}

// side returns 1 when e is a line of the side that op ('-' or '+') marks.
func side(e edit, op byte) int {
	if e.op == ' ' || e.op == op {
		return 1
	}
	return 0
}

// hunkRange formats the start line and line count of one side of a hunk as
// unified diffs do.
func hunkRange(start, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, count)
}

// printable quotes a line holding control characters other than tab, such
// as the carriage return of a CRLF line, which would not show otherwise.
func printable(line string) string {
	for _, r := range line {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return fmt.Sprintf("%q", line)
		}
	}
	return line
}

// splitLines splits s after each newline; a last line without one is kept.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// lineDiff returns the edits that turn a into b: their common first and last
// lines kept, and between them the longest common subsequence of lines, or,
// when that part is too large to search, every line of a removed and every
// line of b added.
func lineDiff(a, b []string) []edit {
	var out []edit
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		out = append(out, edit{' ', a[p]})
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	out = append(out, middleDiff(a[p:len(a)-s], b[p:len(b)-s])...)
	for _, line := range a[len(a)-s:] {
		out = append(out, edit{' ', line})
	}
	return out
}

// middleDiff returns the edits that turn a into b by their longest common
// subsequence of lines.
func middleDiff(a, b []string) []edit {
	n, m := len(a), len(b)
	var out []edit
	if n > 0 && m > 0 && n*m <= diffMaxCells {
		// common[i*(m+1)+j] is the length of the longest common
		// subsequence of a[i:] and b[j:].
		common := make([]int32, (n+1)*(m+1))
		at := func(i, j int) int { return i*(m+1) + j }
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if a[i] == b[j] {
					common[at(i, j)] = common[at(i+1, j+1)] + 1
				} else {
					common[at(i, j)] = max(common[at(i+1, j)], common[at(i, j+1)])
				}
			}
		}
		i, j := 0, 0
		for i < n && j < m {
			switch {
			case a[i] == b[j]:
				out = append(out, edit{' ', a[i]})
				i, j = i+1, j+1
			case common[at(i+1, j)] >= common[at(i, j+1)]:
				out = append(out, edit{'-', a[i]})
				i++
			default:
				out = append(out, edit{'+', b[j]})
				j++
			}
		}
		a, b = a[i:], b[j:]
	}
	for _, line := range a {
		out = append(out, edit{'-', line})
	}
	for _, line := range b {
		out = append(out, edit{'+', line})
	}
	return out
}
