package framework

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// httpAPIApp is gatewayApp for the HTTP API emulation: its views echo the
// payload 2.0 event, and a few more views exercise cookies and claims.
func httpAPIApp(authCalls *atomic.Int32) *App {
	app := gatewayApp(authCalls)
	for _, rt := range app.router.byPath {
		for _, v := range rt.views {
			if rt.path == "/" || rt.path == "/items/{id}" || rt.path == "/files/{proxy+}" || rt.path == "/json" || rt.path == "/private" || rt.path == "/request" {
				v.handler = func(r *Request) (any, error) { return r.EventV2(), nil }
			}
		}
	}
	app.Route("/cookies", func(r *Request) (any, error) {
		c := ""
		for _, ck := range r.Cookies() {
			c += ck.Name + "=" + ck.Value + ";"
		}
		return &Response{StatusCode: 200, Headers: map[string]string{"Set-Cookie": "s=1; Path=/"}, Body: c}, nil
	})
	app.Route("/raw", func(r *Request) (any, error) { return r.EventV2(), nil },
		Methods("POST"), ContentTypes("image/png", "application/x-www-form-urlencoded"))
	app.Route("/whoami", func(r *Request) (any, error) {
		return map[string]any{"principal": r.Principal(), "context": r.AuthorizerContext()}, nil
	}, WithAuthorizer("tok"))
	app.ErrorLog = log.New(io.Discard, "", 0)
	return app
}

func TestHTTPAPIRouting(t *testing.T) {
	var calls atomic.Int32
	h := Gateway(httpAPIApp(&calls), GatewayConfig{HTTPAPI: true, Stage: "$default"})
	notFound := `{"message":"Not Found"}`
	runGateway(t, h, []gwCase{
		{name: "root", path: "/", wantStatus: 200, check: wantFields(map[string]any{"version": "2.0", "routeKey": "GET /", "rawPath": "/"})},
		{name: "capture", path: "/items/42", wantStatus: 200, check: wantFields(map[string]any{
			"routeKey": "GET /items/{id}", "pathParameters.id": "42", "requestContext.routeKey": "GET /items/{id}", "requestContext.http.method": "GET"})},
		{name: "literal before capture", path: "/items/special", wantStatus: 200, wantBody: "literal"},
		{name: "greedy proxy", path: "/files/a/b/c.txt", wantStatus: 200, check: wantFields(map[string]any{"routeKey": "GET /files/{proxy+}", "pathParameters.proxy": "a/b/c.txt"})},
		{name: "unknown path", path: "/nope", wantStatus: 404, wantBody: notFound, wantHeader: map[string]string{"Content-Type": "application/json", "X-Amzn-Errortype": ""}},
		{name: "method not on path", method: "DELETE", path: "/items/1", wantStatus: 404, wantBody: notFound},
		{name: "OPTIONS without preflight headers", method: "OPTIONS", path: "/items/1", wantStatus: 404, wantBody: notFound},
		{name: "no API keys on HTTP APIs", path: "/metered", wantStatus: 200, wantBody: "ok"},
	})
}

