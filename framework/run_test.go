package framework

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func sampleApp() *App {
	app := New("hello")
	app.Route("/", ok)
	app.Route("/hello/{name}", ok)
	app.Route("/echo", ok, Methods("put", "POST"))
	app.LambdaFunction("add_numbers", func() error { return nil })
	return app
}

func TestRunManifestMode(t *testing.T) {
	var stdout, stderr bytes.Buffer
	h, code := sampleApp().start(env(manifest.EnvMode, manifest.ModeManifest), &stdout, &stderr)
	if h != nil || code != 0 {
		t.Fatalf("start = %v, %d; stderr %s", h, code, stderr.String())
	}
	m, err := manifest.Parse(stdout.Bytes())
	if err != nil {
		t.Fatalf("parse %s: %v", stdout.String(), err)
	}
	got, _ := json.Marshal(m)
	want := `{"schemaVersion":1,"app":"hello","frameworkVersion":"` + Version + `",` +
		`"functions":[{"name":"add_numbers","handler":"add_numbers","kind":"lambda"},{"name":"api_handler","handler":"api_handler","kind":"api"}],` +
		`"routes":[{"path":"/","methods":["GET"],"views":[{"method":"GET","operationId":"get"}]},` +
		`{"path":"/echo","methods":["POST","PUT"],"views":[{"method":"POST","operationId":"postEcho"},{"method":"PUT","operationId":"putEcho"}]},` +
		`{"path":"/hello/{name}","methods":["GET"],"params":["name"],"views":[{"method":"GET","operationId":"getHelloName"}]}],` +
		`"models":{"Error":{"type":"object","properties":[{"name":"Code","schema":{"type":"string"}},{"name":"Message","schema":{"type":"string"}}],"required":["Code","Message"]}}}`
	if string(got) != want {
		t.Errorf("manifest\n got %s\nwant %s", got, want)
	}
	if strings.Count(stdout.String(), "\n") != 1 {
		t.Errorf("manifest is not one line: %q", stdout.String())
	}
}

func TestRunManifestModeReportsEveryError(t *testing.T) {
	app := sampleApp()
	app.Route("nope", ok)
	app.Route("/echo", ok, Methods("POST"))
	var stdout, stderr bytes.Buffer
	_, code := app.start(env(manifest.EnvMode, manifest.ModeManifest), &stdout, &stderr)
	if code != 2 || stdout.Len() != 0 {
		t.Fatalf("code %d, stdout %q", code, stdout.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "gochalice: route nope") || !strings.Contains(lines[1], "POST /echo: registered twice") {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func TestRunLambdaMode(t *testing.T) {
	tests := []struct {
		handler  string
		wantCode int
		wantErr  string
	}{
		{"api_handler", 0, ""},
		{"add_numbers", 0, ""},
		{"nope", 1, `unknown handler "nope": this bootstrap serves add_numbers, api_handler`},
		{"", 1, "set _HANDLER"},
	}
	for _, tt := range tests {
		t.Run(tt.handler, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			h, code := sampleApp().start(env("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001", "_HANDLER", tt.handler), &stdout, &stderr)
			if code != tt.wantCode || (h == nil) != (tt.wantErr != "") {
				t.Fatalf("start = %v, %d; stderr %q", h, code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("stderr %q, want %q", stderr.String(), tt.wantErr)
			}
		})
	}
}

func TestRunUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	h, code := sampleApp().start(env(), &stdout, &stderr)
	if h != nil || code != 2 || !strings.Contains(stderr.String(), "chalice-package build") || !strings.Contains(stderr.String(), "add_numbers, api_handler") {
		t.Errorf("usage: %d %q", code, stderr.String())
	}
}

// TestFrameworkStaysLean enforces DESIGN rule 1: the bootstrap links only the
// standard library and aws-lambda-go.
func TestFrameworkStaysLean(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "../samples/hello").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		first := strings.SplitN(dep, "/", 2)[0]
		if !strings.Contains(first, ".") {
			continue // standard library
		}
		if !strings.HasPrefix(dep, "github.com/aws/aws-lambda-go/") && !strings.HasPrefix(dep, "github.com/gochalice/gochalice/framework") &&
			dep != "github.com/gochalice/gochalice/samples/hello" {
			t.Errorf("samples/hello links %s; framework/ may import only the standard library and aws-lambda-go", dep)
		}
	}
}

// TestBootstrapLinksNoRegexp keeps regexp out of every bootstrap: with the
// settings chalice-package builds a bootstrap with (linux, cgo off, tag
// lambda.norpc), the framework must not import regexp, directly or through
// a dependency. regexp and the Unicode tables it needs weigh about 200 KB,
// which took the bootstrap over 1.1 times a bare aws-lambda-go one (issue
// 14); the framework matches names and ARNs by hand (patterns.go).
func TestBootstrapLinksNoRegexp(t *testing.T) {
	for _, arch := range []string{"arm64", "amd64"} {
		t.Run(arch, func(t *testing.T) {
			cmd := exec.Command("go", "list", "-deps", "-tags", "lambda.norpc", ".")
			cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+arch, "CGO_ENABLED=0")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("go list: %v\n%s", err, out)
			}
			deps := strings.Fields(string(out))
			if !slices.Contains(deps, "github.com/aws/aws-lambda-go/lambda") {
				t.Fatalf("go list -deps gave no aws-lambda-go/lambda: %q", out)
			}
			for _, dep := range deps {
				if dep == "regexp" || strings.HasPrefix(dep, "regexp/") {
					t.Errorf("a linux/%s bootstrap links %s; match by hand instead (see patterns.go)", arch, dep)
				}
			}
		})
	}
}

// A binary built without manifest.LocalBuildTag (a Lambda bootstrap) has no
// local modes and says how to get them.
func TestRunLocalModesNeedTheTag(t *testing.T) {
	if localModes != nil {
		t.Skip("built with the local build tag")
	}
	for _, mode := range []string{manifest.ModeLocal, manifest.ModeInvoke} {
		var stdout, stderr bytes.Buffer
		h, code := sampleApp().start(env(manifest.EnvMode, mode), &stdout, &stderr)
		if h != nil || code != 2 || !strings.Contains(stderr.String(), "built without the local modes (build tag gochalice_local)") {
			t.Errorf("%s mode: handler %v, code %d, stderr %q", mode, h, code, stderr.String())
		}
	}
}

// Invoke caches the check of the registrations, but a registration after an
// Invoke is still checked by the next one.
func TestInvokeRechecksAfterRegistration(t *testing.T) {
	app := New("recheck")
	app.Route("/", ok)
	payload := []byte(`{"resource":"/","httpMethod":"GET"}`)
	invoke := func() error {
		_, err := app.Invoke(context.Background(), "api_handler", payload)
		return err
	}
	steps := []struct {
		name     string
		register func()
		wantErr  bool
	}{
		{"valid app", func() {}, false},
		{"a route with an unknown authorizer", func() { app.Route("/me", ok, WithAuthorizer("iam")) }, true},
		{"the authorizer registered", func() { app.IAMAuthorizer("iam") }, false},
		{"scopes on an IAM authorizer", func() { app.Route("/x", ok, WithAuthorizer("iam", "read")) }, true},
	}
	for _, s := range steps {
		s.register()
		for range 2 { // the second call is served from the cache
			if err := invoke(); (err != nil) != s.wantErr {
				t.Fatalf("after %s: Invoke error %v, want error %v", s.name, err, s.wantErr)
			}
		}
	}
}
