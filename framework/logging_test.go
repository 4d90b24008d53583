package framework

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/gochalice/gochalice/internal/testtool"
)

// jsonRecords parses one JSON object per line, failing on any other line.
func jsonRecords(t testing.TB, out string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not a JSON object: %q: %v", sc.Text(), err)
		}
		recs = append(recs, m)
	}
	return recs
}

// checkLambdaRecord checks the keys Lambda's JSON log format reads.
func checkLambdaRecord(t testing.TB, rec map[string]any) {
	t.Helper()
	ts, _ := rec["timestamp"].(string)
	if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
		t.Errorf("timestamp %q is not RFC 3339: %v", ts, err)
	}
	if _, ok := ParseLogLevel(rec["level"].(string)); !ok {
		t.Errorf("level %v is not a Lambda level", rec["level"])
	}
	if _, ok := rec["message"].(string); !ok {
		t.Errorf("no message in %v", rec)
	}
}

func lambdaCtx(requestID, trace string) context.Context {
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: requestID})
	if trace != "" {
		ctx = WithTraceHeader(ctx, trace)
	}
	return ctx
}

func TestInvocationLoggerJSON(t *testing.T) {
	var buf testtool.Output
	app := New("logs")
	app.Logger = slog.New(NewLogHandler(&buf, "JSON", "DEBUG"))
	app.Route("/hello", func(r *Request) (any, error) {
		r.Logger().Debug("hello", "who", "gopher")
		return "ok", nil
	})
	app.Route("/panic", func(r *Request) (any, error) { panic("boom") })
	app.LambdaFunction("evt", func(ctx context.Context, in map[string]string) error {
		Logger(ctx).Warn("event", "in", in["k"])
		return nil
	})
	const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
	invoke := func(ctx context.Context, fn string, payload string) {
		t.Helper()
		if _, err := app.Invoke(ctx, fn, []byte(payload)); err != nil {
			t.Fatal(err)
		}
	}
	invoke(lambdaCtx("req-1", trace), "api_handler", mustJSON(proxyEvent("GET", "/hello", nil)))
	invoke(lambdaCtx("req-2", ""), "evt", `{"k":"v"}`)
	invoke(lambdaCtx("req-3", ""), "api_handler", mustJSON(proxyEvent("GET", "/panic", nil)))

	recs := jsonRecords(t, buf.String())
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3:\n%s", len(recs), buf.String())
	}
	for _, rec := range recs {
		checkLambdaRecord(t, rec)
	}
	want := []map[string]any{
		{"level": "DEBUG", "message": "hello", "who": "gopher", "requestId": "req-1", "function": "api_handler", "coldStart": true, "xrayTraceId": "1-5759e988-bd862e3fe1be46a994272793"},
		{"level": "WARN", "message": "event", "in": "v", "requestId": "req-2", "function": "evt", "coldStart": false},
		{"level": "ERROR", "message": "panic in GET /panic (github.com/gochalice/gochalice/framework.TestInvocationLoggerJSON.func2): boom", "requestId": "req-3", "function": "api_handler", "coldStart": false},
	}
	for i, w := range want {
		for k, v := range w {
			if recs[i][k] != v {
				t.Errorf("record %d: %s = %v, want %v", i, k, recs[i][k], v)
			}
		}
		if _, ok := recs[i]["xrayTraceId"]; ok != (w["xrayTraceId"] != nil) {
			t.Errorf("record %d: xrayTraceId present %v", i, ok)
		}
	}
	stack, _ := recs[2]["stack"].(string)
	if !strings.Contains(stack, "runtime/debug.Stack") || !strings.Contains(stack, "logging_test.go") {
		t.Errorf("the panic record's stack does not reach the view:\n%s", stack)
	}
}

func TestPanicInEventFunctionIsLoggedOnce(t *testing.T) {
	var buf testtool.Output
	app := New("logs")
	app.Logger = slog.New(NewLogHandler(&buf, "JSON", ""))
	app.OnSQSMessage("drain", ExistingQueue("q"), func(ctx context.Context, ev events.SQSEvent) error { panic("kaput") })
	_, err := app.Invoke(lambdaCtx("r", ""), "drain", []byte(`{"Records":[{"eventSource":"aws:sqs"}]}`))
	if err == nil || !strings.Contains(err.Error(), "kaput") {
		t.Fatalf("Invoke = %v, want the panic as an error", err)
	}
	recs := jsonRecords(t, buf.String())
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1:\n%s", len(recs), buf.String())
	}
	if recs[0]["message"] != "panic in function drain: kaput" || recs[0]["level"] != "ERROR" ||
		!strings.Contains(recs[0]["stack"].(string), "logging_test.go") {
		t.Errorf("record %v", recs[0])
	}
}

func TestLogHandlerLevelsAndFormats(t *testing.T) {
	tests := []struct {
		format, level string
		want          []string // one substring per expected line
	}{
		{"JSON", "", []string{`"level":"INFO","message":"info"`, `"level":"WARN"`, `"level":"ERROR"`, `"level":"FATAL"`}},
		{"json", "trace", []string{`"level":"TRACE","message":"trace"`, `"level":"DEBUG"`, `"level":"INFO"`, `"level":"WARN"`, `"level":"ERROR"`, `"level":"FATAL"`}},
		{"JSON", "ERROR", []string{`"level":"ERROR","message":"error"`, `"level":"FATAL","message":"fatal"`}},
		{"Text", "WARN", []string{`level=WARN msg=warn`, `level=ERROR`, `level=FATAL msg=fatal`}},
		{"", "FATAL", []string{`level=FATAL msg=fatal`}},
		{"Text", "bogus", []string{`level=INFO`, `level=WARN`, `level=ERROR`, `level=FATAL`}},
	}
	for _, tt := range tests {
		t.Run(tt.format+"/"+tt.level, func(t *testing.T) {
			var buf bytes.Buffer
			l := slog.New(NewLogHandler(&buf, tt.format, tt.level))
			ctx := context.Background()
			l.Log(ctx, LevelTrace, "trace")
			l.Debug("debug")
			l.Info("info")
			l.Warn("warn")
			l.Error("error")
			l.Log(ctx, LevelFatal, "fatal")
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), len(tt.want), buf.String())
			}
			for i, w := range tt.want {
				if !strings.Contains(lines[i], w) {
					t.Errorf("line %d %q lacks %q", i, lines[i], w)
				}
			}
			if strings.EqualFold(tt.format, "JSON") {
				for _, rec := range jsonRecords(t, buf.String()) {
					checkLambdaRecord(t, rec)
				}
			}
		})
	}
}

func TestErrorLogStillReceivesErrors(t *testing.T) {
	app := New("compat")
	logs := captureLog(app)
	var buf testtool.Output
	app.Logger = slog.New(NewLogHandler(&buf, "JSON", ""))
	app.Route("/", func(r *Request) (any, error) { panic("old") })
	invokeAPI(t, app, proxyEvent("GET", "/", nil))
	if !strings.Contains(logs.String(), "panic in GET / (") || !strings.Contains(logs.String(), "runtime/debug.Stack") {
		t.Errorf("ErrorLog got %q", logs)
	}
	if buf.String() != "" {
		t.Errorf("the logger also got %q", buf.String())
	}
}

func TestTraceRoot(t *testing.T) {
	for in, want := range map[string]string{
		"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1": "1-5759e988-bd862e3fe1be46a994272793",
		"Parent=1; Root=1-2-3": "1-2-3",
		"opaque":               "opaque",
	} {
		if got := traceRoot(in); got != want {
			t.Errorf("traceRoot(%q) = %q, want %q", in, got, want)
		}
	}
}
