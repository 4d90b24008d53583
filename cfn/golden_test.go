package cfn

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/")

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
				path := filepath.Join("testdata", c.name+"."+format)
				if *update {
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./cfn -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from the built template (- want, + got; go test ./cfn -update rewrites it):\n%s", path, lineDiff(string(want), string(got)))
				}
			})
		}
	}
}

// TestLint runs cfn-lint, which applies the real SAM transform, on every
// golden template and requires a clean pass: exit code 0 and no output.
func TestLint(t *testing.T) {
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("cfn-lint is not on PATH (pip install cfn-lint==1.53.3)")
		}
		t.Skip("cfn-lint is not on PATH (pip install cfn-lint==1.53.3); set CI to make this fatal")
	}
	for _, c := range goldenCases() {
		for _, format := range c.formats() {
			path := filepath.Join("testdata", c.name+"."+format)
			t.Run(c.name+"."+format, func(t *testing.T) {
				t.Parallel()
				out, err := exec.Command(lint, "--", path).CombinedOutput()
				var exit *exec.ExitError
				if err != nil && !errors.As(err, &exit) {
					t.Fatalf("running cfn-lint: %v", err)
				}
				if err != nil || len(out) > 0 {
					t.Errorf("cfn-lint %s: %v\n%s", path, err, out)
				}
			})
		}
	}
}

// lineDiff is a small line-based diff of want and got. Each hunk starts with
// its line numbers in want and got; unchanged lines are prefixed with two
// spaces, removed lines with "- " and added lines with "+ ". Only three
// unchanged lines of context are shown around a change.
func lineDiff(want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op     byte
		text   string
		ai, bi int // line numbers (1-based) in want and got
	}
	var lines []line
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			lines = append(lines, line{' ', a[i], i + 1, j + 1})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			lines = append(lines, line{'-', a[i], i + 1, j + 1})
			i++
		default:
			lines = append(lines, line{'+', b[j], i + 1, j + 1})
			j++
		}
	}
	const context = 3
	var out strings.Builder
	shown := -2 // index of the last line written
	for k, l := range lines {
		near := false
		for d := -context; d <= context; d++ {
			if k+d >= 0 && k+d < len(lines) && lines[k+d].op != ' ' {
				near = true
				break
			}
		}
		if !near {
			continue
		}
		if shown != k-1 {
			fmt.Fprintf(&out, "@@ want line %d, got line %d @@\n", l.ai, l.bi)
		}
		fmt.Fprintf(&out, "%c %s\n", l.op, l.text)
		shown = k
	}
	return out.String()
}
