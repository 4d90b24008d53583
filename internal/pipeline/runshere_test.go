package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/internal/build"
	"github.com/gochalice/gochalice/stages"
)

// TestRunManifestFromBootstrap: when the stage's bootstrap runs on this
// machine, the manifest is read from it and no host binary is linked; an
// edit is picked up by the next build.
func TestRunManifestFromBootstrap(t *testing.T) {
	var arch string
	for _, a := range stages.Architectures {
		if build.RunsHere(a) {
			arch = a
		}
	}
	if arch == "" {
		t.Skipf("no Lambda architecture runs on %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	cache := t.TempDir()
	t.Setenv(build.EnvCacheDir, cache)
	app := t.TempDir()
	src := string(readFile(t, "testdata/fakeapp/main.go"))
	write := func(name string) {
		t.Helper()
		s := strings.Replace(src, `"app":"fake"`, `"app":"`+name+`"`, 1)
		if s == src {
			t.Fatal("testdata/fakeapp/main.go no longer names app fake")
		}
		if err := os.WriteFile(filepath.Join(app, "main.go"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(app, "go.mod"), []byte("module example.com/fake\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	for _, name := range []string{"first", "first", "second"} {
		write(name)
		res, err := Run(context.Background(), Options{AppDir: app, OutDir: out, Arch: arch})
		if err != nil {
			t.Fatal(err)
		}
		if res.Manifest.App != name {
			t.Errorf("manifest app = %q, want %q (a stale bootstrap?)", res.Manifest.App, name)
		}
		if !strings.Contains(string(readFile(t, res.TemplatePath)), "gochalice app "+name+",") {
			t.Errorf("the template does not describe app %s", name)
		}
		if res.Arch != arch || bootstrapMachine(t, res.ZipPath) == 0 {
			t.Errorf("arch = %s, want %s", res.Arch, arch)
		}
	}
	if matches, _ := filepath.Glob(filepath.Join(cache, "*", "app-host")); len(matches) != 0 {
		t.Errorf("a host binary was linked: %v", matches)
	}
}
