package main

import (
	"testing"

	"github.com/gochalice/gochalice/framework/chalicetest"
)

// An app is tested in-process with chalicetest: the requests go through the
// same API Gateway emulation `chalice-package local` serves, and functions
// are invoked as Lambda would.
func TestRoutes(t *testing.T) {
	c := chalicetest.New(t, newApp())
	for _, tt := range []struct {
		name   string
		res    *chalicetest.Response
		status int
		body   string
	}{
		{"index", c.Get("/"), 200, `{"hello":"world"}`},
		{"hello", c.Get("/hello/gopher"), 200, `{"hello":"gopher"}`},
		{"echo", c.Post("/echo", map[string]int{"n": 1}), 201, `{"n":1}`},
		{"echo bad JSON", c.Put("/echo", "{"), 400, `{"Code":"BadRequestError","Message":"Error Parsing JSON"}`},
		{"query", c.Get("/users/ann/posts/7?fields=a&fields=b"), 200, `{"fields":["a","b"],"post":"7","user":"ann"}`},
		{"typed error", c.Get("/teapot", "User-Agent", "test"), 404, `{"Code":"NotFoundError","Message":"no teapot here (asked with test)"}`},
		{"panic", c.Get("/boom"), 500, `{"Code":"InternalServerError","Message":"An internal server error occurred."}`},
		{"unknown path", c.Get("/nope"), 403, `{"message":"Missing Authentication Token"}`},
		{"method not on path", c.Delete("/hello/gopher"), 403, `{"message":"Missing Authentication Token"}`},
	} {
		if tt.res.StatusCode != tt.status || string(tt.res.Body) != tt.body {
			t.Errorf("%s = %s, want %d %s", tt.name, tt.res, tt.status, tt.body)
		}
	}
}

func TestAddNumbers(t *testing.T) {
	out, err := chalicetest.New(t, newApp()).Invoke("add_numbers", AddInput{A: 1, B: 2})
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"sum":3}` {
		t.Errorf("add_numbers = %s, want {\"sum\":3}", out)
	}
}
