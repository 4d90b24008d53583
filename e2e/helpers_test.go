package e2e

import (
	"archive/zip"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
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

// buildSample runs `chalice-package build` on a sample for the host
// architecture and returns the unzipped bootstrap and the stage directory.
func buildSample(t *testing.T, sample string) (bootstrap, stageDir string) {
	t.Helper()
	out := t.TempDir()
	cmd := exec.Command(cli(t), "build", "--arch", hostArch(), "--out", out, filepath.Join("..", "samples", sample))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chalice-package build %s: %v\n%s", sample, err, b)
	}
	stageDir = filepath.Join(out, "dev")
	bootstrap = filepath.Join(t.TempDir(), "bootstrap")
	unzipBootstrap(t, filepath.Join(stageDir, "deployment.zip"), bootstrap)
	return bootstrap, stageDir
}

func unzipBootstrap(t *testing.T, zipPath, dest string) {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != 1 || zr.File[0].Name != "bootstrap" {
		t.Fatalf("%s: want exactly one entry named bootstrap", zipPath)
	}
	f := zr.File[0]
	if f.Mode().Perm() != 0o755 {
		t.Errorf("bootstrap mode in zip = %v, want 0755", f.Mode())
	}
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	w, err := os.OpenFile(dest, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, f.Mode().Perm())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, rc); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
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
	if r.binary {
		ev.Body = base64.StdEncoding.EncodeToString(r.body)
		ev.IsBase64Encoded = true
	} else if r.body != nil {
		ev.Body = string(r.body)
	}
	b, err := json.Marshal(ev)
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
