package e2e

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/internal/rie"
)

// TestHelloOnTheEmulator builds samples/hello with the CLI and sends API
// Gateway proxy events for every route and error case to api_handler, and an
// event to the add_numbers function, each under the runtime emulator.
func TestHelloOnTheEmulator(t *testing.T) {
	rie.Require(t)
	bootstrap, _ := buildSample(t, "hello")

	api := rie.Start(t, bootstrap, "api_handler")
	tests := []struct {
		name       string
		req        apiRequest
		status     int
		body       string // JSON compared by value, or text compared exactly when isJSON is false
		notJSON    bool
		headers    map[string]string
		bodyHasAll []string
	}{
		{
			name:   "index",
			req:    apiRequest{method: "GET", resource: "/", path: "/"},
			status: 200, body: `{"hello":"world"}`,
			headers: map[string]string{"Content-Type": "application/json"},
		},
		{
			name:   "one capture",
			req:    apiRequest{method: "GET", resource: "/hello/{name}", path: "/hello/gopher", params: map[string]string{"name": "gopher"}},
			status: 200, body: `{"hello":"gopher"}`,
		},
		{
			name: "two captures and a multi-value query",
			req: apiRequest{method: "GET", resource: "/users/{user}/posts/{post}", path: "/users/ann/posts/42",
				params: map[string]string{"user": "ann", "post": "42"}, query: map[string][]string{"fields": {"title", "body"}}},
			status: 200, body: `{"user":"ann","post":"42","fields":["title","body"]}`,
		},
		{
			name: "POST echo",
			req: apiRequest{method: "POST", resource: "/echo", path: "/echo", body: []byte(`{"a":1,"b":[true,null]}`),
				headers: map[string][]string{"Content-Type": {"application/json"}}},
			status: 201, body: `{"a":1,"b":[true,null]}`,
			headers: map[string]string{"X-Echo": "1", "Content-Type": "application/json"},
		},
		{
			name:   "PUT echo with a base64 body",
			req:    apiRequest{method: "PUT", resource: "/echo", path: "/echo", body: []byte(`{"put":"yes"}`), binary: true},
			status: 201, body: `{"put":"yes"}`,
		},
		{
			name:   "invalid JSON is a 400",
			req:    apiRequest{method: "POST", resource: "/echo", path: "/echo", body: []byte(`{"a":`)},
			status: 400, body: `{"Code":"BadRequestError","Message":"Error Parsing JSON"}`,
		},
		{
			name:   "unregistered method is a 405 with Allow",
			req:    apiRequest{method: "DELETE", resource: "/echo", path: "/echo"},
			status: 405, bodyHasAll: []string{`"Code":"MethodNotAllowedError"`},
			headers: map[string]string{"Allow": "POST, PUT"},
		},
		{
			name: "typed error with a case-insensitive header",
			req: apiRequest{method: "GET", resource: "/teapot", path: "/teapot",
				headers: map[string][]string{"user-agent": {"curl/8"}}},
			status: 404, body: `{"Code":"NotFoundError","Message":"no teapot here (asked with curl/8)"}`,
		},
		{
			name:   "panic is a generic 500",
			req:    apiRequest{method: "GET", resource: "/boom", path: "/boom"},
			status: 500, body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`,
		},
		{
			name:   "still serving after the panic",
			req:    apiRequest{method: "GET", resource: "/", path: "/"},
			status: 200, body: `{"hello":"world"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, raw := api.Invoke(t, tt.req.event())
			if status != 200 {
				t.Fatalf("emulator status %d: %s\nlogs:\n%s", status, raw, api.Logs())
			}
			var resp events.APIGatewayProxyResponse
			if err := json.Unmarshal(raw, &resp); err != nil {
				t.Fatalf("not a proxy response: %s", raw)
			}
			if resp.StatusCode != tt.status {
				t.Errorf("statusCode = %d, want %d (body %s)", resp.StatusCode, tt.status, resp.Body)
			}
			if tt.body != "" && !jsonEqual(t, resp.Body, tt.body) {
				t.Errorf("body = %s, want %s", resp.Body, tt.body)
			}
			if !contains(resp.Body, tt.bodyHasAll...) {
				t.Errorf("body = %s, want it to contain %q", resp.Body, tt.bodyHasAll)
			}
			for k, v := range tt.headers {
				if resp.Headers[k] != v {
					t.Errorf("header %s = %q, want %q (all %v)", k, resp.Headers[k], v, resp.Headers)
				}
			}
		})
	}
	// The event API Gateway sends for a browser's request (headers,
	// multiValueHeaders, requestContext) takes the dispatch fast path; the
	// response is exactly what encoding/json would write.
	browser, err := os.ReadFile("../framework/testdata/browser_event.json")
	if err != nil {
		t.Fatal(err)
	}
	const wantBrowser = `{"statusCode":200,"headers":{"Content-Type":"application/json"},"multiValueHeaders":null,"body":"{\"hello\":\"gopher\"}"}`
	if status, raw := api.Invoke(t, browser); status != 200 || string(raw) != wantBrowser {
		t.Errorf("browser event: %d %s, want %s", status, raw, wantBrowser)
	}
	if logs := api.WaitLogs("panic in GET /boom", 10*time.Second); !contains(logs, "panic in GET /boom", "goroutine") {
		t.Errorf("the panic was not logged with a stack trace:\n%s", logs)
	}

	fn := rie.Start(t, bootstrap, "add_numbers")
	status, body := fn.Invoke(t, []byte(`{"a":40,"b":2}`))
	if status != 200 || !jsonEqual(t, string(body), `{"sum":42}`) {
		t.Errorf("add_numbers = %d %s\nlogs:\n%s", status, body, fn.Logs())
	}

	// Payloads of the wrong shape: a plain InvalidEventError saying what was
	// expected, never a Go type name.
	for _, tc := range []struct {
		name    string
		fn      *rie.Emulator
		payload string
		message string
	}{
		{"wrong field type", fn, `{"a":"forty"}`,
			`function "add_numbers" expects a JSON object with fields a, b: field "a" is a string, not an integer`},
		{"a list", fn, `[1,2]`,
			`function "add_numbers" expects a JSON object with fields a, b: the payload is a list, not a JSON object`},
		{"API event of the wrong shape", api, `{"httpMethod": 5}`,
			`function "api_handler" expects an API Gateway REST proxy event (payload format 1.0): field "httpMethod" is a number, not a string`},
		{"API event without a method", api, `{"hello": "world"}`,
			`function "api_handler" expects an API Gateway REST proxy event (payload format 1.0): it has no resource or httpMethod`},
		{"API event that is a string", api, `"GET /"`,
			`function "api_handler" expects an API Gateway REST proxy event (payload format 1.0): the payload is a string, not a JSON object`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := tc.fn.Invoke(t, []byte(tc.payload))
			var res struct{ ErrorType, ErrorMessage string }
			if err := json.Unmarshal(body, &res); err != nil || status != 200 {
				t.Fatalf("%d %s: %v", status, body, err)
			}
			if res.ErrorType != "InvalidEventError" || res.ErrorMessage != tc.message {
				t.Errorf("errorType %q, errorMessage %q\nwant InvalidEventError, %q", res.ErrorType, res.ErrorMessage, tc.message)
			}
			for _, goName := range []string{"events.", "main.", "wrapError", "interface {}", "Go value"} {
				if strings.Contains(string(body), goName) {
					t.Errorf("the result names Go types (%q): %s", goName, body)
				}
			}
		})
	}
}

// TestUnknownHandlerFailsInit checks that a function whose Handler the
// bootstrap does not serve fails its init with a message naming the known
// handlers.
func TestUnknownHandlerFailsInit(t *testing.T) {
	rie.Require(t)
	bootstrap, _ := buildSample(t, "hello")
	e := rie.Start(t, bootstrap, "no_such_function")
	status, body := e.Invoke(t, []byte(`{}`))
	if status == 200 && !strings.Contains(string(body), "errorType") {
		t.Errorf("invoke = %d %s, want a failure", status, body)
	}
	// The bootstrap's output reaches the emulator through a pipe and may
	// arrive after the invocation's response: wait for it.
	const want = `unknown handler "no_such_function": this bootstrap serves add_numbers, api_handler`
	if logs := e.WaitLogs(want, 10*time.Second); !strings.Contains(logs, want) {
		t.Errorf("logs do not name the known handlers:\n%s", logs)
	}
}
