package local

import (
	"bufio"
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
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

// cli builds chalice-package once per test binary.
func cli(t *testing.T) string {
	t.Helper()
	cliOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gochalice-local-cli-")
		if err != nil {
			cliErr = err
			return
		}
		cliPath = filepath.Join(dir, "chalice-package")
		if out, err := exec.Command("go", "build", "-o", cliPath, "../../cmd/chalice-package").CombinedOutput(); err != nil {
			cliErr = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if cliErr != nil {
		t.Fatalf("building chalice-package: %v", cliErr)
	}
	return cliPath
}

const appSource = `package main

import (
	"context"
	"errors"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	app := framework.New("loc")
	app.Route("/hello/{name}", func(r *framework.Request) (any, error) {
		return map[string]string{"GREETING": "hello", "name": r.PathParam("name")}, nil
	})
	app.Route("/payload", func(r *framework.Request) (any, error) {
		if ev := r.EventV2(); ev != nil {
			return ev.Version + " " + ev.RawPath, nil
		}
		return "1.0 " + r.Event().Path, nil
	})
	app.Route("/env", func(r *framework.Request) (any, error) {
		return map[string]string{"color": getenv("COLOR")}, nil
	})
	app.LambdaFunction("add", func(ctx context.Context, in struct{ A, B int }) (map[string]int, error) {
		return map[string]int{"sum": in.A + in.B}, nil
	})
	app.LambdaFunction("fail", func() error { return errors.New("it broke") })
	app.Run()
}
`

const config = `{"version": "2.0", "app_name": "loc",
  "stages": {"dev": {"environment_variables": {"COLOR": "blue"}}, "prod": {"environment_variables": {"COLOR": "red"}}}}`

// httpConfig makes the dev stage an HTTP API.
var httpConfig = strings.Replace(config, `"dev": {`, `"dev": {"api_gateway_type": "http", `, 1)

const envSource = `package main

import "os"

func getenv(k string) string { return os.Getenv(k) }
`

// newAppModule writes an app in a module of its own that uses this
// repository's framework.
func newAppModule(t *testing.T) string {
	t.Helper()
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	gomod := "module example.com/loc\n\ngo 1.24\n\nrequire github.com/gochalice/gochalice v0.0.0\n\nreplace github.com/gochalice/gochalice => " + repo + "\n"
	write(t, dir, "go.mod", gomod)
	write(t, dir, "go.sum", string(sum))
	write(t, dir, "main.go", appSource)
	write(t, dir, "env.go", envSource)
	write(t, dir, ".chalice/config.json", config)
	cmd := exec.Command("go", "mod", "tidy")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go mod tidy: %v\n%s", err, out)
	}
	return dir
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// running is chalice-package local running in its own process group.
type running struct {
	cmd  *exec.Cmd
	url  string
	logs *syncBuffer
	done chan struct{}
}

func startLocal(t *testing.T, dir string, port int, args ...string) *running {
	t.Helper()
	cmd := exec.Command(cli(t), append([]string{"local", "--host", "127.0.0.1", "--port", strconv.Itoa(port)}, append(args, dir)...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	r := &running{cmd: cmd, logs: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = r.logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// The builds it runs have process groups of their own.
		for _, pid := range children(cmd.Process.Pid) {
			syscall.Kill(-pid, syscall.SIGKILL)
		}
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-r.done
	})
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "Serving on "); ok {
				urlc <- u
			}
		}
	}()
	go func() { cmd.Wait(); close(r.done) }()
	select {
	case r.url = <-urlc:
	case <-r.done:
		t.Fatalf("chalice-package local exited: %v\n%s", cmd.ProcessState, r.logs.String())
	case <-time.After(3 * time.Minute):
		t.Fatalf("chalice-package local did not start\n%s", r.logs.String())
	}
	return r
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// children returns the PIDs of the direct children of pid (of any of its
// threads).
func children(pid int) []int {
	files, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	var all []string
	for _, f := range files {
		b, _ := os.ReadFile(f)
		all = append(all, strings.Fields(string(b))...)
	}
	var out []int
	for _, f := range all {
		if n, err := strconv.Atoi(f); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// TestLocalEndToEnd runs chalice-package local on a free port and uses it
// as a developer would: net/http, the AWS SDK's Lambda client, an edit that
// reloads, a compile error that keeps the old build serving, and a stop by
// PID that frees the port and ends every process it started.
func TestLocalEndToEnd(t *testing.T) {
	dir := newAppModule(t)
	port := freePort(t)
	r := startLocal(t, dir, port)

	if code, body := get(t, r.url+"/hello/bob"); code != 200 || body != `{"GREETING":"hello","name":"bob"}` {
		t.Fatalf("GET /hello/bob = %d %s", code, body)
	}
	if code, body := get(t, r.url+"/env"); code != 200 || body != `{"color":"blue"}` {
		t.Errorf("GET /env = %d %s, want the dev stage's COLOR", code, body)
	}
	if code, body := get(t, r.url+"/nope"); code != 403 || body != `{"message":"Missing Authentication Token"}` {
		t.Errorf("GET /nope = %d %s", code, body)
	}
	if _, body := get(t, r.url+"/payload"); body != "1.0 /payload" {
		t.Errorf("GET /payload = %s, want a REST proxy event (1.0)", body)
	}

	client := lambda.New(lambda.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(r.url),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	out, err := client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("add"), Payload: []byte(`{"A":2,"B":3}`)})
	if err != nil {
		t.Fatalf("Lambda Invoke add: %v", err)
	}
	if string(out.Payload) != `{"sum":5}` || out.FunctionError != nil || out.StatusCode != 200 {
		t.Errorf("add = %d %s (function error %v)", out.StatusCode, out.Payload, aws.ToString(out.FunctionError))
	}
	out, err = client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("fail")})
	if err != nil {
		t.Fatalf("Lambda Invoke fail: %v", err)
	}
	if aws.ToString(out.FunctionError) != "Unhandled" || !strings.Contains(string(out.Payload), `"errorMessage":"it broke"`) {
		t.Errorf("fail = %s (function error %q)", out.Payload, aws.ToString(out.FunctionError))
	}
	_, err = client.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("nope")})
	var notFound *types.ResourceNotFoundException
	if !errors.As(err, &notFound) {
		t.Errorf("Invoke nope: error %v, want ResourceNotFoundException", err)
	}

	// An edit is served after a rebuild, on the same socket, and no request
	// sent meanwhile (each on a new connection) fails. The same reload makes
	// the stage an HTTP API, which is then emulated (payload 2.0).
	stopLoad := make(chan struct{})
	loadDone := make(chan []string)
	go func() {
		var failures []string
		noKeepAlive := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		for {
			select {
			case <-stopLoad:
				loadDone <- failures
				return
			default:
			}
			res, err := noKeepAlive.Get(r.url + "/hello/bob")
			if err != nil {
				failures = append(failures, err.Error())
				continue
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				failures = append(failures, res.Status)
			}
		}
	}()
	saved := time.Now()
	write(t, dir, ".chalice/config.json", httpConfig)
	write(t, dir, "main.go", strings.Replace(appSource, `"hello"`, `"hi"`, 1))
	waitFor(t, r, "the edit", func() bool {
		_, body := get(t, r.url+"/hello/bob")
		return body == `{"GREETING":"hi","name":"bob"}`
	})
	if _, body := get(t, r.url+"/payload"); body != "2.0 /api/payload" {
		t.Errorf("GET /payload on the http stage = %s, want an HTTP API event (2.0) with the stage in rawPath", body)
	}
	if code, body := get(t, r.url+"/nope"); code != 404 || body != `{"message":"Not Found"}` {
		t.Errorf("GET /nope on the http stage = %d %s, want 404 Not Found", code, body)
	}
	t.Logf("reload: %s from saving main.go to the new build serving", time.Since(saved).Round(time.Millisecond))
	time.Sleep(500 * time.Millisecond) // the old build finishes and exits
	close(stopLoad)
	if failures := <-loadDone; len(failures) > 0 {
		t.Errorf("%d requests failed during the reload, e.g. %s", len(failures), failures[0])
	}

	// A compile error leaves the previous build serving.
	write(t, dir, "main.go", strings.Replace(appSource, `"hello"`, `undefinedName`, 1))
	waitFor(t, r, "the failed build", func() bool { return strings.Contains(r.logs.String(), "reload failed") })
	if code, body := get(t, r.url+"/hello/bob"); code != 200 || body != `{"GREETING":"hi","name":"bob"}` {
		t.Errorf("after a compile error GET = %d %s, want the previous build", code, body)
	}
	if !strings.Contains(r.logs.String(), "undefinedName") {
		t.Errorf("the compile error is not printed:\n%s", r.logs.String())
	}

	// SIGTERM to the PID stops everything.
	kids := children(r.cmd.Process.Pid)
	if len(kids) == 0 {
		t.Error("no child process found under chalice-package local")
	}
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.done:
	case <-time.After(15 * time.Second):
		t.Fatalf("chalice-package local did not stop on SIGTERM\n%s", r.logs.String())
	}
	if ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port)); err != nil {
		t.Errorf("port %d still in use after stopping: %v", port, err)
	} else {
		ln.Close()
	}
	for _, pid := range kids {
		if err := syscall.Kill(pid, 0); err == nil {
			t.Errorf("child process %d still running", pid)
		}
	}
	if !strings.Contains(r.logs.String(), "GET /hello/bob 200") {
		t.Errorf("no request log line:\n%s", r.logs.String())
	}
}

