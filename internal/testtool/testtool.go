// Package testtool finds the external programs some tests need (cfn-lint,
// aws-lambda-rie, moto_server, tsc, node, openapi-spec-validator, chromium)
// and decides, in one place, what a test does when one is missing: it fails,
// naming the program and how to install it, so `make test` never passes
// while a whole layer silently did not run. Setting SkipVar
// (GOCHALICE_SKIP_MISSING_TOOLS=1) skips such tests instead, for a quick
// run on a machine without them.
package testtool

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sync"
	"testing"
)

// SkipVar is the environment variable that, set to 1, turns a missing
// program into a skipped test instead of a failed one.
const SkipVar = "GOCHALICE_SKIP_MISSING_TOOLS"

// Require returns the path of the named program on PATH. When it is missing
// the test fails (or is skipped under SkipVar=1); install says how to get
// it and is part of the message.
func Require(t testing.TB, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	Missing(t, fmt.Sprintf("%s is not on PATH (%s)", name, install))
	return ""
}

// Missing reports a missing prerequisite described by msg: the test fails
// and stops, or is skipped when SkipVar is 1. The message says which.
func Missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv(SkipVar) == "1" {
		t.Skip(msg + " [skipped: " + SkipVar + "=1]")
		return
	}
	t.Fatal(msg + " (set " + SkipVar + "=1 to skip the tests that need it)")
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago, for
// a program a test starts. Within one process it never returns the same port
// twice, so two calls in a row, or tests running in parallel, get distinct
// ports; another process may still take the port before the program binds
// it, which is why the helpers that start programs retry with fresh ports.
func FreePort(t testing.TB) string {
	t.Helper()
	portsMu.Lock()
	defer portsMu.Unlock()
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if !portsGiven[port] {
			portsGiven[port] = true
			return fmt.Sprint(port)
		}
	}
	t.Fatal("FreePort: the system kept returning ports already handed out")
	return ""
}

var (
	portsMu    sync.Mutex
	portsGiven = map[int]bool{} // every port FreePort returned in this process
)

// Output collects what a started program writes: safe for its standard
// output and standard error to write at once while a test reads it.
type Output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

// String returns everything written so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}
