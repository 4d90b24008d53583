package openapi

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

func get(t *testing.T, tree any, path ...string) any {
	t.Helper()
	for _, p := range path {
		m, ok := tree.(map[string]any)
		if !ok {
			t.Fatalf("no %s in %v", p, tree)
		}
		tree = m[p]
	}
	return tree
}

func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestDocument(t *testing.T) {
	m := &manifest.Manifest{
		App: "shop",
		Routes: []manifest.Route{
			{Path: "/files/{path+}", Methods: []string{"GET"}, Params: []string{"path"}},
			{Path: "/orders", Methods: []string{"GET", "POST"}, Views: []manifest.View{
				{Method: "POST", OperationID: "createOrder", Typed: true, Request: &manifest.Schema{Ref: "Order"}, Response: &manifest.Schema{Ref: "Order"},
					Authorizer: "users", Scopes: []string{"orders/write"}, APIKeyRequired: true},
				{Method: "GET", Authorizer: "tok", ContentTypes: []string{"text/plain"}, Query: []manifest.QueryParam{{Name: "page"}}},
			}},
			{Path: "/upload", Methods: []string{"PUT"}, Views: []manifest.View{{Method: "PUT", ContentTypes: []string{"image/png"}, Authorizer: "req"}}},
		},
		Authorizers: []manifest.Authorizer{
			{Name: "users", Type: manifest.AuthCognito, ProviderARNs: []string{"arn"}},
			{Name: "tok", Type: manifest.AuthBuiltin, Header: "X-Token"},
			{Name: "req", Type: manifest.AuthCustom, RequestType: "request", IdentitySources: []string{"method.request.querystring.q", "method.request.header.X-Key"}},
		},
		Models: map[string]*manifest.Schema{
			"Order":  {Type: manifest.TypeObject, Properties: []manifest.Property{{Name: "item", Schema: &manifest.Schema{Ref: "Item"}}}},
			"Item":   {Type: manifest.TypeString},
			"Unused": {Type: manifest.TypeBoolean},
		},
	}
	doc, err := Document(m, stages.Stage{Name: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path []string
		want string
	}{
		{[]string{"paths", "/files/{path}", "get", "parameters"}, `[{"description":"the rest of the path; it may contain /","in":"path","name":"path","required":true,"schema":{"type":"string"},"x-gochalice-greedy":true}]`},
		{[]string{"paths", "/files/{path}", "get", "requestBody"}, `null`},
		{[]string{"paths", "/orders", "post", "requestBody"}, `{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Order"}}},"required":true}`},
		{[]string{"paths", "/orders", "post", "security"}, `[{"api_key":[],"users":["orders/write"]}]`},
		{[]string{"paths", "/orders", "post", "responses", "400", "content"}, `{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}`},
		{[]string{"paths", "/orders", "post", "responses", "401", "description"}, `"No credentials, or credentials the authorizer refuses"`},
		{[]string{"paths", "/orders", "get", "parameters"}, `[{"in":"query","name":"page","required":false,"schema":{"type":"string"}}]`},
		{[]string{"paths", "/orders", "get", "requestBody"}, `null`},
		{[]string{"paths", "/orders", "get", "responses", "200", "content"}, `{"application/json":{"schema":{}}}`},
		{[]string{"paths", "/upload", "put", "requestBody"}, `{"content":{"image/png":{"schema":{}}}}`},
		{[]string{"components", "securitySchemes", "tok", "name"}, `"X-Token"`},
		{[]string{"components", "securitySchemes", "req", "name"}, `"X-Key"`},
		{[]string{"components", "securitySchemes", "users", "name"}, `"Authorization"`},
		{[]string{"components", "securitySchemes", "api_key"}, `{"in":"header","name":"x-api-key","type":"apiKey"}`},
		{[]string{"components", "schemas", "Item"}, `{"type":"string"}`},
		{[]string{"components", "schemas", "Unused"}, `null`},
		{[]string{"components", "schemas", "Error", "required"}, `["Code","Message"]`},
		{[]string{"servers"}, `[{"description":"stage dev (the stack's EndpointURL output)","url":"https://{restApiId}.execute-api.{region}.amazonaws.com/api",` +
			`"variables":{"region":{"default":"us-east-1","description":"the stack's region"},"restApiId":{"default":"restApiId","description":"the id of the stack's RestAPI"}}}]`},
	}
	for _, tt := range tests {
		if got := asJSON(get(t, doc, tt.path...)); got != tt.want {
			t.Errorf("%s\n got %s\nwant %s", strings.Join(tt.path, " › "), got, tt.want)
		}
	}
	doc, err = Document(m, stages.Stage{Name: "prod", APIGatewayStage: "v1", API: stages.APIConfig{CustomDomain: &stages.CustomDomain{DomainName: "api.example.com", BasePath: "shop"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := asJSON(doc["servers"]); got != `[{"description":"stage prod (custom domain)","url":"https://api.example.com/shop"}]` {
		t.Errorf("servers with a custom domain: %s", got)
	}
	doc, err = Document(m, stages.Stage{Name: "http", API: stages.APIConfig{Type: stages.APITypeHTTP}})
	if err != nil {
		t.Fatal(err)
	}
	if got := asJSON(get(t, doc["servers"].([]any)[0], "variables", "apiId", "description")); got != `"the id of the stack's HttpAPI"` {
		t.Errorf("servers of an HTTP stage: %s", got)
	}
}

func TestDocumentErrors(t *testing.T) {
	route := func(v manifest.View) []manifest.Route {
		return []manifest.Route{{Path: "/x", Methods: []string{v.Method}, Views: []manifest.View{v}}}
	}
	tests := []struct {
		name string
		m    *manifest.Manifest
		want string
	}{
		{"no routes", &manifest.Manifest{App: "a"}, "app a has no routes"},
		{"unknown authorizer", &manifest.Manifest{App: "a", Routes: route(manifest.View{Method: "GET", Authorizer: "nope"})}, `route GET /x: unknown authorizer "nope"`},
		{"missing model", &manifest.Manifest{App: "a", Routes: route(manifest.View{Method: "GET", Typed: true, Response: &manifest.Schema{Ref: "Gone"}})}, `the manifest has no model "Gone"`},
	}
	for _, tt := range tests {
		if _, err := Document(tt.m, stages.Stage{Name: "dev"}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestEncode(t *testing.T) {
	doc := map[string]any{"paths": map[string]any{}, "openapi": Version, "info": map[string]any{"version": "1.0", "title": "a"}}
	y, err := Encode(doc, "yaml")
	if err != nil || string(y) != "openapi: 3.0.3\ninfo:\n  title: a\n  version: \"1.0\"\npaths: {}\n" {
		t.Errorf("yaml:\n%s %v", y, err)
	}
	j, err := Encode(doc, "json")
	if err != nil || !strings.HasPrefix(string(j), "{\n  \"info\": {") {
		t.Errorf("json:\n%s %v", j, err)
	}
	if _, err := Encode(doc, "xml"); err == nil || !strings.Contains(err.Error(), `unknown format "xml"`) {
		t.Errorf("xml: %v", err)
	}
}
