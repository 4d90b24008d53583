package rie

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gochalice/gochalice/internal/testtool"
)

var (
	helloOnce sync.Once
	helloDir  string
	helloOut  []byte
	helloErr  error
)

// helloBootstrap builds the hello sample for the host once per test binary.
func helloBootstrap(t *testing.T) string {
	t.Helper()
	helloOnce.Do(func() {
		if helloDir, helloErr = os.MkdirTemp("", "gochalice-rie-"); helloErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-o", filepath.Join(helloDir, "bootstrap"), "../../samples/hello")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
		helloOut, helloErr = cmd.CombinedOutput()
	})
	if helloErr != nil {
		t.Fatalf("build: %v\n%s", helloErr, helloOut)
	}
	return filepath.Join(helloDir, "bootstrap")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if helloDir != "" {
		os.RemoveAll(helloDir)
	}
	os.Exit(code)
}

// addNumbers checks that e serves the hello sample's add_numbers.
func addNumbers(t *testing.T, e *Emulator) {
	t.Helper()
	status, body := e.Invoke(t, []byte(`{"a":2,"b":40}`))
	if status != 200 || strings.TrimSpace(string(body)) != `{"sum":42}` {
		t.Fatalf("invoke = %d %s\nlogs:\n%s", status, body, e.Logs())
	}
}

// TestEmulatorRunsTheHelloBootstrap checks the harness itself: it builds the
// hello sample for the host, serves add_numbers, and stops cleanly.
func TestEmulatorRunsTheHelloBootstrap(t *testing.T) {
	Require(t)
	addNumbers(t, Start(t, helloBootstrap(t), "add_numbers"))
}

// TestStartWithATakenPort hands Start a port another listener already holds
// (here an HTTP server of this process that answers 418, as a parallel test
// or another program would): Start must not take that listener for the
// emulator's, nor fail, but start again on fresh ports.
func TestStartWithATakenPort(t *testing.T) {
	Require(t)
	bootstrap := helloBootstrap(t)
	for _, tc := range []struct {
		name  string
		taken func(port string) (invoke, api string)
	}{
		{"invoke port taken", func(p string) (string, string) { return p, testtool.FreePort(t) }},
		{"runtime API port taken", func(p string) (string, string) { return testtool.FreePort(t), p }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				http.Error(w, "not the emulator", http.StatusTeapot)
			})}
			go srv.Serve(l)
			t.Cleanup(func() { srv.Close() })
			port := l.Addr().(*net.TCPAddr).Port

			calls := 0
			saved := pickPorts
			t.Cleanup(func() { pickPorts = saved })
			pickPorts = func(t testing.TB) (string, string) {
				calls++
				if calls == 1 {
					return tc.taken(strconv.Itoa(port))
				}
				return saved(t)
			}
			addNumbers(t, Start(t, bootstrap, "add_numbers"))
			if calls != 2 {
				t.Fatalf("Start picked ports %d times, want 2 (one retry)", calls)
			}
		})
	}
}

// TestACrashingBootstrapStillFails: the retry is for ports only. A bootstrap
// that crashes is started once, and its failure and output reach the test.
func TestACrashingBootstrapStillFails(t *testing.T) {
	Require(t)
	bootstrap := filepath.Join(t.TempDir(), "bootstrap")
	if err := os.WriteFile(bootstrap, []byte("#!/bin/sh\necho bootstrap crashed on purpose >&2\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	calls := 0
	saved := pickPorts
	t.Cleanup(func() { pickPorts = saved })
	pickPorts = func(t testing.TB) (string, string) { calls++; return saved(t) }
	e := Start(t, bootstrap, "add_numbers")
	status, body := e.Invoke(t, []byte(`{}`))
	if status == 200 && !strings.Contains(string(body), "errorType") {
		t.Fatalf("a crashing bootstrap answered %d %s", status, body)
	}
	if logs := e.WaitLogs("crashed on purpose", 5*time.Second); !strings.Contains(logs, "bootstrap crashed on purpose") {
		t.Fatalf("the bootstrap's output is missing from the logs:\n%s", logs)
	}
	if calls != 1 {
		t.Fatalf("Start picked ports %d times, want 1", calls)
	}
}
