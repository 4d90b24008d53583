// Package testtool finds the external programs some tests need (cfn-lint,
// moto_server, tsc, node, openapi-spec-validator, chromium) and decides, in
// one place, what a test does when one is missing: it is skipped on a
// developer's machine and fails when the CI variable is set, because CI
// must run every layer (.ci/run installs each program).
package testtool

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// Require returns the path of the named program on PATH. When it is missing
// the test is skipped, or fails when the CI variable is set; install says how
// to get it and is part of the message.
func Require(t testing.TB, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	Missing(t, fmt.Sprintf("%s is not on PATH (%s)", name, install))
	return ""
}

// Missing reports a missing prerequisite described by msg: the test is
// skipped, or fails when the CI variable is set.
func Missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
		return
	}
	t.Skip(msg)
}
