// Command secure is a sample of the API front door: a built-in token
// authorizer, IAM and Cognito authorizers, CORS (default and custom), an API
// key, per-route content types and binary uploads and downloads.
package main

import (
	"github.com/gochalice/gochalice/framework"
)

func main() {
	newApp().Run()
}

// newApp registers the routes and authorizers; the tests use it.
func newApp() *framework.App {
	app := framework.New("secure")

	// A built-in authorizer: its own Lambda function in the template.
	app.Authorizer("token_auth", checkToken, framework.TTL(60))
	app.IAMAuthorizer("iam")
	app.CognitoAuthorizer("users", framework.ProviderARNs("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123"))

	app.Route("/private", private, framework.WithAuthorizer("token_auth"))
	app.Route("/admin", private, framework.WithAuthorizer("iam"))
	app.Route("/profile", profile, framework.WithAuthorizer("users", "profile/read"))
	app.Route("/metered", plain, framework.APIKeyRequired())

	app.Route("/plain", plain)
	app.Route("/cors", plain, framework.WithCORS())
	app.Route("/cors/custom", plain, framework.CORS(framework.CORSConfig{
		AllowOrigin:      "https://app.example.com",
		AllowHeaders:     []string{"X-Request-Id"},
		ExposeHeaders:    []string{"X-Total-Count"},
		MaxAge:           600,
		AllowCredentials: true,
	}))

	app.BinaryTypes("application/pdf")
	app.Route("/echo-json", echoJSON, framework.Methods("POST"))
	app.Route("/upload", upload, framework.Methods("POST"), framework.ContentTypes("application/octet-stream", "image/png", "application/pdf"))
	app.Route("/download", download)
	return app
}

// checkToken allows "allow" on /private, denies "deny" and rejects anything
// else with 401.
func checkToken(r *framework.AuthRequest) (*framework.AuthResponse, error) {
	switch r.Token {
	case "allow":
		resp := framework.Allow("user-1", "/private")
		resp.Context = map[string]any{"tier": "gold"}
		return resp, nil
	case "deny":
		return framework.Deny("user-2"), nil
	}
	return nil, framework.Unauthorized("bad token")
}

func private(r *framework.Request) (any, error) {
	return map[string]any{"principal": r.Principal(), "context": r.AuthorizerContext()}, nil
}

func profile(r *framework.Request) (any, error) { return r.Claims(), nil }

func plain(r *framework.Request) (any, error) { return map[string]string{"path": r.Path}, nil }

func echoJSON(r *framework.Request) (any, error) {
	var v any
	if err := r.DecodeJSON(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// upload answers with the bytes it received, with their Content-Type.
func upload(r *framework.Request) (any, error) {
	return &framework.Response{
		Headers: map[string]string{"Content-Type": r.Headers.Get("Content-Type")},
		Body:    r.Body,
	}, nil
}

// pngBytes is a tiny PNG-like payload with bytes that are not valid UTF-8.
var pngBytes = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0x00, 0xff, 0xfe, 0x80}

func download(r *framework.Request) (any, error) {
	return &framework.Response{
		Headers:           map[string]string{"Content-Type": "image/png"},
		MultiValueHeaders: map[string][]string{"X-Part": {"1", "2"}},
		Body:              pngBytes,
	}, nil
}
