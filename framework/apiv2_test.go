package framework

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// httpEvent builds an HTTP API event (payload 2.0) the way API Gateway sends
// it for route key "METHOD resource" and the concrete path.
func httpEvent(method, resource, path string, params map[string]string) *events.APIGatewayV2HTTPRequest {
	return &events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       method + " " + resource,
		RawPath:        path,
		PathParameters: params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: method + " " + resource,
			Stage:    "api",
			HTTP:     events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path},
		},
	}
}

// invokeAPIV2 sends ev to the app's api_handler and decodes the 2.0
// response.
func invokeAPIV2(t testing.TB, app *App, ev *events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, out := invokeEvent[events.APIGatewayV2HTTPResponse](t, app, ev)
	if strings.Contains(string(out), `"multiValueHeaders":{`) {
		t.Errorf("a 2.0 response has multiValueHeaders: %s", out)
	}
	return resp
}

func TestRequestDecodingV2(t *testing.T) {
	var got *Request
	app := New("t")
	app.Route("/users/{id}/files/{proxy+}", func(r *Request) (any, error) {
		got = r
		return nil, nil
	}, Methods("POST"))

	ev := httpEvent("POST", "/users/{id}/files/{proxy+}", "/users/7/files/a/b.txt", map[string]string{"id": "7", "proxy": "a/b.txt"})
	ev.Headers = map[string]string{"x-multi": "1,2", "content-type": "application/json", "date": "Thu, 01 Dec 2026 10:00:00 GMT"}
	ev.RawQueryString = "tag=a&tag=b&csv=x%2Cy&q=x+y"
	ev.QueryStringParameters = map[string]string{"tag": "a,b", "csv": "x,y", "q": "x y"}
	ev.Cookies = []string{"session=abc", "theme=dark"}
	ev.StageVariables = map[string]string{"env": "dev"}
	ev.Body = base64.StdEncoding.EncodeToString([]byte{0, 1, 2, 0xff})
	ev.IsBase64Encoded = true

	resp := invokeAPIV2(t, app, ev)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, resp.Body)
	}
	cookies := got.Cookies()
	checks := []struct {
		name      string
		got, want any
	}{
		{"method", got.Method, "POST"},
		{"path", got.Path, "/users/{id}/files/{proxy+}"},
		{"id", got.PathParam("id"), "7"},
		{"proxy", got.PathParam("proxy"), "a/b.txt"},
		{"header case-insensitive", got.Headers.Get("X-MULTI"), "1,2"},
		{"date header kept whole", got.Headers.Get("Date"), "Thu, 01 Dec 2026 10:00:00 GMT"},
		{"content type", got.Headers.Get("Content-Type"), "application/json"},
		{"multi query from rawQueryString", strings.Join(got.Query["tag"], "|"), "a|b"},
		{"comma inside a value not split", strings.Join(got.Query["csv"], "|"), "x,y"},
		{"query", got.Query.Get("q"), "x y"},
		{"cookie header", got.Headers.Get("Cookie"), "session=abc; theme=dark"},
		{"cookies", len(cookies), 2},
		{"cookie value", cookies[0].Name + "=" + cookies[0].Value, "session=abc"},
		{"stage var", got.StageVars["env"], "dev"},
		{"body", fmt.Sprint(got.Body), fmt.Sprint([]byte{0, 1, 2, 0xff})},
		{"event v2", got.EventV2().RequestContext.Stage, "api"},
		{"no v1 event", got.Event() == nil, true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestSameAnswersV1V2 sends the same requests as 1.0 and 2.0 events and
// compares status, body and headers.
func TestSameAnswersV1V2(t *testing.T) {
	app := New("t")
	captureLog(app)
	app.Route("/hello/{name}", func(r *Request) (any, error) {
		return map[string]string{"hello": r.PathParam("name")}, nil
	})
	app.Route("/echo", echoJSON, Methods("POST"))
	app.Route("/cors", ok, WithCORS())
	app.Route("/boom", func(r *Request) (any, error) { panic("boom") })
	app.Route("/files", func(r *Request) (any, error) {
		return &Response{Headers: map[string]string{"Content-Type": "image/png"}, Body: []byte{0x89, 0xff}}, nil
	})
	tests := []struct {
		method, resource, path, body string
		params                       map[string]string
		status                       int
	}{
		{"GET", "/hello/{name}", "/hello/bob", "", map[string]string{"name": "bob"}, 200},
		{"POST", "/echo", "/echo", `{"a":1}`, nil, 200},
		{"POST", "/echo", "/echo", `{`, nil, 400},
		{"DELETE", "/echo", "/echo", "", nil, 405},
		{"GET", "/cors", "/cors", "", nil, 200},
		{"GET", "/boom", "/boom", "", nil, 500},
		{"GET", "/nowhere", "/nowhere", "", nil, 404},
		{"GET", "/files", "/files", "", nil, 200},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			v1 := proxyEvent(tt.method, tt.resource, tt.params)
			v1.Path, v1.Body = tt.path, tt.body
			r1 := invokeAPI(t, app, v1)
			v2 := httpEvent(tt.method, tt.resource, tt.path, tt.params)
			v2.Body = tt.body
			r2 := invokeAPIV2(t, app, v2)
			if r1.StatusCode != tt.status || r2.StatusCode != tt.status {
				t.Fatalf("status 1.0 %d, 2.0 %d, want %d", r1.StatusCode, r2.StatusCode, tt.status)
			}
			if r1.Body != r2.Body || r1.IsBase64Encoded != r2.IsBase64Encoded {
				t.Errorf("body 1.0 %q (b64 %v), 2.0 %q (b64 %v)", r1.Body, r1.IsBase64Encoded, r2.Body, r2.IsBase64Encoded)
			}
			if fmt.Sprint(r1.Headers) != fmt.Sprint(r2.Headers) {
				t.Errorf("headers 1.0 %v, 2.0 %v", r1.Headers, r2.Headers)
			}
		})
	}
}

