package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/internal/rie"
)

// tokenEvent is the TOKEN authorizer event API Gateway sends for a request
// to GET /private with the given Authorization header.
func tokenEvent(token string) []byte {
	b, err := json.Marshal(events.APIGatewayCustomAuthorizerRequest{
		Type:               "TOKEN",
		AuthorizationToken: token,
		MethodArn:          "arn:aws:execute-api:us-east-1:123456789012:1234567890/api/GET/private",
	})
	if err != nil {
		panic(err)
	}
	return b
}

// TestSecureOnTheEmulator builds samples/secure once and runs its built-in
// authorizer and its API function under the runtime emulator: allow, deny
// and 401 for tokens; CORS headers on CORS routes only; 415 for a wrong
// Content-Type; a binary upload and download round-trip.
func TestSecureOnTheEmulator(t *testing.T) {
	rie.Require(t)
	bootstrap, _ := buildSample(t, "secure")

	t.Run("authorizer", func(t *testing.T) {
		auth := rie.Start(t, bootstrap, "token_auth")
		const base = "arn:aws:execute-api:us-east-1:123456789012:1234567890/api"
		tests := []struct {
			token, effect, principal, resource string
		}{
			{"allow", "Allow", "user-1", base + "/*/private"},
			{"deny", "Deny", "user-2", base + "/*/*"},
		}
		for _, tt := range tests {
			status, raw := auth.Invoke(t, tokenEvent(tt.token))
			var resp events.APIGatewayCustomAuthorizerResponse
			if err := json.Unmarshal(raw, &resp); status != 200 || err != nil {
				t.Fatalf("%s: emulator %d %s (%v)\nlogs:\n%s", tt.token, status, raw, err, auth.Logs())
			}
			st := resp.PolicyDocument.Statement
			if resp.PrincipalID != tt.principal || len(st) != 1 || st[0].Effect != tt.effect ||
				len(st[0].Resource) != 1 || st[0].Resource[0] != tt.resource || st[0].Action[0] != "execute-api:Invoke" {
				t.Errorf("%s: policy = %s, want %s on %s for %s", tt.token, raw, tt.effect, tt.resource, tt.principal)
			}
			if tt.token == "allow" && resp.Context["tier"] != "gold" {
				t.Errorf("allow: context = %v, want tier=gold", resp.Context)
			}
		}
		_, raw := auth.Invoke(t, tokenEvent("garbage"))
		if !strings.Contains(string(raw), `"errorMessage":"Unauthorized"`) {
			t.Errorf("bad token = %s, want the Unauthorized error API Gateway turns into a 401", raw)
		}
	})

	api := rie.Start(t, bootstrap, "api_handler")
	call := func(t *testing.T, req apiRequest) events.APIGatewayProxyResponse {
		t.Helper()
		return invokeProxy(t, api, req.event())
	}

	t.Run("CORS headers on CORS routes only", func(t *testing.T) {
		tests := []struct {
			resource, origin, creds string
		}{
			{"/plain", "", ""},
			{"/cors", "*", ""},
			{"/cors/custom", "https://app.example.com", "true"},
		}
		for _, tt := range tests {
			resp := call(t, apiRequest{method: "GET", resource: tt.resource, path: tt.resource})
			if resp.StatusCode != 200 || resp.Headers["Access-Control-Allow-Origin"] != tt.origin || resp.Headers["Access-Control-Allow-Credentials"] != tt.creds {
				t.Errorf("GET %s = %d %v, want origin %q credentials %q", tt.resource, resp.StatusCode, resp.Headers, tt.origin, tt.creds)
			}
		}
	})

	t.Run("authorizer context reaches the view", func(t *testing.T) {
		req := apiRequest{method: "GET", resource: "/private", path: "/private"}
		var ev map[string]any
		_ = json.Unmarshal(req.event(), &ev)
		ev["requestContext"].(map[string]any)["authorizer"] = map[string]any{"principalId": "user-1", "tier": "gold"}
		b, _ := json.Marshal(ev)
		status, raw := api.Invoke(t, b)
		var resp events.APIGatewayProxyResponse
		_ = json.Unmarshal(raw, &resp)
		if status != 200 || !jsonEqual(t, resp.Body, `{"principal":"user-1","context":{"tier":"gold"}}`) {
			t.Errorf("GET /private = %d %s", status, raw)
		}
	})

	t.Run("415 for a wrong Content-Type", func(t *testing.T) {
		tests := []struct {
			resource, contentType string
			status                int
		}{
			{"/echo-json", "text/plain", 415},
			{"/echo-json", "application/json", 200},
			{"/upload", "application/json", 415},
		}
		for _, tt := range tests {
			resp := call(t, apiRequest{method: "POST", resource: tt.resource, path: tt.resource, body: []byte(`{"a":1}`),
				headers: map[string][]string{"Content-Type": {tt.contentType}}})
			if resp.StatusCode != tt.status {
				t.Errorf("POST %s as %s = %d %s, want %d", tt.resource, tt.contentType, resp.StatusCode, resp.Body, tt.status)
			}
			if tt.status == 415 && !strings.Contains(resp.Body, `"Code":"UnsupportedMediaType"`) {
				t.Errorf("415 body = %s", resp.Body)
			}
		}
	})

	t.Run("binary upload round-trips", func(t *testing.T) {
		payload := []byte{0x00, 0xff, 0x10, 0x80, 'P', 'D', 'F', 0xc3, 0x28}
		for _, ct := range []string{"application/octet-stream", "application/pdf"} {
			resp := call(t, apiRequest{method: "POST", resource: "/upload", path: "/upload", body: payload, binary: true,
				headers: map[string][]string{"Content-Type": {ct}}})
			got, err := base64.StdEncoding.DecodeString(resp.Body)
			if resp.StatusCode != 200 || !resp.IsBase64Encoded || err != nil || !bytes.Equal(got, payload) {
				t.Errorf("upload as %s = %d base64=%v %q, want the same bytes back base64-encoded", ct, resp.StatusCode, resp.IsBase64Encoded, resp.Body)
			}
		}
	})

	t.Run("binary download with multi-value headers", func(t *testing.T) {
		resp := call(t, apiRequest{method: "GET", resource: "/download", path: "/download"})
		got, err := base64.StdEncoding.DecodeString(resp.Body)
		want := []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0x00, 0xff, 0xfe, 0x80}
		if !resp.IsBase64Encoded || err != nil || !bytes.Equal(got, want) || resp.Headers["Content-Type"] != "image/png" {
			t.Errorf("download = %+v, want the PNG bytes base64-encoded", resp)
		}
		if xs := resp.MultiValueHeaders["X-Part"]; len(xs) != 2 || xs[0] != "1" || xs[1] != "2" {
			t.Errorf("X-Part = %v, want [1 2]", xs)
		}
	})
}
