package framework

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// tracer records the order middleware runs in.
type tracer struct{ calls []string }

func (tr *tracer) view(name string) Middleware {
	return func(next Handler) Handler {
		return func(r *Request) (any, error) {
			tr.calls = append(tr.calls, name+">")
			res, err := next(r)
			tr.calls = append(tr.calls, "<"+name)
			return res, err
		}
	}
}

func (tr *tracer) function(name string) FunctionMiddleware {
	return func(next FunctionHandler) FunctionHandler {
		return func(ctx context.Context, inv *Invocation) ([]byte, error) {
			tr.calls = append(tr.calls, fmt.Sprintf("%s(%s %s %v)>", name, inv.Function, inv.Kind, inv.Sources))
			out, err := next(ctx, inv)
			tr.calls = append(tr.calls, "<"+name)
			return out, err
		}
	}
}

func TestViewMiddlewareOrderAndResponse(t *testing.T) {
	tests := []struct {
		name       string
		view       Handler
		mw         func(tr *tracer) []Middleware
		wantCalls  string
		wantStatus int
		wantBody   string
		wantHeader string // X-Mw
	}{
		{
			name:       "registration order, first outermost",
			view:       func(r *Request) (any, error) { return map[string]int{"n": 1}, nil },
			mw:         func(tr *tracer) []Middleware { return []Middleware{tr.view("a"), tr.view("b")} },
			wantCalls:  "a> b> <b <a",
			wantStatus: 200, wantBody: `{"n":1}`,
		},
		{
			name: "sees a bare value as a *Response and can set headers",
			view: func(r *Request) (any, error) { return "hi", nil },
			mw: func(tr *tracer) []Middleware {
				return []Middleware{func(next Handler) Handler {
					return func(r *Request) (any, error) {
						res, err := next(r)
						resp := res.(*Response)
						resp.Headers["X-Mw"] = fmt.Sprint(resp.Body)
						return resp, err
					}
				}}
			},
			wantStatus: 200, wantBody: "hi", wantHeader: "hi",
		},
		{
			name: "sees the view's error and can turn it into a response",
			view: func(r *Request) (any, error) { return nil, NotFound("gone") },
			mw: func(tr *tracer) []Middleware {
				return []Middleware{func(next Handler) Handler {
					return func(r *Request) (any, error) {
						_, err := next(r)
						var e *Error
						if errors.As(err, &e) {
							return &Response{StatusCode: 410, Headers: map[string]string{"X-Mw": e.Code}}, nil
						}
						return nil, errors.New("no error seen")
					}
				}}
			},
			wantStatus: 410, wantHeader: "NotFoundError",
		},
		{
			name: "an error from middleware is answered like a view's",
			view: func(r *Request) (any, error) { t.Error("the view ran"); return nil, nil },
			mw: func(tr *tracer) []Middleware {
				return []Middleware{tr.view("a"), func(next Handler) Handler {
					return func(r *Request) (any, error) { return nil, Unauthorized("no token") }
				}}
			},
			wantCalls:  "a> <a",
			wantStatus: 401, wantBody: `{"Code":"UnauthorizedError","Message":"no token"}`,
		},
		{
			name: "a panic in middleware is a 500",
			view: ok,
			mw: func(tr *tracer) []Middleware {
				return []Middleware{func(next Handler) Handler {
					return func(r *Request) (any, error) { panic("boom") }
				}}
			},
			wantStatus: 500, wantBody: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`,
		},
		{
			name:       "a view's *Response keeps its status",
			view:       func(r *Request) (any, error) { return &Response{StatusCode: 201, Body: "made"}, nil },
			mw:         func(tr *tracer) []Middleware { return []Middleware{tr.view("a")} },
			wantCalls:  "a> <a",
			wantStatus: 201, wantBody: "made",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &tracer{}
			app := New("mw")
			captureLog(app)
			app.Use(tt.mw(tr)...)
			app.Route("/x", tt.view)
			resp := invokeAPI(t, app, proxyEvent("GET", "/x", nil))
			if got := strings.Join(tr.calls, " "); got != tt.wantCalls {
				t.Errorf("calls %q, want %q", got, tt.wantCalls)
			}
			if resp.StatusCode != tt.wantStatus || (tt.wantBody != "" && resp.Body != tt.wantBody) {
				t.Errorf("response %d %s, want %d %s", resp.StatusCode, resp.Body, tt.wantStatus, tt.wantBody)
			}
			if resp.Headers["X-Mw"] != tt.wantHeader {
				t.Errorf("X-Mw %q, want %q", resp.Headers["X-Mw"], tt.wantHeader)
			}
		})
	}
}

func TestViewMiddlewareSkipsUnroutedRequests(t *testing.T) {
	tr := &tracer{}
	app := New("mw")
	app.Use(tr.view("a"))
	app.Route("/x", ok)
	if resp := invokeAPI(t, app, proxyEvent("POST", "/x", nil)); resp.StatusCode != 405 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if len(tr.calls) != 0 {
		t.Errorf("middleware ran for a 405: %v", tr.calls)
	}
}

// kindsApp has a function of every kind.
func kindsApp(tr *tracer) *App {
	app := New("kinds")
	app.Route("/x", ok)
	app.LambdaFunction("pure", func(ctx context.Context, in map[string]int) (int, error) { return in["n"] * 2, nil })
	app.EventHandler("fed", func(ctx context.Context, ev events.SQSEvent) error { return nil },
		SQSSource(ExistingQueue("q")), ScheduleSource(Rate(1, Hours)))
	app.Authorizer("auth", func(r *AuthRequest) (*AuthResponse, error) { return Allow("u"), nil })
	return app
}

var kindsEvents = map[string]string{
	"api_handler": mustJSON(proxyEvent("GET", "/x", nil)),
	"pure":        `{"n":2}`,
	"fed":         `{"Records":[{"eventSource":"aws:sqs","body":"x"}]}`,
	"auth":        `{"type":"TOKEN","authorizationToken":"t","methodArn":"arn:aws:execute-api:us-east-1:123456789012:abcdef1234/api/GET/x"}`,
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestFunctionMiddlewareSelection(t *testing.T) {
	tests := []struct {
		kinds []string
		want  map[string]string // function → calls
	}{
		{nil, map[string]string{
			"api_handler": "m(api_handler http [])> <m",
			"pure":        "m(pure pure_lambda [])> <m",
			"fed":         "m(fed event [sqs schedule])> <m",
			"auth":        "m(auth authorizer [])> <m",
		}},
		{[]string{KindHTTP}, map[string]string{"api_handler": "m(api_handler http [])> <m"}},
		{[]string{KindPureLambda, KindAuthorizer}, map[string]string{"pure": "m(pure pure_lambda [])> <m", "auth": "m(auth authorizer [])> <m"}},
		{[]string{"schedule"}, map[string]string{"fed": "m(fed event [sqs schedule])> <m"}},
		{[]string{KindEvent}, map[string]string{"fed": "m(fed event [sqs schedule])> <m"}},
		{[]string{"s3"}, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.kinds, ","), func(t *testing.T) {
			for fn, ev := range kindsEvents {
				tr := &tracer{}
				app := kindsApp(tr)
				app.UseFunctions(tr.function("m"), tt.kinds...)
				if _, err := app.Invoke(context.Background(), fn, []byte(ev)); err != nil {
					t.Fatalf("%s: %v", fn, err)
				}
				if got := strings.Join(tr.calls, " "); got != tt.want[fn] {
					t.Errorf("%s: calls %q, want %q", fn, got, tt.want[fn])
				}
			}
		})
	}
}

func TestFunctionMiddlewareOrderPayloadAndErrors(t *testing.T) {
	tr := &tracer{}
	app := New("fm")
	logs := captureLog(app)
	app.LambdaFunction("double", func(ctx context.Context, in map[string]int) (int, error) {
		if in["n"] < 0 {
			return 0, errors.New("negative")
		}
		return in["n"] * 2, nil
	})
	app.UseFunctions(tr.function("outer"))
	app.UseFunctions(func(next FunctionHandler) FunctionHandler {
		return func(ctx context.Context, inv *Invocation) ([]byte, error) {
			if string(inv.Payload) == `"swap"` {
				inv.Payload = []byte(`{"n":21}`)
			}
			return next(ctx, inv)
		}
	})
	app.UseFunctions(tr.function("inner"))

	out, err := app.Invoke(context.Background(), "double", []byte(`"swap"`))
	if err != nil || string(out) != "42" {
		t.Fatalf("Invoke = %s, %v; want 42", out, err)
	}
	if got, want := strings.Join(tr.calls, " "), "outer(double pure_lambda [])> inner(double pure_lambda [])> <inner <outer"; got != want {
		t.Errorf("calls %q, want %q", got, want)
	}
	if logs.Len() != 0 {
		t.Errorf("a successful invocation logged %q", logs)
	}
	if _, err := app.Invoke(context.Background(), "double", []byte(`{"n":-1}`)); err == nil || err.Error() != "negative" {
		t.Errorf("Invoke = %v, want the function's error", err)
	}
	if !strings.Contains(logs.String(), "function double failed: negative") {
		t.Errorf("the failure was not logged: %q", logs)
	}
}

func TestFunctionMiddlewareCanAnswerAlone(t *testing.T) {
	app := New("fm")
	app.LambdaFunction("f", func() error { t.Error("the function ran"); return nil })
	app.UseFunctions(func(next FunctionHandler) FunctionHandler {
		return func(ctx context.Context, inv *Invocation) ([]byte, error) { return []byte(`"cached"`), nil }
	})
	if out, err := app.Invoke(context.Background(), "f", nil); err != nil || string(out) != `"cached"` {
		t.Errorf("Invoke = %s, %v", out, err)
	}
}

func TestMiddlewareRegistrationErrors(t *testing.T) {
	tests := []struct {
		name     string
		register func(app *App)
		want     string
	}{
		{"nil view middleware", func(app *App) { app.Use(nil) }, "Use: middleware 1 is nil"},
		{"nil second view middleware", func(app *App) {
			app.Use(func(h Handler) Handler { return h })
			app.Use(func(h Handler) Handler { return h }, nil)
		}, "Use: middleware 3 is nil"},
		{"nil function middleware", func(app *App) { app.UseFunctions(nil) }, "UseFunctions: the middleware is nil"},
		{"unknown kind", func(app *App) {
			app.UseFunctions(func(h FunctionHandler) FunctionHandler { return h }, "sqs", "cloudwatch")
		}, `UseFunctions: unknown kind "cloudwatch"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := New("bad")
			app.Route("/", ok)
			tt.register(app)
			_, err := app.Manifest()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Manifest error %v, want %q", err, tt.want)
			}
		})
	}
}

