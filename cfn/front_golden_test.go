package cfn

import (
	"path/filepath"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/goldentest"
	"github.com/gochalice/gochalice/stages"
)

// frontApp is a manifest with the given routes and authorizers: the API
// function, a built-in authorizer's function for each AuthBuiltin one.
func frontApp(name string, routes []manifest.Route, auths ...manifest.Authorizer) *manifest.Manifest {
	m := &manifest.Manifest{
		SchemaVersion:    manifest.SchemaVersion,
		App:              name,
		FrameworkVersion: "0.1.0",
		Functions:        []manifest.Function{apiFunction()},
		Routes:           routes,
		Authorizers:      auths,
	}
	for _, a := range auths {
		if a.Type == manifest.AuthBuiltin {
			m.Functions = append(m.Functions, manifest.Function{Name: a.Name, Handler: a.Name, Kind: manifest.KindAuthorizer})
		}
	}
	return m
}

const (
	poolARN    = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123"
	customURI  = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations"
	certARNFix = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
)

func intPtr(n int) *int { return &n }

// frontCases are the golden templates of the API front door: one per
// authorizer kind (all in one app), CORS, API keys with a usage plan, binary
// types, a private endpoint with a policy and custom domains.
func frontCases() []goldenCase {
	get := []string{"GET"}
	withStage := func(f func(*stages.Stage)) stages.Stage {
		st := devStage()
		f(&st)
		return st
	}
	return []goldenCase{
		{
			name: "front_authorizers",
			m: frontApp("auth",
				[]manifest.Route{
					{Path: "/builtin", Methods: get, Views: []manifest.View{{Method: "GET", Authorizer: "token_auth"}}},
					{Path: "/cognito", Methods: get, Views: []manifest.View{{Method: "GET", Authorizer: "users", Scopes: []string{"profile/read"}}}},
					{Path: "/custom", Methods: get, Views: []manifest.View{{Method: "GET", Authorizer: "external"}}},
					{Path: "/iam", Methods: []string{"GET", "POST"}, Views: []manifest.View{{Method: "GET", Authorizer: "sigv4"}, {Method: "POST", Authorizer: "sigv4", APIKeyRequired: true}}},
					{Path: "/public", Methods: get},
					{Path: "/request/{id}", Methods: get, Params: []string{"id"}, Views: []manifest.View{{Method: "GET", Authorizer: "by_request"}}},
				},
				manifest.Authorizer{Name: "by_request", Type: manifest.AuthBuiltin, RequestType: "request", IdentitySources: []string{"method.request.header.X-Token", "method.request.querystring.tenant"}, TTLSeconds: intPtr(0)},
				manifest.Authorizer{Name: "external", Type: manifest.AuthCustom, URI: customURI, Header: "X-Auth", TTLSeconds: intPtr(60)},
				manifest.Authorizer{Name: "sigv4", Type: manifest.AuthIAM},
				manifest.Authorizer{Name: "token_auth", Type: manifest.AuthBuiltin},
				manifest.Authorizer{Name: "users", Type: manifest.AuthCognito, ProviderARNs: []string{poolARN}, ProviderARNParams: []string{"UserPoolArn"}},
			),
			stage: devStage(),
		},
		{
			name: "front_cors_binary",
			m: func() *manifest.Manifest {
				m := frontApp("cors", []manifest.Route{
					{Path: "/custom", Methods: []string{"GET", "PUT"}, Views: []manifest.View{{Method: "GET", CORS: true}, {Method: "PUT", CORS: true, ContentTypes: []string{"application/json", "text/plain"}}},
						CORS: &manifest.CORS{AllowOrigin: "https://example.com", AllowHeaders: []string{"X-Special"}, ExposeHeaders: []string{"X-Total", "X-Page"}, MaxAge: 600, AllowCredentials: true}},
					{Path: "/default", Methods: []string{"GET", "POST"}, Views: []manifest.View{{Method: "GET", CORS: true}}, CORS: &manifest.CORS{AllowOrigin: "*"}},
					{Path: "/upload", Methods: []string{"POST"}, Views: []manifest.View{{Method: "POST", ContentTypes: []string{"application/pdf", "image/png"}}}},
				})
				m.BinaryTypes = []string{"application/pdf", "image/png"}
				return m
			}(),
			stage: devStage(),
		},
		{
			name: "front_usage_plan",
			m: frontApp("keys", []manifest.Route{
				{Path: "/metered", Methods: get, Views: []manifest.View{{Method: "GET", APIKeyRequired: true}}},
				{Path: "/open", Methods: get},
			}),
			stage: withStage(func(st *stages.Stage) {
				st.API.EndpointType = stages.EndpointRegional
				st.API.MinimumCompressionSize = intPtr(1024)
				st.API.XRay = true
				st.Defaults.XRay = true
				st.API.UsagePlan = &stages.UsagePlan{ThrottleRateLimit: 10.5, ThrottleBurstLimit: 20, QuotaLimit: 10000, QuotaPeriod: "MONTH", CreateAPIKey: true}
			}),
		},
		{
			name: "front_private",
			m:    frontApp("internal", []manifest.Route{{Path: "/", Methods: get}}),
			stage: withStage(func(st *stages.Stage) {
				st.API.EndpointType = stages.EndpointPrivate
				st.API.EndpointVPCEs = []string{"vpce-0123456789abcdef0", "vpce-12345678"}
				st.API.Policy = map[string]any{
					"Version": "2012-10-17",
					"Statement": []any{
						map[string]any{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
						map[string]any{"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
							"Condition": map[string]any{"StringNotEquals": map[string]any{"aws:SourceVpce": []any{"vpce-0123456789abcdef0", "vpce-12345678"}}}},
					},
				}
			}),
		},
		{
			name: "front_custom_domain",
			m:    frontApp("site", []manifest.Route{{Path: "/", Methods: get}}),
			stage: withStage(func(st *stages.Stage) {
				st.APIGatewayStage = "v1"
				st.API.CustomDomain = &stages.CustomDomain{DomainName: "api.example.com", CertificateARN: certARNFix, BasePath: "/v1", Tags: map[string]string{"team": "web"}}
			}),
		},
		{
			name: "front_custom_domain_regional",
			m:    frontApp("site", []manifest.Route{{Path: "/", Methods: get}}),
			stage: withStage(func(st *stages.Stage) {
				st.API.EndpointType = stages.EndpointRegional
				st.API.CustomDomain = &stages.CustomDomain{DomainName: "api.example.org", CertificateARN: certARNFix, TLSVersion: "TLS_1_0"}
			}),
		},
	}
}

func TestFrontGolden(t *testing.T) {
	for _, c := range frontCases() {
		t.Run(c.name, func(t *testing.T) {
			tpl, err := Build(c.m, c.stage)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			got, err := Marshal(tpl, "yaml")
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			goldentest.Check(t, filepath.Join("testdata", c.name+".yaml"), got, "go test ./cfn -update")
		})
	}
}

// TestFrontLint runs cfn-lint (with the real SAM transform) on the front
// door's golden templates: no errors, no warnings.
func TestFrontLint(t *testing.T) {
	var paths []string
	for _, c := range frontCases() {
		paths = append(paths, filepath.Join("testdata", c.name+".yaml"))
	}
	goldentest.Lint(t, paths...)
}
