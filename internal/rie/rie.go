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
	"strconv"
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
// extraEnv adds KEY=VALUE pairs. It returns once the emulator itself holds
// both of its listeners (the invoke endpoint and the runtime API the
// bootstrap calls), so the first invoke cannot reach a runtime API that is
// not there yet. When the emulator exits at startup because another process
// took one of its ports, Start tries again with fresh ports; any other
// failure ends the test with the emulator's logs. The emulator and the
// bootstrap are stopped by process group when the test ends.
func Start(t testing.TB, bootstrap, handler string, extraEnv ...string) *Emulator {
	t.Helper()
	bin := Require(t)
	for attempt := 1; ; attempt++ {
		invokePort, apiPort := pickPorts(t)
		e, err := launch(bin, bootstrap, handler, invokePort, apiPort, extraEnv)
		if err == nil {
			t.Cleanup(e.stop)
			return e
		}
		if e != nil {
			e.stop()
		}
		if errors.Is(err, errPortTaken) && attempt < startAttempts {
			t.Logf("emulator for %s, attempt %d: %v; trying fresh ports", handler, attempt, err)
			continue
		}
		logs := ""
		if e != nil {
			logs = e.Logs()
		}
		t.Fatalf("emulator for %s: %v\nlogs:\n%s", handler, err, logs)
	}
}

// startAttempts is how many sets of ports Start tries.
const startAttempts = 5

// pickPorts returns the invoke and runtime API ports of one start; a test
// replaces it to hand Start a port that is already taken.
var pickPorts = func(t testing.TB) (invoke, api string) {
	return testtool.FreePort(t), testtool.FreePort(t)
}

// errPortTaken is the startup failure worth a retry with fresh ports.
var errPortTaken = errors.New("a port was taken before the emulator could listen on it")

// launch starts the emulator on the given ports and waits until it listens
// on both. On error the returned Emulator, when not nil, holds the logs and
// must be stopped.
func launch(bin, bootstrap, handler, invokePort, apiPort string, extraEnv []string) (*Emulator, error) {
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
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	e := &Emulator{
		URL:    "http://127.0.0.1:" + invokePort + "/2015-03-31/functions/function/invocations",
		cmd:    cmd,
		logs:   logs,
		client: &http.Client{Timeout: 30 * time.Second},
		done:   make(chan struct{}),
	}
	go func() { _ = cmd.Wait(); close(e.done) }()
	if err := e.waitListening(10*time.Second, invokePort, apiPort); err != nil {
		return e, err
	}
	return e, nil
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

// waitListening waits until the emulator process itself listens on every
// port: a connection alone would not tell its listener from another
// process's that took the port. It returns errPortTaken when the emulator
// exited saying a port was in use.
func (e *Emulator) waitListening(limit time.Duration, ports ...string) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-e.done:
			if strings.Contains(e.Logs(), "address already in use") {
				return fmt.Errorf("the emulator exited at startup: %w", errPortTaken)
			}
			return errors.New("the emulator exited before listening")
		default:
		}
		if listensOn(e.cmd.Process.Pid, ports) {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("not listening on 127.0.0.1 ports %s after %s", strings.Join(ports, " and "), limit)
}

// listensOn reports whether process pid holds a listening TCP socket on
// each port. Where /proc is missing it falls back to connecting, which
// cannot tell whose listener answered.
func listensOn(pid int, ports []string) bool {
	owned, err := listeningPorts(pid)
	if err != nil {
		for _, p := range ports {
			c, err := net.DialTimeout("tcp", "127.0.0.1:"+p, 200*time.Millisecond)
			if err != nil {
				return false
			}
			c.Close()
		}
		return true
	}
	for _, p := range ports {
		if !owned[p] {
			return false
		}
	}
	return true
}

// listeningPorts returns the ports of the IPv4 TCP sockets process pid
// listens on, from /proc (Linux): the sockets in LISTEN state in
// /proc/pid/net/tcp whose inodes are among the process's descriptors.
func listeningPorts(pid int) (map[string]bool, error) {
	table, err := os.ReadFile(fmt.Sprintf("/proc/%d/net/tcp", pid))
	if err != nil {
		return nil, err
	}
	fdDir := fmt.Sprintf("/proc/%d/fd", pid)
	fds, err := os.ReadDir(fdDir)
	if err != nil {
		return nil, err
	}
	sockets := map[string]bool{}
	for _, fd := range fds {
		if target, err := os.Readlink(filepath.Join(fdDir, fd.Name())); err == nil {
			if inode, ok := strings.CutPrefix(target, "socket:["); ok {
				sockets[strings.TrimSuffix(inode, "]")] = true
			}
		}
	}
	ports := map[string]bool{}
	for _, line := range strings.Split(string(table), "\n")[1:] {
		// sl local_address rem_address st tx_queue rx_queue tr tm->when retrnsmt uid timeout inode
		f := strings.Fields(line)
		if len(f) < 10 || f[3] != "0A" || !sockets[f[9]] {
			continue
		}
		_, hexPort, ok := strings.Cut(f[1], ":")
		if !ok {
			continue
		}
		if port, err := strconv.ParseUint(hexPort, 16, 16); err == nil {
			ports[strconv.FormatUint(port, 10)] = true
		}
	}
	return ports, nil
}
