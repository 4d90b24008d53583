package framework

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestRequestDecoding(t *testing.T) {
	var got *Request
	app := New("t")
	app.Route("/users/{id}/files/{proxy+}", func(r *Request) (any, error) {
		got = r
		return nil, nil
	}, Methods("POST"))

	ev := proxyEvent("POST", "/users/{id}/files/{proxy+}", map[string]string{"id": "7", "proxy": "a/b.txt"})
	ev.MultiValueHeaders = map[string][]string{"x-multi": {"1", "2"}, "content-type": {"application/json"}}
	ev.Headers = map[string]string{"x-multi": "2", "content-type": "application/json"}
	ev.MultiValueQueryStringParameters = map[string][]string{"tag": {"a", "b"}, "q": {"x y"}}
	ev.QueryStringParameters = map[string]string{"tag": "b", "q": "x y"}
	ev.StageVariables = map[string]string{"env": "dev"}
	ev.Body = base64.StdEncoding.EncodeToString([]byte{0, 1, 2, 0xff})
	ev.IsBase64Encoded = true

	resp := invokeAPI(t, app, ev)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, resp.Body)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"method", got.Method, "POST"},
		{"path", got.Path, "/users/{id}/files/{proxy+}"},
		{"id", got.PathParam("id"), "7"},
		{"proxy", got.PathParam("proxy"), "a/b.txt"},
		{"missing param", got.PathParam("nope"), ""},
		{"header case-insensitive", got.Headers.Get("X-MULTI"), "1"},
		{"multi header", strings.Join(got.Headers.Values("x-multi"), ","), "1,2"},
		{"content type", got.Headers.Get("Content-Type"), "application/json"},
		{"multi query", strings.Join(got.Query["tag"], ","), "a,b"},
		{"query", got.Query.Get("q"), "x y"},
		{"stage var", got.StageVars["env"], "dev"},
		{"body", fmt.Sprint(got.Body), fmt.Sprint([]byte{0, 1, 2, 0xff})},
		{"event", got.Event().RequestContext.Stage, "api"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if got.Context() == nil {
		t.Error("Context() is nil")
	}
}

func TestRequestSingleValueFallback(t *testing.T) {
	var got *Request
	app := New("t")
	app.Route("/", func(r *Request) (any, error) { got = r; return nil, nil })
	ev := proxyEvent("GET", "/", nil)
	ev.Headers = map[string]string{"accept": "text/html"}
	ev.QueryStringParameters = map[string]string{"a": "1"}
	ev.Body = "plain"
	invokeAPI(t, app, ev)
	if got.Headers.Get("Accept") != "text/html" || got.Query.Get("a") != "1" || string(got.Body) != "plain" {
		t.Errorf("headers %v, query %v, body %q", got.Headers, got.Query, got.Body)
	}
	if got.PathParams == nil {
		t.Error("PathParams is nil for a route without captures; want an empty map")
	}
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		body    string
		wantErr bool
	}{
		{`{"a":1}`, false},
		{``, true},
		{`{"a":`, true},
		{`[1,2]`, true}, // not a map
	}
	for _, tt := range tests {
		r := &Request{Body: []byte(tt.body)}
		var v map[string]int
		err := r.DecodeJSON(&v)
		if (err != nil) != tt.wantErr {
			t.Errorf("DecodeJSON(%q) = %v, wantErr %v", tt.body, err, tt.wantErr)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.StatusCode != 400 || e.Message != "Error Parsing JSON" {
				t.Errorf("DecodeJSON(%q) error = %#v, want a 400 Error Parsing JSON", tt.body, err)
			}
		}
	}
}

type point struct {
	X int    `json:"x"`
	S string `json:"s"`
}

