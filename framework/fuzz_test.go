package framework

import (
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
	app.Route("/echo", func(r *Request) (any, error) {
		var v any
		if err := r.DecodeJSON(&v); err != nil {
			return nil, err
		}
		return v, nil
	}, Methods("POST"))
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
