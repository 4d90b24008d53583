package doccheck

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// block is one ```go block of a Markdown file.
type block struct {
	file string // relative to the repository root
	line int    // line of the first line of code
	code string
}

// fileName is the Go file the block is written to: the name its first
// line gives (// x_test.go), else main.go.
func (b block) fileName() string {
	first, _, _ := strings.Cut(b.code, "\n")
	if m := testFileLine.FindStringSubmatch(first); m != nil {
		return m[1]
	}
	return "main.go"
}

// dir is the block's package directory in the temporary module.
func (b block) dir(i int) string {
	return fmt.Sprintf("b%02d_%s_%d", i, notIdent.ReplaceAllString(b.file, "_"), b.line)
}

var (
	testFileLine = regexp.MustCompile(`^// ([A-Za-z0-9_]+_test\.go)$`)
	packageLine  = regexp.MustCompile(`^package [A-Za-z_][A-Za-z0-9_]*$`)
	notIdent     = regexp.MustCompile(`[^A-Za-z0-9]`)
	// errorPos finds "bNN_..._LINE/file.go:ROW" in the go command's output.
	errorPos = regexp.MustCompile(`(?:\./)?b(\d+)_[A-Za-z0-9_]*/[A-Za-z0-9_]+\.go:(\d+)`)
)

// extract returns the ```go blocks of a Markdown file.
func extract(t *testing.T, root, rel string) []block {
	t.Helper()
	f, err := os.Open(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []block
	var cur *block
	var lines []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(line) == "```go":
			cur, lines = &block{file: rel, line: n + 1}, nil
		case cur != nil && strings.TrimSpace(line) == "```":
			cur.code = strings.Join(lines, "\n") + "\n"
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			lines = append(lines, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return blocks
}

// complete reports why a block is not a complete Go file, or "".
func complete(b block) string {
	lines := strings.Split(b.code, "\n")
	i := 0
	if testFileLine.MatchString(lines[0]) {
		i = 1
	}
	for i < len(lines) && (strings.HasPrefix(lines[i], "//") || strings.TrimSpace(lines[i]) == "") {
		i++ // a file comment before the package clause
	}
	if i == len(lines) || !packageLine.MatchString(lines[i]) {
		return "is not a complete Go file: start it with its package clause (or a `// name_test.go` line, then the package clause)"
	}
	return ""
}

// TestGoBlocksCompile writes every ```go block of README.md and docs/*.md
// into its own package of one temporary module that uses this repository
// through a replace directive, and vets them all with one go command
// (vet type-checks test files too).
func TestGoBlocksCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every documentation block")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"README.md"}
	for _, d := range docs {
		rel, _ := filepath.Rel(root, d)
		files = append(files, filepath.ToSlash(rel))
	}
	var blocks []block
	for _, f := range files {
		blocks = append(blocks, extract(t, root, f)...)
	}
	if len(blocks) == 0 {
		t.Fatal("no ```go blocks found in README.md and docs/")
	}
	for _, b := range blocks {
		if msg := complete(b); msg != "" {
			t.Errorf("%s:%d: the ```go block %s", b.file, b.line, msg)
		}
	}
	if t.Failed() {
		return
	}

	mod := t.TempDir()
	writeModule(t, root, mod)
	for i, b := range blocks {
		dir := filepath.Join(mod, b.dir(i))
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, b.fileName()), []byte(b.code), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = mod
	// Offline: every module comes from the cache the repository's own
	// build filled; -mod=mod lets go.mod gain what the blocks import.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("the ```go blocks of the documentation do not compile (%v):\n%s", err, toDocPositions(string(out), blocks))
	}
}

// writeModule makes a module in dir that requires what this repository
// requires and replaces this repository with root.
func writeModule(t *testing.T, root, dir string) {
	t.Helper()
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(gomod)
	_, rest, ok := strings.Cut(text, "\n")
	if !ok || !strings.HasPrefix(text, "module github.com/gochalice/gochalice") {
		t.Fatalf("unexpected go.mod:\n%s", text)
	}
	m := "module doccheck.example\n" + rest +
		"\nrequire github.com/gochalice/gochalice v0.0.0\n" +
		"\nreplace github.com/gochalice/gochalice => " + strconv.Quote(root) + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
}

// toDocPositions rewrites the positions in the go command's output from the
// temporary files to the Markdown lines they came from.
func toDocPositions(out string, blocks []block) string {
	return errorPos.ReplaceAllStringFunc(out, func(s string) string {
		m := errorPos.FindStringSubmatch(s)
		i, _ := strconv.Atoi(m[1])
		row, _ := strconv.Atoi(m[2])
		if i >= len(blocks) {
			return s
		}
		return fmt.Sprintf("%s:%d", blocks[i].file, blocks[i].line+row-1)
	})
}

func TestToDocPositions(t *testing.T) {
	blocks := []block{{file: "README.md", line: 7}, {file: "docs/api.md", line: 20}}
	in := "# doccheck.example/b01_docs_api_md_20\nb01_docs_api_md_20/main.go:3:2: undefined: x\n./b00_README_md_7/main_test.go:1:1: bad"
	want := "# doccheck.example/b01_docs_api_md_20\ndocs/api.md:22:2: undefined: x\nREADME.md:7:1: bad"
	if got := toDocPositions(in, blocks); got != want {
		t.Errorf("toDocPositions:\n%s\nwant:\n%s", got, want)
	}
}

func TestComplete(t *testing.T) {
	for _, tc := range []struct {
		code string
		ok   bool
	}{
		{"package main\n\nfunc main() {}\n", true},
		{"// main_test.go\npackage main\n", true},
		{"// Command x does y.\npackage main\n", true},
		{"app.Route(\"/\", index)\n", false},
		{"func f() {}\n", false},
	} {
		if got := complete(block{code: tc.code}) == ""; got != tc.ok {
			t.Errorf("complete(%q) ok = %v, want %v", tc.code, got, tc.ok)
		}
	}
}
