package framework

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestLocalHandlerInvokeAPI(t *testing.T) {
	app := New("loc")
	app.Route("/", ok)
	app.LambdaFunction("add", func(in struct{ A, B int }) (int, error) { return in.A + in.B, nil })
	app.LambdaFunction("fail", func() error { return errors.New("it broke") })
	app.LambdaFunction("sleepy", func(ctx context.Context) error { <-ctx.Done(); return nil })
	h := app.LocalHandler(GatewayConfig{Timeouts: map[string]time.Duration{"sleepy": 50 * time.Millisecond}})
	for _, c := range []struct {
		name, method, path, body string
		status                   int
		want                     string
		fnErr                    string
	}{
		{"result", "POST", "/2015-03-31/functions/add/invocations", `{"A":2,"B":3}`, 200, "5", ""},
		{"ARN and qualifier", "POST", "/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:add:$LATEST/invocations", `{"A":1,"B":1}`, 200, "2", ""},
		{"function error", "POST", "/2015-03-31/functions/fail/invocations", `{}`, 200, `{"errorMessage":"it broke","errorType":"errorString"}`, "Unhandled"},
		{"timeout", "POST", "/2015-03-31/functions/sleepy/invocations", `{}`, 200, `{"errorMessage":"Task timed out","errorType":"Sandbox.Timedout"}`, "Unhandled"},
		{"unknown function", "POST", "/2015-03-31/functions/nope/invocations", `{}`, 404, `Function not found`, ""},
		{"not JSON", "POST", "/2015-03-31/functions/add/invocations", `{`, 400, `Could not parse request body into json`, ""},
		{"gateway behind", "GET", "/", "", 200, "ok", ""},
		{"gateway 403", "GET", "/2015-03-31/functions", "", 403, "Missing Authentication Token", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, bytes.NewBufferString(c.body)))
			if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.want) {
				t.Errorf("= %d %s, want %d containing %s", rec.Code, rec.Body, c.status, c.want)
			}
			if got := rec.Header().Get("X-Amz-Function-Error"); got != c.fnErr {
				t.Errorf("X-Amz-Function-Error = %q, want %q", got, c.fnErr)
			}
		})
	}
}

func TestLocalConfig(t *testing.T) {
	app := New("loc")
	app.Route("/", ok)
	app.LambdaFunction("add", func() error { return nil })
	cfg, err := app.localConfig(env("GOCHALICE_LOCAL_CONFIG", `{"stage":"v1","apiKeys":["k"],"timeouts":{"*":7,"add":3}}`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Stage != "v1" || cfg.APIKeys[0] != "k" || cfg.Timeouts["add"] != 3*time.Second || cfg.Timeouts["api_handler"] != 7*time.Second {
		t.Errorf("config = %+v", cfg)
	}
	cfg, err = app.localConfig(env("GOCHALICE_LOCAL_CONFIG", `{"httpAPI":true,"parameters":{"P":"v"},"jwtIssuer":"https://i","jwtAudience":["a"]}`))
	if err != nil || !cfg.HTTPAPI || cfg.Parameters["P"] != "v" || cfg.JWTIssuer != "https://i" || len(cfg.JWTAudience) != 1 || cfg.JWTAudience[0] != "a" {
		t.Errorf("HTTP API config = %+v (%v)", cfg, err)
	}
	if _, err := app.localConfig(env("GOCHALICE_LOCAL_CONFIG", `{`)); err == nil {
		t.Error("a malformed config is accepted")
	}
}
