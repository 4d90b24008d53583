package framework

import (
	"bytes"
	"context"
	"net/textproto"
	"strings"
	"testing"
)

// diffApp is the app of the differential tests: its views answer with
// everything a view can see of the request, so that the two paths'
// responses are equal only if the views saw the same.
func diffApp() *App {
	app := New("diff")
	app.ErrorLog = discardLog
	echo := func(r *Request) (any, error) {
		return map[string]any{
			"method":     r.Method,
			"path":       r.Path,
			"pathParams": r.PathParams,
			"query":      r.Query,
			"headers":    r.Headers,
			"body":       r.Body,
			"stageVars":  r.StageVars,
			"event":      r.Event(),
			"eventV2":    r.EventV2(),
			"claims":     r.Claims(),
			"principal":  r.Principal(),
			"authCtx":    r.AuthorizerContext(),
			"param":      r.PathParam("name"),
		}, nil
	}
	app.Route("/", echo)
	app.Route("/hello/{name}", echo, Methods("GET", "POST"))
	app.Route("/hello/{name}/text", func(r *Request) (any, error) { return "hi " + r.PathParam("name"), nil })
	app.Route("/upload", echo, Methods("PUT"), ContentTypes("image/*", "text/plain"))
	app.Route("/cors", echo, WithCORS())
	app.Route("/static/{proxy+}", echo)
	app.Route("/fail", func(r *Request) (any, error) { return nil, Conflict("taken") })
	return app
}

// differential runs payload through the fast path and, when it takes the
// event, through the encoding/json path, and fails if the responses differ.
// It reports whether the fast path took the event.
func differential(t *testing.T, app *App, payload []byte) bool {
	t.Helper()
	fast, ok := app.serveREST(context.Background(), payload)
	if !ok {
		return false
	}
	slow, err := slowHandler{app}.Invoke(context.Background(), payload)
	if err != nil {
		t.Fatalf("the fast path answered %s\nbut encoding/json rejects the event: %v\nevent: %q", fast, err, payload)
	}
	if !bytes.Equal(fast, slow) {
		t.Fatalf("responses differ\nfast: %s\nslow: %s\nevent: %q", fast, slow, payload)
	}
	return true
}

// restSeeds are events the fast path must take, each compared with the
// encoding/json path.
var restSeeds = []string{
	`{"resource":"/hello/{name}","httpMethod":"GET","pathParameters":{"name":"x"}}`,
	`{"resource":"/hello/{name}","httpMethod":"get","pathParameters":{"name":"x"},"requestContext":{"resourcePath":"/hello/{name}"}}`,
	`{"resource":"/other","httpMethod":"POST","pathParameters":{"name":"é\u00e9\n"},"requestContext":{"resourcePath":"/hello/{name}","authorizer":{"principalId":"me","claims":{"sub":"1"},"n":1.5e3}}}`,
	`{"resource":"/hello/{name}","httpMethod":"POST","body":"eyJhIjoxfQ==","isBase64Encoded":true,"pathParameters":null}`,
	`{"resource":"/hello/{name}","httpMethod":"POST","body":"not base64!","isBase64Encoded":true}`,
	`{"resource":"/hello/{name}","httpMethod":"POST","body":"{\"a\":[1,2,{\"b\":null}]}\t","isBase64Encoded":false}`,
	`{"resource":"/hello/{name}","httpMethod":"GET","headers":{"a":"1","B-c":"2","content-type":"application/json"},"multiValueHeaders":{}}`,
	`{"resource":"/hello/{name}","httpMethod":"GET","headers":{"x":"1"},"multiValueHeaders":{"x":["1","2"],"y":[],"z":null,"w":[null,"v"]}}`,
	`{"resource":"/hello/{name}","httpMethod":"GET","queryStringParameters":{"a":"1","b":null},"multiValueQueryStringParameters":null}`,
	`{"resource":"/hello/{name}","httpMethod":"GET","queryStringParameters":{"a":"1"},"multiValueQueryStringParameters":{"a":["1","2"],"c":[]}}`,
	`{"resource":"/hello/{name}","httpMethod":"GET","stageVariables":{},"pathParameters":{}}`,
	`{"resource":"/hello/{name}","httpMethod":"GET","stageVariables":{"env":"prod"},"unknown":[1,{"x":true},null,"s"]}`,
	`{"resource":"/upload","httpMethod":"PUT","headers":{"Content-Type":"image/png"},"body":"iVBORw0KGgo=","isBase64Encoded":true}`,
	`{"resource":"/upload","httpMethod":"PUT","headers":{"Content-Type":"application/json"}}`,
	`{"resource":"/upload","httpMethod":"PUT","multiValueHeaders":{"content-type":["text/plain","image/gif"]}}`,
	`{"resource":"/upload","httpMethod":"PUT","headers":{"content-type":""},"multiValueHeaders":{"Content-Type":["text/plain"]}}`,
	`{"resource":"/upload","httpMethod":"PUT","headers":{"content-type":"bad;;type"}}`,
	`{"resource":"/cors","httpMethod":"GET"}`,
	`{"resource":"/static/{proxy+}","httpMethod":"GET","pathParameters":{"proxy":"a/b/c"}}`,
	`{"resource":"/fail","httpMethod":"GET"}`,
	`{"resource":"/hello/{name}/text","httpMethod":"GET","pathParameters":{"name":"<b>&"}}`,
	` {"resource" : "/" , "httpMethod" : "GET" , "path" : null , "body" : null , "isBase64Encoded" : null } `,
	`{"resource":"/","httpMethod":"GET","requestContext":{"identity":{"userArn":"arn:aws:iam::123456789012:user/x","clientCert":{"validity":{"notAfter":"x"}}},"requestTimeEpoch":-0}}`,
	`{"resource":"/","httpMethod":"GET","requestContext":null,"headers":null,"multiValueHeaders":null}`,
	`{"resource":"/","httpMethod":"GET","headers":{"\u0041ccept":"a\/b\\c\"d\b\f\r"}}`,
}