func TestResponseV2Cookies(t *testing.T) {
	app := New("t")
	app.Route("/login", func(r *Request) (any, error) {
		return &Response{
			Headers:           map[string]string{"X-One": "1"},
			MultiValueHeaders: map[string][]string{"Set-Cookie": {"a=1; Path=/", "b=2"}, "X-Part": {"1", "2"}},
			Body:              "hi",
		}, nil
	})
	resp := invokeAPIV2(t, app, httpEvent("GET", "/login", "/login", nil))
	if got := strings.Join(resp.Cookies, "|"); got != "a=1; Path=/|b=2" {
		t.Errorf("cookies = %q", got)
	}
	if resp.Headers["X-Part"] != "1,2" || resp.Headers["X-One"] != "1" {
		t.Errorf("headers = %v", resp.Headers)
	}
	if _, ok := resp.Headers["Set-Cookie"]; ok {
		t.Errorf("Set-Cookie left in headers: %v", resp.Headers)
	}
}

func TestDefaultRouteKeyV2(t *testing.T) {
	app := New("t")
	app.Route("/hello/{name}", func(r *Request) (any, error) { return r.Path + " " + r.PathParam("name"), nil })
	ev := httpEvent("GET", "", "/hello/ann", nil)
	ev.RouteKey, ev.RequestContext.RouteKey = "$default", "$default"
	resp := invokeAPIV2(t, app, ev)
	if resp.StatusCode != 200 || resp.Body != "/hello/{name} ann" {
		t.Errorf("got %d %q", resp.StatusCode, resp.Body)
	}
}

