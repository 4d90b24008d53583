package framework

import (
	"maps"
	"strings"
	"testing"
)

func TestParsePath(t *testing.T) {
	tests := []struct {
		path    string
		want    string // segments joined by |, or "" for the root
		wantErr string
	}{
		{path: "/", want: ""},
		{path: "/hello", want: "hello"},
		{path: "/hello/{name}", want: "hello|{name}"},
		{path: "/a/{x}/b/{y}", want: "a|{x}|b|{y}"},
		{path: "/static/{proxy+}", want: "static|{proxy+}"},
		{path: "/v1.2/my-items_x", want: "v1.2|my-items_x"},
		{path: "hello", wantErr: `must start with "/"`},
		{path: "", wantErr: `must start with "/"`},
		{path: "/hello/", wantErr: `must not end with "/"`},
		{path: "/a//b", wantErr: "empty segment"},
		{path: "/a/{}", wantErr: "invalid capture name"},
		{path: "/a/{1x}", wantErr: "invalid capture name"},
		{path: "/a/{x-y}", wantErr: "invalid capture name"},
		{path: "/a/x{y}", wantErr: "whole capture"},
		{path: "/a/{x}{y}", wantErr: "whole capture"},
		{path: "/a/{x", wantErr: "whole capture"},
		{path: "/a/{proxy+}/b", wantErr: "must be the last segment"},
		{path: "/a/{x}/{x}", wantErr: "appears twice"},
		{path: "/a b", wantErr: "has character"},
		{path: "/a?b", wantErr: "has character"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			segs, err := parsePath(tt.path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parsePath(%q) error = %v, want it to contain %q", tt.path, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parsePath(%q): %v", tt.path, err)
			}
			var got []string
			for _, s := range segs {
				got = append(got, s.String())
			}
			if g := strings.Join(got, "|"); g != tt.want {
				t.Errorf("parsePath(%q) = %q, want %q", tt.path, g, tt.want)
			}
		})
	}
}

func TestRouterMatch(t *testing.T) {
	paths := []string{
		"/", "/hello", "/hello/{name}", "/hello/world", "/users/{id}/posts/{post}",
		"/users/{id}", "/users/{id}/edit", "/files/{proxy+}", "/a/{x}/c", "/a/b/d",
	}
	var rt router
	for _, p := range paths {
		segs, err := parsePath(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rt.add(p, segs); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		path   string
		want   string // "" = no match
		params map[string]string
	}{
		{"/", "/", nil},
		{"/hello", "/hello", nil},
		{"/hello/world", "/hello/world", nil}, // literal wins over capture
		{"/hello/bob", "/hello/{name}", map[string]string{"name": "bob"}},
		{"/users/7", "/users/{id}", map[string]string{"id": "7"}},
		{"/users/7/edit", "/users/{id}/edit", map[string]string{"id": "7"}},
		{"/users/7/posts/9", "/users/{id}/posts/{post}", map[string]string{"id": "7", "post": "9"}},
		{"/files/a/b/c.txt", "/files/{proxy+}", map[string]string{"proxy": "a/b/c.txt"}},
		{"/files/x", "/files/{proxy+}", map[string]string{"proxy": "x"}},
		{"/a/b/c", "/a/{x}/c", map[string]string{"x": "b"}}, // backtracks from literal b
		{"/a/b/d", "/a/b/d", nil},
		{"/files", "", nil},
		{"/nope", "", nil},
		{"/users/7/other", "", nil},
		{"/hello//x", "", nil},
		{"relative", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r, params := rt.match(tt.path)
			got := ""
			if r != nil {
				got = r.path
			}
			if got != tt.want {
				t.Fatalf("match(%q) = %q, want %q", tt.path, got, tt.want)
			}
			if r != nil && !maps.Equal(params, tt.params) {
				t.Errorf("match(%q) params = %v, want %v", tt.path, params, tt.params)
			}
		})
	}
}

