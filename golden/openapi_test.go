package golden

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gochalice/gochalice/internal/goldentest"
	"github.com/gochalice/gochalice/internal/openapi"
	"github.com/gochalice/gochalice/internal/testtool"
	"github.com/gochalice/gochalice/stages"
)

// openAPIFixtures are the apps whose OpenAPI documents are golden files:
// every sample with routes, a greedy path and a custom domain.
var openAPIFixtures = []fixture{
	{name: "hello", appDir: "../samples/hello", stage: "dev"},
	{name: "hello", appDir: "../samples/hello", stage: "http"},
	{name: "secure", appDir: "../samples/secure", stage: "dev"},
	{name: "trivia", appDir: "../samples/trivia", stage: "dev"},
	{name: "todo", appDir: "../samples/todo", stage: "dev"},
	{name: "users", appDir: "../samples/users", stage: "dev"},
	{name: "todo", appDir: "../samples/todo", stage: "prod"},
	{name: "routes", appDir: "apps/routes", stage: "dev"},
	{name: "apiconfig", appDir: "apps/apiconfig", stage: "dev"},
}

func openAPIPath(f fixture) string { return filepath.Join("expected", f.name, f.stage, "openapi.yaml") }

func TestGoldenOpenAPI(t *testing.T) {
	for _, f := range openAPIFixtures {
		t.Run(f.name+"/"+f.stage, func(t *testing.T) {
			t.Parallel()
			m, _, err := manifestOf(f.appDir)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := stages.Load(f.appDir)
			if err != nil {
				t.Fatal(err)
			}
			st, err := cfg.Stage(f.stage, stages.Overrides{})
			if err != nil {
				t.Fatal(err)
			}
			doc, err := openapi.Document(m, st)
			if err != nil {
				t.Fatal(err)
			}
			out, err := openapi.Encode(doc, "yaml")
			if err != nil {
				t.Fatal(err)
			}
			goldentest.Check(t, openAPIPath(f), out, "go test ./golden/... -update")
		})
	}
}

// TestGoldenOpenAPIValid runs openapi-spec-validator on every expected
// OpenAPI document.
func TestGoldenOpenAPIValid(t *testing.T) {
	validator := testtool.Require(t, "openapi-spec-validator", "pip install openapi-spec-validator==0.9.0")
	paths, err := filepath.Glob("expected/*/*/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < len(openAPIFixtures) {
		t.Fatalf("found %d expected OpenAPI documents, want %d", len(paths), len(openAPIFixtures))
	}
	out, err := exec.Command(validator, paths...).CombinedOutput()
	if err != nil {
		t.Fatalf("openapi-spec-validator: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
