// Package local runs a gochalice app on this machine: `chalice-package
// local` (the API Gateway emulation and the Lambda Invoke API behind one
// listening socket, rebuilt and swapped on change) and `chalice-package
// invoke` (one function, one event).
//
// The packager cannot link the user's app, so it builds the app for the host
// and runs that binary in the framework's local or invoke mode
// (manifest.ModeLocal, manifest.ModeInvoke), passing the stage's settings
// in the environment.
package local

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/build"
	"github.com/gochalice/gochalice/stages"
)

// StartTimeout bounds how long a built app may take to start listening.
var StartTimeout = 30 * time.Second

// stageSettings are what a stage gives the local run: the environment of
// the process and the gateway's settings.
type stageSettings struct {
	env        []string
	config     manifest.LocalConfig
	unresolved []string
	httpAPI    bool // the stage deploys an HTTP API (payload 2.0)
}

// loadStage reads the stage of the app in appDir. function chooses whose
// environment the process gets (one process serves every function).
func loadStage(appDir, stage, function string) (stageSettings, error) {
	cfg, err := stages.Load(appDir)
	if err != nil {
		return stageSettings{}, err
	}
	st, err := cfg.Stage(stage, stages.Overrides{})
	if err != nil {
		return stageSettings{}, err
	}
	env, unresolved := st.LocalEnvironment(function)
	var s stageSettings
	for k, v := range env {
		s.env = append(s.env, k+"="+v)
	}
	s.unresolved = unresolved
	s.httpAPI = st.API.HTTP()
	s.config = manifest.LocalConfig{Stage: st.APIGatewayStage, HTTPAPI: s.httpAPI, Timeouts: map[string]int{"*": st.Defaults.Timeout}}
	for name, fc := range st.Functions {
		s.config.Timeouts[name] = fc.Timeout
	}
	for _, p := range st.Parameters {
		if p.Default != nil {
			if s.config.Parameters == nil {
				s.config.Parameters = map[string]string{}
			}
			s.config.Parameters[p.Name] = *p.Default
		}
	}
	return s, nil
}

// processEnv is the environment of a local run: this process's, without
// what would switch the app into Lambda mode, plus the stage's variables
// and the mode's settings.
func processEnv(s stageSettings, extra ...string) ([]string, error) {
	cfg, err := json.Marshal(s.config)
	if err != nil {
		return nil, err
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "AWS_LAMBDA_RUNTIME_API", "_HANDLER", manifest.EnvMode:
			continue
		}
		env = append(env, kv)
	}
	env = append(env, s.env...)
	env = append(env, "AWS_REGION=us-east-1", manifest.EnvLocalConfig+"="+string(cfg))
	return append(env, extra...), nil
}

// buildApp compiles the app into dir/name.
func buildApp(ctx context.Context, appDir, dir, name string) (string, error) {
	bin := filepath.Join(dir, name)
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if err := build.Host(ctx, appDir, bin, manifest.LocalBuildTag); err != nil {
		return "", err
	}
	return bin, nil
}

// child is one running build of the app in local mode.
type child struct {
	url  string
	cmd  *exec.Cmd
	done chan struct{}
}

