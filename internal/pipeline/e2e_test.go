package pipeline

import (
	"context"
	"debug/elf"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/build"
)

// ownModule writes the app in testdata/ownmodule into a module of its own
// that requires gochalice, replaced by this checkout, and sets the
// environment so that building it needs no network: the modules come from
// the module cache, their checksums from this repository's go.sum.
func ownModule(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	goMod := "module example.com/shop\n\ngo 1.26\n\n" +
		"require github.com/gochalice/gochalice v0.0.0\n\n" +
		"replace github.com/gochalice/gochalice => " + root + "\n"
	files := map[string][]byte{
		"go.mod":  []byte(goMod),
		"go.sum":  readFile(t, filepath.Join(root, "go.sum")),
		"main.go": readFile(t, "testdata/ownmodule/main.go.txt"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// -mod=mod lets the go command add gochalice's own requirements to the
	// app's go.mod; GOPROXY=off keeps the build offline.
	t.Setenv("GOFLAGS", "-mod=mod")
	t.Setenv("GOPROXY", "off")
	// A new directory each run: its build cache entry would never be used
	// again.
	t.Setenv(build.EnvCacheDir, t.TempDir())
	return dir
}

func TestEndToEndOwnModule(t *testing.T) {
	app := ownModule(t)
	outA, outB := filepath.Join(t.TempDir(), "out"), filepath.Join(t.TempDir(), "out")

	res, err := Run(context.Background(), Options{AppDir: app, OutDir: outA})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Manifest
	if m.App != "shop" || m.SchemaVersion != manifest.SchemaVersion {
		t.Errorf("manifest: app %q, schema version %d", m.App, m.SchemaVersion)
	}
	var fns []string
	for _, f := range m.Functions {
		fns = append(fns, f.Handler+"/"+f.Kind)
	}
	if want := []string{"api_handler/api", "restock/lambda"}; !slices.Equal(fns, want) {
		t.Errorf("functions %v, want %v", fns, want)
	}
	var routes []string
	for _, r := range m.Routes {
		routes = append(routes, strings.Join(r.Methods, ",")+" "+r.Path)
	}
	if want := []string{"GET /", "DELETE,GET /items/{id}"}; !slices.Equal(routes, want) {
		t.Errorf("routes %v, want %v", routes, want)
	}
	if got := bootstrapMachine(t, res.ZipPath); got != elf.EM_AARCH64 {
		t.Errorf("bootstrap for %v, want arm64", got)
	}
	tmpl := string(readFile(t, res.TemplatePath))
	for _, want := range []string{"Handler: api_handler", "Handler: restock", "Runtime: provided.al2023", "CodeUri: ./deployment.zip", "/items/{id}"} {
		if !strings.Contains(tmpl, want) {
			t.Errorf("template lacks %q", want)
		}
	}
	var summary strings.Builder
	if err := res.WriteSummary(&summary); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary.String(), "--stack-name shop-dev --capabilities CAPABILITY_IAM") {
		t.Errorf("summary:\n%s", summary.String())
	}

	// A second build of the same app gives the same bytes.
	if _, err := Run(context.Background(), Options{AppDir: app, OutDir: outB}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"dev/deployment.zip", "dev/template.yaml"} {
		if string(readFile(t, filepath.Join(outA, f))) != string(readFile(t, filepath.Join(outB, f))) {
			t.Errorf("two builds give different %s", f)
		}
	}
}

// An own-module app that fails registration: the framework's errors (exit
// status 2) reach the user as they were printed.
func TestEndToEndRegistrationErrors(t *testing.T) {
	app := ownModule(t)
	src := `package main

import "github.com/gochalice/gochalice/framework"

func main() {
	app := framework.New("dup")
	app.Route("/", index)
	app.Route("/", index)
	app.Run()
}

func index(r *framework.Request) (any, error) { return nil, nil }
`
	if err := os.WriteFile(filepath.Join(app, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	_, err := Run(context.Background(), Options{AppDir: app, OutDir: out})
	checkErr(t, err, []string{"has registration errors:\ngochalice: "})
	if got := tree(t, out); got != nil {
		t.Errorf("left %v", got)
	}
}
