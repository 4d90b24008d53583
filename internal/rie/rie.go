// Package rie runs a bootstrap under the AWS Lambda Runtime Interface Emulator
// for end-to-end tests: the real binary, the real runtime API, the events
// Lambda would send.
//
// The emulator binary (aws-lambda-rie) is installed by .ci/run with
//
//	go install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@VERSION
//
// Both of its listeners are bound to 127.0.0.1 on free ports, never to its
// 0.0.0.0:8080 default.
package rie

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gochalice/gochalice/internal/testtool"
)

// Binary is the emulator's command name.
const Binary = "aws-lambda-rie"

// Find returns the path of the emulator binary: on PATH, or in $GOBIN or
// $GOPATH/bin where go install puts it.
func Find() (string, error) {
	if p, err := exec.LookPath(Binary); err == nil {
		return p, nil
	}
	var dirs []string
	if gobin := os.Getenv("GOBIN"); gobin != "" {
		dirs = append(dirs, gobin)
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, p := range filepath.SplitList(strings.TrimSpace(string(out))) {
			dirs = append(dirs, filepath.Join(p, "bin"))
		}
	}
	for _, d := range dirs {
		p := filepath.Join(d, Binary)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found on PATH or in GOPATH/bin; install it with: go install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@v0.0.0-20261030222936-bef5c4ba774d", Binary)
}

// Require returns the emulator's path. When it is missing the test fails,
// naming it and how to install it (testtool's policy: set
// GOCHALICE_SKIP_MISSING_TOOLS=1 to skip instead).
func Require(t testing.TB) string {
	t.Helper()
	p, err := Find()
	if err != nil {
		testtool.Missing(t, err.Error())
	}
	return p
}

// Emulator is one running emulator serving one function of a bootstrap.
type Emulator struct {
	// URL is the invoke endpoint.
	URL string

	cmd    *exec.Cmd
	logs   *testtool.Output
	client *http.Client
	done   chan struct{}
}

// Start runs bootstrap under the emulator as the function whose Handler is
// handler (passed as _HANDLER, the way Lambda passes it to provided.al2023).
// extraEnv adds KEY=VALUE pairs. The emulator and the bootstrap are stopped by
// process group when the test ends.
func Start(t testing.TB, bootstrap, handler string, extraEnv ...string) *Emulator {
	t.Helper()
	bin := Require(t)
	invokePort, apiPort := testtool.FreePort(t), testtool.FreePort(t)
	cmd := exec.Command(bin,
		"--runtime-interface-emulator-address", "127.0.0.1:"+invokePort,
		"--runtime-api-address", "127.0.0.1:"+apiPort,
		bootstrap)
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"_HANDLER=" + handler,
		"AWS_LAMBDA_FUNCTION_HANDLER=" + handler,
		"AWS_LAMBDA_FUNCTION_NAME=" + handler,
		"AWS_LAMBDA_FUNCTION_TIMEOUT=30",
		"AWS_REGION=us-east-1",
	}, extraEnv...)
	logs := &testtool.Output{}
	cmd.Stdout, cmd.Stderr = logs, logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	e := &Emulator{
		URL:    "http://127.0.0.1:" + invokePort + "/2015-03-31/functions/function/invocations",
		cmd:    cmd,
		logs:   logs,
		client: &http.Client{Timeout: 30 * time.Second},
		done:   make(chan struct{}),
	}
	go func() { _ = cmd.Wait(); close(e.done) }()
	t.Cleanup(e.stop)
	if err := waitListening("127.0.0.1:"+invokePort, e.done, 10*time.Second); err != nil {
		t.Fatalf("emulator for %s: %v\nlogs:\n%s", handler, err, logs.String())
	}
	return e
}

// stop kills the emulator and the bootstrap it started (one process group).
func (e *Emulator) stop() {
	if e.cmd.Process != nil {
		_ = syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL)
	}
	select {
	case <-e.done:
	case <-time.After(5 * time.Second):
	}
}

// Invoke sends one event and returns the HTTP status and the body the
// emulator answered: the function's result, or {"errorMessage","errorType"}.
func (e *Emulator) Invoke(t testing.TB, event []byte) (int, []byte) {
	t.Helper()
	status, body, err := e.invoke(event)
	if err != nil {
		t.Fatalf("invoke: %v\nemulator logs:\n%s", err, e.Logs())
	}
	return status, body
}

func (e *Emulator) invoke(event []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, e.URL, bytes.NewReader(event))
	if err != nil {
		return 0, nil, err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// Logs returns everything the emulator and the bootstrap printed so far.
func (e *Emulator) Logs() string { return e.logs.String() }

// WaitLogs returns the output once it holds want and the end of the line
// holding it, or after limit: the bootstrap's output reaches the emulator
// through a pipe and may arrive after the invocation's response.
func (e *Emulator) WaitLogs(want string, limit time.Duration) string {
	deadline := time.Now().Add(limit)
	for {
		logs := e.Logs()
		if i := strings.Index(logs, want); i >= 0 && strings.Contains(logs[i:], "\n") || time.Now().After(deadline) {
			return logs
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func waitListening(addr string, exited <-chan struct{}, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("the emulator exited before listening")
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("not listening on %s after %s", addr, limit)
}
