// Package chalicetest tests a gochalice app in-process, through the same API
// Gateway emulation `chalice-package local` serves (framework.Gateway), with
// the stage's settings from .chalice/config.*:
//
//	func TestItems(t *testing.T) {
//		c := chalicetest.New(t, newApp(), chalicetest.Stage("prod"))
//		res := c.Get("/items/42")
//		if res.StatusCode != 200 { ... }
//		out, err := c.Invoke("on_job", chalicetest.SQSEvent("a", "b"))
//		...
//	}
//
// Import it from _test.go files only.
package chalicetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gochalice/gochalice/framework"
	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

// Client sends requests to an app through the API Gateway emulation and
// invokes its functions. It is an http.Handler, so
// httptest.NewServer(c) serves the app on a real socket.
type Client struct {
	t       testing.TB
	app     *framework.App
	handler http.Handler
	stage   stages.Stage
}

// Option configures New.
type Option func(*options)

type options struct {
	stage     string
	configDir string
	gw        framework.GatewayConfig
}

// Stage selects the stage whose settings apply (default "dev"): its
// environment variables are set for the test (t.Setenv), its API Gateway
// stage name and function timeouts are the emulation's, and a stage with
// api_gateway_type "http" is served as an HTTP API (payload 2.0).
func Stage(name string) Option { return func(o *options) { o.stage = name } }

// ConfigDir sets the app directory holding .chalice/config.* (default ".",
// the directory of the package under test).
func ConfigDir(dir string) Option { return func(o *options) { o.configDir = dir } }

// APIKeys sets the x-api-key values accepted on APIKeyRequired routes
// (default: any non-empty key).
func APIKeys(keys ...string) Option {
	return func(o *options) { o.gw.APIKeys = append(o.gw.APIKeys, keys...) }
}

// JWKS sets the JSON Web Key Set Cognito tokens are verified against
// (default: tokens are decoded without verification).
func JWKS(jwks []byte) Option { return func(o *options) { o.gw.JWKS = jwks } }

// JWT sets the issuer and audiences an HTTP API stage's JWT authorizers
// accept (default: the authorizer's pool ARN and audience when the app gives
// them literally; otherwise not checked).
func JWT(issuer string, audience ...string) Option {
	return func(o *options) { o.gw.JWTIssuer, o.gw.JWTAudience = issuer, audience }
}

// StageVars sets the API Gateway stage variables.
func StageVars(vars map[string]string) Option { return func(o *options) { o.gw.StageVars = vars } }

// New returns a client for app with the settings of a stage. A config that
// does not load, an unknown stage or an app with registration errors fails
// the test.
func New(t testing.TB, app *framework.App, opts ...Option) *Client {
	t.Helper()
	c, env, err := newClient(t, app, opts)
	if err != nil {
		t.Fatalf("chalicetest: %v", err)
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	return c
}

// newClient builds a client and the environment to set.
func newClient(t testing.TB, app *framework.App, opts []Option) (*Client, map[string]string, error) {
	o := options{stage: stages.DefaultStage, configDir: "."}
	for _, opt := range opts {
		opt(&o)
	}
	m, err := app.Manifest()
	if err != nil {
		return nil, nil, err
	}
	cfg, err := stages.Load(o.configDir)
	if err != nil {
		return nil, nil, err
	}
	st, err := cfg.Stage(o.stage, stages.Overrides{})
	if err != nil {
		return nil, nil, err
	}
	fn := manifest.APIHandlerName
	if !m.HasAPI() && len(m.Functions) > 0 {
		fn = m.Functions[0].Name
	}
	env, unresolved := st.LocalEnvironment(fn)
	if len(unresolved) > 0 {
		t.Logf("chalicetest: environment variables %s only have a value once deployed; they are not set", strings.Join(unresolved, ", "))
	}
	o.gw.HTTPAPI = st.API.HTTP()
	o.gw.Parameters = map[string]string{}
	for _, p := range st.Parameters {
		if p.Default != nil {
			o.gw.Parameters[p.Name] = *p.Default
		}
	}
	o.gw.Stage = st.APIGatewayStage
	o.gw.Timeouts = map[string]time.Duration{}
	for _, f := range m.Functions {
		o.gw.Timeouts[f.Name] = time.Duration(st.For(f.Name).Timeout) * time.Second
	}
	o.gw.AccessLog = log.New(testWriter{t}, "", 0)
	return &Client{t: t, app: app, handler: framework.Gateway(app, o.gw), stage: st}, env, nil
}

// testWriter sends the gateway's log to t.Log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Response is the answer to a request.
type Response struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Header holds the response headers.
	Header http.Header
	// Body is the response body (already base64-decoded for binary
	// responses).
	Body []byte
}

