// Package golden compares the templates chalice-package emits for the samples
// and the fixture apps under apps/ with the expected templates under
// expected/, byte for byte, and lints every expected template with cfn-lint.
//
// After an intended change, regenerate them with
//
//	go test ./golden/... -update
//
// and review the diff like code.
package golden

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gochalice/gochalice/cfn"
	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/build"
	"github.com/gochalice/gochalice/stages"
)

var update = flag.Bool("update", false, "rewrite the expected templates")

// fixture is one app and how to package it.
type fixture struct {
	name   string // expected/<name>/<stage>/template.<format>
	appDir string
	stage  string
	arch   string // command-line --arch, "" for the stage's value
	format string
	merge  string // --merge-template file, "" for none
}

var fixtures = []fixture{
	{name: "hello", appDir: "../samples/hello", stage: "dev", format: "yaml"},
	{name: "hello-x86_64-json", appDir: "../samples/hello", stage: "dev", arch: "x86_64", format: "json"},
	{name: "routes", appDir: "apps/routes", stage: "dev", format: "yaml"},
	{name: "functions", appDir: "apps/functions", stage: "dev", format: "yaml"},
	{name: "secure", appDir: "../samples/secure", stage: "dev", format: "yaml"},
	{name: "trivia", appDir: "../samples/trivia", stage: "dev", format: "yaml"},
	{name: "events", appDir: "apps/events", stage: "dev", format: "yaml"},
	{name: "cognito", appDir: "apps/cognito", stage: "dev", format: "yaml"},
	{name: "s3", appDir: "apps/s3", stage: "dev", format: "yaml"},
	{name: "websocket", appDir: "apps/websocket", stage: "dev", format: "yaml"},
	{name: "events-sample", appDir: "../samples/events", stage: "dev", format: "yaml"},
	{name: "stages", appDir: "apps/stages", stage: "dev", format: "yaml", merge: "apps/stages/merge.yaml"},
	{name: "stages", appDir: "apps/stages", stage: "prod", format: "yaml", merge: "apps/stages/merge.yaml"},
	{name: "apiconfig", appDir: "apps/apiconfig", stage: "dev", format: "yaml"},
	{name: "apiconfig", appDir: "apps/apiconfig", stage: "prod", format: "yaml"},
}

func (f fixture) expectedPath() string {
	return filepath.Join("expected", f.name, f.stage, "template."+f.format)
}

// manifests caches each app's manifest, so an app shared by several
// fixtures is built once.
var manifests sync.Map // appDir → *manifestOnce

type manifestOnce struct {
	once sync.Once
	m    *manifest.Manifest
	err  error
}

func manifestOf(appDir string) (*manifest.Manifest, error) {
	v, _ := manifests.LoadOrStore(appDir, &manifestOnce{})
	mo := v.(*manifestOnce)
	mo.once.Do(func() { mo.m, mo.err = build.Manifest(context.Background(), appDir) })
	return mo.m, mo.err
}

// render builds the template the way chalice-package build does.
func render(t *testing.T, f fixture) []byte {
	t.Helper()
	m, err := manifestOf(f.appDir)
	if err != nil {
		t.Fatalf("manifest of %s: %v", f.appDir, err)
	}
	cfg, err := stages.Load(f.appDir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := cfg.Stage(f.stage, stages.Overrides{Architecture: f.arch})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fn := range m.Functions {
		names = append(names, fn.Name)
	}
	if err := cfg.CheckFunctions(names); err != nil {
		t.Fatal(err)
	}
	tpl, err := cfn.Build(m, st)
	if err != nil {
		t.Fatal(err)
	}
	if f.merge != "" {
		doc, err := cfn.ReadMergeTemplate(f.merge)
		if err != nil {
			t.Fatal(err)
		}
		if err := tpl.Merge(doc); err != nil {
			t.Fatal(err)
		}
	}
	out, err := cfn.Marshal(tpl, f.format)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGoldenTemplates(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name+"/"+f.stage, func(t *testing.T) {
			t.Parallel()
			got := render(t, f)
			path := f.expectedPath()
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./golden/... -update to create it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from the generated template (go test ./golden/... -update rewrites it):\n%s", path, lineDiff(string(want), string(got)))
			}
		})
	}
}

// TestGoldenTemplatesLint runs cfn-lint (which runs the real SAM transform in
// the pinned 1.53.x) on every expected template: no errors, no warnings.
func TestGoldenTemplatesLint(t *testing.T) {
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("cfn-lint is not installed (.ci/run installs it with pip)")
		}
		t.Skip("cfn-lint is not installed")
	}
	paths, err := filepath.Glob("expected/*/*/template.*")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < len(fixtures) {
		t.Fatalf("found %d expected templates, want at least %d", len(paths), len(fixtures))
	}
	out, err := exec.Command(lint, append([]string{"--format", "parseable"}, paths...)...).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("cfn-lint on %d golden templates: %v\n%s", len(paths), err, out)
	}
}

// lineDiff shows the first differing lines with a little context.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 20; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  - %s\n  + %s\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}
