package main

import (
	"net/http"
	"testing"

	"github.com/gochalice/gochalice/internal/conformance"
)

// TestConformance holds the emulation chalicetest and chalice-package local
// use to the bootstrap under the Lambda runtime emulator.
func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the bootstrap")
	}
	conformance.Check(t, newApp(), ".", []conformance.Request{
		{Path: "/"},
		{Path: "/hello/gopher"},
		{Path: "/users/ann/posts/7?fields=a&fields=b"},
		{Method: "POST", Path: "/echo", Body: []byte(`{"n":1}`), Header: http.Header{"Content-Type": {"application/json"}}},
		{Method: "PUT", Path: "/echo", Body: []byte(`{`)},
		{Path: "/teapot", Header: http.Header{"User-Agent": {"conformance"}}},
		{Path: "/boom"},
		{Path: "/nope"},
		{Method: "DELETE", Path: "/hello/gopher"},
	})
}