// JSON decodes the body into v.
func (r *Response) JSON(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("response body %q is not the JSON expected: %w", truncate(r.Body), err)
	}
	return nil
}

// String returns the status and body, for test messages.
func (r *Response) String() string { return fmt.Sprintf("%d %s", r.StatusCode, truncate(r.Body)) }

func truncate(b []byte) string {
	if len(b) > 512 {
		return string(b[:512]) + "..."
	}
	return string(b)
}

// ServeHTTP serves the app through the emulation.
func (c *Client) ServeHTTP(w http.ResponseWriter, r *http.Request) { c.handler.ServeHTTP(w, r) }

// Do sends any request through the emulation.
func (c *Client) Do(req *http.Request) *Response {
	rec := httptest.NewRecorder()
	c.handler.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return &Response{StatusCode: res.StatusCode, Header: res.Header, Body: body}
}

// Get sends GET path (with its query string, if any). headers are
// alternating names and values: c.Get("/me", "Authorization", tok).
func (c *Client) Get(path string, headers ...string) *Response {
	return c.send(http.MethodGet, path, nil, headers)
}

// Delete sends DELETE path.
func (c *Client) Delete(path string, headers ...string) *Response {
	return c.send(http.MethodDelete, path, nil, headers)
}

// Post sends POST path with body: a string or []byte is sent as is, nil as
// no body, anything else encoded as JSON (with Content-Type
// application/json unless headers set one).
func (c *Client) Post(path string, body any, headers ...string) *Response {
	return c.send(http.MethodPost, path, body, headers)
}

// Put sends PUT path with body, as Post does.
func (c *Client) Put(path string, body any, headers ...string) *Response {
	return c.send(http.MethodPut, path, body, headers)
}

// Patch sends PATCH path with body, as Post does.
func (c *Client) Patch(path string, body any, headers ...string) *Response {
	return c.send(http.MethodPatch, path, body, headers)
}

func (c *Client) send(method, path string, body any, headers []string) *Response {
	c.t.Helper()
	var data []byte
	isJSON := false
	switch b := body.(type) {
	case nil:
	case string:
		data = []byte(b)
	case []byte:
		data = b
	default:
		var err error
		if data, err = json.Marshal(b); err != nil {
			c.t.Fatalf("chalicetest: %s %s: encoding the body: %v", method, path, err)
		}
		isJSON = true
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(data))
	if len(headers)%2 != 0 {
		c.t.Fatalf("chalicetest: %s %s: headers must be name, value pairs; got %d strings", method, path, len(headers))
	}
	for i := 0; i < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	if isJSON && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.Do(req)
}

// Invoke runs the named function in-process, as Lambda would, with event
// (a []byte or json.RawMessage is sent as is, anything else encoded as
// JSON), within the function's configured timeout. It returns the result
// JSON, or the function's error.
func (c *Client) Invoke(name string, event any) (json.RawMessage, error) {
	var payload []byte
	switch e := event.(type) {
	case []byte:
		payload = e
	case json.RawMessage:
		payload = e
	default:
		var err error
		if payload, err = json.Marshal(event); err != nil {
			return nil, fmt.Errorf("encoding the event of %s: %w", name, err)
		}
	}
	timeout := time.Duration(c.stage.For(name).Timeout) * time.Second
	if timeout <= 0 {
		timeout = time.Duration(stages.DefaultTimeout) * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	out, err := c.app.Invoke(ctx, name, payload)
	return out, err
}
