package testtool

import (
	"fmt"
	"strings"
	"testing"
)

// recorder captures what Require does to a test without ending this one.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper()           {}
func (r *recorder) Fatal(args ...any) { r.fatal = fmt.Sprint(args...) }
func (r *recorder) Skip(args ...any)  { r.skip = fmt.Sprint(args...) }

func TestRequire(t *testing.T) {
	if p := Require(t, "go", "install Go"); p == "" {
		t.Fatal("Require(go) returned an empty path")
	}
	for _, tc := range []struct {
		name, skipVar, ci string
		wantFatal         bool
	}{
		{"by default the test fails", "", "", true},
		{"in CI the test fails", "", "true", true},
		{"the skip variable skips it", "1", "", false},
		{"only 1 skips", "yes", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(SkipVar, tc.skipVar)
			t.Setenv("CI", tc.ci)
			r := &recorder{TB: t}
			Require(r, "gochalice-no-such-program", "pip install nothing")
			got, other := r.skip, r.fatal
			if tc.wantFatal {
				got, other = r.fatal, r.skip
			}
			if !strings.Contains(got, "gochalice-no-such-program is not on PATH (pip install nothing)") || !strings.Contains(got, SkipVar) || other != "" {
				t.Fatalf("fatal=%q skip=%q", r.fatal, r.skip)
			}
		})
	}
}

// TestFreePortIsDistinct asks for many ports in a row: the system often
// hands a just-closed port out again, and FreePort must not.
func TestFreePortIsDistinct(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		p := FreePort(t)
		if seen[p] {
			t.Fatalf("FreePort returned port %s twice", p)
		}
		seen[p] = true
	}
}
