package framework

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework/manifest"
)

const testPool = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123"

func allow(r *AuthRequest) (*AuthResponse, error) { return Allow("u", "*"), nil }

// TestFrontRegistrationErrors covers every build error of the API front
// door: each case must fail with messages containing all of want.
func TestFrontRegistrationErrors(t *testing.T) {
	tests := []struct {
		name     string
		register func(a *App)
		want     []string
	}{
		{"unknown authorizer", func(a *App) {
			a.IAMAuthorizer("iam")
			a.Route("/x", ok, WithAuthorizer("nope"))
		}, []string{"route GET /x", `unknown authorizer "nope"`, "registered: iam"}},
		{"scopes on an IAM authorizer", func(a *App) {
			a.IAMAuthorizer("iam")
			a.Route("/x", ok, WithAuthorizer("iam", "read"))
		}, []string{"route GET /x", `authorizer "iam"`, "only Cognito authorizers have scopes"}},
		{"scopes on a built-in authorizer", func(a *App) {
			a.Authorizer("mine", allow)
			a.Route("/x", ok, WithAuthorizer("mine", "read"))
		}, []string{`authorizer "mine"`, "builtin", "only Cognito"}},
		{"audience on an IAM authorizer", func(a *App) {
			a.IAMAuthorizer("iam")
			a.CognitoAuthorizer("users", ProviderARNs(testPool), Audience("abc123"))
			a.CustomAuthorizer("ext", "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations", func(s *manifest.Authorizer) { s.Audience = []string{"x"} })
		}, []string{`authorizer "ext" (custom): an audience applies to Cognito authorizers only`}},
		{"audience not a client ID", func(a *App) {
			a.CognitoAuthorizer("users", ProviderARNs(testPool), Audience("a-b"))
		}, []string{`authorizer "users" (cognito): audience "a-b" is not an app client ID`}},
		{"audience parameter name", func(a *App) {
			a.CognitoAuthorizer("users", ProviderARNs(testPool), AudienceParameter("Client-Id"))
		}, []string{`authorizer "users" (cognito): parameter name "Client-Id" must be alphanumeric`}},
		{"two authorizers with one name", func(a *App) {
			a.IAMAuthorizer("auth")
			a.CognitoAuthorizer("auth", ProviderARNs(testPool))
		}, []string{`authorizer "auth": registered twice`}},
		{"authorizer named like a function", func(a *App) {
			a.LambdaFunction("worker", func() error { return nil })
			a.Authorizer("worker", allow)
		}, []string{`authorizer "worker"`, "already a function"}},
		{"reserved authorizer name", func(a *App) { a.IAMAuthorizer("api_key") }, []string{`authorizer "api_key": invalid name`}},
		{"nil authorizer function", func(a *App) { a.Authorizer("x", nil) }, []string{`authorizer "x": the function is nil`}},
		{"cognito without a pool", func(a *App) { a.CognitoAuthorizer("users") }, []string{`authorizer "users" (cognito)`, "no user pool"}},
		{"cognito with a bad ARN", func(a *App) { a.CognitoAuthorizer("users", ProviderARNs("arn:aws:s3:::bucket")) }, []string{"not a Cognito user pool ARN"}},
		{"provider ARNs on a custom authorizer", func(a *App) {
			a.CustomAuthorizer("ext", "arn:aws:apigateway:us-east-1:lambda:path/x", ProviderARNs(testPool))
		}, []string{"provider ARNs apply to Cognito authorizers only"}},
		{"TTL on IAM", func(a *App) {
			a.CognitoAuthorizer("users", ProviderARNs(testPool), TTL(10))
		}, []string{"only custom and built-in authorizers have a TTL"}},
		{"TTL out of range", func(a *App) { a.Authorizer("mine", allow, TTL(7200)) }, []string{"TTL 7200"}},
		{"custom authorizer without URI", func(a *App) { a.CustomAuthorizer("ext", "") }, []string{`authorizer "ext": empty authorizer URI`}},
		{"two CORS configs on one path", func(a *App) {
			a.Route("/x", ok, WithCORS())
			a.Route("/x", ok, Methods("POST"), CORS(CORSConfig{AllowOrigin: "https://a.example"}))
		}, []string{"route /x", "POST", "GET", "different CORS configurations", "framework.ok"}},
		{"credentials with any origin", func(a *App) {
			a.Route("/x", ok, CORS(CORSConfig{AllowCredentials: true}))
		}, []string{"route /x", "allow-credentials", `origin "*"`}},
		{"CORS on an OPTIONS view", func(a *App) {
			a.Route("/x", ok, Methods("OPTIONS"), WithCORS())
		}, []string{"an OPTIONS view cannot have CORS"}},
		{"CORS on a path with an OPTIONS view", func(a *App) {
			a.Route("/x", ok, Methods("OPTIONS"))
			a.Route("/x", ok, WithCORS())
		}, []string{"the path has an OPTIONS view"}},
		{"bad content type", func(a *App) { a.Route("/x", ok, ContentTypes("json")) }, []string{`content type "json"`}},
		{"bad binary type", func(a *App) { a.BinaryTypes("pdf") }, []string{`binary type "pdf"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New("app")
			tt.register(a)
			_, err := a.Manifest()
			var re *RegistrationError
			if !errors.As(err, &re) {
				t.Fatalf("Manifest error = %v, want a *RegistrationError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestFrontManifest(t *testing.T) {
	a := New("app")
	a.Authorizer("tok", allow, TTL(0), Header("X-Token"))
	a.CognitoAuthorizer("users", ProviderARNs(testPool), ProviderARNParameter("PoolArn"))
	a.IAMAuthorizer("iam")
	a.Route("/a", ok, WithAuthorizer("users", "s1"), APIKeyRequired())
	a.Route("/a", ok, Methods("POST"), ContentTypes("text/plain"), WithCORS())
	a.Route("/b", ok)
	a.BinaryTypes("application/pdf", "image/png") // image/png is a default
	m, err := a.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{m.Functions[0].Kind, m.Functions[1].Name}; !reflect.DeepEqual(got, []string{manifest.KindAPI, "tok"}) || m.Functions[1].Kind != manifest.KindAuthorizer {
		t.Errorf("functions = %+v, want api_handler and the tok authorizer", m.Functions)
	}
	wantViews := []manifest.View{
		{Method: "GET", Authorizer: "users", Scopes: []string{"s1"}, APIKeyRequired: true, OperationID: "getA"},
		{Method: "POST", ContentTypes: []string{"text/plain"}, CORS: true, OperationID: "postA"},
	}
	if !reflect.DeepEqual(m.Routes[0].Views, wantViews) {
		t.Errorf("views of /a = %+v, want %+v", m.Routes[0].Views, wantViews)
	}
	if m.Routes[0].CORS == nil || m.Routes[0].CORS.AllowOrigin != "*" {
		t.Errorf("CORS of /a = %+v, want origin *", m.Routes[0].CORS)
	}
	if want := []manifest.View{{Method: "GET", OperationID: "getB"}}; !reflect.DeepEqual(m.Routes[1].Views, want) || m.Routes[1].CORS != nil {
		t.Errorf("/b has settings %+v %+v, want none", m.Routes[1].Views, m.Routes[1].CORS)
	}
	var names []string
	for _, au := range m.Authorizers {
		names = append(names, au.Name+":"+au.Type)
	}
	if want := []string{"iam:iam", "tok:builtin", "users:cognito"}; !reflect.DeepEqual(names, want) {
		t.Errorf("authorizers = %v, want %v", names, want)
	}
	if tok := m.Authorizers[1]; tok.Header != "X-Token" || tok.TTLSeconds == nil || *tok.TTLSeconds != 0 {
		t.Errorf("tok = %+v, want header X-Token, TTL 0", tok)
	}
	if !reflect.DeepEqual(m.BinaryTypes, []string{"application/pdf"}) {
		t.Errorf("binary types = %v, want [application/pdf]", m.BinaryTypes)
	}
}

func TestContentTypes(t *testing.T) {
	a := New("app")
	a.Route("/json", ok, Methods("POST"))
	a.Route("/images", ok, Methods("POST"), ContentTypes("image/*", "application/pdf"))
	a.Route("/any", ok, Methods("POST"), ContentTypes("*/*"))
	tests := []struct {
		resource, contentType string
		status                int
	}{
		{"/json", "", 200},
		{"/json", "application/json", 200},
		{"/json", "application/json; charset=utf-8", 200},
		{"/json", "text/plain", 415},
		{"/json", "not a type", 415},
		{"/images", "image/png", 200},
		{"/images", "application/pdf", 200},
		{"/images", "application/json", 415},
		{"/any", "text/csv", 200},
	}
	for _, tt := range tests {
		t.Run(tt.resource+" "+tt.contentType, func(t *testing.T) {
			ev := proxyEvent("POST", tt.resource, nil)
			if tt.contentType != "" {
				ev.Headers = map[string]string{"content-type": tt.contentType}
			}
			resp := invokeAPI(t, a, ev)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d (%s), want %d", resp.StatusCode, resp.Body, tt.status)
			}
			if tt.status == 415 && !strings.Contains(resp.Body, `"Code":"UnsupportedMediaType"`) {
				t.Errorf("body = %s, want an UnsupportedMediaType error", resp.Body)
			}
		})
	}
}

func TestCORSHeadersAtRuntime(t *testing.T) {
	a := New("app")
	a.Route("/plain", ok)
	a.Route("/default", ok, WithCORS())
	a.Route("/custom", func(r *Request) (any, error) {
		return &Response{Headers: map[string]string{"access-control-allow-origin": "https://mine.example"}, Body: "x"}, nil
	}, CORS(CORSConfig{AllowOrigin: "https://a.example", AllowHeaders: []string{"X-Special"}, ExposeHeaders: []string{"X-Total"}, MaxAge: 60, AllowCredentials: true}))
	a.Route("/fails", func(r *Request) (any, error) { return nil, NotFound("gone") }, WithCORS())

	tests := []struct {
		resource string
		want     map[string]string // "" means absent
	}{
		{"/plain", map[string]string{"Access-Control-Allow-Origin": ""}},
		{"/default", map[string]string{
			"Access-Control-Allow-Origin":      "*",
			"Access-Control-Allow-Headers":     "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key",
			"Access-Control-Max-Age":           "",
			"Access-Control-Allow-Credentials": "",
		}},
		{"/custom", map[string]string{
			"Access-Control-Allow-Origin":      "", // the view set it in lower case: kept, not doubled
			"access-control-allow-origin":      "https://mine.example",
			"Access-Control-Allow-Headers":     "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key,X-Special",
			"Access-Control-Expose-Headers":    "X-Total",
			"Access-Control-Max-Age":           "60",
			"Access-Control-Allow-Credentials": "true",
		}},
		{"/fails", map[string]string{"Access-Control-Allow-Origin": "*"}},
	}
	for _, tt := range tests {
		t.Run(tt.resource, func(t *testing.T) {
			resp := invokeAPI(t, a, proxyEvent("GET", tt.resource, nil))
			for k, want := range tt.want {
				got, present := resp.Headers[k]
				if want == "" && present {
					t.Errorf("header %s = %q, want none", k, got)
				} else if want != "" && got != want {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func TestMultiValueHeadersAndAppBinaryTypes(t *testing.T) {
	a := New("app")
	a.BinaryTypes("application/pdf")
	a.Route("/cookies", func(r *Request) (any, error) {
		return &Response{MultiValueHeaders: map[string][]string{"Set-Cookie": {"a=1", "b=2"}}, Body: "hi"}, nil
	})
	a.Route("/pdf", func(r *Request) (any, error) {
		return &Response{Headers: map[string]string{"Content-Type": "application/pdf"}, Body: []byte("%PDF-1.4")}, nil
	})
	resp := invokeAPI(t, a, proxyEvent("GET", "/cookies", nil))
	if got := resp.MultiValueHeaders["Set-Cookie"]; !reflect.DeepEqual(got, []string{"a=1", "b=2"}) {
		t.Errorf("Set-Cookie = %v, want [a=1 b=2]", got)
	}
	resp = invokeAPI(t, a, proxyEvent("GET", "/pdf", nil))
	if !resp.IsBase64Encoded || resp.Body != base64.StdEncoding.EncodeToString([]byte("%PDF-1.4")) {
		t.Errorf("pdf response = %+v, want the body base64-encoded", resp)
	}
}

// authEventJSON is a TOKEN authorizer event as API Gateway sends it.
func authEventJSON(token string) []byte {
	b, _ := json.Marshal(map[string]string{
		"type":               "TOKEN",
		"authorizationToken": token,
		"methodArn":          "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/api/GET/private/42",
	})
	return b
}

func TestBuiltinAuthorizer(t *testing.T) {
	a := New("app")
	a.Authorizer("auth", func(r *AuthRequest) (*AuthResponse, error) {
		switch r.Token {
		case "allow":
			resp := AllowRoutes("user-1", AuthRoute{Path: "/private/{id}", Methods: []string{"GET"}}, AuthRoute{Path: "/"})
			resp.Context = map[string]any{"tier": "gold"}
			return resp, nil
		case "deny":
			return Deny("user-2"), nil
		case "panic":
			panic("boom")
		}
		return nil, Unauthorized("no token")
	})
	captureLog(a)
	base := "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/api"
	tests := []struct {
		token   string
		want    *authOutput
		wantErr string
	}{
		{"allow", &authOutput{PrincipalID: "user-1", Context: map[string]any{"tier": "gold"}, PolicyDocument: policyDocument{Version: "2012-10-17",
			Statement: []policyStatement{{Action: []string{"execute-api:Invoke"}, Effect: "Allow", Resource: []string{base + "/GET/private/*", base + "/*/"}}}}}, ""},
		{"deny", &authOutput{PrincipalID: "user-2", PolicyDocument: policyDocument{Version: "2012-10-17",
			Statement: []policyStatement{{Action: []string{"execute-api:Invoke"}, Effect: "Deny", Resource: []string{base + "/*/*"}}}}}, ""},
		{"bad", nil, "Unauthorized"},
		{"panic", nil, "authorizer auth failed"},
	}
	for _, tt := range tests {
		t.Run(tt.token, func(t *testing.T) {
			out, err := a.Invoke(context.Background(), "auth", authEventJSON(tt.token))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got authOutput
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(&got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, *tt.want)
			}
		})
	}
	if _, err := a.Invoke(context.Background(), "auth", []byte(`{"type":"TOKEN","methodArn":"nope"}`)); err == nil || !strings.Contains(err.Error(), "not an execute-api method ARN") {
		t.Errorf("bad methodArn: err = %v", err)
	}
}

func TestRequestAuthHelpers(t *testing.T) {
	a := New("app")
	var claims, ctx map[string]any
	var principal string
	a.Route("/me", func(r *Request) (any, error) {
		claims, principal, ctx = r.Claims(), r.Principal(), r.AuthorizerContext()
		return "ok", nil
	})
	tests := []struct {
		name       string
		authorizer map[string]any
		userARN    string
		claims     map[string]any
		principal  string
		ctx        map[string]any
	}{
		{"cognito", map[string]any{"claims": map[string]any{"sub": "abc", "email": "a@example.com"}}, "",
			map[string]any{"sub": "abc", "email": "a@example.com"}, "", map[string]any{}},
		{"custom", map[string]any{"principalId": "user-1", "tier": "gold", "integrationLatency": 3.0}, "",
			nil, "user-1", map[string]any{"tier": "gold"}},
		{"iam", nil, "arn:aws:iam::123456789012:user/ann", nil, "arn:aws:iam::123456789012:user/ann", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := proxyEvent("GET", "/me", nil)
			ev.RequestContext.Authorizer = tt.authorizer
			ev.RequestContext.Identity = events.APIGatewayRequestIdentity{UserArn: tt.userARN}
			invokeAPI(t, a, ev)
			if !reflect.DeepEqual(claims, tt.claims) || principal != tt.principal || !reflect.DeepEqual(ctx, tt.ctx) {
				t.Errorf("claims %v principal %q context %v; want %v %q %v", claims, principal, ctx, tt.claims, tt.principal, tt.ctx)
			}
		})
	}
}

func TestRequestAuthorizerSeesTheRequest(t *testing.T) {
	a := New("app")
	a.Authorizer("req", func(r *AuthRequest) (*AuthResponse, error) {
		if r.Type != "REQUEST" || r.Headers.Get("x-token") != "t1" || r.Query.Get("tenant") != "acme" || r.PathParams["id"] != "7" {
			return Deny(""), nil
		}
		return Allow("t1", "/items/{id}"), nil
	}, IdentitySources("method.request.header.X-Token"))
	ev := map[string]any{
		"type":                  "REQUEST",
		"methodArn":             "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/api/GET/items/7",
		"headers":               map[string]string{"X-Token": "t1"},
		"queryStringParameters": map[string]string{"tenant": "acme"},
		"pathParameters":        map[string]string{"id": "7"},
	}
	payload, _ := json.Marshal(ev)
	out, err := a.Invoke(context.Background(), "req", payload)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"Effect":"Allow","Resource":["arn:aws:execute-api:us-east-1:123456789012:abcdef1234/api/*/items/*"]`; !strings.Contains(string(out), want) {
		t.Errorf("policy = %s, want it to contain %s", out, want)
	}
}

// FuzzAuthorizerEvent: no authorizer event makes the handler panic, and a
// successful answer is always a policy with exactly one statement.
func FuzzAuthorizerEvent(f *testing.F) {
	f.Add(string(authEventJSON("allow")))
	f.Add(`{"type":"REQUEST","methodArn":"arn:aws:execute-api:r:1:a/s"}`)
	f.Add(`{"methodArn":"arn:aws:execute-api:::/"}`)
	a := New("app")
	a.Authorizer("auth", func(r *AuthRequest) (*AuthResponse, error) { return Allow(r.Token, "/{x}", r.Token), nil })
	f.Fuzz(func(t *testing.T, payload string) {
		out, err := a.Invoke(context.Background(), "auth", []byte(payload))
		if err != nil {
			return
		}
		var got authOutput
		if err := json.Unmarshal(out, &got); err != nil || len(got.PolicyDocument.Statement) != 1 {
			t.Fatalf("answer %s is not a one-statement policy (%v)", out, err)
		}
	})
}