func TestRegistrationErrors(t *testing.T) {
	tests := []struct {
		name     string
		register func(a *App)
		want     []string // each must appear in the error, in order
	}{
		{"empty app name", func(a *App) { *a = *New(" ") }, []string{"app name is empty"}},
		{"no leading slash", func(a *App) { a.Route("hello", ok) }, []string{`route hello: path "hello" must start with "/"`}},
		{"trailing slash", func(a *App) { a.Route("/hello/", ok) }, []string{"must not end with"}},
		{"empty segment", func(a *App) { a.Route("/a//b", ok) }, []string{"empty segment"}},
		{"bad capture", func(a *App) { a.Route("/a/{b-c}", ok) }, []string{"invalid capture name"}},
		{"sibling captures", func(a *App) {
			a.Route("/a/{x}", ok)
			a.Route("/a/{y}/b", ok)
		}, []string{`path "/a/{y}/b": capture {y} conflicts with {x} of path "/a/{x}"`}},
		{"greedy beside capture", func(a *App) {
			a.Route("/a/{x}", ok)
			a.Route("/a/{proxy+}", ok)
		}, []string{"capture {proxy+} conflicts with {x}"}},
		{"duplicate method", func(a *App) {
			a.Route("/a", ok)
			a.Route("/a", ok, Methods("post", "GET"))
		}, []string{"route GET /a: registered twice (github.com/gochalice/gochalice/framework.ok and github.com/gochalice/gochalice/framework.ok)"}},
		{"unknown method", func(a *App) { a.Route("/a", ok, Methods("FETCH")) }, []string{`unknown method "FETCH"`}},
		{"method twice in one call", func(a *App) { a.Route("/a", ok, Methods("GET", "get")) }, []string{"method GET listed twice"}},
		{"nil view", func(a *App) { a.Route("/a", nil) }, []string{"handler is nil"}},
		{"duplicate function", func(a *App) {
			a.LambdaFunction("f", func() error { return nil })
			a.LambdaFunction("f", func() error { return nil })
		}, []string{`function "f": registered twice`}},
		{"reserved function", func(a *App) { a.LambdaFunction("api_handler", func() {}) }, []string{"reserved"}},
		{"bad function name", func(a *App) { a.LambdaFunction("1abc", func() {}) }, []string{"invalid name"}},
		{"not a function", func(a *App) { a.LambdaFunction("f", 42) }, []string{"not a function"}},
		{"three args", func(a *App) { a.LambdaFunction("f", func(a, b, c int) {}) }, []string{"at most two"}},
		{"first not context", func(a *App) { a.LambdaFunction("f", func(a, b int) {}) }, []string{"first must be context.Context"}},
		{"result not error", func(a *App) { a.LambdaFunction("f", func() int { return 0 }) }, []string{"single result must be an error"}},
		{"several at once", func(a *App) {
			a.Route("x", ok)
			a.Route("/y/", ok)
			a.LambdaFunction("", func() {})
		}, []string{"3 registration error(s)", "route x", "route /y/", `function ""`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := New("t")
			tt.register(app)
			_, err := app.Manifest()
			if err == nil {
				t.Fatal("Manifest() succeeded, want a registration error")
			}
			msg := err.Error()
			rest := msg
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error %q does not contain %q (in order)", msg, w)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestValidHandlersAccepted(t *testing.T) {
	type ev struct{ A int }
	handlers := map[string]any{
		"none":         func() {},
		"err":          func() error { return nil },
		"in":           func(ev) {},
		"in err":       func(ev) error { return nil },
		"out err":      func() (ev, error) { return ev{}, nil },
		"in out err":   func(ev) (ev, error) { return ev{}, nil },
		"ctx":          func(ctxT) {},
		"ctx in":       func(ctxT, ev) {},
		"ctx in err":   func(ctxT, ev) error { return nil },
		"ctx in out":   func(ctxT, ev) (*ev, error) { return nil, nil },
		"any in":       func(any) error { return nil },
		"map in":       func(map[string]any) (string, error) { return "", nil },
		"ctx out only": func(ctxT) (string, error) { return "", nil },
	}
	app := New("t")
	for name, h := range handlers {
		app.LambdaFunction(strings.ReplaceAll("f "+name, " ", "_"), h)
	}
	if _, err := app.Manifest(); err != nil {
		t.Fatalf("valid aws-lambda-go signatures rejected: %v", err)
	}
}
