// Package moto runs moto in server mode (moto_server), a local service
// speaking the AWS protocols (DynamoDB, S3, SQS, SNS, Cognito, ...), for
// tests of the AWS SDK calls an app makes. Each server binds 127.0.0.1 on a
// free port and is stopped by process group when the test ends. It is
// imported by tests only.
package moto

import (
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gochalice/gochalice/internal/testtool"
)

// Install says how to get moto_server; .ci/run installs it.
const Install = "pip install 'moto[server]==5.2.5'"

// Server is one running moto_server.
type Server struct {
	// URL is the endpoint every service answers on, http://127.0.0.1:PORT.
	URL string

	cmd  *exec.Cmd
	logs *testtool.Output
	done chan struct{}
}

// Start runs moto_server on 127.0.0.1 and a free port, waits until it
// answers, and stops it (by process group) when the test ends. Without
// moto_server on PATH the test is skipped, or fails when CI is set.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := testtool.Require(t, "moto_server", Install)
	// A port free a moment ago may be taken by another process before the
	// server binds it: it then exits at once, and a fresh port is tried.
	for attempt := 1; ; attempt++ {
		s, err := launch(t, bin)
		if err == nil {
			return s
		}
		if s != nil && attempt < 5 && strings.Contains(s.logs.String(), "Address already in use") {
			s.stop()
			continue
		}
		logs := ""
		if s != nil {
			logs = s.logs.String()
		}
		t.Fatalf("moto_server: %v\nlogs:\n%s", err, logs)
	}
}

// pickPort returns the port of one start; a test replaces it to take one.
var pickPort = testtool.FreePort

// launch starts the server on a free port and waits for its answer. On
// error the returned Server, when not nil, holds the logs.
func launch(t testing.TB, bin string) (*Server, error) {
	port := pickPort(t)
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", port)
	logs := &testtool.Output{}
	cmd.Stdout, cmd.Stderr = logs, logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	s := &Server{URL: "http://127.0.0.1:" + port, cmd: cmd, logs: logs, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()
	t.Cleanup(s.stop)
	return s, s.wait(30 * time.Second)
}

// Env returns the environment that points aws-sdk-go-v2 (and the AWS CLI)
// at the server: AWS_ENDPOINT_URL, dummy credentials and a region.
func (s *Server) Env() map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL":          s.URL,
		"AWS_ACCESS_KEY_ID":         "testing",
		"AWS_SECRET_ACCESS_KEY":     "testing",
		"AWS_SESSION_TOKEN":         "testing",
		"AWS_REGION":                "us-east-1",
		"AWS_EC2_METADATA_DISABLED": "true",
	}
}

// SetEnv sets Env for the rest of the test (t.Setenv).
func (s *Server) SetEnv(t testing.TB) {
	t.Helper()
	for k, v := range s.Env() {
		t.Setenv(k, v)
	}
}

// Logs returns what the server printed so far.
func (s *Server) Logs() string { return s.logs.String() }

func (s *Server) stop() {
	if s.cmd.Process != nil {
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	}
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
	}
}

// wait polls the server until it answers HTTP.
func (s *Server) wait(limit time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return errors.New("moto_server exited before answering")
		default:
		}
		if resp, err := client.Get(s.URL + "/moto-api/"); err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("no answer on %s after %s", s.URL, limit)
}
