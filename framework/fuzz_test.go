package framework

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"/", "/a", "/a/{b}", "/a/{proxy+}", "//", "/a/{b", "/{x}/{x}", "/a/b{c}", "/é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		segs, err := parsePath(path)
		if err != nil {
			return
		}
		// A valid path round-trips through its segments and is matched by the
		// router when its captures are replaced by values.
		parts := make([]string, len(segs))
		concrete := make([]string, len(segs))
		for i, s := range segs {
			parts[i] = s.String()
			concrete[i] = s.literal
			if s.param != "" {
				concrete[i] = "v"
			}
		}
		if got := "/" + strings.Join(parts, "/"); got != path {
			t.Fatalf("parsePath(%q) round-trips to %q", path, got)
		}
		var rt router
		if _, err := rt.add(path, segs); err != nil {
			t.Fatalf("add(%q): %v", path, err)
		}
		if r, _ := rt.match("/" + strings.Join(concrete, "/")); r == nil || r.path != path {
			t.Fatalf("match of a concrete %q failed", path)
		}
	})
}

func FuzzAPIEvent(f *testing.F) {
	f.Add([]byte(`{"resource":"/hello/{name}","httpMethod":"GET","pathParameters":{"name":"x"}}`))
	f.Add([]byte(`{"resource":"/echo","httpMethod":"POST","body":"eyJhIjoxfQ==","isBase64Encoded":true}`))
	f.Add([]byte(`{"resource":"/echo","httpMethod":"POST","body":"{\"a\":1}","multiValueHeaders":{"a":["1"]}}`))
	f.Add([]byte(`{}`))
	app := New("fuzz")
	captureLog(app)
	app.Route("/hello/{name}", func(r *Request) (any, error) { return r.PathParam("name"), nil })
	app.Route("/echo", echoJSON, Methods("POST"))
	f.Fuzz(func(t *testing.T, payload []byte) {
		out, err := app.Invoke(context.Background(), "api_handler", payload)
		if err != nil {
			return
		}
		var resp struct {
			StatusCode int    `json:"statusCode"`
			Body       string `json:"body"`
		}
		if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode < 200 || resp.StatusCode > 599 {
			t.Fatalf("bad response %s (%v)", out, err)
		}
	})
}

// FuzzAPIEventV2 sends arbitrary payloads through the api_handler with the
// 2.0 detection in front: whatever the bytes, it answers a well-formed
// response or an error, and a payload taken as 2.0 is answered in the 2.0
// format (no multiValueHeaders).
func FuzzAPIEventV2(f *testing.F) {
	f.Add([]byte(`{"version":"2.0","routeKey":"GET /hello/{name}","rawPath":"/hello/x","pathParameters":{"name":"x"},"requestContext":{"http":{"method":"GET"}}}`))
	f.Add([]byte(`{"version":"2.0","routeKey":"POST /echo","rawQueryString":"a=1&a=2,3","cookies":["a=b"],"body":"eyJhIjoxfQ==","isBase64Encoded":true,"requestContext":{"http":{"method":"POST"}}}`))
	f.Add([]byte(`{"version":"2.0","routeKey":"$default","rawPath":"/hello/y","requestContext":{"http":{"method":"GET"}}}`))
	f.Add([]byte(`{"headers":{"version":"2.0"},"version":"2.0"}`))
	f.Add([]byte(`{"version":"2.0","requestContext":{"authorizer":{"jwt":{"claims":{"sub":"1"}}}}}`))
	app := New("fuzz")
	captureLog(app)
	app.Route("/hello/{name}", func(r *Request) (any, error) {
		return map[string]any{"name": r.PathParam("name"), "q": r.Query, "claims": r.Claims(), "p": r.Principal(), "c": len(r.Cookies())}, nil
	})
	app.Route("/echo", echoJSON, Methods("POST"))
	f.Fuzz(func(t *testing.T, payload []byte) {
		v2 := isV2Event(payload)
		// On valid JSON with one "version" key, the scan agrees with a full
		// decode (escaped values aside, which the scan never takes for 2.0).
		var top map[string]json.RawMessage
		if bytes.Count(payload, []byte(`"version"`)) == 1 && json.Unmarshal(payload, &top) == nil {
			raw, ok := top["version"]
			if want := ok && string(raw) == `"2.0"`; v2 != want && !bytes.Contains(raw, []byte(`\`)) {
				t.Fatalf("isV2Event = %v, decoded version %s", v2, raw)
			}
		}
		out, err := app.Invoke(context.Background(), "api_handler", payload)
		if err != nil {
			return
		}
		var resp struct {
			StatusCode        int                 `json:"statusCode"`
			Body              string              `json:"body"`
			MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
		}
		if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode < 200 || resp.StatusCode > 599 {
			t.Fatalf("bad response %s (%v)", out, err)
		}
		if v2 && resp.MultiValueHeaders != nil {
			t.Fatalf("2.0 event answered with multiValueHeaders: %s", out)
		}
	})
}

// FuzzTypedDecode sends arbitrary bodies to a typed view: the answer is the
// view's result (the body then decodes strictly into the request type and
// passes Validate) or a 400 BadRequestError with a message, never a 500.
func FuzzTypedDecode(f *testing.F) {
	for _, s := range []string{
		`{"title":"milk","owner":{"name":"ann"}}`,
		`{"title":"milk","owner":{"name":"ann"},"items":[{"text":"x","done":true}],"tags":["a"],"due":"soon"}`,
		`{"title":"milk","owner":{"name":"ann"}} {}`,
		`{"title":1}`, `[]`, `null`, `{"owner":{}}`, ``, `{"TITLE":"x"}`,
	} {
		f.Add([]byte(s))
	}
	app := New("fuzz")
	captureLog(app)
	TypedRoute(app, "/todos", func(r *Request, in newTodo) (newTodo, error) { return in, nil }, Methods("POST"))
	f.Fuzz(func(t *testing.T, body []byte) {
		if !utf8.Valid(body) {
			return // API Gateway sends a text body as a JSON string
		}
		ev := proxyEvent("POST", "/todos", nil)
		ev.Body = string(body)
		resp := invokeAPI(t, app, ev)
		switch resp.StatusCode {
		case 200:
			var in newTodo
			dec := json.NewDecoder(strings.NewReader(string(body)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&in); err != nil || in.Validate() != nil || dec.More() {
				t.Fatalf("accepted %q: %v", body, err)
			}
		case 400:
			var e struct{ Code, Message string }
			if err := json.Unmarshal([]byte(resp.Body), &e); err != nil || e.Code != "BadRequestError" || e.Message == "" {
				t.Fatalf("400 for %q has body %s", body, resp.Body)
			}
		default:
			t.Fatalf("%q: status %d %s", body, resp.StatusCode, resp.Body)
		}
	})
}