// Middleware applies to every view, whether added before or after the route.
func TestViewMiddlewareAddedAfterRoutes(t *testing.T) {
	tr := &tracer{}
	app := New("mw")
	app.Route("/x", ok)
	app.Use(tr.view("late"))
	app.Route("/y", ok)
	for _, p := range []string{"/x", "/y"} {
		if resp := invokeAPI(t, app, proxyEvent("GET", p, nil)); resp.StatusCode != 200 {
			t.Fatalf("%s: status %d", p, resp.StatusCode)
		}
	}
	if got := strings.Join(tr.calls, " "); got != "late> <late late> <late" {
		t.Errorf("calls %q", got)
	}
}

// Invoke reuses the handler serving a function until function middleware is
// added.
func TestFunctionMiddlewareAddedAfterAnInvoke(t *testing.T) {
	tr := &tracer{}
	app := New("fm")
	app.LambdaFunction("f", func() error { return nil })
	for i, mw := range []FunctionMiddleware{nil, tr.function("late")} {
		if mw != nil {
			app.UseFunctions(mw)
		}
		if _, err := app.Invoke(context.Background(), "f", nil); err != nil {
			t.Fatalf("invoke %d: %v", i, err)
		}
	}
	if got := strings.Join(tr.calls, " "); got != "late(f pure_lambda [])> <late" {
		t.Errorf("calls %q", got)
	}
}
