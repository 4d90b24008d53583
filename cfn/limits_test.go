package cfn

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/cfnyaml"
	"github.com/gochalice/gochalice/internal/goldentest"
	"github.com/gochalice/gochalice/stages"
)

// routesApp is an API app with n routes.
func routesApp(n int) *manifest.Manifest {
	m := &manifest.Manifest{SchemaVersion: manifest.SchemaVersion, App: "big", FrameworkVersion: "0.1.0",
		Functions: []manifest.Function{apiFunction()}}
	for i := range n {
		m.Routes = append(m.Routes, manifest.Route{Path: fmt.Sprintf("/r%d/{id}", i), Methods: []string{"GET", "POST"}, Params: []string{"id"}})
	}
	return m
}

// manyFunctions is an app with n standalone functions.
func manyFunctions(n int) *manifest.Manifest {
	m := &manifest.Manifest{SchemaVersion: manifest.SchemaVersion, App: "many", FrameworkVersion: "0.1.0"}
	for i := range n {
		m.Functions = append(m.Functions, lambdaFunction(fmt.Sprintf("fn%d", i)))
	}
	return m
}

// A template over the size limit keeps the REST API's definition in a file
// of its own, included with AWS::Include; under it the definition is inline.
func TestMarshalFilesIncludesALargeAPIDefinition(t *testing.T) {
	tpl, err := Build(routesApp(40), devStage())
	if err != nil {
		t.Fatal(err)
	}
	inline, err := Marshal(tpl, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	files, err := MarshalFiles(tpl, "yaml", len(inline))
	if err != nil || len(files) != 1 || string(files[0].Data) != string(inline) || files[0].Name != "template.yaml" {
		t.Fatalf("at the limit: %d files, %v; want the inline template alone", len(files), err)
	}
	files, err = MarshalFiles(tpl, "yaml", len(inline)-1)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Name != "template.yaml" || files[1].Name != APIDefinitionName {
		t.Fatalf("over the limit: files %v, want template.yaml and %s", names(files), APIDefinitionName)
	}
	if len(files[0].Data) >= len(inline)/4 {
		t.Errorf("the template with the include is %d bytes, the inline one %d", len(files[0].Data), len(inline))
	}
	small := parseYAML(t, files[0].Data)
	wantInclude := map[string]any{"Fn::Transform": map[string]any{"Name": "AWS::Include", "Parameters": map[string]any{"Location": "./" + APIDefinitionName}}}
	if got := dig(t, small, "Resources", idRestAPI, "Properties", "DefinitionBody"); !reflect.DeepEqual(got, wantInclude) {
		t.Errorf("DefinitionBody = %v, want %v", got, wantInclude)
	}
	// The included file is exactly the inline definition.
	if got, want := parseYAML(t, files[1].Data), dig(t, parseYAML(t, inline), "Resources", idRestAPI, "Properties", "DefinitionBody"); !reflect.DeepEqual(got, want) {
		t.Errorf("the included definition differs from the inline one")
	}

	// cfn-lint's SAM transform cannot read the included file, so the
	// inline form is linted as well: together they cover the API.
	dir := t.TempDir()
	for name, data := range map[string][]byte{"inline.yaml": inline, "included.yaml": files[0].Data, APIDefinitionName: files[1].Data} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goldentest.Lint(t, filepath.Join(dir, "inline.yaml"), filepath.Join(dir, "included.yaml"))

	// A template too large even without its definition fails, naming the fix.
	if _, err := MarshalFiles(tpl, "yaml", 100); err == nil || !strings.Contains(err.Error(), "even with the REST API's definition in api-definition.yaml; CloudFormation allows 100: split") {
		t.Errorf("error %v, want one saying the template is too large even with the include", err)
	}
	// Without a REST API there is nothing to move.
	lt, err := Build(manyFunctions(3), devStage())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := MarshalFiles(lt, "json", 100); err == nil || !strings.Contains(err.Error(), "CloudFormation allows 100: split the app's functions") {
		t.Errorf("error %v, want the size error", err)
	}
}

func names(files []File) []string {
	var s []string
	for _, f := range files {
		s = append(s, f.Name)
	}
	return s
}

func parseYAML(t *testing.T, data []byte) any {
	t.Helper()
	tree, err := cfnyaml.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestStackLimits(t *testing.T) {
	params := func(n int) stages.Stage {
		st := devStage()
		for i := range n {
			st.Parameters = append(st.Parameters, stages.Parameter{Name: fmt.Sprintf("P%d", i), Type: "String"})
		}
		return st
	}
	outputs := func(n int) map[string]any {
		outs := map[string]any{}
		for i := range n {
			outs[fmt.Sprintf("O%d", i)] = map[string]any{"Value": "x"}
		}
		return map[string]any{"Outputs": outs}
	}
	tests := []struct {
		name  string
		m     *manifest.Manifest
		st    stages.Stage
		merge map[string]any
		want  string // "" for no error
	}{
		{"99 functions fit", manyFunctions(99), devStage(), nil, ""},
		{"101 functions have too many outputs", manyFunctions(101), devStage(), nil,
			"the template has 202 outputs (CloudFormation allows 200), 2 for each of its 101 functions (Arn and Name): split the functions across two apps"},
		{"500 functions are too many resources", manyFunctions(500), devStage(), nil,
			"resources after the SAM transform (CloudFormation allows 500); 500 functions with their roles, log groups and event sources account for"},
		{"200 parameters", manyFunctions(1), params(200), nil, ""},
		{"201 parameters", manyFunctions(1), params(201), nil, "the template has 201 parameters (CloudFormation allows 200): move some of the config's parameters"},
		{"201 outputs", manyFunctions(1), devStage(), outputs(201), "the template has 203 outputs (CloudFormation allows 200)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := Build(tc.m, tc.st)
			if err != nil {
				t.Fatal(err)
			}
			if err := tpl.Merge(tc.merge); err != nil {
				t.Fatal(err)
			}
			_, err = MarshalFiles(tpl, "yaml", 0)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// api_gateway_access_log without destination_arn: the template creates the
// log group, with its retention, for a REST and for an HTTP API.
func TestAccessLogGroupCreated(t *testing.T) {
	for _, tc := range []struct {
		typ, api, settings string
	}{
		{stages.APITypeREST, idRestAPI, "AccessLogSetting"},
		{stages.APITypeHTTP, idHTTPAPI, "AccessLogSettings"},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			st := devStage()
			st.API.Type = tc.typ
			st.API.AccessLog = &stages.AccessLog{RetentionInDays: 14}
			tree := built(t, routesApp(1), st)
			if got := dig(t, tree, "Resources", idAccessLogGroup, "Properties", "RetentionInDays"); got != float64(14) {
				t.Errorf("RetentionInDays = %v, want 14", got)
			}
			want := map[string]any{"Fn::GetAtt": []any{idAccessLogGroup, "Arn"}}
			if got := dig(t, tree, "Resources", tc.api, "Properties", tc.settings, "DestinationArn"); !reflect.DeepEqual(got, want) {
				t.Errorf("DestinationArn = %v, want %v", got, want)
			}
		})
	}
}
