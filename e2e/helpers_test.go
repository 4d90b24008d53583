package e2e

import (
	"archive/zip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"gopkg.in/yaml.v3"

	"github.com/gochalice/gochalice/internal/rie"
)

// hostArch is the Lambda architecture matching this machine, so that the
// emulator can run the bootstrap natively.
func hostArch() string {
	if runtime.GOARCH == "amd64" {
		return "x86_64"
	}
	return runtime.GOARCH
}

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
	cliOut  []byte
)

// cli builds the chalice-package command once per test binary.
func cli(t *testing.T) string {
	t.Helper()
	cliOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gochalice-cli-")
		if err != nil {
			cliErr = err
			return
		}
		cliPath = filepath.Join(dir, "chalice-package")
		cliOut, cliErr = exec.Command("go", "build", "-o", cliPath, "../cmd/chalice-package").CombinedOutput()
	})
	if cliErr != nil {
		t.Fatalf("building chalice-package: %v\n%s", cliErr, cliOut)
	}
	return cliPath
}

// sharedDir holds the builds shared by the package's tests; TestMain
// removes it.
var sharedDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gochalice-e2e-")
	if err != nil {
		panic(err)
	}
	sharedDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// sampleBuild is one sample built once for the whole test binary.
type sampleBuild struct {
	once                sync.Once
	bootstrap, stageDir string
	out                 []byte
	err                 error
}

var sampleBuilds sync.Map // sample name → *sampleBuild

// buildSample runs `chalice-package build` on a sample for the host
// architecture and returns the unzipped bootstrap and the stage directory.
// Each sample is built once per test binary and shared: callers must not
// modify what it returns.
func buildSample(t *testing.T, sample string) (bootstrap, stageDir string) {
	t.Helper()
	v, _ := sampleBuilds.LoadOrStore(sample, &sampleBuild{})
	sb := v.(*sampleBuild)
	sb.once.Do(func() {
		out := filepath.Join(sharedDir, sample)
		cmd := exec.Command(cli(t), "build", "--arch", hostArch(), "--out", out, filepath.Join("..", "samples", sample))
		if sb.out, sb.err = cmd.CombinedOutput(); sb.err != nil {
			return
		}
		sb.stageDir = filepath.Join(out, "dev")
		sb.bootstrap = filepath.Join(sharedDir, sample+"-bootstrap")
		sb.err = unzipTo(filepath.Join(sb.stageDir, "deployment.zip"), sb.bootstrap)
	})
	if sb.err != nil {
		t.Fatalf("chalice-package build %s: %v\n%s", sample, sb.err, sb.out)
	}
	return sb.bootstrap, sb.stageDir
}

func unzipBootstrap(t *testing.T, zipPath, dest string) {
	t.Helper()
	if err := unzipTo(zipPath, dest); err != nil {
		t.Fatal(err)
	}
}

