package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/internal/rie"
)

// eventV2 renders the request the way an HTTP API sends it (payload format
// 2.0): route key, lower-case headers with repeated values joined by
// commas, rawQueryString plus comma-joined queryStringParameters, cookies
// as their own list.
func (r apiRequest) eventV2(auth *events.APIGatewayV2HTTPRequestContextAuthorizerDescription) []byte {
	ev := events.APIGatewayV2HTTPRequest{
		Version:  "2.0",
		RouteKey: r.method + " " + r.resource,
		RawPath:  "/api" + r.path,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     r.method + " " + r.resource,
			AccountID:    "123456789012",
			Stage:        "api",
			RequestID:    "JKJaXmPLvHcESHA=",
			APIID:        "1234567890",
			DomainName:   "1234567890.execute-api.us-east-1.amazonaws.com",
			DomainPrefix: "1234567890",
			Authorizer:   auth,
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: r.method, Path: "/api" + r.path, Protocol: "HTTP/1.1", SourceIP: "127.0.0.1", UserAgent: "e2e",
			},
		},
		Headers: map[string]string{"host": "1234567890.execute-api.us-east-1.amazonaws.com", "x-forwarded-proto": "https"},
	}
	if len(r.params) > 0 {
		ev.PathParameters = r.params
	}
	if len(r.query) > 0 {
		q := url.Values{}
		ev.QueryStringParameters = map[string]string{}
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range r.query {
				if !yield(k) {
					return
				}
			}
		}) {
			q[k] = r.query[k]
			ev.QueryStringParameters[k] = strings.Join(r.query[k], ",")
		}
		ev.RawQueryString = q.Encode()
	}
	for k, vs := range r.headers {
		if strings.EqualFold(k, "Cookie") {
			for _, v := range vs {
				for c := range strings.SplitSeq(v, ";") {
					ev.Cookies = append(ev.Cookies, strings.TrimSpace(c))
				}
			}
			continue
		}
		ev.Headers[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	ev.Body, ev.IsBase64Encoded = r.eventBody()
	return mustJSON(ev)
}

// answer is what a caller of either API sees: status, headers (one value
// each, as the 2.0 format gives them), cookies and the decoded body.
type answer struct {
	status  int
	headers map[string]string
	cookies []string
	body    string
}

func (a answer) String() string {
	return fmt.Sprintf("%d %v cookies=%q %q", a.status, a.headers, a.cookies, a.body)
}

func decodeBody(t *testing.T, body string, b64 bool) string {
	t.Helper()
	if !b64 {
		return body
	}
	raw, err := base64.StdEncoding.DecodeString(body)
	if err != nil {
		t.Fatalf("body is not base64: %v", err)
	}
	return string(raw)
}

// answerV1 normalises a 1.0 response as API Gateway would send it: multi-
// value headers joined with commas, Set-Cookie kept apart.
func answerV1(t *testing.T, raw []byte) answer {
	var r events.APIGatewayProxyResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("1.0 response %s: %v", raw, err)
	}
	a := answer{status: r.StatusCode, headers: map[string]string{}, body: decodeBody(t, r.Body, r.IsBase64Encoded)}
	for k, v := range r.Headers {
		a.headers[k] = v
	}
	for k, vs := range r.MultiValueHeaders {
		if strings.EqualFold(k, "Set-Cookie") {
			a.cookies = append(a.cookies, vs...)
			continue
		}
		a.headers[k] = strings.Join(vs, ",")
	}
	return a
}

func answerV2(t *testing.T, raw []byte) answer {
	var r events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("2.0 response %s: %v", raw, err)
	}
	if strings.Contains(string(raw), `"multiValueHeaders":{`) {
		t.Errorf("2.0 response with multiValueHeaders: %s", raw)
	}
	a := answer{status: r.StatusCode, headers: map[string]string{}, cookies: r.Cookies, body: decodeBody(t, r.Body, r.IsBase64Encoded)}
	for k, v := range r.Headers {
		a.headers[k] = v
	}
	return a
}

