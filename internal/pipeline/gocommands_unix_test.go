//go:build unix

package pipeline

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// After an edit inside a handler, a build runs no go command but the Linux
// build: the check of the app directory uses go/build, the IAM analysis
// loads the program from the dependencies it recorded, and the manifest
// binary, built from the registration-only copy, is known up to date
// (build.RegistrationManifest).
func TestBuildAfterEditRunsOnlyGoBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an app twice")
	}
	app := ownModule(t)
	// A complete go.mod, so that no go command changes it (the analysis's
	// record is keyed on it).
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	gomod := string(readFile(t, filepath.Join(root, "go.mod")))
	gomod = "module example.com/shop\n\ngo 1.26.0\n\nrequire github.com/gochalice/gochalice v0.0.0\n\n" +
		"replace github.com/gochalice/gochalice => " + root + "\n\n" + gomod[strings.Index(gomod, "require"):]
	if err := os.WriteFile(filepath.Join(app, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOFLAGS", "")
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	// A go command on PATH that logs its arguments, one run a line.
	bin := t.TempDir()
	log := filepath.Join(t.TempDir(), "go.log")
	script := "#!/bin/sh\necho \"$1 $2\" >> " + log + "\nexec " + realGo + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	out := filepath.Join(t.TempDir(), "out")
	build := func() *Result {
		t.Helper()
		res, err := Run(context.Background(), Options{AppDir: app, OutDir: out})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	build()
	if err := os.Remove(log); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(app, "main.go")
	src := readFile(t, main)
	edited := strings.Replace(string(src), `"open"`, `"closed"`, 1)
	if edited == string(src) {
		t.Fatal("the edit changed nothing")
	}
	if err := os.WriteFile(main, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	res := build()
	if res.AnalysisCached {
		t.Error("the analysis result came from the cache after an edit")
	}
	runs := strings.Split(strings.TrimSpace(string(readFile(t, log))), "\n")
	for _, r := range runs {
		if !strings.HasPrefix(r, "build ") {
			t.Errorf("go %s ran after an edit", r)
		}
	}
	if len(runs) != 1 {
		t.Errorf("%d go commands after a handler edit (%q), want the Linux build only", len(runs), runs)
	}
}