func TestAuthorizerResultsV2(t *testing.T) {
	app := New("t")
	var got *Request
	app.Route("/me", func(r *Request) (any, error) { got = r; return nil, nil })
	tests := []struct {
		name         string
		auth         *events.APIGatewayV2HTTPRequestContextAuthorizerDescription
		principal    string
		claims, actx string
	}{
		{"none", nil, "", "map[]", "map[]"},
		{"jwt", &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": "u1", "email": "a@b.c"}}}, "", "map[email:a@b.c sub:u1]", "map[]"},
		{"lambda", &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{Lambda: map[string]any{"principalId": "user-1", "tier": "gold"}}, "user-1", "map[]", "map[tier:gold]"},
		{"iam", &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{IAM: &events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{UserARN: "arn:aws:iam::123456789012:user/ann"}}, "arn:aws:iam::123456789012:user/ann", "map[]", "map[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := httpEvent("GET", "/me", "/me", nil)
			ev.RequestContext.Authorizer = tt.auth
			invokeAPIV2(t, app, ev)
			if got.Principal() != tt.principal {
				t.Errorf("Principal = %q, want %q", got.Principal(), tt.principal)
			}
			if c := fmt.Sprint(got.Claims()); c != tt.claims {
				t.Errorf("Claims = %s, want %s", c, tt.claims)
			}
			if c := fmt.Sprint(got.AuthorizerContext()); c != tt.actx {
				t.Errorf("AuthorizerContext = %s, want %s", c, tt.actx)
			}
		})
	}
}

func TestIsV2Event(t *testing.T) {
	tests := []struct {
		payload string
		want    bool
	}{
		{`{"version":"2.0","routeKey":"GET /"}`, true},
		{` { "routeKey" : "GET /", "version" : "2.0" } `, true},
		{`{"requestContext":{"version":"2.0"},"version":"2.0"}`, true},
		{`{"version":"1.0","routeKey":"GET /"}`, false},
		{`{"resource":"/","headers":{"version":"2.0"}}`, false},
		{`{"body":"{\"version\":\"2.0\"}","httpMethod":"GET"}`, false},
		{`{"a":[1,{"version":"2.0"}],"b":true}`, false},
		{`{"version":2.0}`, false},
		{`[{"version":"2.0"}]`, false},
		{`{"version":"2.0"`, true},
		{`{"a":"q\"","version":"2.0"}`, true},
		{`{"a":"q\\","version":"2.0"}`, true},
		{`{"a":"q\",\"version\":\"2.0\"}`, false},
		{`{"x":"unterminated`, false},
		{``, false},
	}
	for _, tt := range tests {
		if got := isV2Event([]byte(tt.payload)); got != tt.want {
			t.Errorf("isV2Event(%s) = %v, want %v", tt.payload, got, tt.want)
		}
	}
}

func TestBuiltinAuthorizerV2(t *testing.T) {
	app := New("t")
	app.Authorizer("tok", func(r *AuthRequest) (*AuthResponse, error) {
		switch r.Token {
		case "allow":
			resp := Allow("user-1", "/private")
			resp.Context = map[string]any{"tier": "gold"}
			return resp, nil
		case "deny":
			return Deny("user-2"), nil
		}
		return nil, Unauthorized("bad token")
	})
	app.Route("/private", ok, WithAuthorizer("tok"))
	app.Route("/other", ok, WithAuthorizer("tok"))
	tests := []struct {
		token, routeKey, want string
	}{
		{"allow", "GET /private", `{"isAuthorized":true,"context":{"principalId":"user-1","tier":"gold"}}`},
		{"allow", "GET /other", `{"isAuthorized":false}`},
		{"deny", "GET /private", `{"isAuthorized":false}`},
		{"bad", "GET /private", `{"isAuthorized":false}`},
	}
	for _, tt := range tests {
		ev := events.APIGatewayV2CustomAuthorizerV2Request{
			Version: "2.0", Type: "REQUEST", RouteKey: tt.routeKey,
			RouteArn:       "arn:aws:execute-api:us-east-1:123456789012:abcdef123/api/GET/private",
			IdentitySource: []string{tt.token},
			Headers:        map[string]string{"authorization": tt.token},
		}
		payload, _ := json.Marshal(ev)
		out, err := app.Invoke(context.Background(), "tok", payload)
		if err != nil {
			t.Fatalf("%s %s: %v", tt.token, tt.routeKey, err)
		}
		if string(out) != tt.want {
			t.Errorf("%s %s: got %s, want %s", tt.token, tt.routeKey, out, tt.want)
		}
	}
}
