package framework

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// gatewayApp is an app exercising every behaviour of the emulation.
func gatewayApp(authCalls *atomic.Int32) *App {
	app := New("gw")
	app.ErrorLog = log.New(io.Discard, "", 0)
	eventView := func(r *Request) (any, error) { return r.Event(), nil }
	app.Route("/", eventView)
	app.Route("/items/{id}", eventView, Methods("GET", "PUT"))
	app.Route("/items/special", func(r *Request) (any, error) { return "literal", nil })
	app.Route("/files/{proxy+}", eventView)
	app.Route("/upload", func(r *Request) (any, error) {
		return &Response{Headers: map[string]string{"Content-Type": "image/png"}, Body: r.Body}, nil
	}, Methods("POST"), ContentTypes("image/png"))
	app.Route("/json", func(r *Request) (any, error) { return r.Event(), nil }, Methods("POST"))
	app.Route("/slow", func(r *Request) (any, error) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
		return "late", nil
	})
	app.Route("/cors", ok, Methods("GET", "POST"), CORS(CORSConfig{AllowOrigin: "https://a.example", MaxAge: 60}))
	app.Route("/metered", ok, APIKeyRequired())
	app.Authorizer("tok", func(r *AuthRequest) (*AuthResponse, error) {
		authCalls.Add(1)
		switch r.Token {
		case "allow":
			res := Allow("user-1", "/private")
			res.Context = map[string]any{"tier": "gold", "n": 3}
			return res, nil
		case "other":
			return Allow("user-3", "/elsewhere"), nil
		case "deny":
			return Deny("user-2"), nil
		}
		return nil, Unauthorized("no")
	}, TTL(60))
	app.Authorizer("req", func(r *AuthRequest) (*AuthResponse, error) {
		if r.Query.Get("k") == "good" && r.Headers.Get("X-Id") != "" {
			return Allow(r.Headers.Get("X-Id"), "*"), nil
		}
		return Deny("x"), nil
	}, IdentitySources("method.request.header.X-Id", "method.request.querystring.k"), TTL(0))
	app.Route("/private", eventView, WithAuthorizer("tok"))
	app.Route("/request", eventView, WithAuthorizer("req"))
	app.IAMAuthorizer("iam")
	app.Route("/iam", ok, WithAuthorizer("iam"))
	app.CognitoAuthorizer("users", ProviderARNs("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123"))
	app.Route("/me", func(r *Request) (any, error) { return r.Claims(), nil }, WithAuthorizer("users"))
	app.Route("/scoped", ok, WithAuthorizer("users", "profile/read"))
	return app
}

type gwCase struct {
	name       string
	method     string
	path       string
	header     http.Header
	body       []byte
	wantStatus int
	wantBody   string            // exact body, when set
	wantHeader map[string]string // headers that must have these values
	check      func(t *testing.T, body []byte)
}

func runGateway(t *testing.T, h http.Handler, cases []gwCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			method := c.method
			if method == "" {
				method = "GET"
			}
			req := httptest.NewRequest(method, c.path, bytes.NewReader(c.body))
			for k, vs := range c.header {
				req.Header[k] = vs
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != c.wantStatus {
				t.Fatalf("%s %s = %d %s, want %d", method, c.path, rec.Code, rec.Body, c.wantStatus)
			}
			if c.wantBody != "" && rec.Body.String() != c.wantBody {
				t.Errorf("body = %s, want %s", rec.Body, c.wantBody)
			}
			for k, v := range c.wantHeader {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if c.check != nil {
				c.check(t, rec.Body.Bytes())
			}
		})
	}
}

func eventOf(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(body, &ev); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	return ev
}

// field reads a dotted path from a decoded event.
func field(ev map[string]any, path string) any {
	var cur any = ev
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}

func wantFields(want map[string]any) func(t *testing.T, body []byte) {
	return func(t *testing.T, body []byte) {
		t.Helper()
		ev := eventOf(t, body)
		for k, v := range want {
			if got := field(ev, k); fmt.Sprint(got) != fmt.Sprint(v) {
				t.Errorf("%s = %v, want %v", k, got, v)
			}
		}
	}
}