// unzipTo extracts the zip's one entry, bootstrap (mode 0755), to dest.
func unzipTo(zipPath, dest string) error {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return err
	}
	defer zr.Close()
	if len(zr.File) != 1 || zr.File[0].Name != "bootstrap" {
		return fmt.Errorf("%s: want exactly one entry named bootstrap", zipPath)
	}
	f := zr.File[0]
	if f.Mode().Perm() != 0o755 {
		return fmt.Errorf("bootstrap mode in zip = %v, want 0755", f.Mode())
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	w, err := os.OpenFile(dest, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, f.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, rc); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// apiRequest describes one HTTP request as API Gateway turns it into a REST
// proxy event (payload format 1.0).
type apiRequest struct {
	method   string
	resource string            // the resource pattern
	path     string            // the concrete path
	params   map[string]string // path parameters
	query    map[string][]string
	headers  map[string][]string
	body     []byte
	binary   bool // send the body base64-encoded
}

// event renders the request the way API Gateway sends it: single- and
// multi-value maps, a full requestContext, null for absent maps.
func (r apiRequest) event() []byte {
	ev := events.APIGatewayProxyRequest{
		Resource:   r.resource,
		Path:       r.path,
		HTTPMethod: r.method,
		RequestContext: events.APIGatewayProxyRequestContext{
			AccountID:    "123456789012",
			ResourceID:   "abc123",
			Stage:        "api",
			RequestID:    "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
			ResourcePath: r.resource,
			HTTPMethod:   r.method,
			APIID:        "1234567890",
			Protocol:     "HTTP/1.1",
			Path:         "/api" + r.path,
			Identity:     events.APIGatewayRequestIdentity{SourceIP: "127.0.0.1", UserAgent: "e2e"},
		},
	}
	if len(r.params) > 0 {
		ev.PathParameters = r.params
	}
	if len(r.query) > 0 {
		ev.QueryStringParameters = map[string]string{}
		ev.MultiValueQueryStringParameters = r.query
		for k, vs := range r.query {
			ev.QueryStringParameters[k] = vs[len(vs)-1]
		}
	}
	ev.Headers = map[string]string{"Host": "1234567890.execute-api.us-east-1.amazonaws.com", "X-Forwarded-Proto": "https"}
	ev.MultiValueHeaders = map[string][]string{"Host": {ev.Headers["Host"]}, "X-Forwarded-Proto": {"https"}}
	for k, vs := range r.headers {
		ev.Headers[k] = vs[len(vs)-1]
		ev.MultiValueHeaders[k] = vs
	}
	ev.Body, ev.IsBase64Encoded = r.eventBody()
	return mustJSON(ev)
}

// eventBody is the body as API Gateway puts it in an event: base64 when
// the request is binary.
func (r apiRequest) eventBody() (body string, isBase64 bool) {
	if r.binary {
		return base64.StdEncoding.EncodeToString(r.body), true
	}
	return string(r.body), false
}

// mustJSON encodes an event the test built; it cannot fail.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// jsonEqual reports whether two JSON texts hold the same value.
func jsonEqual(t *testing.T, got, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		return false
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want JSON %s: %v", want, err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	return string(gb) == string(wb)
}

func contains(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// readTemplate reads and decodes the template.yaml of a stage directory.
func readTemplate(t *testing.T, stageDir string) samTemplate {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(stageDir, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var tpl samTemplate
	if err := yaml.Unmarshal(data, &tpl); err != nil {
		t.Fatal(err)
	}
	return tpl
}

// resolvedEnv is the environment the template gives function id, each
// variable's Ref or Fn::GetAtt resolved through physical (keyed
// "LogicalID.Ref" or "LogicalID.Attribute"), then extra's variables (the
// SDK's settings for moto). keys are the template's variable names,
// sorted. A variable it cannot resolve stops the test.
func resolvedEnv(t *testing.T, tpl samTemplate, id string, physical, extra map[string]string) (keys, env []string) {
	t.Helper()
	vars := tpl.Resources[id].Properties.Environment.Variables
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		var key string
		if v, ok := vars[k].(map[string]any); ok {
			if ref, ok := v["Ref"].(string); ok {
				key = ref + ".Ref"
			} else if ga, ok := v["Fn::GetAtt"].([]any); ok && len(ga) == 2 {
				key = fmt.Sprint(ga[0]) + "." + fmt.Sprint(ga[1])
			}
		}
		val, ok := physical[key]
		if !ok {
			t.Fatalf("%s: cannot resolve %s = %v", id, k, vars[k])
		}
		keys = append(keys, k)
		env = append(env, k+"="+val)
	}
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	return keys, env
}

// invokeProxy sends an API Gateway event to the emulator and returns the
// function's proxy response. Anything else (an emulator error, a function
// error, not a proxy response) stops the test with the emulator's logs.
func invokeProxy(t *testing.T, e *rie.Emulator, event []byte) events.APIGatewayProxyResponse {
	t.Helper()
	status, raw := e.Invoke(t, event)
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(raw, &resp); status != 200 || err != nil {
		t.Fatalf("emulator %d %s (%v)\nlogs:\n%s", status, raw, err, e.Logs())
	}
	return resp
}