func waitFor(t *testing.T, r *running, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s\nlog:\n%s", what, r.logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestBadInput checks each mistake gets one clear sentence, a non-zero exit
// and leaves nothing running.
func TestBadInput(t *testing.T) {
	dir := newAppModule(t)
	broken := t.TempDir()
	for _, f := range []string{"go.mod", "go.sum", "env.go"} {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		write(t, broken, f, string(b))
	}
	write(t, broken, "main.go", strings.Replace(appSource, `"hello"`, `undefinedName`, 1))
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)
	notJSON := filepath.Join(t.TempDir(), "event.json")
	write(t, filepath.Dir(notJSON), "event.json", "{not json")
	free := strconv.Itoa(freePort(t))

	for _, c := range []struct {
		name string
		args []string
		want string
		port string // a port that must be free afterwards
	}{
		{"port in use", []string{"local", "--port", busyPort, dir}, "port " + busyPort + " on 127.0.0.1 is already in use", ""},
		{"does not compile", []string{"local", "--port", free, broken}, "undefinedName", free},
		{"unknown stage", []string{"local", "--port", free, "--stage", "qa", dir}, `unknown stage "qa"`, free},
		{"event not JSON", []string{"invoke", "add", dir, "--event", notJSON}, "is not JSON", ""},
		{"unknown function", []string{"invoke", "nope", dir}, `unknown handler "nope"`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(cli(t), c.args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() == 0 {
				t.Fatalf("exit: %v, want a non-zero status", err)
			}
			if !strings.Contains(stderr.String(), c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, stderr.String())
			}
			if c.port != "" {
				ln, err := net.Listen("tcp", "127.0.0.1:"+c.port)
				if err != nil {
					t.Errorf("port %s still in use: %v", c.port, err)
				} else {
					ln.Close()
				}
			}
		})
	}
}

func TestInvokeCommand(t *testing.T) {
	dir := newAppModule(t)
	for _, c := range []struct {
		name, fn, event string
		wantOut         string
		wantFail        bool
	}{
		{"result", "add", `{"A":1,"B":2}`, `{"sum":3}`, false},
		{"function error", "fail", `{}`, `{"errorMessage":"it broke","errorType":"errorString"}`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(cli(t), "invoke", c.fn, dir, "--event", "-")
			cmd.Stdin = strings.NewReader(c.event)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if (err != nil) != c.wantFail {
				t.Fatalf("exit %v (want failure %v)\n%s", err, c.wantFail, stderr.String())
			}
			if strings.TrimSpace(stdout.String()) != c.wantOut {
				t.Errorf("stdout = %s, want %s", stdout.String(), c.wantOut)
			}
		})
	}
}