func TestGatewayRouting(t *testing.T) {
	var calls atomic.Int32
	missing := `{"message":"Missing Authentication Token"}`
	runGateway(t, gatewayApp(&calls), []gwCase{
		{name: "root", path: "/", wantStatus: 200, check: wantFields(map[string]any{"resource": "/", "path": "/"})},
		{name: "capture", path: "/items/42", wantStatus: 200, check: wantFields(map[string]any{
			"resource": "/items/{id}", "pathParameters.id": "42", "requestContext.resourcePath": "/items/{id}", "requestContext.httpMethod": "GET"})},
		{name: "literal before capture", path: "/items/special", wantStatus: 200, wantBody: "literal"},
		{name: "greedy proxy", path: "/files/a/b/c.txt", wantStatus: 200, check: wantFields(map[string]any{"resource": "/files/{proxy+}", "pathParameters.proxy": "a/b/c.txt"})},
		{name: "greedy needs one segment", path: "/files", wantStatus: 403, wantBody: missing},
		{name: "unknown path", path: "/nope", wantStatus: 403, wantBody: missing,
			wantHeader: map[string]string{"X-Amzn-Errortype": "MissingAuthenticationTokenException", "Content-Type": "application/json"}},
		{name: "method not on path", method: "DELETE", path: "/items/1", wantStatus: 403, wantBody: missing},
		{name: "OPTIONS without CORS", method: "OPTIONS", path: "/items/1", wantStatus: 403, wantBody: missing},
	})
}

func TestGatewayEvent(t *testing.T) {
	var calls atomic.Int32
	h := Gateway(gatewayApp(&calls), GatewayConfig{Stage: "prod", StageVars: map[string]string{"color": "blue"}})
	runGateway(t, h, []gwCase{
		{name: "headers query stage", path: "/items/7?a=1&a=2&b=x", header: http.Header{"X-Multi": {"p", "q"}, "User-Agent": {"ua"}},
			wantStatus: 200, check: wantFields(map[string]any{
				"httpMethod":                          "GET",
				"path":                                "/items/7",
				"headers.X-Multi":                     "q",
				"multiValueHeaders.X-Multi":           []any{"p", "q"},
				"queryStringParameters.a":             "2",
				"multiValueQueryStringParameters.a":   []any{"1", "2"},
				"queryStringParameters.b":             "x",
				"stageVariables.color":                "blue",
				"requestContext.stage":                "prod",
				"requestContext.path":                 "/prod/items/7",
				"requestContext.identity.sourceIp":    "192.0.2.1",
				"requestContext.identity.userAgent":   "ua",
				"requestContext.accountId":            "123456789012",
				"requestContext.authorizer":           nil,
				"multiValueQueryStringParameters.b.0": nil,
			})},
		{name: "request id", path: "/", wantStatus: 200, check: func(t *testing.T, b []byte) {
			id, _ := field(eventOf(t, b), "requestContext.requestId").(string)
			if len(id) != 36 {
				t.Errorf("requestId = %q, want a UUID", id)
			}
		}},
		{name: "text body", method: "POST", path: "/json", body: []byte(`{"x":1}`), header: http.Header{"Content-Type": {"application/json"}},
			wantStatus: 200, check: wantFields(map[string]any{"body": `{"x":1}`})},
	})
}

func TestGatewayPayloads(t *testing.T) {
	var calls atomic.Int32
	png := []byte{0x89, 'P', 'N', 'G', 0x00, 0xff}
	big := bytes.Repeat([]byte("a"), MaxPayloadBytes+1)
	h := Gateway(gatewayApp(&calls), GatewayConfig{Timeouts: map[string]time.Duration{"api_handler": 100 * time.Millisecond}})
	runGateway(t, h, []gwCase{
		{name: "binary both ways", method: "POST", path: "/upload", body: png, header: http.Header{"Content-Type": {"image/png"}},
			wantStatus: 200, wantBody: string(png), wantHeader: map[string]string{"Content-Type": "image/png"}},
		{name: "415 from content types", method: "POST", path: "/upload", body: []byte("x"), header: http.Header{"Content-Type": {"text/plain"}},
			wantStatus: 415, wantBody: `{"Code":"UnsupportedMediaType","Message":"Unsupported media type: text/plain"}`},
		{name: "413 over 10 MB", method: "POST", path: "/json", body: big, wantStatus: 413, wantBody: `{"message":"Request Too Long"}`},
		{name: "504 after the function timeout", path: "/slow", wantStatus: 504, wantBody: `{"message":"Endpoint request timed out"}`},
	})
}

