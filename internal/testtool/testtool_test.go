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
		name, ci  string
		wantFatal bool
	}{
		{"outside CI the test is skipped", "", false},
		{"in CI the test fails", "true", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			r := &recorder{TB: t}
			Require(r, "gochalice-no-such-program", "pip install nothing")
			got, other := r.skip, r.fatal
			if tc.wantFatal {
				got, other = r.fatal, r.skip
			}
			if !strings.Contains(got, "gochalice-no-such-program is not on PATH (pip install nothing)") || other != "" {
				t.Fatalf("fatal=%q skip=%q", r.fatal, r.skip)
			}
		})
	}
}
