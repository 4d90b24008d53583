package cfn

import (
	"reflect"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
)

func TestGatewayResponses(t *testing.T) {
	star := &manifest.CORS{AllowOrigin: "*"}
	site := &manifest.CORS{AllowOrigin: "https://app.example.com", AllowCredentials: true}
	route := func(path string, c *manifest.CORS) manifest.Route {
		return manifest.Route{Path: path, Methods: []string{"GET"}, CORS: c}
	}
	tests := []struct {
		name   string
		routes []manifest.Route
		want   map[string]any // the responseParameters of both defaults, nil for none
	}{
		{"no CORS", []manifest.Route{route("/a", nil)}, nil},
		{"one origin", []manifest.Route{route("/a", star), route("/b", nil), route("/c", &manifest.CORS{AllowOrigin: "*"})},
			map[string]any{"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}},
		{"credentials", []manifest.Route{route("/a", site)}, map[string]any{
			"gatewayresponse.header.Access-Control-Allow-Origin":      "'https://app.example.com'",
			"gatewayresponse.header.Access-Control-Allow-Credentials": "'true'",
		}},
		{"different origins", []manifest.Route{route("/a", star), route("/b", site)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := gatewayResponses(tt.routes)
			if tt.want == nil {
				if got != nil {
					t.Errorf("got %v, want none", got)
				}
				return
			}
			for _, kind := range []string{"DEFAULT_4XX", "DEFAULT_5XX"} {
				r, _ := got[kind].(map[string]any)
				if !reflect.DeepEqual(r["responseParameters"], tt.want) {
					t.Errorf("%s = %v, want %v", kind, r, tt.want)
				}
			}
		})
	}
}