// startChild runs bin in local mode serving on the listening socket sock
// (inherited as file descriptor 3) and waits until it serves. Its log goes
// to logw.
func startChild(appDir, bin string, s stageSettings, sock *os.File, logw io.Writer) (*child, error) {
	env, err := processEnv(s, manifest.EnvMode+"="+manifest.ModeLocal, manifest.EnvLocalListener+"=3")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin)
	cmd.Dir = appDir
	cmd.Env = env
	cmd.ExtraFiles = []*os.File{sock}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	// A file (the terminal) is handed to the child as is: no copying per
	// log line. Otherwise the log is copied, and kept until the child
	// serves, for the error.
	early := &earlyLog{w: logw}
	cmd.Stderr = early
	if f, ok := logw.(*os.File); ok {
		cmd.Stderr = f
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the app: %w", err)
	}
	c := &child{cmd: cmd, done: make(chan struct{})}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		found := false
		for sc.Scan() {
			line := sc.Text()
			if !found && strings.HasPrefix(line, manifest.ListeningPrefix) {
				found = true
				urlc <- strings.TrimPrefix(line, manifest.ListeningPrefix)
				continue
			}
			fmt.Fprintln(logw, line)
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { cmd.Wait(); close(c.done) }()
	select {
	case c.url = <-urlc:
		early.stopKeeping()
		return c, nil
	case <-c.done:
		if _, ok := cmd.Stderr.(*os.File); ok {
			return nil, fmt.Errorf("the app exited before serving (%s); its output is above", cmd.ProcessState)
		}
		return nil, fmt.Errorf("the app exited before serving (%s):\n%s", cmd.ProcessState, strings.TrimSpace(early.String()))
	case <-time.After(StartTimeout):
		c.stop()
		return nil, fmt.Errorf("the app did not start serving within %s: does its init code block before app.Run()?", StartTimeout)
	}
}

// stop ends the child's process group: SIGTERM, then SIGKILL after 5 s.
func (c *child) stop() {
	if c == nil || c.cmd.Process == nil {
		return
	}
	pgid := -c.cmd.Process.Pid
	syscall.Kill(pgid, syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
		syscall.Kill(pgid, syscall.SIGKILL)
		<-c.done
	}
}

// earlyLog forwards a child's standard error and keeps a copy until the
// child serves.
type earlyLog struct {
	w    io.Writer
	mu   sync.Mutex
	kept strings.Builder
	done bool
}

func (e *earlyLog) Write(p []byte) (int, error) {
	e.mu.Lock()
	if !e.done {
		e.kept.Write(p)
	}
	e.mu.Unlock()
	return e.w.Write(p)
}

func (e *earlyLog) stopKeeping() {
	e.mu.Lock()
	e.done = true
	e.kept.Reset()
	e.mu.Unlock()
}

func (e *earlyLog) String() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.kept.String()
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// InvokeOptions are the inputs of Invoke.
type InvokeOptions struct {
	// AppDir is the app's directory (default ".").
	AppDir string
	// Stage is the stage whose settings apply (default "dev").
	Stage string
	// Function is the function to run.
	Function string
	// Event is the event JSON.
	Event []byte
}

// ErrFunction is returned (wrapped) by Invoke when the function itself
// failed; its error JSON has been written to stdout.
var ErrFunction = errors.New("the function returned an error")

// Invoke builds the app and runs one function with one event, writing its
// result JSON (or its error JSON, returning ErrFunction) to stdout and the
// app's log to stderr.
func Invoke(ctx context.Context, o InvokeOptions, stdout, stderr io.Writer) error {
	if o.AppDir == "" {
		o.AppDir = "."
	}
	if o.Stage == "" {
		o.Stage = stages.DefaultStage
	}
	if !json.Valid(o.Event) {
		return errors.New("the event is not JSON")
	}
	s, err := loadStage(o.AppDir, o.Stage, o.Function)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "gochalice-invoke-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin, err := buildApp(ctx, o.AppDir, tmp, "app")
	if err != nil {
		return err
	}
	env, err := processEnv(s, manifest.EnvMode+"="+manifest.ModeInvoke, manifest.EnvInvoke+"="+o.Function)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin)
	cmd.Dir = o.AppDir
	cmd.Env = env
	cmd.Stdin = strings.NewReader(string(o.Event))
	var errb syncBuffer
	cmd.Stdout = stdout
	cmd.Stderr = io.MultiWriter(stderr, &errb)
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &exit) && exit.ExitCode() == manifest.ExitFunctionError:
		return fmt.Errorf("function %s: %w", o.Function, ErrFunction)
	case errors.As(err, &exit) && exit.ExitCode() == 2:
		msg := strings.TrimSpace(errb.String())
		if i := strings.LastIndex(msg, "\n"); i >= 0 {
			msg = msg[i+1:]
		}
		return errors.New(strings.TrimPrefix(msg, "gochalice: "))
	}
	return fmt.Errorf("running function %s: %w", o.Function, err)
}