func TestResponses(t *testing.T) {
	tests := []struct {
		name       string
		result     any
		err        error
		status     int
		body       string
		headers    map[string]string
		base64Body bool
	}{
		{name: "map", result: map[string]string{"hello": "world"}, status: 200, body: `{"hello":"world"}`, headers: map[string]string{"Content-Type": "application/json"}},
		{name: "struct no html escaping", result: point{1, "<a&b>"}, status: 200, body: `{"x":1,"s":"<a&b>"}`},
		{name: "string", result: "hi", status: 200, body: "hi", headers: map[string]string{"Content-Type": "text/plain; charset=utf-8"}},
		{name: "nil", result: nil, status: 200, body: ""},
		{name: "raw json", result: json.RawMessage(`[1]`), status: 200, body: `[1]`, headers: map[string]string{"Content-Type": "application/json"}},
		{name: "bytes are binary", result: []byte{1, 2, 3}, status: 200, body: "AQID", base64Body: true, headers: map[string]string{"Content-Type": "application/octet-stream"}},
		{name: "response pointer", result: &Response{StatusCode: 201, Headers: map[string]string{"X-A": "1"}, Body: []int{1}}, status: 201, body: `[1]`, headers: map[string]string{"X-A": "1", "Content-Type": "application/json"}},
		{name: "response value default status", result: Response{Body: "x"}, status: 200, body: "x"},
		{name: "custom content type kept", result: &Response{Headers: map[string]string{"content-type": "text/html"}, Body: "<p>"}, status: 200, body: "<p>", headers: map[string]string{"content-type": "text/html"}},
		{name: "png bytes base64", result: &Response{Headers: map[string]string{"Content-Type": "image/png"}, Body: []byte("PNG")}, status: 200, body: "UE5H", base64Body: true},
		{name: "text bytes as text", result: &Response{Headers: map[string]string{"Content-Type": "text/csv"}, Body: []byte("a,b")}, status: 200, body: "a,b"},
		{name: "invalid utf8 bytes base64 anyway", result: &Response{Headers: map[string]string{"Content-Type": "text/plain"}, Body: []byte{0xff}}, status: 200, body: "/w==", base64Body: true},
		{name: "unencodable body", result: map[string]any{"c": make(chan int)}, status: 500, body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},
		{name: "nil response pointer", result: (*Response)(nil), status: 500},
		{name: "bad request", err: BadRequest("bad"), status: 400, body: `{"Code":"BadRequestError","Message":"bad"}`},
		{name: "wrapped not found", err: fmt.Errorf("loading: %w", NotFound("no user")), status: 404, body: `{"Code":"NotFoundError","Message":"no user"}`},
		{name: "plain error is generic 500", err: errors.New("db password is hunter2"), status: 500, body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},
		{name: "view error shows message", err: ViewError("try later"), status: 500, body: `{"Code":"ChaliceViewError","Message":"try later"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := New("t")
			logs := captureLog(app)
			app.Route("/", func(*Request) (any, error) { return tt.result, tt.err })
			resp := invokeAPI(t, app, proxyEvent("GET", "/", nil))
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d (body %s)", resp.StatusCode, tt.status, resp.Body)
			}
			if tt.body != "" && resp.Body != tt.body {
				t.Errorf("body = %q, want %q", resp.Body, tt.body)
			}
			if resp.IsBase64Encoded != tt.base64Body {
				t.Errorf("isBase64Encoded = %v, want %v", resp.IsBase64Encoded, tt.base64Body)
			}
			for k, v := range tt.headers {
				if resp.Headers[k] != v {
					t.Errorf("header %s = %q, want %q (all: %v)", k, resp.Headers[k], v, resp.Headers)
				}
			}
			if tt.status == 500 && tt.err != nil && !strings.Contains(tt.body, "ChaliceViewError") && !strings.Contains(logs.String(), tt.err.Error()) {
				t.Errorf("the cause of a 500 was not logged; log: %q", logs.String())
			}
		})
	}
}

func TestErrorConstructors(t *testing.T) {
	tests := []struct {
		err    error
		status int
		code   string
	}{
		{BadRequest("m"), 400, "BadRequestError"},
		{Unauthorized("m"), 401, "UnauthorizedError"},
		{Forbidden("m"), 403, "ForbiddenError"},
		{NotFound("m"), 404, "NotFoundError"},
		{MethodNotAllowed("m"), 405, "MethodNotAllowedError"},
		{RequestTimeout("m"), 408, "RequestTimeoutError"},
		{Conflict("m"), 409, "ConflictError"},
		{RequestEntityTooLarge("m"), 413, "RequestEntityTooLargeError"},
		{UnsupportedMediaType("m"), 415, "UnsupportedMediaType"},
		{UnprocessableEntity("m"), 422, "UnprocessableEntityError"},
		{TooManyRequests("m"), 429, "TooManyRequestsError"},
		{ViewError("m"), 500, "ChaliceViewError"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			app := New("t")
			app.Route("/", func(*Request) (any, error) { return nil, tt.err })
			resp := invokeAPI(t, app, proxyEvent("GET", "/", nil))
			want := fmt.Sprintf(`{"Code":%q,"Message":"m"}`, tt.code)
			if resp.StatusCode != tt.status || resp.Body != want || resp.Headers["Content-Type"] != "application/json" {
				t.Errorf("got %d %s %v, want %d %s", resp.StatusCode, resp.Body, resp.Headers, tt.status, want)
			}
			if !strings.Contains(tt.err.Error(), tt.code) {
				t.Errorf("Error() = %q does not name %s", tt.err.Error(), tt.code)
			}
		})
	}
}

func TestPanicIsA500AndTheAppKeepsServing(t *testing.T) {
	app := New("t")
	logs := captureLog(app)
	app.Route("/boom", func(*Request) (any, error) { panic("kaboom") })
	app.Route("/ok", ok)
	resp := invokeAPI(t, app, proxyEvent("GET", "/boom", nil))
	if resp.StatusCode != 500 || !strings.Contains(resp.Body, "InternalServerError") {
		t.Fatalf("panic answered %d %s", resp.StatusCode, resp.Body)
	}
	if !strings.Contains(logs.String(), "kaboom") || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("panic not logged with a stack trace: %q", logs.String())
	}
	if resp := invokeAPI(t, app, proxyEvent("GET", "/ok", nil)); resp.StatusCode != 200 {
		t.Errorf("after a panic: %d %s", resp.StatusCode, resp.Body)
	}
}

func TestMethodNotAllowedAndUnknownRoute(t *testing.T) {
	app := New("t")
	captureLog(app)
	app.Route("/echo", ok, Methods("POST", "PUT"))
	resp := invokeAPI(t, app, proxyEvent("GET", "/echo", nil))
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Headers["Allow"] != "POST, PUT" || !strings.Contains(resp.Body, "MethodNotAllowedError") {
		t.Errorf("GET on a POST/PUT route: %d %v %s", resp.StatusCode, resp.Headers, resp.Body)
	}
	resp = invokeAPI(t, app, proxyEvent("GET", "/nope", nil))
	if resp.StatusCode != 404 || !strings.Contains(resp.Body, "NotFoundError") {
		t.Errorf("unknown resource: %d %s", resp.StatusCode, resp.Body)
	}
	// Only the resource pattern is used for dispatch: a lower-case method is fine.
	if resp := invokeAPI(t, app, proxyEvent("post", "/echo", nil)); resp.StatusCode != 200 {
		t.Errorf("lower-case method: %d %s", resp.StatusCode, resp.Body)
	}
	// An event that names the resource only at the top level still dispatches.
	ev := proxyEvent("PUT", "/echo", nil)
	ev.RequestContext.ResourcePath = ""
	if resp := invokeAPI(t, app, ev); resp.StatusCode != 200 {
		t.Errorf("resource fallback: %d %s", resp.StatusCode, resp.Body)
	}
}

func TestBadEvents(t *testing.T) {
	app := New("t")
	app.Route("/", ok)
	for _, payload := range []string{`not json`, `{}`, `[1]`, `{"httpMethod":"GET"}`} {
		if _, err := app.Invoke(context.Background(), "api_handler", []byte(payload)); err == nil || !strings.Contains(err.Error(), "api_handler") {
			t.Errorf("Invoke(%s) error = %v, want an api_handler error", payload, err)
		}
	}
	ev := proxyEvent("GET", "/", nil)
	ev.Body, ev.IsBase64Encoded = "%%%", true
	if resp := invokeAPI(t, app, ev); resp.StatusCode != 400 {
		t.Errorf("bad base64 body: %d %s", resp.StatusCode, resp.Body)
	}
}

func TestLambdaFunctionInvoke(t *testing.T) {
	type in struct{ A, B int }
	app := New("t")
	app.LambdaFunction("add", func(ctx context.Context, e in) (int, error) { return e.A + e.B, nil })
	app.LambdaFunction("fail", func() error { return errors.New("nope") })
	app.LambdaFunction("crash", func() error { panic("oh no") })
	out, err := app.Invoke(context.Background(), "add", []byte(`{"A":2,"B":3}`))
	if err != nil || strings.TrimSpace(string(out)) != "5" {
		t.Errorf("add = %s, %v; want 5", out, err)
	}
	if _, err := app.Invoke(context.Background(), "fail", []byte(`{}`)); err == nil || err.Error() != "nope" {
		t.Errorf("fail error = %v, want the handler's error unchanged", err)
	}
	if _, err := app.Invoke(context.Background(), "crash", []byte(`{}`)); err == nil || !strings.Contains(err.Error(), "oh no") {
		t.Errorf("crash error = %v", err)
	}
	if _, err := app.Invoke(context.Background(), "add", []byte(`{"A":"x"}`)); err == nil {
		t.Error("a wrongly-typed event did not fail")
	}
	_, err = app.Invoke(context.Background(), "missing", nil)
	if err == nil || !strings.Contains(err.Error(), `unknown handler "missing": this bootstrap serves add, crash, fail`) {
		t.Errorf("unknown handler error = %v", err)
	}
}

func TestInvokeRefusesABrokenApp(t *testing.T) {
	app := New("t")
	app.Route("bad", ok)
	if _, err := app.Invoke(context.Background(), "api_handler", []byte(`{}`)); err == nil || !strings.Contains(err.Error(), "registration error") {
		t.Errorf("Invoke on a broken app: %v", err)
	}
}

func TestProxyResponseShape(t *testing.T) {
	app := New("t")
	app.Route("/", ok)
	payload, _ := json.Marshal(proxyEvent("GET", "/", nil))
	out, err := app.Invoke(context.Background(), "api_handler", payload)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"statusCode", "headers", "body"} {
		if _, ok := m[k]; !ok {
			t.Errorf("response %s lacks %q", out, k)
		}
	}
	var _ events.APIGatewayProxyResponse // the shape API Gateway reads
}
