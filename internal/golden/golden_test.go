package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// example is what testdata/example.golden holds.
const example = "item,need,pledged\nN95 respirator,1200,800\nnitrile gloves,5000,5000\n"

// recorder is a testing.TB that records failures instead of failing, so a
// test can check how Compare fails.
type recorder struct {
	testing.TB
	name           string
	errors, fatals []string
}

func (r *recorder) Name() string { return r.name }

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.fatals = append(r.fatals, fmt.Sprintf(format, args...))
}

func TestGoldenCompare(t *testing.T) {
	Compare(t, []byte(example), "example")
}

func TestGoldenCompareFailures(t *testing.T) {
	const refresh = `go test ./internal/golden -run '^TestChart$/^bar_\(2\)$' -update`
	tests := []struct {
		name                 string
		golden, got          string
		wantError, wantFatal string
	}{
		{name: "same", golden: "example", got: example},
		{
			name:   "changed line",
			golden: "example",
			got:    "item,need,pledged\nN95 respirator,1200,900\nnitrile gloves,5000,5000\n",
			wantError: "golden: output differs from testdata/example.golden:\n" +
				"--- testdata/example.golden\n+++ got\n@@ -1,3 +1,3 @@\n" +
				" item,need,pledged\n-N95 respirator,1200,800\n+N95 respirator,1200,900\n nitrile gloves,5000,5000\n" +
				"if the new output is right, run: " + refresh,
		},
		{
			name:      "missing golden file",
			golden:    "missing",
			got:       example,
			wantFatal: "golden: open testdata/missing.golden: no such file or directory\nto write it, run: " + refresh,
		},
	}
	// Under -update these cases would overwrite the golden files.
	defer func(old bool) { *update = old }(*update)
	*update = false
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{TB: t, name: "TestChart/bar_(2)"}
			Compare(r, []byte(tt.got), tt.golden)
			if got := strings.Join(r.errors, "\n"); got != tt.wantError {
				t.Errorf("Errorf got:\n%s\nwant:\n%s", got, tt.wantError)
			}
			if got := strings.Join(r.fatals, "\n"); got != tt.wantFatal {
				t.Errorf("Fatalf got:\n%s\nwant:\n%s", got, tt.wantFatal)
			}
		})
	}
}

func TestGoldenUpdate(t *testing.T) {
	t.Chdir(t.TempDir())
	defer func(old bool) { *update = old }(*update)
	r := &recorder{TB: t, name: "TestChart"}
	*update = true
	Compare(r, []byte(example), "charts/bar")
	got, err := os.ReadFile(filepath.Join("testdata", "charts", "bar.golden"))
	if err != nil {
		t.Fatalf("golden file not written: %v", err)
	}
	if string(got) != example {
		t.Errorf("golden file holds %q, want %q", got, example)
	}
	*update = false
	Compare(r, []byte(example), "charts/bar")
	if len(r.errors)+len(r.fatals) > 0 {
		t.Errorf("Compare failed: errors %q, fatals %q", r.errors, r.fatals)
	}
}

func TestGoldenDiff(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want string
	}{
		{
			name: "line changed",
			a:    "1\n2\n3\n4\n5\n6\n7\n8\n",
			b:    "1\n2\n3\n4\nfive\n6\n7\n8\n",
			want: "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8",
		},
		{
			name: "line added at the end",
			a:    "1\n2\n",
			b:    "1\n2\n3\n",
			want: "--- a\n+++ b\n@@ -1,2 +1,3 @@\n 1\n 2\n+3",
		},
		{
			name: "into an empty file",
			a:    "",
			b:    "1\n",
			want: "--- a\n+++ b\n@@ -0,0 +1 @@\n+1",
		},
		{
			name: "final newline lost",
			a:    "1\n2\n",
			b:    "1\n2",
			want: "--- a\n+++ b\n@@ -1,2 +1,2 @@\n 1\n-2\n+2\n\\ No newline at end of file",
		},
		{
			name: "CRLF shown",
			a:    "a,b\n",
			b:    "a,b\r\n",
			want: "--- a\n+++ b\n@@ -1 +1 @@\n-a,b\n+\"a,b\\r\"",
		},
		{
			name: "lines moved",
			a:    "a\nb\nc\nd\n",
			b:    "b\nc\na\nd\n",
			want: "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-a\n b\n c\n+a\n d",
		},
		{
			name: "nearby changes share a hunk",
			a:    "1\n2\n3\n4\n5\n6\n7\n",
			b:    "one\n2\n3\n4\n5\n6\nseven\n",
			want: "--- a\n+++ b\n@@ -1,7 +1,7 @@\n-1\n+one\n 2\n 3\n 4\n 5\n 6\n-7\n+seven",
		},
		{
			name: "only the first of distant changes",
			a:    "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
			b:    "one\n2\n3\n4\n5\n6\n7\n8\n9\nten\n",
			want: "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n... more differences follow",
		},
		{
			name: "long hunk cut short",
			a:    strings.Repeat("x\n", 50),
			b:    strings.Repeat("y\n", 50),
			want: "--- a\n+++ b\n@@ -1,50 +1,50 @@\n" + strings.Repeat("-x\n", 40) + "... 60 more lines in this hunk",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unified("a", "b", tt.a, tt.b); got != tt.want {
				t.Errorf("unified() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestGoldenPackagePath(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dir, want string
	}{
		{root, "."},
		{filepath.Join(root, "internal", "charts"), "./internal/charts"},
	}
	for _, tt := range tests {
		if got := packagePath(tt.dir); got != tt.want {
			t.Errorf("packagePath(%q) = %q, want %q", tt.dir, got, tt.want)
		}
	}
}