// TestHTTPAPIOnTheEmulator sends one table of requests to the hello and
// secure samples' api_handler under the runtime emulator, each as a REST
// proxy event (1.0) and as an HTTP API event (2.0): the answers must be the
// same, and as expected. Authorizer results reach the views from either
// format (Cognito claims / JWT claims, a built-in authorizer's context).
func TestHTTPAPIOnTheEmulator(t *testing.T) {
	rie.Require(t)
	claims := map[string]string{"sub": "u-1", "scope": "profile/read"}
	v1Auth := map[string]any{"claims": map[string]any{"sub": "u-1", "scope": "profile/read"}}
	v2JWT := &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims}}
	v1Lambda := map[string]any{"principalId": "user-1", "tier": "gold"}
	v2Lambda := &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{Lambda: map[string]any{"principalId": "user-1", "tier": "gold"}}
	png := string([]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0x00, 0xff, 0xfe, 0x80})

	tests := []struct {
		sample, name string
		req          apiRequest
		v1Auth       map[string]any
		v2Auth       *events.APIGatewayV2HTTPRequestContextAuthorizerDescription
		status       int
		body         string // JSON compared by value, else exactly
		header       string // "Name: value" the answer must carry
	}{
		{sample: "hello", name: "index", req: apiRequest{method: "GET", resource: "/", path: "/"}, status: 200, body: `{"hello":"world"}`, header: "Content-Type: application/json"},
		{sample: "hello", name: "capture", req: apiRequest{method: "GET", resource: "/hello/{name}", path: "/hello/gopher", params: map[string]string{"name": "gopher"}}, status: 200, body: `{"hello":"gopher"}`},
		{sample: "hello", name: "multi-value query with a comma", req: apiRequest{method: "GET", resource: "/users/{user}/posts/{post}", path: "/users/ann/posts/42",
			params: map[string]string{"user": "ann", "post": "42"}, query: map[string][]string{"fields": {"title", "a,b"}}}, status: 200, body: `{"user":"ann","post":"42","fields":["title","a,b"]}`},
		{sample: "hello", name: "POST echo", req: apiRequest{method: "POST", resource: "/echo", path: "/echo", body: []byte(`{"a":1}`), headers: map[string][]string{"Content-Type": {"application/json"}}},
			status: 201, body: `{"a":1}`, header: "X-Echo: 1"},
		{sample: "hello", name: "base64 body", req: apiRequest{method: "PUT", resource: "/echo", path: "/echo", body: []byte(`{"put":"yes"}`), binary: true}, status: 201, body: `{"put":"yes"}`},
		{sample: "hello", name: "bad JSON", req: apiRequest{method: "POST", resource: "/echo", path: "/echo", body: []byte(`{"a":`)}, status: 400, body: `{"Code":"BadRequestError","Message":"Error Parsing JSON"}`},
		{sample: "hello", name: "405", req: apiRequest{method: "DELETE", resource: "/echo", path: "/echo"}, status: 405, header: "Allow: POST, PUT"},
		{sample: "hello", name: "lower-case header", req: apiRequest{method: "GET", resource: "/teapot", path: "/teapot", headers: map[string][]string{"User-Agent": {"curl/8"}}},
			status: 404, body: `{"Code":"NotFoundError","Message":"no teapot here (asked with curl/8)"}`},
		{sample: "hello", name: "panic", req: apiRequest{method: "GET", resource: "/boom", path: "/boom"}, status: 500, body: `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},

		{sample: "secure", name: "built-in authorizer context", req: apiRequest{method: "GET", resource: "/private", path: "/private"}, v1Auth: v1Lambda, v2Auth: v2Lambda,
			status: 200, body: `{"principal":"user-1","context":{"tier":"gold"}}`},
		{sample: "secure", name: "Cognito claims / JWT claims", req: apiRequest{method: "GET", resource: "/profile", path: "/profile"}, v1Auth: v1Auth, v2Auth: v2JWT,
			status: 200, body: `{"sub":"u-1","scope":"profile/read"}`},
		{sample: "secure", name: "CORS headers", req: apiRequest{method: "GET", resource: "/cors/custom", path: "/cors/custom"}, status: 200,
			body: `{"path":"/cors/custom"}`, header: "Access-Control-Allow-Origin: https://app.example.com"},
		{sample: "secure", name: "415", req: apiRequest{method: "POST", resource: "/upload", path: "/upload", body: []byte("x"), headers: map[string][]string{"Content-Type": {"text/csv"}}},
			status: 415, body: `{"Code":"UnsupportedMediaType","Message":"Unsupported media type: text/csv"}`},
		{sample: "secure", name: "binary upload", req: apiRequest{method: "POST", resource: "/upload", path: "/upload", body: []byte(png), binary: true, headers: map[string][]string{"Content-Type": {"image/png"}}},
			status: 200, body: png, header: "Content-Type: image/png"},
		{sample: "secure", name: "binary download", req: apiRequest{method: "GET", resource: "/download", path: "/download"}, status: 200, body: png, header: "X-Part: 1,2"},
	}
	apis := map[string]*rie.Emulator{}
	for _, s := range []string{"hello", "secure"} {
		bootstrap, _ := buildSample(t, s)
		apis[s] = rie.Start(t, bootstrap, "api_handler")
	}
	for _, tt := range tests {
		t.Run(tt.sample+"/"+tt.name, func(t *testing.T) {
			api := apis[tt.sample]
			v1 := tt.req.event()
			if tt.v1Auth != nil {
				var ev events.APIGatewayProxyRequest
				_ = json.Unmarshal(v1, &ev)
				ev.RequestContext.Authorizer = tt.v1Auth
				v1, _ = json.Marshal(ev)
			}
			st1, raw1 := api.Invoke(t, v1)
			st2, raw2 := api.Invoke(t, tt.req.eventV2(tt.v2Auth))
			if st1 != 200 || st2 != 200 {
				t.Fatalf("emulator %d %s / %d %s\nlogs:\n%s", st1, raw1, st2, raw2, api.Logs())
			}
			a1, a2 := answerV1(t, raw1), answerV2(t, raw2)
			if a1.String() != a2.String() {
				t.Errorf("1.0 and 2.0 differ:\n1.0: %s\n2.0: %s", a1, a2)
			}
			if a2.status != tt.status {
				t.Errorf("status %d, want %d (%s)", a2.status, tt.status, a2.body)
			}
			if tt.body != "" && !jsonEqual(t, a2.body, tt.body) && a2.body != tt.body {
				t.Errorf("body %q, want %q", a2.body, tt.body)
			}
			if tt.header != "" {
				k, v, _ := strings.Cut(tt.header, ": ")
				if a2.headers[k] != v {
					t.Errorf("header %s = %q, want %q (headers %v)", k, a2.headers[k], v, a2.headers)
				}
			}
		})
	}

	t.Run("secure/built-in authorizer as an HTTP API Lambda authorizer", func(t *testing.T) {
		bootstrap, _ := buildSample(t, "secure")
		auth := rie.Start(t, bootstrap, "token_auth")
		tests := []struct{ token, route, want string }{
			{"allow", "GET /private", `{"isAuthorized":true,"context":{"principalId":"user-1","tier":"gold"}}`},
			{"allow", "GET /admin", `{"isAuthorized":false}`},
			{"deny", "GET /private", `{"isAuthorized":false}`},
			{"garbage", "GET /private", `{"isAuthorized":false}`},
		}
		for _, tt := range tests {
			ev, _ := json.Marshal(events.APIGatewayV2CustomAuthorizerV2Request{
				Version: "2.0", Type: "REQUEST", RouteKey: tt.route,
				RouteArn:       "arn:aws:execute-api:us-east-1:123456789012:1234567890/api/GET/private",
				IdentitySource: []string{tt.token},
				Headers:        map[string]string{"authorization": tt.token},
			})
			status, raw := auth.Invoke(t, ev)
			if status != 200 || !jsonEqual(t, string(raw), tt.want) {
				t.Errorf("%s %s: %d %s, want %s\nlogs:\n%s", tt.token, tt.route, status, raw, tt.want, auth.Logs())
			}
		}
	})
}
