package chalicetest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework"
	"github.com/gochalice/gochalice/framework/chalicetest"
)

// observedApp records what its middleware sees and logs JSON records.
type observedApp struct {
	app  *framework.App
	mu   sync.Mutex
	seen []string
	logs bytes.Buffer // written under mu (Write)
}

// Write receives the app's log records; the local server writes them from
// its own goroutines.
func (o *observedApp) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.logs.Write(p)
}

func (o *observedApp) record(s string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.seen = append(o.seen, s)
}

func newObservedApp() *observedApp {
	o := &observedApp{app: framework.New("observed")}
	o.app.Logger = slog.New(framework.NewLogHandler(o, "JSON", ""))
	o.app.Use(func(next framework.Handler) framework.Handler {
		return func(r *framework.Request) (any, error) {
			o.record("view " + r.Path)
			res, err := next(r)
			if resp, ok := res.(*framework.Response); ok {
				resp.Headers["X-Observed"] = "1"
			}
			return res, err
		}
	})
	o.app.UseFunctions(func(next framework.FunctionHandler) framework.FunctionHandler {
		return func(ctx context.Context, inv *framework.Invocation) ([]byte, error) {
			o.record("function " + inv.Function + " " + inv.Kind)
			return next(ctx, inv)
		}
	})
	o.app.Route("/hello/{name}", func(r *framework.Request) (any, error) {
		r.Logger().Info("hello", "name", r.PathParam("name"))
		return map[string]string{"hello": r.PathParam("name")}, nil
	})
	o.app.OnSQSMessage("on_job", framework.ExistingQueue("jobs"), func(ctx context.Context, ev events.SQSEvent) error {
		framework.Logger(ctx).Info("job", "n", len(ev.Records))
		return nil
	})
	return o
}

// check compares what the middleware saw and the log records' messages and
// functions.
func (o *observedApp) check(t *testing.T, wantSeen, wantLogs []string) {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	if got := strings.Join(o.seen, "; "); got != strings.Join(wantSeen, "; ") {
		t.Errorf("middleware saw %q, want %q", got, strings.Join(wantSeen, "; "))
	}
	var got []string
	for line := range strings.SplitSeq(strings.TrimSpace(o.logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		got = append(got, rec["function"].(string)+": "+rec["message"].(string))
	}
	if strings.Join(got, "; ") != strings.Join(wantLogs, "; ") {
		t.Errorf("log records %q, want %q", got, wantLogs)
	}
}

var (
	wantSeen = []string{"function api_handler http", "view /hello/{name}", "function on_job event"}
	wantLogs = []string{"api_handler: hello", "on_job: job"}
)

// The test client runs view and function middleware, and the invocation's
// logger, as Lambda does.
func TestClientRunsMiddlewareAndLogger(t *testing.T) {
	o := newObservedApp()
	c := chalicetest.New(t, o.app)
	if res := c.Get("/hello/gopher"); res.StatusCode != 200 || res.Header.Get("X-Observed") != "1" {
		t.Errorf("GET = %s, X-Observed %q", res, res.Header.Get("X-Observed"))
	}
	if _, err := c.Invoke("on_job", chalicetest.SQSEvent("a")); err != nil {
		t.Fatal(err)
	}
	o.check(t, wantSeen, wantLogs)
}

// So does the local server: the gateway and the Lambda Invoke API of
// App.LocalHandler, what chalice-package local serves.
func TestLocalServerRunsMiddlewareAndLogger(t *testing.T) {
	o := newObservedApp()
	srv := httptest.NewServer(o.app.LocalHandler(framework.GatewayConfig{}))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/hello/gopher")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("X-Observed") != "1" {
		t.Errorf("GET = %d, X-Observed %q", res.StatusCode, res.Header.Get("X-Observed"))
	}
	ev, _ := json.Marshal(chalicetest.SQSEvent("a"))
	res, err = http.Post(srv.URL+"/2015-03-31/functions/on_job/invocations", "application/json", bytes.NewReader(ev))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("X-Amz-Function-Error") != "" {
		t.Errorf("invoke on_job = %d %q", res.StatusCode, res.Header.Get("X-Amz-Function-Error"))
	}
	o.check(t, wantSeen, wantLogs)
}
