package framework

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/internal/rie"
)

var (
	observeOnce sync.Once
	observeBin  string
	observeErr  string
)

// observeBootstrap builds testdata/observe once per test binary, the way
// chalice-package builds a bootstrap (static, lambda.norpc), for this host.
func observeBootstrap(t *testing.T) string {
	t.Helper()
	rie.Require(t)
	observeOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gochalice-observe-")
		if err != nil {
			observeErr = err.Error()
			return
		}
		bin := filepath.Join(dir, "bootstrap")
		cmd := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-o", bin, "./testdata/observe")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			observeErr = err.Error() + "\n" + string(out)
			return
		}
		observeBin = bin
	})
	if observeBin == "" {
		t.Fatalf("building testdata/observe: %s", observeErr)
	}
	return observeBin
}

// emulatorRecords returns the JSON records among the emulator's output
// lines (the emulator's own lines are text); any other line that starts
// with '{' fails the test.
func emulatorRecords(t *testing.T, logs string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	for line := range strings.SplitSeq(logs, "\n") {
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", line, err)
		}
		recs = append(recs, m)
	}
	return recs
}

func findRecords(recs []map[string]any, message string) []map[string]any {
	var out []map[string]any
	for _, r := range recs {
		if r["message"] == message {
			out = append(out, r)
		}
	}
	return out
}

func TestObservabilityUnderEmulatorJSON(t *testing.T) {
	bin := observeBootstrap(t)
	em := rie.Start(t, bin, "api_handler", EnvLogFormat+"=JSON", EnvLogLevel+"=DEBUG")

	hello, _ := json.Marshal(proxyEvent("GET", "/hello/{name}", map[string]string{"name": "gopher"}))
	for range 2 {
		status, body := em.Invoke(t, hello)
		var resp events.APIGatewayProxyResponse
		if err := json.Unmarshal(body, &resp); status != 200 || err != nil || resp.StatusCode != 200 || resp.Headers["X-Mw"] != "1" {
			t.Fatalf("hello: %d %s (%v)\n%s", status, body, err, em.Logs())
		}
	}
	panicEv, _ := json.Marshal(proxyEvent("GET", "/panic", nil))
	_, body := em.Invoke(t, panicEv)
	if !strings.Contains(string(body), `"statusCode":500`) {
		t.Fatalf("panic: %s", body)
	}

	recs := emulatorRecords(t, em.WaitLogs("view exploded", 10*time.Second))
	for _, r := range recs {
		checkLambdaRecord(t, r)
		if r["function"] != "api_handler" || r["requestId"] == "" || r["requestId"] == nil {
			t.Errorf("record without the invocation's attributes: %v", r)
		}
	}
	// Per invocation, in order: the function middleware's DEBUG record, the
	// view's, the EMF record, the view middleware's.
	var got []string
	for _, r := range recs {
		got = append(got, r["message"].(string))
	}
	want := []string{"invocation", "hello", "metrics", "request", "invocation", "hello", "metrics", "request",
		"invocation", "panic in GET /panic (main.main.func4): view exploded"}
	if !slices.Equal(got, want) {
		t.Fatalf("records %q\nwant    %q\nlogs:\n%s", got, want, em.Logs())
	}
	if recs[0]["coldStart"] != true || recs[4]["coldStart"] != false {
		t.Errorf("coldStart: first %v, second %v", recs[0]["coldStart"], recs[4]["coldStart"])
	}
	if recs[0]["requestId"] == recs[4]["requestId"] || recs[0]["requestId"] != recs[3]["requestId"] {
		t.Errorf("request IDs: %v %v %v", recs[0]["requestId"], recs[3]["requestId"], recs[4]["requestId"])
	}
	if recs[0]["kind"] != KindHTTP || recs[1]["name"] != "gopher" || recs[3]["path"] != "/hello/{name}" {
		t.Errorf("attributes: %v %v %v", recs[0], recs[1], recs[3])
	}
	for _, m := range findRecords(recs, "metrics") {
		if err := checkEMF(m); err != nil {
			t.Errorf("EMF: %v: %v", err, m)
		}
		if m["Hellos"] != 1.0 || m["Route"] != "/hello/{name}" {
			t.Errorf("EMF values: %v", m)
		}
	}
	p := recs[9]
	if p["level"] != "ERROR" || !strings.Contains(p["stack"].(string), "main.main.func4") {
		t.Errorf("panic record: %v", p)
	}
}

func TestObservabilityUnderEmulatorLevel(t *testing.T) {
	bin := observeBootstrap(t)
	em := rie.Start(t, bin, "tick", EnvLogFormat+"=JSON", EnvLogLevel+"=WARN")
	ev := `{"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2026-11-26T06:00:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/x"],"detail":{}}`
	if status, body := em.Invoke(t, []byte(ev)); status != 200 || string(body) != "null" {
		t.Fatalf("tick: %d %s\n%s", status, body, em.Logs())
	}
	recs := emulatorRecords(t, em.WaitLogs("global slog", 10*time.Second))
	var got []string
	for _, r := range recs {
		checkLambdaRecord(t, r)
		got = append(got, r["level"].(string)+" "+r["message"].(string))
		if r["message"] == "global slog" {
			continue // slog's default: the function's format, not the invocation's attributes
		}
		if r["function"] != "tick" || r["coldStart"] != true {
			t.Errorf("record %v", r)
		}
	}
	if want := []string{"WARN tick warn", "ERROR tick error", "WARN global slog"}; !slices.Equal(got, want) {
		t.Errorf("records %q, want %q\nlogs:\n%s", got, want, em.Logs())
	}
}

func TestObservabilityUnderEmulatorText(t *testing.T) {
	bin := observeBootstrap(t)
	em := rie.Start(t, bin, "tick")
	ev := `{"version":"0","id":"e1","detail-type":"Scheduled Event","source":"aws.events","detail":{}}`
	if status, _ := em.Invoke(t, []byte(ev)); status != 200 {
		t.Fatalf("tick: %d\n%s", status, em.Logs())
	}
	logs := em.WaitLogs("global info", 10*time.Second)
	if !strings.Contains(logs, `level=INFO msg="tick info"`) || !strings.Contains(logs, "function=tick coldStart=true") || strings.Contains(logs, "tick trace") {
		t.Errorf("text logs:\n%s", logs)
	}
}
