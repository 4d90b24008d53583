package cfn

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

// built builds m for st and returns the template as decoded JSON.
func built(t *testing.T, m *manifest.Manifest, st stages.Stage) map[string]any {
	t.Helper()
	tpl, err := Build(m, st)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	out, err := Marshal(tpl, "json")
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	var tree map[string]any
	if err := json.Unmarshal(out, &tree); err != nil {
		t.Fatalf("the JSON template does not parse: %v\n%s", err, out)
	}
	return tree
}

// dig follows keys through nested maps.
func dig(t *testing.T, v any, keys ...string) any {
	t.Helper()
	for i, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s is a %T, not a map", strings.Join(keys[:i], "."), v)
		}
		if v, ok = m[k]; !ok {
			t.Fatalf("%s has no key %q (keys: %v)", strings.Join(keys[:i], "."), k, slices.Sorted(maps.Keys(m)))
		}
	}
	return v
}

func keysOf(t *testing.T, v any) []string {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%T is not a map", v)
	}
	return slices.Sorted(maps.Keys(m))
}

func TestBuildErrors(t *testing.T) {
	get := []string{"GET"}
	api := apiFunction()
	tests := []struct {
		name string
		m    *manifest.Manifest
		st   func(*stages.Stage)
		want string
	}{
		{name: "nil manifest", m: nil, want: "nil manifest"},
		{name: "no functions", m: &manifest.Manifest{App: "empty"}, want: `the manifest of app "empty" has no functions`},
		{
			name: "API function without routes",
			m:    &manifest.Manifest{App: "a", Functions: []manifest.Function{api}},
			want: `function "api_handler" is the API function but the manifest has no routes`,
		},
		{
			name: "routes without API function",
			m:    &manifest.Manifest{App: "a", Functions: []manifest.Function{lambdaFunction("f")}, Routes: []manifest.Route{{Path: "/", Methods: get}}},
			want: "the manifest has 1 routes but no API function",
		},
		{
			name: "two API functions",
			m: &manifest.Manifest{App: "a", Functions: []manifest.Function{api, {Name: "other", Handler: "other", Kind: manifest.KindAPI}},
				Routes: []manifest.Route{{Path: "/", Methods: get}}},
			want: `functions "api_handler" and "other" are both the API function`,
		},
		{
			name: "unknown kind",
			m:    &manifest.Manifest{App: "a", Functions: []manifest.Function{{Name: "f", Handler: "f", Kind: "cron"}}},
			want: `function "f" has unknown kind "cron"`,
		},
		{
			name: "empty handler",
			m:    &manifest.Manifest{App: "a", Functions: []manifest.Function{{Name: "f", Kind: manifest.KindLambda}}},
			want: `function "f" has an empty handler`,
		},
		{
			name: "unknown architecture",
			m:    &manifest.Manifest{App: "a", Functions: []manifest.Function{lambdaFunction("f")}},
			st:   func(st *stages.Stage) { st.Defaults.Architecture = "mips" },
			want: `function "f": unknown architecture "mips"`,
		},
		{
			name: "params differ from path",
			m: &manifest.Manifest{App: "a", Functions: []manifest.Function{api},
				Routes: []manifest.Route{{Path: "/hello/{name}", Methods: get}}},
			want: `route /hello/{name}: the manifest lists path parameters [] but the path has ["name"]`,
		},
		{
			name: "bad capture",
			m: &manifest.Manifest{App: "a", Functions: []manifest.Function{api},
				Routes: []manifest.Route{{Path: "/x/a{b}", Methods: get, Params: []string{"b"}}}},
			want: `route /x/a{b}: segment "a{b}" is not a capture`,
		},
		{
			name: "relative path",
			m: &manifest.Manifest{App: "a", Functions: []manifest.Function{api},
				Routes: []manifest.Route{{Path: "x", Methods: get}}},
			want: `route "x": the path must start with /`,
		},
		{
			name: "no methods",
			m: &manifest.Manifest{App: "a", Functions: []manifest.Function{api},
				Routes: []manifest.Route{{Path: "/"}}},
			want: "route / has no methods",
		},
		{
			name: "unsupported method",
			m: &manifest.Manifest{App: "a", Functions: []manifest.Function{api},
				Routes: []manifest.Route{{Path: "/", Methods: []string{"BREW"}}}},
			want: `route /: unsupported method "BREW"`,
		},
		{
			name: "method twice in one route",
			m: &manifest.Manifest{App: "a", Functions: []manifest.Function{api},
				Routes: []manifest.Route{{Path: "/", Methods: []string{"GET", "get"}}}},
			want: "route /: method GET is registered twice",
		},
		{
			name: "method twice across routes",
			m: &manifest.Manifest{App: "a", Functions: []manifest.Function{api},
				Routes: []manifest.Route{{Path: "/", Methods: []string{"GET", "POST"}}, {Path: "/", Methods: []string{"POST"}}}},
			want: "route /: method POST is registered twice",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := devStage()
			if tt.st != nil {
				tt.st(&st)
			}
			tpl, err := Build(tt.m, st)
			if err == nil {
				t.Fatalf("Build succeeded, want an error containing %q", tt.want)
			}
			if tpl != nil {
				t.Errorf("Build returned a template with its error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestMarshalErrors(t *testing.T) {
	c := goldenCases()[0]
	tpl, err := Build(c.m, c.stage)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"yml", "YAML", "toml", " json"} {
		if _, err := Marshal(tpl, format); err == nil || !strings.Contains(err.Error(), "unknown template format") {
			t.Errorf("Marshal(%q) error = %v, want unknown template format", format, err)
		}
	}
	if _, err := Marshal(nil, "yaml"); err == nil {
		t.Error("Marshal(nil) succeeded")
	}
	def, err := Marshal(tpl, "")
	if err != nil {
		t.Fatal(err)
	}
	y, err := Marshal(tpl, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	if string(def) != string(y) {
		t.Error(`Marshal(t, "") differs from Marshal(t, "yaml")`)
	}
}

func TestResourcesAndOutputs(t *testing.T) {
	tests := []struct {
		name      string
		resources []string
		outputs   []string
	}{
		{"api_only", []string{"APIHandler", "APIHandlerInvokePermission", "APIHandlerLogGroup", "APIHandlerLogsPolicy", "APIHandlerRole", "RestAPI"},
			[]string{"APIHandlerArn", "APIHandlerName", "EndpointURL", "RestAPIId"}},
		{"api_and_lambdas", []string{"APIHandler", "APIHandlerInvokePermission", "APIHandlerLogGroup", "APIHandlerLogsPolicy", "APIHandlerRole",
			"AddNumbers", "AddNumbersLogGroup", "AddNumbersLogsPolicy", "AddNumbersRole", "RestAPI", "SendEmail", "SendEmailLogGroup", "SendEmailLogsPolicy", "SendEmailRole"},
			[]string{"APIHandlerArn", "APIHandlerName", "AddNumbersArn", "AddNumbersName", "EndpointURL", "RestAPIId", "SendEmailArn", "SendEmailName"}},
		{"lambda_only", []string{"Cleanup", "CleanupLogGroup", "CleanupLogsPolicy", "CleanupRole", "ResizeImage", "ResizeImageLogGroup", "ResizeImageLogsPolicy", "ResizeImageRole"},
			[]string{"CleanupArn", "CleanupName", "ResizeImageArn", "ResizeImageName"}},
	}
	cases := map[string]goldenCase{}
	for _, c := range goldenCases() {
		cases[c.name] = c
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cases[tt.name]
			tree := built(t, c.m, c.stage)
			if got := keysOf(t, tree); !slices.Equal(got, []string{"AWSTemplateFormatVersion", "Description", "Outputs", "Resources", "Transform"}) {
				t.Errorf("top-level keys %v", got)
			}
			if got := keysOf(t, tree["Resources"]); !slices.Equal(got, tt.resources) {
				t.Errorf("resources %v, want %v", got, tt.resources)
			}
			if got := keysOf(t, tree["Outputs"]); !slices.Equal(got, tt.outputs) {
				t.Errorf("outputs %v, want %v", got, tt.outputs)
			}
			// goformation's resource wrapper must leave nothing but Type and
			// Properties (no empty DeletionPolicy, DependsOn, Metadata, ...).
			for _, id := range tt.resources {
				if got := keysOf(t, dig(t, tree, "Resources", id)); !slices.Equal(got, []string{"Properties", "Type"}) {
					t.Errorf("resource %s has keys %v, want [Properties Type]", id, got)
				}
			}
			for _, id := range tt.outputs {
				if got := keysOf(t, dig(t, tree, "Outputs", id)); !slices.Equal(got, []string{"Description", "Value"}) {
					t.Errorf("output %s has keys %v, want [Description Value]", id, got)
				}
			}
		})
	}
}

func TestFunctionProperties(t *testing.T) {
	m := &manifest.Manifest{App: "shop", FrameworkVersion: "1.2.3", Functions: []manifest.Function{
		lambdaFunction("plain"), lambdaFunction("tuned"), lambdaFunction("zero"),
	}}
	st := devStage()
	st.Name = "beta"
	st.Defaults.Tags = map[string]string{"owner": "ops"}
	st.Functions = map[string]stages.FunctionConfig{
		"tuned": {MemorySize: 2048, Timeout: 5, Architecture: stages.ArchX86_64,
			Environment: map[string]string{"A": "1"},
			Tags:        map[string]string{"gochalice": "spoofed", "owner": "me"}},
		"zero": {}, // unset values fall back to the stages defaults
	}
	tree := built(t, m, st)
	const forced = "version=1.2.3:stage=beta:app=shop"
	tests := []struct {
		id   string
		want map[string]any
	}{
		{"Plain", map[string]any{
			"Architectures": []any{"arm64"}, "MemorySize": 128.0, "Timeout": 60.0,
			"Tags": map[string]any{"gochalice": forced, "owner": "ops"},
		}},
		{"Tuned", map[string]any{
			"Architectures": []any{"x86_64"}, "MemorySize": 2048.0, "Timeout": 5.0,
			"Environment": map[string]any{"Variables": map[string]any{"A": "1"}},
			"Tags":        map[string]any{"gochalice": forced, "owner": "me"},
		}},
		{"Zero", map[string]any{
			"Architectures": []any{"arm64"}, "MemorySize": 128.0, "Timeout": 60.0,
			"Tags": map[string]any{"gochalice": forced},
		}},
	}
	for _, tt := range tests {
		props := dig(t, tree, "Resources", tt.id, "Properties").(map[string]any)
		want := map[string]any{
			"Runtime": "provided.al2023",
			"Handler": strings.ToLower(tt.id),
			"CodeUri": CodeURI,
			"Role":    map[string]any{"Fn::GetAtt": []any{tt.id + "Role", "Arn"}},
			"Tracing": "PassThrough",
		}
		maps.Copy(want, tt.want)
		if !reflect.DeepEqual(props, want) {
			t.Errorf("%s properties:\n got %v\nwant %v", tt.id, props, want)
		}
	}
	if typ := dig(t, tree, "Resources", "Plain", "Type"); typ != "AWS::Serverless::Function" {
		t.Errorf("Plain has type %v", typ)
	}
}

func TestAPIStage(t *testing.T) {
	c := goldenCases()[0]
	for _, tt := range []struct{ stage, want string }{{"v2", "v2"}, {"", "api"}} {
		st := c.stage
		st.APIGatewayStage = tt.stage
		tree := built(t, c.m, st)
		if got := dig(t, tree, "Resources", "RestAPI", "Properties", "StageName"); got != tt.want {
			t.Errorf("APIGatewayStage %q: StageName %v, want %q", tt.stage, got, tt.want)
		}
		url := dig(t, tree, "Outputs", "EndpointURL", "Value", "Fn::Sub").(string)
		if !strings.HasSuffix(url, "/"+tt.want+"/") {
			t.Errorf("APIGatewayStage %q: EndpointURL %q", tt.stage, url)
		}
	}
}

func TestSwaggerOperations(t *testing.T) {
	m := &manifest.Manifest{App: "x", Functions: []manifest.Function{apiFunction()}, Routes: []manifest.Route{
		{Path: "/a", Methods: []string{"GET"}},
		{Path: "/a", Methods: []string{"post"}}, // a second registration of one path merges
		{Path: "/any/{proxy+}", Methods: []string{"ANY"}, Params: []string{"proxy"}},
	}}
	tree := built(t, m, devStage())
	paths := dig(t, tree, "Resources", "RestAPI", "Properties", "DefinitionBody", "paths")
	if got := keysOf(t, dig(t, paths, "/a")); !slices.Equal(got, []string{"get", "post"}) {
		t.Errorf("/a operations %v", got)
	}
	params := dig(t, paths, "/any/{proxy+}", "x-amazon-apigateway-any-method", "parameters")
	want := []any{map[string]any{"name": "proxy", "in": "path", "required": true, "type": "string"}}
	if !reflect.DeepEqual(params, want) {
		t.Errorf("greedy parameters %v, want %v", params, want)
	}
	if _, ok := dig(t, paths, "/a", "get").(map[string]any)["parameters"]; ok {
		t.Error("a route without captures has parameters")
	}
}