// restDeclined are events the fast path leaves to encoding/json.
var restDeclined = []string{
	`{"resource":"/hello/{name}","httpMethod":"GET","pathParameters":{"name":"x"},"pathParameters":{"other":"y"}}`,
	`{"RESOURCE":"/hello/{name}","httpMethod":"GET"}`,
	`{"resource":"/","httpMethod":"GET","iſBase64Encoded":true}`,
	"{\"resource\":\"/\",\"httpMethod\":\"GET\",\"headers\":{\"a\":\"\xff\"}}",
	`{"resource":"/","httpMethod":"GET","headers":{"a":"\ud83d\ude00"}}`,
	`{"resource":"/","httpMethod":"GET","headers":{"a":"1","A":"2"}}`,
	`{"resource":"/","httpMethod":"GET","multiValueHeaders":{"a":["1"],"A":["2"]}}`,
	`{"resource":"/","httpMethod":"GET","headers":{"content-type":"a/b","Content-Type":"a/b"}}`,
	`{"resource":"/","httpMethod":"GET","headers":{"a":1}}`,
	`{"resource":"/","httpMethod":"GET","requestContext":{"requestTimeEpoch":1.5}}`,
	`{"resource":"/","httpMethod":"GET","requestContext":{"identity":[]}}`,
	`{"resource":"/","httpMethod":"GET","requestContext":{"authorizer":"x"}}`,
	`{"resource":"/","httpMethod":"GET","isBase64Encoded":"true"}`,
	`{"resource":"/","httpMethod":"GET"} x`,
	`{"resource":"/","httpMethod":"GET",}`,
	`{"resource":"/nowhere","httpMethod":"GET"}`,
	`{"resource":"/","httpMethod":"DELETE"}`,
	`{"httpMethod":"GET"}`,
	`[]`,
	`null`,
	`{"version":"2.0","resource":"/","httpMethod":"GET"}`,
	`{"version" : "2.0","resource":"/","httpMethod":"GET"}`,
}

func TestRESTFastPathMatchesEncodingJSON(t *testing.T) {
	app := diffApp()
	seeds := append([]string{string(browserEvent(t))}, restSeeds...)
	for _, s := range seeds {
		if !differential(t, app, []byte(s)) {
			t.Errorf("the fast path declined %s", s)
		}
	}
	for _, s := range restDeclined {
		if differential(t, app, []byte(s)) {
			t.Errorf("the fast path took %s; encoding/json decodes it differently or rejects it", s)
		}
	}
}

// mapOrderDependent are declined events whose answer on the encoding/json
// path depends on map iteration order (header keys that collide once
// canonical): the fast path declines them so as not to pick one order.
var mapOrderDependent = map[string]bool{
	`{"resource":"/","httpMethod":"GET","headers":{"a":"1","A":"2"}}`:               true,
	`{"resource":"/","httpMethod":"GET","multiValueHeaders":{"a":["1"],"A":["2"]}}`: true,
}

// The full handler answers declined events as before: the 404, 405 and
// decoding errors come from the encoding/json path.
func TestRESTFastPathFallback(t *testing.T) {
	app := diffApp()
	h := apiHandler{app}
	for _, s := range restDeclined {
		if mapOrderDependent[s] || isV2Event([]byte(s)) {
			continue // payload 2.0 events go to apiv2.go
		}
		out, err := h.Invoke(context.Background(), []byte(s))
		want, wantErr := slowHandler{app}.Invoke(context.Background(), []byte(s))
		if (err == nil) != (wantErr == nil) || !bytes.Equal(out, want) {
			t.Errorf("%s: got %s, %v; want %s, %v", s, out, err, want, wantErr)
		}
	}
}

func FuzzRESTFastPath(f *testing.F) {
	f.Add(browserEvent(f))
	for _, s := range append(restSeeds, restDeclined...) {
		f.Add([]byte(s))
	}
	app := diffApp()
	f.Fuzz(func(t *testing.T, payload []byte) {
		differential(t, app, payload)
	})
}

func TestCanonicalHeaderKey(t *testing.T) {
	keys := []string{"", "a", "x-y", "-a", "a--b", "content-type", "CONTENT-TYPE", "Content-type", "foo bar", "é-a", "x_y",
		strings.Repeat("a", 40), strings.Repeat("a", 41)}
	for h := range commonHeaders {
		keys = append(keys, h, strings.ToLower(h), strings.ToUpper(h))
	}
	for _, k := range keys {
		if got, want := canonicalHeaderKey(k), textproto.CanonicalMIMEHeaderKey(k); got != want {
			t.Errorf("canonicalHeaderKey(%q) = %q, want %q", k, got, want)
		}
	}
}

// The browser's event takes the fast path within the allocation budget.
func TestRESTFastPathAllocs(t *testing.T) {
	app := benchApp()
	payload := browserEvent(t)
	h := apiHandler{app}
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := h.Invoke(context.Background(), payload); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 40 {
		t.Errorf("%v allocations per browser event, want at most 40", allocs)
	}
	if _, ok := app.serveREST(context.Background(), payload); !ok {
		t.Error("the browser's event did not take the fast path")
	}
}
