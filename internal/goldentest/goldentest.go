// Package goldentest holds what the golden tests share: comparing output with
// a golden file (rewritten with -update), a semantic review of a changed
// template followed by a readable line diff, and linting templates with
// cfn-lint. It is imported by tests only.
package goldentest

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gochalice/gochalice/internal/review"
	"github.com/gochalice/gochalice/internal/testtool"
)

// update is the -update flag of every test binary that imports this package.
var update = flag.Bool("update", false, "rewrite the golden files instead of comparing with them")

// Check compares got with the golden file at path, or rewrites the file
// when the run has -update. regen is the command that rewrites it, quoted in
// the failure message.
func Check(t testing.TB, path string, got []byte, regen string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run %s to create it)", err, regen)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the generated output (%s rewrites it).\n%sLine diff (- want, + got):\n%s",
			path, regen, semantic(path, want, got), Diff(string(want), string(got)))
	}
}

// semantic returns the review of what changed when want and got are
// CloudFormation templates, so the meaning is read before the lines; ""
// for other files.
func semantic(path string, want, got []byte) string {
	switch filepath.Ext(path) {
	case ".yaml", ".yml", ".json":
	default:
		return ""
	}
	old, err := review.Parse(path, want)
	if err != nil {
		return ""
	}
	new, err := review.Parse("generated", got)
	if err != nil {
		return ""
	}
	return "What changed:\n" + review.Compare(old, new).Text() + "\n"
}

// CFNLintVersion is the cfn-lint release CI installs: the last line that
// still runs the real SAM transform before linting.
const CFNLintVersion = "1.53.3"

// Lint runs cfn-lint on the templates in one process and fails the test on
// any error, warning or informational message (a clean run exits 0 and
// prints nothing). A missing cfn-lint, or one of another version than
// CFNLintVersion, fails the test (testtool's policy: set
// GOCHALICE_SKIP_MISSING_TOOLS=1 to skip instead).
func Lint(t testing.TB, paths ...string) {
	t.Helper()
	lint := testtool.Require(t, "cfn-lint", fmt.Sprintf("pip install cfn-lint==%s", CFNLintVersion))
	if lint == "" {
		return
	}
	if err := checkCFNLintVersion(lint); err != nil {
		testtool.Missing(t, err.Error())
		return
	}
	if len(paths) == 0 {
		t.Fatal("no templates to lint")
	}
	out, err := exec.Command(lint, append([]string{"--format", "parseable", "--"}, paths...)...).CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running cfn-lint: %v", err)
	}
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("cfn-lint on %d templates: %v\n%s", len(paths), err, out)
	}
}

var cfnLintVersion struct {
	once    sync.Once
	version string
	err     error
}

// checkCFNLintVersion runs `cfn-lint --version` once per test binary and
// reports a release other than CFNLintVersion: later releases no longer run
// the SAM translator, so their clean result would prove much less.
func checkCFNLintVersion(lint string) error {
	v := &cfnLintVersion
	v.once.Do(func() {
		out, err := exec.Command(lint, "--version").Output()
		if err != nil {
			v.err = fmt.Errorf("running %s --version: %w", lint, err)
			return
		}
		v.version = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(out)), "cfn-lint"))
	})
	if v.err != nil {
		return v.err
	}
	return versionMismatch(v.version)
}

// versionMismatch reports got unless it is CFNLintVersion.
func versionMismatch(got string) error {
	if got != CFNLintVersion {
		return fmt.Errorf("cfn-lint %s is on PATH, the tests need %s (pip install cfn-lint==%s): later releases skip the SAM transform", got, CFNLintVersion, CFNLintVersion)
	}
	return nil
}

// Diff is a small line-based diff of want and got. Each hunk starts with
// its line numbers in want and got; unchanged lines are prefixed with two
// spaces, removed lines with "- " and added lines with "+ ". Only three
// unchanged lines of context are shown around a change.
func Diff(want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op     byte
		text   string
		ai, bi int // line numbers (1-based) in want and got
	}
	var lines []line
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			lines = append(lines, line{' ', a[i], i + 1, j + 1})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			lines = append(lines, line{'-', a[i], i + 1, j + 1})
			i++
		default:
			lines = append(lines, line{'+', b[j], i + 1, j + 1})
			j++
		}
	}
	const context = 3
	var out strings.Builder
	shown := -2 // index of the last line written
	for k, l := range lines {
		near := false
		for d := -context; d <= context; d++ {
			if k+d >= 0 && k+d < len(lines) && lines[k+d].op != ' ' {
				near = true
				break
			}
		}
		if !near {
			continue
		}
		if shown != k-1 {
			fmt.Fprintf(&out, "@@ want line %d, got line %d @@\n", l.ai, l.bi)
		}
		fmt.Fprintf(&out, "%c %s\n", l.op, l.text)
		shown = k
	}
	return out.String()
}