func TestGatewayCORSAndKeys(t *testing.T) {
	var calls atomic.Int32
	app := gatewayApp(&calls)
	cases := []gwCase{
		{name: "preflight", method: "OPTIONS", path: "/cors", wantStatus: 200, wantHeader: map[string]string{
			"Access-Control-Allow-Methods": "GET,OPTIONS,POST",
			"Access-Control-Allow-Origin":  "https://a.example",
			"Access-Control-Allow-Headers": "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key",
			"Access-Control-Max-Age":       "60",
		}},
		{name: "CORS on the response", path: "/cors", wantStatus: 200, wantHeader: map[string]string{"Access-Control-Allow-Origin": "https://a.example"}},
		{name: "CORS origin on gateway errors", path: "/nope", wantStatus: 403, wantHeader: map[string]string{"Access-Control-Allow-Origin": "https://a.example"}},
		{name: "no key", path: "/metered", wantStatus: 403, wantBody: `{"message":"Forbidden"}`},
		{name: "any key", path: "/metered", header: http.Header{"X-Api-Key": {"whatever"}}, wantStatus: 200, wantBody: "ok"},
	}
	runGateway(t, app, cases)
	runGateway(t, Gateway(app, GatewayConfig{APIKeys: []string{"k1"}}), []gwCase{
		{name: "wrong key", path: "/metered", header: http.Header{"X-Api-Key": {"whatever"}}, wantStatus: 403, wantBody: `{"message":"Forbidden"}`},
		{name: "given key", path: "/metered", header: http.Header{"X-Api-Key": {"k1"}}, wantStatus: 200, wantBody: "ok"},
	})
}

func TestGatewayBuiltinAuthorizers(t *testing.T) {
	var calls atomic.Int32
	h := Gateway(gatewayApp(&calls), GatewayConfig{})
	auth := func(tok string) http.Header { return http.Header{"Authorization": {tok}} }
	runGateway(t, h, []gwCase{
		{name: "allow", path: "/private", header: auth("allow"), wantStatus: 200, check: wantFields(map[string]any{
			"requestContext.authorizer.principalId": "user-1", "requestContext.authorizer.tier": "gold", "requestContext.authorizer.n": "3"})},
		{name: "allowed elsewhere only", path: "/private", header: auth("other"), wantStatus: 403,
			wantBody: `{"Message":"User is not authorized to access this resource"}`},
		{name: "deny", path: "/private", header: auth("deny"), wantStatus: 403,
			wantBody: `{"Message":"User is not authorized to access this resource with an explicit deny"}`},
		{name: "unauthorized", path: "/private", header: auth("bad"), wantStatus: 401, wantBody: `{"message":"Unauthorized"}`},
		{name: "missing token", path: "/private", wantStatus: 401, wantBody: `{"message":"Unauthorized"}`},
		{name: "request authorizer", path: "/request?k=good", header: http.Header{"X-Id": {"u9"}}, wantStatus: 200,
			check: wantFields(map[string]any{"requestContext.authorizer.principalId": "u9"})},
		{name: "request authorizer denies", path: "/request?k=bad", header: http.Header{"X-Id": {"u9"}}, wantStatus: 403},
		{name: "request authorizer source missing", path: "/request", header: http.Header{"X-Id": {"u9"}}, wantStatus: 401},
		{name: "IAM passes through", path: "/iam", wantStatus: 200, wantBody: "ok"},
	})
	before := calls.Load()
	runGateway(t, h, []gwCase{{name: "cached", path: "/private", header: auth("allow"), wantStatus: 200}})
	if calls.Load() != before {
		t.Errorf("the authorizer ran again within its TTL (%d calls, want %d)", calls.Load(), before)
	}
}

// signJWT makes an RS256 token signed with key under kid.
func signJWT(t *testing.T, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	head := enc(map[string]string{"alg": "RS256", "kid": kid, "typ": "JWT"}) + "." + enc(claims)
	sum := sha256.Sum256([]byte(head))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return head + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func jwksOf(key *rsa.PrivateKey, kid string) []byte {
	b, _ := json.Marshal(map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
		"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes()),
	}}})
	return b
}

