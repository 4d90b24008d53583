package cfn

import (
	"path/filepath"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/goldentest"
	"github.com/gochalice/gochalice/stages"
)

// devStage is the implicit stage with default values, as stages.Load gives it
// without a config file.
func devStage() stages.Stage {
	return stages.Stage{
		Name:            "dev",
		APIGatewayStage: "api",
		Defaults: stages.FunctionConfig{
			MemorySize:   stages.DefaultMemorySize,
			Timeout:      stages.DefaultTimeout,
			Architecture: stages.DefaultArchitecture,
		},
	}
}

func apiFunction() manifest.Function {
	return manifest.Function{Name: manifest.APIHandlerName, Handler: manifest.APIHandlerName, Kind: manifest.KindAPI}
}

func lambdaFunction(name string) manifest.Function {
	return manifest.Function{Name: name, Handler: name, Kind: manifest.KindLambda}
}

// goldenCase is one hand-built manifest and stage and its expected template.
type goldenCase struct {
	name  string // file name in testdata/, without extension
	m     *manifest.Manifest
	stage stages.Stage
}

func goldenCases() []goldenCase {
	return []goldenCase{
		{
			name: "api_only",
			m: &manifest.Manifest{
				SchemaVersion:    manifest.SchemaVersion,
				App:              "hello",
				FrameworkVersion: "0.1.0",
				Functions:        []manifest.Function{apiFunction()},
				Routes: []manifest.Route{
					{Path: "/", Methods: []string{"GET"}},
					{Path: "/echo", Methods: []string{"POST", "PUT"}},
					{Path: "/files/{proxy+}", Methods: []string{"GET"}, Params: []string{"proxy"}},
					{Path: "/hello/{name}", Methods: []string{"GET"}, Params: []string{"name"}},
					{Path: "/users/{user}/posts/{post}", Methods: []string{"DELETE", "GET"}, Params: []string{"user", "post"}},
				},
			},
			stage: devStage(),
		},
		{
			name: "api_and_lambdas",
			m: &manifest.Manifest{
				SchemaVersion:    manifest.SchemaVersion,
				App:              "shop",
				FrameworkVersion: "0.1.0",
				Functions:        []manifest.Function{lambdaFunction("add_numbers"), apiFunction(), lambdaFunction("send-email")},
				Routes: []manifest.Route{
					{Path: "/orders", Methods: []string{"GET", "POST"}},
					{Path: "/orders/{id}", Methods: []string{"GET"}, Params: []string{"id"}},
				},
			},
			stage: stages.Stage{
				Name:            "prod",
				APIGatewayStage: "v1",
				Defaults: stages.FunctionConfig{
					MemorySize:   256,
					Timeout:      30,
					Architecture: stages.ArchARM64,
					Tags:         map[string]string{"env": "prod"},
				},
				Functions: map[string]stages.FunctionConfig{
					"add_numbers": {
						MemorySize:   1024,
						Timeout:      900,
						Architecture: stages.ArchX86_64,
						Environment:  map[string]string{"TABLE": "orders", "DEBUG": "no", "MODE": "0755", "SINCE": "2010-09-09"},
						// The forced gochalice tag wins over the user's.
						Tags: map[string]string{"env": "prod", "team": "core", "gochalice": "mine"},
					},
				},
			},
		},
		{
			name: "lambda_only",
			m: &manifest.Manifest{
				SchemaVersion:    manifest.SchemaVersion,
				App:              "workers",
				FrameworkVersion: "0.1.0",
				Functions:        []manifest.Function{lambdaFunction("cleanup"), lambdaFunction("resize-image")},
			},
			stage: devStage(),
		},
	}
}

// formats lists the golden files of one case by format: every case has a
// YAML template, api_and_lambdas a JSON one too.
func (c goldenCase) formats() []string {
	if c.name == "api_and_lambdas" {
		return []string{"yaml", "json"}
	}
	return []string{"yaml"}
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases() {
		for _, format := range c.formats() {
			t.Run(c.name+"."+format, func(t *testing.T) {
				tpl, err := Build(c.m, c.stage)
				if err != nil {
					t.Fatalf("Build: %v", err)
				}
				got, err := Marshal(tpl, format)
				if err != nil {
					t.Fatalf("Marshal: %v", err)
				}
				goldentest.Check(t, filepath.Join("testdata", c.name+"."+format), got, "go test ./cfn -update")
			})
		}
	}
}

// TestLint runs cfn-lint, which applies the real SAM transform, on every
// golden template and requires a clean pass: exit code 0 and no output.
func TestLint(t *testing.T) {
	var paths []string
	for _, c := range goldenCases() {
		for _, format := range c.formats() {
			paths = append(paths, filepath.Join("testdata", c.name+"."+format))
		}
	}
	goldentest.Lint(t, paths...)
}

// lineDiff is goldentest.Diff, for this package's other tests.
func lineDiff(want, got string) string { return goldentest.Diff(want, got) }
