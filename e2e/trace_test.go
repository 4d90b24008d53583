package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gochalice/gochalice/internal/moto"
	"github.com/gochalice/gochalice/internal/testtool"
)

// fakeRuntimeAPI serves the Lambda runtime API for one invocation with the
// headers Lambda sends, including the X-Ray trace header (the emulator sends
// none), and hands back the function's result.
type fakeRuntimeAPI struct {
	event, traceID string
	result         chan string
	served         atomic.Bool
}

func (f *fakeRuntimeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/2018-06-01/runtime/invocation/next":
		if f.served.Swap(true) { // one invocation: hold the next poll until the test ends
			<-r.Context().Done()
			return
		}
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", "req-traced")
		w.Header().Set("Lambda-Runtime-Deadline-Ms", fmt.Sprint(time.Now().Add(time.Minute).UnixMilli()))
		w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:traced-dev-Trace")
		w.Header().Set("Lambda-Runtime-Trace-Id", f.traceID)
		fmt.Fprint(w, f.event)
	default: // .../response, .../error, init/error
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
		f.result <- r.URL.Path + " " + string(b)
	}
}

// serveLoopback runs h on a free 127.0.0.1 port until the test ends.
func serveLoopback(t *testing.T, h http.Handler) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().String()
}

// buildApp builds an app of e2e/apps for this host as a bootstrap.
func buildApp(t *testing.T, name string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bootstrap")
	cmd := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-o", bin, "./apps/"+name)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building apps/%s: %v\n%s", name, err, out)
	}
	return bin
}

// With X-Ray on, Lambda sends each invocation's trace header to the runtime.
// It must reach the invocation's context (framework.TraceHeader), its logger
// (xrayTraceId) and the AWS SDK for Go v2's requests (X-Amzn-Trace-Id, which
// the SDK takes from _X_AMZN_TRACE_ID), here sent to moto through a proxy
// that records them.
func TestTraceHeaderReachesLoggerContextAndSDKCalls(t *testing.T) {
	target, _ := url.Parse(moto.Start(t).URL)
	var mu sync.Mutex
	var sdkTraces []string
	proxy := httputil.NewSingleHostReverseProxy(target)
	recordAddr := serveLoopback(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sdkTraces = append(sdkTraces, r.Header.Get("X-Amzn-Trace-Id"))
		mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))

	const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
	api := &fakeRuntimeAPI{event: `{}`, traceID: trace, result: make(chan string, 4)}
	apiAddr := serveLoopback(t, api)

	bin := buildApp(t, "traced")
	var logs testtool.Output
	cmd := exec.Command(bin)
	cmd.Env = []string{
		"AWS_LAMBDA_RUNTIME_API=" + apiAddr, "_HANDLER=trace", "AWS_LAMBDA_LOG_FORMAT=JSON",
		"AWS_LAMBDA_FUNCTION_NAME=traced-dev-Trace", "AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing",
		"AWS_ENDPOINT_URL=http://" + recordAddr,
	}
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	})
	go func() { _ = cmd.Wait(); close(exited) }()

	var res string
	select {
	case res = <-api.result:
	case <-time.After(30 * time.Second):
		t.Fatalf("no result from the bootstrap; logs:\n%s", logs.String())
	}
	// Stop the bootstrap and wait for its output, which reaches the buffer
	// through a pipe and may lag behind the result.
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	<-exited
	path, body, _ := strings.Cut(res, " ")
	if !strings.HasSuffix(path, "/req-traced/response") {
		t.Fatalf("the invocation failed: %s %s\nlogs:\n%s", path, body, logs.String())
	}
	var seen struct {
		Context, Env string
		Queues       []string
	}
	if err := json.Unmarshal([]byte(body), &seen); err != nil {
		t.Fatalf("result %s: %v", body, err)
	}
	if seen.Context != trace || seen.Env != trace {
		t.Errorf("context %q, env %q; want %q", seen.Context, seen.Env, trace)
	}
	if len(seen.Queues) != 1 || !strings.HasSuffix(seen.Queues[0], "/traced") {
		t.Errorf("queues %v: the SDK calls did not reach moto", seen.Queues)
	}
	mu.Lock()
	if len(sdkTraces) < 2 {
		t.Errorf("%d SDK requests recorded, want 2", len(sdkTraces))
	}
	for i, h := range sdkTraces {
		if h != trace {
			t.Errorf("SDK request %d: X-Amzn-Trace-Id %q, want %q", i, h, trace)
		}
	}
	mu.Unlock()

	var found bool
	for line := range strings.SplitSeq(logs.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil || rec["message"] != "traced" {
			continue
		}
		found = true
		if rec["xrayTraceId"] != "1-5759e988-bd862e3fe1be46a994272793" || rec["requestId"] != "req-traced" || rec["function"] != "trace" {
			t.Errorf("log record %v", rec)
		}
	}
	if !found {
		t.Errorf("no JSON record \"traced\" in the logs:\n%s", logs.String())
	}
}
