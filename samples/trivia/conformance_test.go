package main

import (
	"net/http"
	"testing"

	"github.com/gochalice/gochalice/framework/chalicetest"
	"github.com/gochalice/gochalice/internal/conformance"
)

// TestConformance holds the emulation to the bootstrap under the Lambda
// runtime emulator, Cognito claims included.
func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the bootstrap")
	}
	player := http.Header{"Authorization": {chalicetest.CognitoToken(map[string]any{"email": "ann@example.com", "exp": 4102444800})}}
	conformance.Check(t, newApp(nil), ".", []conformance.Request{
		{Path: "/questions"},
		{Path: "/questions/1"},
		{Path: "/questions/9"},
		{Method: "POST", Path: "/questions/3", Body: []byte(`{"answer":"go1.x"}`), Header: player},
		{Path: "/app.js"},
		{Method: "POST", Path: "/questions/3", Body: []byte(`{"answer":"provided.al2023"}`)},
		{Method: "OPTIONS", Path: "/questions/3"},
	})
}
