package rie

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestEmulatorRunsTheHelloBootstrap checks the harness itself: it builds the
// hello sample for the host, serves add_numbers, and stops cleanly.
func TestEmulatorRunsTheHelloBootstrap(t *testing.T) {
	Require(t)
	dir := t.TempDir()
	bootstrap := filepath.Join(dir, "bootstrap")
	cmd := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-o", bootstrap, "../../samples/hello")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	e := Start(t, bootstrap, "add_numbers")
	status, body := e.Invoke(t, []byte(`{"a":2,"b":40}`))
	if status != 200 || strings.TrimSpace(string(body)) != `{"sum":42}` {
		t.Fatalf("invoke = %d %s\nlogs:\n%s", status, body, e.Logs())
	}
}
