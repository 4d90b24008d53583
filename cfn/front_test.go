package cfn

import (
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

// TestFrontBuildErrors: every malformed front-door manifest or stage setting
// fails Build with a message containing all of want.
func TestFrontBuildErrors(t *testing.T) {
	get := []string{"GET"}
	route := func(v manifest.View) []manifest.Route {
		return []manifest.Route{{Path: "/x", Methods: get, Views: []manifest.View{v}}}
	}
	plain := []manifest.Route{{Path: "/x", Methods: get}}
	iam := manifest.Authorizer{Name: "iam", Type: manifest.AuthIAM}
	stage := func(f func(*stages.APIConfig)) stages.Stage {
		st := devStage()
		f(&st.API)
		return st
	}
	tests := []struct {
		name  string
		m     *manifest.Manifest
		stage stages.Stage
		want  []string
	}{
		{"unknown authorizer", frontApp("a", route(manifest.View{Method: "GET", Authorizer: "nope"}), iam), devStage(),
			[]string{"route GET /x", `unknown authorizer "nope"`, "declared: iam"}},
		{"scopes on IAM", frontApp("a", route(manifest.View{Method: "GET", Authorizer: "iam", Scopes: []string{"s"}}), iam), devStage(),
			[]string{`scopes ["s"] on authorizer "iam" of type iam`}},
		{"duplicate authorizer", frontApp("a", plain, iam, iam), devStage(), []string{`authorizer "iam" is declared twice`}},
		{"built-in without function", func() *manifest.Manifest {
			m := frontApp("a", plain)
			m.Authorizers = []manifest.Authorizer{{Name: "tok", Type: manifest.AuthBuiltin}}
			return m
		}(), devStage(), []string{`built-in authorizer "tok" has no function`}},
		{"authorizer function without authorizer", func() *manifest.Manifest {
			m := frontApp("a", plain)
			m.Functions = append(m.Functions, manifest.Function{Name: "tok", Handler: "tok", Kind: manifest.KindAuthorizer})
			return m
		}(), devStage(), []string{`function "tok" is an authorizer`}},
		{"cognito without pool", frontApp("a", plain, manifest.Authorizer{Name: "u", Type: manifest.AuthCognito}), devStage(), []string{`cognito authorizer "u" has no user pool ARN`}},
		{"unknown authorizer type", frontApp("a", plain, manifest.Authorizer{Name: "u", Type: "magic"}), devStage(), []string{`unknown type "magic"`}},
		{"settings for a missing method", frontApp("a", route(manifest.View{Method: "POST", APIKeyRequired: true})), devStage(), []string{"route /x: settings for method POST"}},
		{"typed view with an unknown model", frontApp("a", route(manifest.View{Method: "GET", Typed: true, Response: &manifest.Schema{Type: manifest.TypeArray, Items: &manifest.Schema{Ref: "Todo"}}})), devStage(),
			[]string{`route GET /x: the manifest has no model "Todo"`}},
		{"CORS view without config", frontApp("a", route(manifest.View{Method: "GET", CORS: true})), devStage(), []string{"no CORS configuration"}},
		{"private without VPCE", frontApp("a", plain), stage(func(a *stages.APIConfig) { a.EndpointType = stages.EndpointPrivate }), []string{"PRIVATE needs api_gateway_endpoint_vpce"}},
		{"VPCE on a regional API", frontApp("a", plain), stage(func(a *stages.APIConfig) {
			a.EndpointType = stages.EndpointRegional
			a.EndpointVPCEs = []string{"vpce-12345678"}
		}), []string{"VPC endpoints apply to PRIVATE APIs only"}},
		{"bad VPCE id", frontApp("a", plain), stage(func(a *stages.APIConfig) {
			a.EndpointType = stages.EndpointPrivate
			a.EndpointVPCEs = []string{"vpc-1"}
		}), []string{`"vpc-1" is not a VPC endpoint id`}},
		{"unknown endpoint type", frontApp("a", plain), stage(func(a *stages.APIConfig) { a.EndpointType = "GLOBAL" }), []string{`api_gateway_endpoint_type "GLOBAL"`}},
		{"compression too large", frontApp("a", plain), stage(func(a *stages.APIConfig) { a.MinimumCompressionSize = intPtr(10485761) }), []string{"minimum_compression_size 10485761"}},
		{"quota without period", frontApp("a", plain), stage(func(a *stages.APIConfig) { a.UsagePlan = &stages.UsagePlan{QuotaLimit: 5} }), []string{`quota.period ""`}},
		{"negative throttle", frontApp("a", plain), stage(func(a *stages.APIConfig) { a.UsagePlan = &stages.UsagePlan{ThrottleBurstLimit: -1} }), []string{"must not be negative"}},
		{"function named like the API key", func() *manifest.Manifest {
			m := frontApp("a", plain)
			m.Functions = append(m.Functions, lambdaFunction("APIKey"))
			return m
		}(), stage(func(a *stages.APIConfig) { a.UsagePlan = &stages.UsagePlan{CreateAPIKey: true} }), []string{`function "APIKey" maps to logical ID "APIKey"`}},
		{"usage plan without routes", &manifest.Manifest{SchemaVersion: 1, App: "a", Functions: []manifest.Function{lambdaFunction("f")}},
			stage(func(a *stages.APIConfig) { a.UsagePlan = &stages.UsagePlan{} }), []string{"the app has no routes"}},
		{"custom domain without certificate", frontApp("a", plain), stage(func(a *stages.APIConfig) {
			a.CustomDomain = &stages.CustomDomain{DomainName: "api.example.com"}
		}), []string{"api_gateway_custom_domain api.example.com", "certificate_arn"}},
		{"custom domain on a private API", frontApp("a", plain), stage(func(a *stages.APIConfig) {
			a.EndpointType = stages.EndpointPrivate
			a.EndpointVPCEs = []string{"vpce-12345678"}
			a.CustomDomain = &stages.CustomDomain{DomainName: "api.example.com", CertificateARN: certARNFix}
		}), []string{"a PRIVATE API cannot have this kind of custom domain"}},
		{"bad TLS version", frontApp("a", plain), stage(func(a *stages.APIConfig) {
			a.CustomDomain = &stages.CustomDomain{DomainName: "api.example.com", CertificateARN: certARNFix, TLSVersion: "TLS_1_3"}
		}), []string{`tls_version "TLS_1_3"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(tt.m, tt.stage)
			if err == nil {
				t.Fatal("Build succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}
