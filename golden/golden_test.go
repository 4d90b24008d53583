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
	"path/filepath"
	"sync"
	"testing"

	"github.com/gochalice/gochalice/cfn"
	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/build"
	"github.com/gochalice/gochalice/internal/goldentest"
	"github.com/gochalice/gochalice/internal/pipeline"
	"github.com/gochalice/gochalice/stages"
)

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
	{name: "websocket", appDir: "apps/websocket", stage: "prod", format: "yaml"},
	{name: "events-sample", appDir: "../samples/events", stage: "dev", format: "yaml"},
	{name: "stages", appDir: "apps/stages", stage: "dev", format: "yaml", merge: "apps/stages/merge.yaml"},
	{name: "stages", appDir: "apps/stages", stage: "prod", format: "yaml", merge: "apps/stages/merge.yaml"},
	{name: "apiconfig", appDir: "apps/apiconfig", stage: "dev", format: "yaml"},
	{name: "apiconfig", appDir: "apps/apiconfig", stage: "prod", format: "yaml"},
	{name: "todo", appDir: "../samples/todo", stage: "dev", format: "yaml"},
	{name: "todo", appDir: "../samples/todo", stage: "prod", format: "yaml"},
	{name: "hello", appDir: "../samples/hello", stage: "http", format: "yaml"},
	{name: "httpapi", appDir: "apps/httpapi", stage: "dev", format: "yaml"},
	{name: "httpapi", appDir: "apps/httpapi", stage: "prod", format: "yaml"},
	{name: "users", appDir: "../samples/users", stage: "dev", format: "yaml"},
	{name: "resources", appDir: "apps/resources", stage: "dev", format: "yaml"},
	{name: "resources", appDir: "apps/resources", stage: "scratch", format: "yaml"},
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
	acc  *cfn.Access
	err  error
}

// manifestOf builds an app's manifest and runs its IAM analysis, once.
func manifestOf(appDir string) (*manifest.Manifest, *cfn.Access, error) {
	v, _ := manifests.LoadOrStore(appDir, &manifestOnce{})
	mo := v.(*manifestOnce)
	mo.once.Do(func() {
		if mo.m, mo.err = build.Manifest(context.Background(), appDir); mo.err == nil {
			mo.acc, _, mo.err = pipeline.Analyze(context.Background(), appDir, mo.m)
		}
	})
	return mo.m, mo.acc, mo.err
}

// render builds the template with the build pipeline's own steps, without
// compiling the bootstrap.
func render(t *testing.T, f fixture) []byte {
	t.Helper()
	m, acc, err := manifestOf(f.appDir)
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
	if err := pipeline.CheckFunctions(cfg, m); err != nil {
		t.Fatal(err)
	}
	var merge map[string]any
	if f.merge != "" {
		if merge, err = cfn.ReadMergeTemplate(f.merge); err != nil {
			t.Fatal(err)
		}
	}
	out, err := pipeline.TemplateWithAccess(m, st, merge, f.format, acc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGoldenTemplates(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name+"/"+f.stage, func(t *testing.T) {
			t.Parallel()
			goldentest.Check(t, f.expectedPath(), render(t, f), "go test ./golden/... -update")
		})
	}
}

// TestGoldenTemplatesLint runs cfn-lint (which runs the real SAM transform in
// the pinned 1.53.x) on every expected template: no errors, no warnings.
func TestGoldenTemplatesLint(t *testing.T) {
	paths, err := filepath.Glob("expected/*/*/template.*")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < len(fixtures) {
		t.Fatalf("found %d expected templates, want at least %d", len(paths), len(fixtures))
	}
	goldentest.Lint(t, paths...)
}
