package cfn

import (
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
)

func TestLogicalID(t *testing.T) {
	tests := []struct{ name, want string }{
		{"add_numbers", "AddNumbers"},
		{"hello-world", "HelloWorld"},
		{"api_handler", "ApiHandler"},
		{"addNumbers", "AddNumbers"},
		{"HTTP_get", "HTTPGet"},
		{"v2-api", "V2Api"},
		{"x1_2y", "X12y"},
		{"a__b", "AB"},
		{"_leading-and-trailing_", "LeadingAndTrailing"},
		{"foo.bar", "Foobar"},
		{"a_.b", "AB"},
		{"with space", "Withspace"},
		{"héllo", "Hllo"},
		{"rest_a_p_i", "RestAPI"},
		{"__", ""},
		{"", ""},
		{"ü", ""},
	}
	for _, tt := range tests {
		if got := LogicalID(tt.name); got != tt.want {
			t.Errorf("LogicalID(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestBuildLogicalIDErrors(t *testing.T) {
	tests := []struct {
		name  string
		fns   []manifest.Function
		want  []string // substrings of the error
		apiOK bool     // add a route so an API function is allowed
	}{
		{
			name: "two names, one ID",
			fns:  []manifest.Function{lambdaFunction("a-b"), lambdaFunction("a_b")},
			want: []string{`functions "a-b" and "a_b" both map to logical ID "AB"`},
		},
		{
			name: "camel and snake",
			fns:  []manifest.Function{lambdaFunction("addNumbers"), lambdaFunction("add_numbers")},
			want: []string{`"addNumbers"`, `"add_numbers"`, `"AddNumbers"`},
		},
		{
			name:  "API handler ID",
			fns:   []manifest.Function{lambdaFunction("APIHandler"), apiFunction()},
			want:  []string{`function "APIHandler" maps to logical ID "APIHandler"`, "reserved for the API handler function"},
			apiOK: true,
		},
		{
			name: "API handler ID without an API",
			fns:  []manifest.Function{lambdaFunction("APIHandler")},
			want: []string{`function "APIHandler" maps to logical ID "APIHandler"`},
		},
		{
			name: "RestAPI",
			fns:  []manifest.Function{lambdaFunction("rest_a_p_i")},
			want: []string{`function "rest_a_p_i" maps to logical ID "RestAPI"`, "reserved for the REST API"},
		},
		{
			name: "invoke permission",
			fns:  []manifest.Function{lambdaFunction("APIHandler-invoke-permission")},
			want: []string{`function "APIHandler-invoke-permission" maps to logical ID "APIHandlerInvokePermission"`},
		},
		{
			name: "DefaultRole",
			fns:  []manifest.Function{lambdaFunction("default-role")},
			want: []string{`function "default-role" maps to logical ID "DefaultRole"`, "reserved for the default IAM role"},
		},
		{
			name: "empty ID",
			fns:  []manifest.Function{lambdaFunction("__")},
			want: []string{`function "__" has no ASCII letters or digits`},
		},
		{
			name: "empty name",
			fns:  []manifest.Function{{Name: "", Handler: "x", Kind: manifest.KindLambda}},
			want: []string{`function "" has no ASCII letters or digits`},
		},
		{
			name: "registered twice",
			fns:  []manifest.Function{lambdaFunction("job"), lambdaFunction("job")},
			want: []string{`function "job" is registered twice`},
		},
		{
			name: "too long",
			fns:  []manifest.Function{lambdaFunction(strings.Repeat("a", 252))},
			want: []string{"logical ID of 252 characters; at most 251"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &manifest.Manifest{App: "app", FrameworkVersion: "0.1.0", Functions: tt.fns}
			if tt.apiOK {
				m.Routes = []manifest.Route{{Path: "/", Methods: []string{"GET"}}}
			}
			_, err := Build(m, devStage())
			if err == nil {
				t.Fatalf("Build succeeded, want an error containing %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLongestLogicalIDBuilds(t *testing.T) {
	m := &manifest.Manifest{App: "app", FrameworkVersion: "0.1.0", Functions: []manifest.Function{lambdaFunction(strings.Repeat("a", 251))}}
	if _, err := Build(m, devStage()); err != nil {
		t.Fatal(err)
	}
}
