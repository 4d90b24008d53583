package cfn

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

// httpStage resolves stage "s" of a config whose stage sets api_gateway_type
// "http" plus the given keys (JSON members), so errors carry positions.
func httpStage(t *testing.T, extra string) stages.Stage {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.json"), []byte(`{"Version": "2012-10-17", "Statement": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := `{
  "version": "2.0",
  "stages": {
    "s": {
      "api_gateway_type": "http"` + extra + `
    }
  }
}`
	c, err := stages.Parse(".chalice/config.json", dir, []byte(cfg))
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Stage("s", stages.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestHTTPUnsupported: every feature HTTP APIs lack is a build error naming
// the feature, the stage and the config line (or the route).
func TestHTTPUnsupported(t *testing.T) {
	plain := []manifest.Route{{Path: "/x", Methods: []string{"GET"}}}
	typeAt := `stage "s" sets api_gateway_type "http" at .chalice/config.json:5:7: stages.s.api_gateway_type`
	tests := []struct {
		name  string
		m     *manifest.Manifest
		extra string
		want  []string
	}{
		{"usage plan", frontApp("a", plain), `,
      "usage_plan": {"throttle": {"rate_limit": 1}}`, []string{".chalice/config.json:6:7: stages.s.usage_plan: usage_plan (API keys and usage plans) is not available on HTTP APIs", typeAt}},
		{"API key route", frontApp("a", []manifest.Route{{Path: "/x", Methods: []string{"GET"}, Views: []manifest.View{{Method: "GET", APIKeyRequired: true}}}}), ``,
			[]string{"route GET /x: API keys (APIKeyRequired) are not available on HTTP APIs", typeAt}},
		{"private endpoint", frontApp("a", plain), `,
      "api_gateway_endpoint_type": "PRIVATE", "api_gateway_endpoint_vpce": "vpce-12345678"`,
			[]string{".chalice/config.json:6:7: stages.s.api_gateway_endpoint_type: a PRIVATE endpoint is not available on HTTP APIs", "stages.s.api_gateway_endpoint_vpce: api_gateway_endpoint_vpce (private endpoints) is not available"}},
		{"edge endpoint", frontApp("a", plain), `,
      "api_gateway_endpoint_type": "EDGE"`, []string{"stages.s.api_gateway_endpoint_type: an EDGE endpoint is not available on HTTP APIs"}},
		{"resource policy", frontApp("a", plain), `,
      "api_gateway_policy_file": "p.json"`, []string{".chalice/config.json:6:7: stages.s.api_gateway_policy_file: api_gateway_policy_file (resource policies) is not available on HTTP APIs", typeAt}},
		{"compression", frontApp("a", plain), `,
      "minimum_compression_size": 100`, []string{".chalice/config.json:6:7: stages.s.minimum_compression_size: minimum_compression_size (payload compression) is not available on HTTP APIs"}},
		{"xray on the API stage", frontApp("a", plain), `,
      "xray": true`, []string{".chalice/config.json:6:7: stages.s.xray: X-Ray tracing of the API stage is not available on HTTP APIs", "lambda_functions.<name>"}},
		{"request validation", frontApp("a", plain), `,
      "api_gateway_request_validation": true`, []string{".chalice/config.json:6:7: stages.s.api_gateway_request_validation: api_gateway_request_validation (request validators) is not available on HTTP APIs", typeAt}},
		{"TLS 1.0 domain", frontApp("a", plain), `,
      "api_gateway_custom_domain": {"domain_name": "a.example.com", "certificate_arn": "` + certARNFix + `", "tls_version": "TLS_1_0"}`,
			[]string{"stages.s.api_gateway_custom_domain: tls_version TLS_1_0 is not available on HTTP APIs"}},
		{"two CORS configurations", frontApp("a", []manifest.Route{
			{Path: "/a", Methods: []string{"GET"}, CORS: &manifest.CORS{AllowOrigin: "*"}, Views: []manifest.View{{Method: "GET", CORS: true}}},
			{Path: "/b", Methods: []string{"GET"}, CORS: &manifest.CORS{AllowOrigin: "https://x.example.com"}, Views: []manifest.View{{Method: "GET", CORS: true}}},
		}), ``, []string{"routes /a and /b have different CORS configurations", `stage "s"`}},
		{"JWT without audience", frontApp("a", plain, manifest.Authorizer{Name: "users", Type: manifest.AuthCognito, ProviderARNs: []string{poolARN}}), ``,
			[]string{`cognito authorizer "users" has no audience`, `stage "s" is an HTTP API`, "framework.Audience"}},
		{"JWT with two pools", frontApp("a", plain, manifest.Authorizer{Name: "users", Type: manifest.AuthCognito, ProviderARNs: []string{poolARN}, ProviderARNParams: []string{"Pool"}, Audience: []string{"abc"}}), ``,
			[]string{`cognito authorizer "users" has 2 user pools`}},
		{"custom authorizer URI", frontApp("a", plain, manifest.Authorizer{Name: "ext", Type: manifest.AuthCustom, URI: "arn:aws:lambda:us-east-1:123456789012:function:auth"}), ``,
			[]string{`custom authorizer "ext": URI`, "not a Lambda invocation URI"}},
		{"identity source", frontApp("a", plain, manifest.Authorizer{Name: "tok", Type: manifest.AuthBuiltin, RequestType: "request", IdentitySources: []string{"method.request.path.id"}}), ``,
			[]string{`authorizer "tok": identity source "method.request.path.id" has no HTTP API equivalent`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := httpStage(t, tt.extra)
			_, err := Build(tt.m, st)
			if err == nil {
				t.Fatal("Build succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%v\nwant it to contain:\n%s", err, w)
				}
			}
		})
	}
}

// TestHTTPKeepsRESTFeatures: the same app and config build on the REST
// stage with the features the HTTP stage rejects.
func TestHTTPKeepsRESTFeatures(t *testing.T) {
	m := frontApp("a", []manifest.Route{{Path: "/x", Methods: []string{"GET"}, Views: []manifest.View{{Method: "GET", APIKeyRequired: true}}}})
	st := devStage()
	st.API.UsagePlan = &stages.UsagePlan{ThrottleRateLimit: 5}
	tree := built(t, m, st)
	if got := dig(t, tree, "Resources", "RestAPI", "Type"); got != "AWS::Serverless::Api" {
		t.Errorf("REST stage API type %v", got)
	}
	if _, ok := tree["Resources"].(map[string]any)["APIUsagePlan"]; !ok {
		t.Error("the REST stage lost its usage plan")
	}
}

// TestHTTPWiring checks what the golden templates cannot say by
// themselves: the payload version, no REST resources, outputs, and the
// stage throttle and access log on a REST stage too.
func TestHTTPWiring(t *testing.T) {
	m := frontApp("a", []manifest.Route{{Path: "/files/{proxy+}", Methods: []string{"GET", "ANY"}, Params: []string{"proxy"}}},
		manifest.Authorizer{Name: "tok", Type: manifest.AuthBuiltin})
	st := httpStage(t, "")
	tree := built(t, m, st)
	res := tree["Resources"].(map[string]any)
	for _, id := range []string{"RestAPI", "APIHandlerInvokePermission", "TokInvokePermission"} {
		if _, ok := res[id]; ok {
			t.Errorf("HTTP stage has REST resource %s", id)
		}
	}
	checks := []struct {
		path []string
		want any
	}{
		{[]string{"Resources", "HttpAPI", "Type"}, "AWS::Serverless::HttpApi"},
		{[]string{"Resources", "APIHandler", "Properties", "Events", "GetFilesProxy", "Properties", "PayloadFormatVersion"}, "2.0"},
		{[]string{"Resources", "APIHandler", "Properties", "Events", "AnyFilesProxy", "Properties", "Method"}, "ANY"},
		{[]string{"Resources", "HttpAPI", "Properties", "Auth", "Authorizers", "Tok", "EnableSimpleResponses"}, true},
		{[]string{"Outputs", "HttpAPIId", "Value", "Ref"}, "HttpAPI"},
		{[]string{"Outputs", "EndpointURL", "Value", "Fn::Sub"}, "https://${HttpAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}/api/"},
	}
	for _, c := range checks {
		if got := dig(t, tree, c.path...); got != c.want {
			t.Errorf("%s = %v, want %v", strings.Join(c.path, "."), got, c.want)
		}
	}

	rest := devStage()
	rest.API.Throttle = &stages.Throttle{RateLimit: 10}
	rest.API.AccessLog = &stages.AccessLog{DestinationARN: "arn:aws:logs:us-east-1:123456789012:log-group:x"}
	tree = built(t, frontApp("a", []manifest.Route{{Path: "/x", Methods: []string{"GET"}}}), rest)
	api := dig(t, tree, "Resources", "RestAPI", "Properties")
	if got := fmt.Sprint(dig(t, api, "MethodSettings")); got != "[map[HttpMethod:* ResourcePath:/* ThrottlingRateLimit:10]]" {
		t.Errorf("REST MethodSettings %s", got)
	}
	if got := dig(t, api, "AccessLogSetting", "Format").(string); !strings.Contains(got, "$context.resourcePath") {
		t.Errorf("REST access log format %s", got)
	}
}
