package manifest

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestCORSHeaders(t *testing.T) {
	tests := []struct {
		name string
		cors CORS
		want map[string]string
	}{
		{"defaults", CORS{AllowOrigin: "*"}, map[string]string{
			"Access-Control-Allow-Origin":  "*",
			"Access-Control-Allow-Headers": "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key",
		}},
		{"everything, with a duplicate standard header", CORS{AllowOrigin: "https://a.example", AllowHeaders: []string{"X-B", "content-type", "X-A"},
			ExposeHeaders: []string{"X-Total", "X-Page"}, MaxAge: 60, AllowCredentials: true}, map[string]string{
			"Access-Control-Allow-Origin":      "https://a.example",
			"Access-Control-Allow-Headers":     "Authorization,Content-Type,X-A,X-Amz-Date,X-Amz-Security-Token,X-Api-Key,X-B",
			"Access-Control-Expose-Headers":    "X-Total,X-Page",
			"Access-Control-Max-Age":           "60",
			"Access-Control-Allow-Credentials": "true",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cors.Headers(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Headers() = %v\nwant %v", got, tt.want)
			}
		})
	}
}

// TestOldManifestsStayValid: a manifest without the front-door fields
// parses, and encoding one without them adds none of their keys.
func TestOldManifestsStayValid(t *testing.T) {
	old := `{"schemaVersion":1,"app":"a","frameworkVersion":"0.1.0","functions":[{"name":"api_handler","handler":"api_handler","kind":"api"}],"routes":[{"path":"/","methods":["GET"]}]}`
	m, err := Parse([]byte(old))
	if err != nil {
		t.Fatal(err)
	}
	if m.Authorizers != nil || m.BinaryTypes != nil || m.Routes[0].Views != nil || m.Routes[0].CORS != nil {
		t.Errorf("old manifest decoded with front-door settings: %+v", m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"authorizers", "binaryTypes", "views", "cors"} {
		if strings.Contains(string(b), `"`+key+`"`) {
			t.Errorf("encoded %s has key %q", b, key)
		}
	}
}