func TestHTTPAPIEvent(t *testing.T) {
	var calls atomic.Int32
	h := Gateway(httpAPIApp(&calls), GatewayConfig{HTTPAPI: true, Stage: "prod", StageVars: map[string]string{"color": "blue"}})
	png := []byte{0x89, 'P', 'N', 'G', 0x00, 0xff}
	runGateway(t, h, []gwCase{
		{name: "headers query stage", path: "/items/7?a=1&a=2&b=x%2Cy", header: http.Header{"X-Multi": {"p", "q"}, "User-Agent": {"ua"}, "Cookie": {"c1=v1; c2=v2"}},
			wantStatus: 200, check: wantFields(map[string]any{
				"version":                       "2.0",
				"routeKey":                      "GET /items/{id}",
				"rawPath":                       "/prod/items/7",
				"rawQueryString":                "a=1&a=2&b=x%2Cy",
				"headers.x-multi":               "p,q",
				"headers.user-agent":            "ua",
				"headers.cookie":                nil,
				"cookies":                       []any{"c1=v1", "c2=v2"},
				"queryStringParameters.a":       "1,2",
				"queryStringParameters.b":       "x,y",
				"pathParameters.id":             "7",
				"stageVariables.color":          "blue",
				"requestContext.stage":          "prod",
				"requestContext.http.method":    "GET",
				"requestContext.http.path":      "/prod/items/7",
				"requestContext.http.sourceIp":  "192.0.2.1",
				"requestContext.http.userAgent": "ua",
				"requestContext.accountId":      "123456789012",
				"requestContext.authorizer":     nil,
				"isBase64Encoded":               false,
			})},
		{name: "request id and time", path: "/", wantStatus: 200, check: func(t *testing.T, b []byte) {
			ev := eventOf(t, b)
			if id, _ := field(ev, "requestContext.requestId").(string); len(id) != 36 {
				t.Errorf("requestId = %q, want a UUID", id)
			}
			if ms, _ := field(ev, "requestContext.timeEpoch").(float64); time.Since(time.UnixMilli(int64(ms))) > time.Minute {
				t.Errorf("timeEpoch = %v, want now", ms)
			}
		}},
		{name: "text body", method: "POST", path: "/json", body: []byte(`{"x":1}`), header: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
			wantStatus: 200, check: wantFields(map[string]any{"body": `{"x":1}`, "isBase64Encoded": false, "headers.content-length": "7"})},
		{name: "forwarded headers", path: "/", header: http.Header{"X-Forwarded-For": {"198.51.100.7"}}, wantStatus: 200, check: wantFields(map[string]any{
			"headers.x-forwarded-for": "198.51.100.7, 192.0.2.1", "headers.x-forwarded-proto": "http", "headers.x-forwarded-port": "80", "headers.host": "example.com"})},
		{name: "binary body base64", method: "POST", path: "/raw", body: png, header: http.Header{"Content-Type": {"image/png"}},
			wantStatus: 200, check: wantFields(map[string]any{"body": "iVBORwD/", "isBase64Encoded": true})},
		{name: "form body base64 as HTTP APIs do", method: "POST", path: "/raw", body: []byte("a=1"), header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			wantStatus: 200, check: wantFields(map[string]any{"body": "YT0x", "isBase64Encoded": true})},
		{name: "binary both ways", method: "POST", path: "/upload", body: png, header: http.Header{"Content-Type": {"image/png"}},
			wantStatus: 200, wantBody: string(png), wantHeader: map[string]string{"Content-Type": "image/png"}},
		{name: "cookies in and Set-Cookie out", path: "/cookies", header: http.Header{"Cookie": {"a=1; b=2"}}, wantStatus: 200,
			wantBody: "a=1;b=2;", wantHeader: map[string]string{"Set-Cookie": "s=1; Path=/"}},
	})
}

func TestHTTPAPIResponses(t *testing.T) {
	var calls atomic.Int32
	app := httpAPIApp(&calls)
	answer := func(out string) GatewayConfig {
		return GatewayConfig{HTTPAPI: true, Invoke: func(context.Context, string, []byte) ([]byte, error) { return []byte(out), nil }}
	}
	cases := []struct {
		name, out  string
		wantStatus int
		wantBody   string
		wantHeader map[string]string
	}{
		{"simplified object", `{"a":1}`, 200, `{"a":1}`, map[string]string{"Content-Type": "application/json"}},
		{"simplified string", `"hi"`, 200, `"hi"`, map[string]string{"Content-Type": "application/json"}},
		{"structured", `{"statusCode":201,"headers":{"X-A":"b","Content-Type":"text/plain"},"body":"made"}`, 201, "made", map[string]string{"X-A": "b", "Content-Type": "text/plain"}},
		{"cookies", `{"statusCode":200,"cookies":["a=1","b=2"],"body":""}`, 200, "", map[string]string{"Set-Cookie": "a=1"}},
		{"base64", `{"statusCode":200,"body":"aGk=","isBase64Encoded":true}`, 200, "hi", nil},
		{"invalid JSON", `{"statusCode":`, 500, `{"message":"Internal Server Error"}`, nil},
		{"bad status", `{"statusCode":0}`, 500, `{"message":"Internal Server Error"}`, nil},
	}
	for _, c := range cases {
		runGateway(t, Gateway(app, answer(c.out)), []gwCase{{name: c.name, path: "/", wantStatus: c.wantStatus, wantBody: c.wantBody, wantHeader: c.wantHeader}})
	}
	rec := serveOnce(Gateway(app, answer(`{"statusCode":200,"cookies":["a=1","b=2"]}`)), "GET", "/", nil)
	if got := rec.Header.Values("Set-Cookie"); strings.Join(got, "|") != "a=1|b=2" {
		t.Errorf("Set-Cookie = %q, want a=1 and b=2", got)
	}
}

