package main

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/gochalice/gochalice/framework/chalicetest"
	"github.com/gochalice/gochalice/internal/conformance"
)

// The front door as API Gateway runs it: authorizers, API keys, CORS and
// binary bodies, through the emulation chalice-package local serves.
func TestFrontDoor(t *testing.T) {
	c := chalicetest.New(t, newApp())
	for _, tt := range []struct {
		name   string
		res    *chalicetest.Response
		status int
		body   string
	}{
		{"token allowed", c.Get("/private", "Authorization", "allow"), 200, `{"context":{"tier":"gold"},"principal":"user-1"}`},
		{"token denied", c.Get("/private", "Authorization", "deny"), 403, `{"Message":"User is not authorized to access this resource with an explicit deny"}`},
		{"token rejected", c.Get("/private", "Authorization", "nope"), 401, `{"message":"Unauthorized"}`},
		{"no token", c.Get("/private"), 401, `{"message":"Unauthorized"}`},
		{"no API key", c.Get("/metered"), 403, `{"message":"Forbidden"}`},
		{"API key", c.Get("/metered", "X-Api-Key", "k"), 200, `{"path":"/metered"}`},
		{"scope held", c.Get("/profile", "Authorization", chalicetest.CognitoToken(map[string]any{"sub": "u1", "scope": "profile/read"})), 200, ""},
		{"scope missing", c.Get("/profile", "Authorization", chalicetest.CognitoToken(map[string]any{"sub": "u1"})), 401, `{"message":"Unauthorized"}`},
		{"wrong content type", c.Post("/upload", "x", "Content-Type", "text/plain"), 415, `{"Code":"UnsupportedMediaType","Message":"Unsupported media type: text/plain"}`},
	} {
		if tt.res.StatusCode != tt.status || tt.body != "" && string(tt.res.Body) != tt.body {
			t.Errorf("%s = %s, want %d %s", tt.name, tt.res, tt.status, tt.body)
		}
	}
	res := c.Post("/upload", pngBytes, "Content-Type", "image/png")
	if res.StatusCode != 200 || !bytes.Equal(res.Body, pngBytes) || res.Header.Get("Content-Type") != "image/png" {
		t.Errorf("binary upload = %s %v", res, res.Header)
	}
	pre := c.Do(newRequest("OPTIONS", "/cors/custom"))
	if pre.StatusCode != 200 || pre.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" || pre.Header.Get("Access-Control-Max-Age") != "600" {
		t.Errorf("preflight = %s %v", pre, pre.Header)
	}
}

func newRequest(method, path string) *http.Request {
	r, _ := http.NewRequest(method, path, nil)
	return r
}

// TestConformance holds the emulation to the bootstrap under the Lambda
// runtime emulator, authorizer included.
func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the bootstrap")
	}
	png := http.Header{"Content-Type": {"image/png"}}
	conformance.Check(t, newApp(), ".", []conformance.Request{
		{Path: "/private", Header: http.Header{"Authorization": {"allow"}}},
		{Path: "/private", Header: http.Header{"Authorization": {"deny"}}},
		{Path: "/private", Header: http.Header{"Authorization": {"nope"}}},
		{Path: "/metered", Header: http.Header{"X-Api-Key": {"k"}}},
		{Path: "/plain?a=1&a=2"},
		{Path: "/cors"},
		{Path: "/cors/custom"},
		{Method: "POST", Path: "/echo-json", Body: []byte(`{"a":[1,2]}`)},
		{Method: "POST", Path: "/upload", Body: pngBytes, Header: png},
		{Method: "POST", Path: "/upload", Body: []byte("x"), Header: http.Header{"Content-Type": {"text/plain"}}},
		{Path: "/download"},
	})
}
