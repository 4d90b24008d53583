package golden

import (
	"strings"
	"testing"

	"github.com/gochalice/gochalice/internal/pipeline"
	"github.com/gochalice/gochalice/stages"
)

// TestSecureOnAnHTTPStage: samples/secure is the REST showcase; on an HTTP
// API stage every feature HTTP APIs lack is reported at once, each naming
// the route or config line and the stage, and nothing is emitted.
func TestSecureOnAnHTTPStage(t *testing.T) {
	m, _, err := manifestOf("../samples/secure")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := stages.Parse(".chalice/config.json", t.TempDir(), []byte(`{
  "version": "2.0",
  "stages": {
    "cheap": {"api_gateway_type": "http", "xray": true}
  }
}`))
	if err != nil {
		t.Fatal(err)
	}
	st, err := cfg.Stage("cheap", stages.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := pipeline.Template(m, st, nil, "yaml")
	if err == nil {
		t.Fatalf("an HTTP stage of samples/secure built:\n%s", out)
	}
	for _, want := range []string{
		`route GET /metered: API keys (APIKeyRequired) are not available on HTTP APIs (stage "cheap" sets api_gateway_type "http" at .chalice/config.json:4:15: stages.cheap.api_gateway_type)`,
		`.chalice/config.json:4:43: stages.cheap.xray: X-Ray tracing of the API stage is not available on HTTP APIs`,
		`routes /cors and /cors/custom have different CORS configurations`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error:\n%v\nwant it to contain:\n%s", err, want)
		}
	}
}