// serveOnce sends one request and returns the response.
func serveOnce(h http.Handler, method, path string, header http.Header) *http.Response {
	req, _ := http.NewRequest(method, "http://example.com"+path, nil)
	req.RemoteAddr = "192.0.2.1:1234"
	for k, vs := range header {
		req.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestHTTPAPILimits(t *testing.T) {
	var calls atomic.Int32
	app := httpAPIApp(&calls)
	big := bytes.Repeat([]byte("a"), MaxPayloadBytes+1)
	short := Gateway(app, GatewayConfig{HTTPAPI: true, Timeouts: map[string]time.Duration{"api_handler": 100 * time.Millisecond}})
	runGateway(t, short, []gwCase{
		{name: "413 over 10 MB", method: "POST", path: "/json", body: big, wantStatus: 413, wantBody: `{"message":"Request Entity Too Large"}`},
		{name: "500 after the function's own timeout", path: "/slow", wantStatus: 500, wantBody: `{"message":"Internal Server Error"}`},
	})
	saved := httpIntegrationTimeout
	httpIntegrationTimeout = 100 * time.Millisecond
	t.Cleanup(func() { httpIntegrationTimeout = saved })
	runGateway(t, Gateway(app, GatewayConfig{HTTPAPI: true}), []gwCase{
		{name: "503 after the integration timeout", path: "/slow", wantStatus: 503, wantBody: `{"message":"Service Unavailable"}`},
	})
}

func TestHTTPAPICORS(t *testing.T) {
	var calls atomic.Int32
	h := Gateway(httpAPIApp(&calls), GatewayConfig{HTTPAPI: true})
	origin := func(o string, more ...string) http.Header {
		h := http.Header{"Origin": {o}}
		for i := 0; i+1 < len(more); i += 2 {
			h.Set(more[i], more[i+1])
		}
		return h
	}
	runGateway(t, h, []gwCase{
		{name: "preflight on a CORS route", method: "OPTIONS", path: "/cors", header: origin("https://a.example", "Access-Control-Request-Method", "POST"),
			wantStatus: 204, wantHeader: map[string]string{
				"Access-Control-Allow-Origin":  "https://a.example",
				"Access-Control-Allow-Methods": "GET,OPTIONS,POST",
				"Access-Control-Allow-Headers": "authorization,content-type,x-amz-date,x-amz-security-token,x-api-key",
				"Access-Control-Max-Age":       "60",
			}},
		{name: "preflight on any path", method: "OPTIONS", path: "/nope/deeper", header: origin("https://a.example", "Access-Control-Request-Method", "GET"),
			wantStatus: 204, wantHeader: map[string]string{"Access-Control-Allow-Origin": "https://a.example"}},
		{name: "preflight from another origin", method: "OPTIONS", path: "/cors", header: origin("https://evil.example", "Access-Control-Request-Method", "GET"),
			wantStatus: 204, wantHeader: map[string]string{"Access-Control-Allow-Origin": "", "Access-Control-Allow-Methods": ""}},
		{name: "CORS on every route's answer", path: "/items/1", header: origin("https://a.example"), wantStatus: 200,
			wantHeader: map[string]string{"Access-Control-Allow-Origin": "https://a.example"}},
		{name: "CORS on the API's errors", path: "/nope", header: origin("https://a.example"), wantStatus: 404,
			wantHeader: map[string]string{"Access-Control-Allow-Origin": "https://a.example"}},
		{name: "the function's CORS headers replaced", path: "/cors", header: origin("https://evil.example"), wantStatus: 200,
			wantHeader: map[string]string{"Access-Control-Allow-Origin": "https://a.example"}},
		{name: "no Origin, no API CORS headers", path: "/items/1", wantStatus: 200, wantHeader: map[string]string{"Access-Control-Allow-Origin": ""}},
	})
}

func TestHTTPAPILambdaAuthorizer(t *testing.T) {
	var calls atomic.Int32
	h := Gateway(httpAPIApp(&calls), GatewayConfig{HTTPAPI: true})
	auth := func(tok string) http.Header { return http.Header{"Authorization": {tok}} }
	forbidden, unauthorized := `{"message":"Forbidden"}`, `{"message":"Unauthorized"}`
	runGateway(t, h, []gwCase{
		{name: "allow", path: "/private", header: auth("allow"), wantStatus: 200, check: wantFields(map[string]any{
			"requestContext.authorizer.lambda.principalId": "user-1", "requestContext.authorizer.lambda.tier": "gold", "requestContext.authorizer.lambda.n": 3})},
		{name: "allowed elsewhere only", path: "/private", header: auth("other"), wantStatus: 403, wantBody: forbidden},
		{name: "deny", path: "/private", header: auth("deny"), wantStatus: 403, wantBody: forbidden},
		{name: "unauthorized error is a denial", path: "/private", header: auth("bad"), wantStatus: 403, wantBody: forbidden},
		{name: "missing token", path: "/private", wantStatus: 401, wantBody: unauthorized},
		{name: "request authorizer", path: "/request?k=good", header: http.Header{"X-Id": {"u9"}}, wantStatus: 200,
			check: wantFields(map[string]any{"requestContext.authorizer.lambda.principalId": "u9"})},
		{name: "request authorizer denies", path: "/request?k=bad", header: http.Header{"X-Id": {"u9"}}, wantStatus: 403, wantBody: forbidden},
		{name: "request authorizer source missing", path: "/request", header: http.Header{"X-Id": {"u9"}}, wantStatus: 401, wantBody: unauthorized},
		{name: "IAM passes through", path: "/iam", wantStatus: 200, wantBody: "ok"},
	})
	before := calls.Load()
	runGateway(t, h, []gwCase{{name: "cached", path: "/private", header: auth("allow"), wantStatus: 200}})
	if calls.Load() != before {
		t.Errorf("the authorizer ran again within its TTL (%d calls, want %d)", calls.Load(), before)
	}
	runGateway(t, h, []gwCase{{name: "cached per route key", path: "/whoami", header: auth("allow"), wantStatus: 403}})
	if calls.Load() != before+1 {
		t.Errorf("an answer cached for one route served another (%d calls, want %d)", calls.Load(), before+1)
	}
}

func TestHTTPAPIJWTAuthorizer(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	iss := "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123"
	exp := time.Now().Add(time.Hour).Unix()
	claims := func(extra ...any) map[string]any {
		c := map[string]any{"sub": "abc", "iss": iss, "aud": "client-1", "exp": exp, "scope": "profile/read other"}
		for i := 0; i+1 < len(extra); i += 2 {
			if extra[i+1] == nil {
				delete(c, extra[i].(string))
			} else {
				c[extra[i].(string)] = extra[i+1]
			}
		}
		return c
	}
	good := signJWT(t, key, "k1", claims())
	access := signJWT(t, key, "k1", claims("aud", nil, "client_id", "client-1"))
	noScope := signJWT(t, key, "k1", claims("scope", nil))
	wrongIss := signJWT(t, key, "k1", claims("iss", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"))
	wrongAud := signJWT(t, key, "k1", claims("aud", "client-2"))
	expired := signJWT(t, key, "k1", claims("exp", time.Now().Add(-time.Minute).Unix()))
	forged := signJWT(t, other, "k1", claims())
	auth := func(tok string) http.Header { return http.Header{"Authorization": {tok}} }
	unauthorized := `{"message":"Unauthorized"}`

	var calls atomic.Int32
	var logs bytes.Buffer
	h := Gateway(httpAPIApp(&calls), GatewayConfig{HTTPAPI: true, JWKS: jwksOf(key, "k1"), JWTAudience: []string{"client-1"}, AccessLog: log.New(&logs, "", 0)})
	if strings.Contains(logs.String(), "issuer is not known") || strings.Contains(logs.String(), "audience is not known") {
		t.Errorf("issuer (from the pool ARN) and audience (given) are known, yet:\n%s", logs.String())
	}
	runGateway(t, h, []gwCase{
		{name: "valid: claims via r.Claims", path: "/me", header: auth("Bearer " + good), wantStatus: 200, check: wantFields(map[string]any{"sub": "abc", "aud": "client-1"})},
		{name: "access token client_id", path: "/me", header: auth(access), wantStatus: 200},
		{name: "wrong issuer", path: "/me", header: auth(wrongIss), wantStatus: 401, wantBody: unauthorized},
		{name: "wrong audience", path: "/me", header: auth(wrongAud), wantStatus: 401, wantBody: unauthorized},
		{name: "forged", path: "/me", header: auth(forged), wantStatus: 401, wantBody: unauthorized},
		{name: "expired", path: "/me", header: auth(expired), wantStatus: 401, wantBody: unauthorized},
		{name: "missing", path: "/me", wantStatus: 401, wantBody: unauthorized},
		{name: "scope held", path: "/scoped", header: auth(good), wantStatus: 200},
		{name: "scope missing", path: "/scoped", header: auth(noScope), wantStatus: 403, wantBody: `{"message":"Forbidden"}`},
	})

	logs.Reset()
	h = Gateway(httpAPIApp(&calls), GatewayConfig{HTTPAPI: true, JWKS: jwksOf(key, "k1"), AccessLog: log.New(&logs, "", 0)})
	if !strings.Contains(logs.String(), "audience is not known") {
		t.Errorf("a JWT authorizer without a known audience must say so:\n%s", logs.String())
	}
	runGateway(t, h, []gwCase{
		{name: "audience unchecked when unknown", path: "/me", header: auth(wrongAud), wantStatus: 200},
		{name: "issuer from the pool ARN", path: "/me", header: auth(wrongIss), wantStatus: 401},
	})

	// Pool ARN and audience as template parameters, valued by the stage.
	app := New("params")
	app.ErrorLog = log.New(io.Discard, "", 0)
	app.CognitoAuthorizer("users", ProviderARNParameter("PoolArn"), AudienceParameter("ClientId"))
	app.Route("/me", func(r *Request) (any, error) { return r.Claims(), nil }, WithAuthorizer("users"))
	params := map[string]string{"PoolArn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123", "ClientId": "client-1"}
	h = Gateway(app, GatewayConfig{HTTPAPI: true, JWKS: jwksOf(key, "k1"), Parameters: params})
	runGateway(t, h, []gwCase{
		{name: "parameters: valid", path: "/me", header: auth(good), wantStatus: 200},
		{name: "parameters: wrong audience", path: "/me", header: auth(wrongAud), wantStatus: 401},
		{name: "parameters: wrong issuer", path: "/me", header: auth(wrongIss), wantStatus: 401},
	})
}

func FuzzHTTPAPIGateway(f *testing.F) {
	var calls atomic.Int32
	h := Gateway(httpAPIApp(&calls), GatewayConfig{HTTPAPI: true})
	f.Add("GET", "/items/1?a=b&a=c", "allow", "image/png", "a=1; b", []byte("x"))
	f.Add("POST", "/raw", "", "application/x-www-form-urlencoded", "", []byte("a=1"))
	f.Add("GET", "/me", "a.eyJleHAiOjF9.c", "", "", []byte(nil))
	f.Add("OPTIONS", "/anything", "", "", "", []byte(nil))
	f.Add("GET", "/request?k=good", "", "", "", []byte(nil))
	f.Fuzz(func(t *testing.T, method, path, auth, ctype, cookie string, body []byte) {
		req := fuzzRequest(method, path, auth, ctype, body)
		if req == nil {
			return
		}
		req.Header.Set("Cookie", cookie)
		req.Header.Set("Origin", "https://a.example")
		req.Header.Set("Access-Control-Request-Method", "GET")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 201, 204, 400, 401, 403, 404, 413, 415, 500:
		default:
			t.Fatalf("%s %s: status %d", method, path, rec.Code)
		}
		if rec.Code != 204 && rec.Header().Get("Access-Control-Allow-Origin") != "https://a.example" {
			t.Fatalf("%s %s: %d without the API's CORS origin", method, path, rec.Code)
		}
	})
}