func TestGatewayCognito(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	exp := time.Now().Add(time.Hour).Unix()
	good := signJWT(t, key, "k1", map[string]any{"sub": "abc", "email": "a@example.com", "exp": exp, "scope": "profile/read other"})
	noScope := signJWT(t, key, "k1", map[string]any{"sub": "abc", "exp": exp})
	expired := signJWT(t, key, "k1", map[string]any{"sub": "abc", "exp": time.Now().Add(-time.Minute).Unix()})
	forged := signJWT(t, other, "k1", map[string]any{"sub": "evil", "exp": exp})
	auth := func(tok string) http.Header { return http.Header{"Authorization": {tok}} }

	var calls atomic.Int32
	app := gatewayApp(&calls)
	var logs bytes.Buffer
	verified := Gateway(app, GatewayConfig{JWKS: jwksOf(key, "k1"), AccessLog: log.New(&logs, "", 0)})
	if strings.Contains(logs.String(), "NOT verified") {
		t.Errorf("a gateway with a JWKS warns about unverified tokens:\n%s", logs.String())
	}
	runGateway(t, verified, []gwCase{
		{name: "valid", path: "/me", header: auth(good), wantStatus: 200, check: wantFields(map[string]any{"sub": "abc", "email": "a@example.com"})},
		{name: "bearer prefix", path: "/me", header: auth("Bearer " + good), wantStatus: 200},
		{name: "forged", path: "/me", header: auth(forged), wantStatus: 401},
		{name: "expired", path: "/me", header: auth(expired), wantStatus: 401},
		{name: "garbage", path: "/me", header: auth("x.y"), wantStatus: 401},
		{name: "missing", path: "/me", wantStatus: 401},
		{name: "scope held", path: "/scoped", header: auth(good), wantStatus: 200},
		{name: "scope missing", path: "/scoped", header: auth(noScope), wantStatus: 401},
	})

	logs.Reset()
	unverified := Gateway(app, GatewayConfig{AccessLog: log.New(&logs, "", 0)})
	if !strings.Contains(logs.String(), "NOT verified") || !strings.Contains(logs.String(), `"iam"`) {
		t.Errorf("a gateway without a JWKS must say so (and that IAM is not checked):\n%s", logs.String())
	}
	runGateway(t, unverified, []gwCase{
		{name: "forged accepted without JWKS", path: "/me", header: auth(forged), wantStatus: 200, check: wantFields(map[string]any{"sub": "evil"})},
		{name: "expired still rejected", path: "/me", header: auth(expired), wantStatus: 401},
	})
}

func TestGatewayAccessLog(t *testing.T) {
	var calls atomic.Int32
	var logs bytes.Buffer
	h := Gateway(gatewayApp(&calls), GatewayConfig{AccessLog: log.New(&logs, "", 0)})
	logs.Reset()
	runGateway(t, h, []gwCase{
		{name: "ok", path: "/items/1?x=1", wantStatus: 200},
		{name: "missing", path: "/nope", wantStatus: 403},
	})
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "GET /items/1?x=1 200 ") || !strings.HasSuffix(lines[0], " api_handler") ||
		!strings.HasPrefix(lines[1], "GET /nope 403 ") || !strings.HasSuffix(lines[1], " -") {
		t.Errorf("access log:\n%s", logs.String())
	}
}

func TestGatewayRegistrationErrors(t *testing.T) {
	app := New("bad")
	app.Route("nope", ok)
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "must start with") {
		t.Errorf("= %d %s, want 500 naming the registration error", rec.Code, rec.Body)
	}
}

func TestGlobMatch(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"arn:x/api/*/private", "arn:x/api/GET/private", true},
		{"arn:x/api/*/*", "arn:x/api/GET/a/b", true},
		{"arn:x/api/GET/items/*", "arn:x/api/GET/items/1", true},
		{"arn:x/api/GET/items/*", "arn:x/api/GET/other", false},
		{"arn:x/api/?ET/a", "arn:x/api/GET/a", true},
		{"arn:x/api/GET/a", "arn:x/api/GET/ab", false},
	} {
		if got := wildMatch(c.p, c.s); got != c.want {
			t.Errorf("wildMatch(%q, %q) = %v", c.p, c.s, got)
		}
	}
}

// FuzzGateway sends arbitrary requests through the emulation: it must never
// panic, and answer with a status API Gateway can give and a JSON body for
// its own errors.
func FuzzGateway(f *testing.F) {
	var calls atomic.Int32
	h := Gateway(gatewayApp(&calls), GatewayConfig{})
	f.Add("GET", "/items/1?a=b", "allow", "image/png", []byte("x"))
	f.Add("POST", "/upload", "", "image/png", []byte{0xff, 0})
	f.Add("GET", "/me", "a.eyJleHAiOjF9.c", "", []byte(nil))
	f.Add("OPTIONS", "/cors", "", "", []byte(nil))
	f.Add("GET", "/request?k=good", "", "", []byte(nil))
	f.Fuzz(func(t *testing.T, method, path, auth, ctype string, body []byte) {
		req := fuzzRequest(method, path, auth, ctype, body)
		if req == nil {
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 201, 400, 401, 403, 413, 415, 500, 502:
		default:
			t.Fatalf("%s %s: status %d", method, path, rec.Code)
		}
		if rec.Header().Get("X-Amzn-Errortype") != "" && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("gateway error body is not JSON: %q", rec.Body)
		}
	})
}

// fuzzRequest is the request the gateway fuzz targets send: nil for a path
// a client could not send (or /slow, which would stall the target), the
// token also as the X-Id identity source.
func fuzzRequest(method, path, auth, ctype string, body []byte) *http.Request {
	if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n#") || path == "/slow" {
		return nil
	}
	req, err := http.NewRequest(method, "http://example.com"+path, bytes.NewReader(body))
	if err != nil {
		return nil
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("X-Id", auth)
	req.Header.Set("Content-Type", ctype)
	return req
}
