// Package conformance holds the API Gateway emulation to the real thing:
// the same requests go through framework.Gateway twice, once with the app
// in-process and once with every function running as the app's Linux
// bootstrap under the Lambda Runtime Interface Emulator (internal/rie), and
// the two answers must match in status, headers and body. Every request is
// sent twice: through the REST API emulation (payload 1.0) and through the
// HTTP API emulation (payload 2.0, what a stage with api_gateway_type
// "http" deploys), from the same bootstrap.
//
// The samples' tests call Check with their own app and directory.
package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/gochalice/gochalice/framework"
	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/build"
	"github.com/gochalice/gochalice/internal/rie"
)

// Request is one request of a conformance run.
type Request struct {
	Method string // default GET
	Path   string // with the query string
	Header http.Header
	Body   []byte
}

func (r Request) String() string {
	m := r.Method
	if m == "" {
		m = "GET"
	}
	return m + " " + r.Path
}

// Check builds the bootstrap of the app in dir (the app's package
// directory, usually ".") once, starts the emulator for the API function
// and each built-in authorizer, and compares the two answers to every
// request.
func Check(t *testing.T, app *framework.App, dir string, reqs []Request) {
	t.Helper()
	rie.Require(t)
	m, err := app.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	arch := "arm64"
	if runtime.GOARCH == "amd64" {
		arch = "x86_64"
	}
	bootstrap := filepath.Join(t.TempDir(), "bootstrap")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := build.Bootstrap(ctx, dir, arch, bootstrap); err != nil {
		t.Fatalf("building the bootstrap: %v", err)
	}
	emulators := map[string]*rie.Emulator{}
	for _, f := range m.Functions {
		if f.Kind == manifest.KindAPI || f.Kind == manifest.KindAuthorizer {
			emulators[f.Name] = rie.Start(t, bootstrap, f.Handler)
		}
	}
	client := &http.Client{Timeout: 30 * time.Second}
	remote := func(ctx context.Context, function string, payload []byte) ([]byte, error) {
		e := emulators[function]
		if e == nil {
			return nil, fmt.Errorf("no emulator for function %s", function)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(payload))
		if err != nil {
			return nil, err
		}
		res, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			return nil, err
		}
		var fe struct {
			ErrorMessage *string `json:"errorMessage"`
		}
		if json.Unmarshal(body, &fe) == nil && fe.ErrorMessage != nil {
			return nil, errors.New(*fe.ErrorMessage)
		}
		if res.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("emulator answered %d: %s", res.StatusCode, body)
		}
		return body, nil
	}
	for _, api := range []struct {
		name string
		http bool
	}{{"rest", false}, {"http", true}} {
		inProcess := framework.Gateway(app, framework.GatewayConfig{HTTPAPI: api.http})
		onEmulator := framework.Gateway(app, framework.GatewayConfig{HTTPAPI: api.http, Invoke: remote})
		t.Run(api.name, func(t *testing.T) { compare(t, inProcess, onEmulator, reqs) })
	}
}

// compare sends each request through both gateways.
func compare(t *testing.T, inProcess, onEmulator http.Handler, reqs []Request) {
	for _, r := range reqs {
		t.Run(r.String(), func(t *testing.T) {
			want := serve(inProcess, r)
			got := serve(onEmulator, r)
			if got.Code != want.Code {
				t.Errorf("status: emulator %d, in-process %d", got.Code, want.Code)
			}
			if !headersEqual(got.Header(), want.Header()) {
				t.Errorf("headers:\nemulator   %v\nin-process %v", got.Header(), want.Header())
			}
			if !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
				t.Errorf("body:\nemulator   %q\nin-process %q", got.Body, want.Body)
			}
		})
	}
}

func serve(h http.Handler, r Request) *httptest.ResponseRecorder {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	req := httptest.NewRequest(method, r.Path, bytes.NewReader(r.Body))
	for k, vs := range r.Header {
		req.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func headersEqual(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, vs := range a {
		if !slices.Equal(vs, b[k]) {
			return false
		}
	}
	return true
}
