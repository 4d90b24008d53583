package e2e

import (
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gochalice/gochalice/internal/rie"
)

// samFunction is what the emulator needs of a function in a template.
type samFunction struct {
	Type       string `yaml:"Type"`
	Properties struct {
		Handler     string `yaml:"Handler"`
		Environment struct {
			Variables map[string]any `yaml:"Variables"`
		} `yaml:"Environment"`
	} `yaml:"Properties"`
}

type samTemplate struct {
	Parameters map[string]struct {
		Default string `yaml:"Default"`
	} `yaml:"Parameters"`
	Resources map[string]samFunction `yaml:"Resources"`
}

// lambdaEnv is the environment Lambda would give a function: the literal
// variables, Refs to parameters as their defaults, and Fn::Sub of
// parameters expanded the same way.
func lambdaEnv(t *testing.T, tpl samTemplate, vars map[string]any) []string {
	t.Helper()
	param := func(name string) string {
		p, ok := tpl.Parameters[name]
		if !ok {
			t.Skipf("cannot evaluate a reference to %s without deploying", name)
		}
		return p.Default
	}
	var env []string
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		switch v := vars[k].(type) {
		case string:
			env = append(env, k+"="+v)
		case map[string]any:
			if ref, ok := v["Ref"].(string); ok {
				if _, isParam := tpl.Parameters[ref]; !isParam {
					continue // a resource: only CloudFormation knows its name
				}
				env = append(env, k+"="+param(ref))
			} else if s, ok := v["Fn::Sub"].(string); ok {
				env = append(env, k+"="+regexp.MustCompile(`\$\{(\w+)\}`).ReplaceAllStringFunc(s, func(m string) string { return param(m[2 : len(m)-1]) }))
			}
		}
	}
	return env
}

// TestStagesOnTheEmulator builds golden/apps/stages for every stage with the
// CLI, checks that the stages share one zip, and runs every function each
// stage's template names under the emulator, with the environment the
// template gives it: every Handler is served, and the stage's settings reach
// the function.
func TestStagesOnTheEmulator(t *testing.T) {
	rie.Require(t)
	out := t.TempDir()
	cmd := exec.Command(cli(t), "build", "--all-stages", "--arch", hostArch(), "--out", out,
		"--merge-template", filepath.Join("..", "golden", "apps", "stages", "merge.yaml"),
		filepath.Join("..", "golden", "apps", "stages"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chalice-package build --all-stages: %v\n%s", err, b)
	}
	devZip, err := os.ReadFile(filepath.Join(out, "dev", "deployment.zip"))
	if err != nil {
		t.Fatal(err)
	}
	prodZip, err := os.ReadFile(filepath.Join(out, "prod", "deployment.zip"))
	if err != nil {
		t.Fatal(err)
	}
	if string(devZip) != string(prodZip) {
		t.Fatal("dev and prod have different deployment.zip files")
	}
	bootstrap := filepath.Join(t.TempDir(), "bootstrap")
	unzipBootstrap(t, filepath.Join(out, "prod", "deployment.zip"), bootstrap)

	wantReport := map[string]string{
		"dev":  `{"LOG_LEVEL":"info","SHOP_URL":"https://dev.shop.example.com/"}`,
		"prod": `{"LOG_LEVEL":"error","SHOP_URL":"https://shop.example.com/"}`,
	}
	for _, stage := range []string{"dev", "prod"} {
		t.Run(stage, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(out, stage, "template.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			var tpl samTemplate
			if err := yaml.Unmarshal(data, &tpl); err != nil {
				t.Fatal(err)
			}
			var handlers []string
			for _, id := range slices.Sorted(maps.Keys(tpl.Resources)) {
				fn := tpl.Resources[id]
				if fn.Type != "AWS::Serverless::Function" {
					continue
				}
				h := fn.Properties.Handler
				handlers = append(handlers, h)
				e := rie.Start(t, bootstrap, h, lambdaEnv(t, tpl, fn.Properties.Environment.Variables)...)
				event := []byte(`{"a": 1}`)
				if h == "api_handler" {
					event = apiRequest{method: "GET", resource: "/orders", path: "/orders"}.event()
				}
				status, body := e.Invoke(t, event)
				if status != 200 || strings.Contains(string(body), "errorType") {
					t.Errorf("%s: status %d, body %s\nlogs:\n%s", h, status, body, e.Logs())
					continue
				}
				switch h {
				case "nightly_report":
					if !jsonEqual(t, string(body), wantReport[stage]) {
						t.Errorf("nightly_report answered %s, want %s", body, wantReport[stage])
					}
				case "api_handler":
					var resp struct{ StatusCode int }
					if err := json.Unmarshal(body, &resp); err != nil || resp.StatusCode != 200 {
						t.Errorf("GET /orders: %s (%v)", body, err)
					}
				}
			}
			if !slices.Equal(handlers, []string{"api_handler", "nightly_report", "resize-image"}) {
				t.Errorf("the %s template names handlers %v", stage, handlers)
			}
		})
	}
}
