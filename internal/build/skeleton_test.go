package build

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/skeleton"
)

// TestRegistrationManifestMatchesWhole builds every sample and golden app
// both ways: the registration-only copy must be taken, at the first try,
// and print the manifest the whole app prints.
func TestRegistrationManifestMatchesWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every sample twice")
	}
	t.Setenv(EnvCacheDir, t.TempDir())
	var apps []string
	for _, pattern := range []string{"../../samples/*/main.go", "../../golden/apps/*/main.go"} {
		matches, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range matches {
			apps = append(apps, filepath.Dir(m))
		}
	}
	if len(apps) < 10 {
		t.Fatalf("only %d apps found: %v", len(apps), apps)
	}
	for _, app := range apps {
		t.Run(strings.TrimPrefix(app, "../../"), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			entry := t.TempDir()
			got, ok := skeletonManifest(ctx, app, entry, nil)
			if !ok {
				keep, _ := os.ReadFile(filepath.Join(entry, skeletonKeep))
				bad, _ := os.ReadFile(filepath.Join(entry, skeletonBad))
				t.Fatalf("the registration-only copy was not used (kept after a call: %q; did not compile: %v)", keep, len(bad) > 0)
			}
			want, err := wholeManifest(ctx, app, entry)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
				t.Errorf("manifests differ:\ncopy:  %s\nwhole: %s", g, w)
			}
		})
	}
}

func mustJSON(t *testing.T, m *manifest.Manifest) string {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// skeletonApp writes a stdlib-only app whose register function prints a
// manifest naming app; main calls it as written in call.
func skeletonApp(t *testing.T, dir, app, call, greeting string) {
	t.Helper()
	writeFile(t, filepath.Join(dir, "go.mod"), []byte("module example.com/skeleton\n\ngo 1.26\n"), 0o644)
	src := `package main

import (
	"fmt"
	"strings"
)

var setups = []func(){register}

func main() {
	` + call + `
}

func register() {
	fmt.Println(` + "`" + `{"schemaVersion":1,"app":"` + app + `","frameworkVersion":"v0.0.0-test","functions":[{"name":"f","handler":"f","kind":"lambda"}]}` + "`" + `)
}

const greeting = "` + greeting + `"

func handle(name string) string { return strings.Repeat(greeting, 2) + name }

var _ = handle
`
	writeFile(t, filepath.Join(dir, "main.go"), []byte(src), 0o644)
}

// TestRegistrationManifestEdits checks the point of the copy: a handler
// edit relinks nothing, a registration edit is picked up.
func TestRegistrationManifestEdits(t *testing.T) {
	t.Setenv(EnvCacheDir, t.TempDir())
	app, ctx := t.TempDir(), context.Background()
	manifestApp := func(want string) {
		t.Helper()
		m, err := RegistrationManifest(ctx, app)
		if err != nil {
			t.Fatal(err)
		}
		if m.App != want {
			t.Fatalf("app = %q, want %q", m.App, want)
		}
	}
	skeletonApp(t, app, "one", "register()", "hello")
	manifestApp("one")
	// The go command links a binary into a new file and only touches one
	// that is up to date.
	bin, before := cachedFile(t, os.Getenv(EnvCacheDir), skeletonBin)
	same := func() bool {
		fi, err := os.Stat(bin)
		if err != nil {
			t.Fatal(err)
		}
		return os.SameFile(fi, before)
	}

	skeletonApp(t, app, "one", "register()", "edited")
	manifestApp("one")
	if !same() {
		t.Error("a handler edit relinked the registration-only binary")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(bin), "app-host")); err == nil {
		t.Error("the whole app was built for the host")
	}

	skeletonApp(t, app, "two", "register()", "edited")
	manifestApp("two")
	if same() {
		t.Error("a registration edit did not relink the registration-only binary")
	}
}

// TestRegistrationManifestLearns checks the guard: a left-out body called
// while registering stops the copy, the whole app gives the manifest, and
// the next copy keeps that body.
func TestRegistrationManifestLearns(t *testing.T) {
	t.Setenv(EnvCacheDir, t.TempDir())
	app, ctx := t.TempDir(), context.Background()
	// register is only called through a function value: the copy leaves
	// its body out.
	skeletonApp(t, app, "indirect", "for _, f := range setups { f() }", "hello")
	entry := t.TempDir()
	if _, ok := skeletonManifest(ctx, app, entry, nil); ok {
		t.Fatal("the copy printed a manifest without register's body")
	}
	if keep := readKeep(filepath.Join(entry, skeletonKeep)); !keep["register"] {
		t.Fatalf("register not kept: %v", keep)
	}
	m, ok := skeletonManifest(ctx, app, entry, nil)
	if !ok || m.App != "indirect" {
		t.Fatalf("second copy: ok %v, manifest %+v", ok, m)
	}

	// Through RegistrationManifest, the first build already answers right.
	m, err := RegistrationManifest(ctx, app)
	if err != nil || m.App != "indirect" {
		t.Fatalf("RegistrationManifest = %+v, %v", m, err)
	}
}

// TestRegistrationManifestBadCopy checks that a copy that does not compile
// (a dot import only a left-out body used) falls back to the whole app, and
// is not built again while it stays the same.
func TestRegistrationManifestBadCopy(t *testing.T) {
	t.Setenv(EnvCacheDir, t.TempDir())
	app, ctx := t.TempDir(), context.Background()
	writeFile(t, filepath.Join(app, "go.mod"), []byte("module example.com/dot\n\ngo 1.26\n"), 0o644)
	writeFile(t, filepath.Join(app, "main.go"), []byte(`package main

import (
	"fmt"
	. "strings"
)

func main() {
	fmt.Println(`+"`"+`{"schemaVersion":1,"app":"dot","frameworkVersion":"v0.0.0-test","functions":[{"name":"f","handler":"f","kind":"lambda"}]}`+"`"+`)
}

func handle(s string) string { return ToUpper(s) }

var _ = handle
`), 0o644)
	entry := t.TempDir()
	if _, ok := skeletonManifest(ctx, app, entry, nil); ok {
		t.Fatal("a copy with an unused dot import compiled")
	}
	if _, err := os.Stat(filepath.Join(entry, skeletonBad)); err != nil {
		t.Fatalf("the bad copy was not recorded: %v", err)
	}
	os.Remove(filepath.Join(entry, skeletonBin))
	if _, ok := skeletonManifest(ctx, app, entry, nil); ok {
		t.Fatal("the same bad copy was used")
	}
	m, err := RegistrationManifest(ctx, app)
	if err != nil || m.App != "dot" {
		t.Fatalf("RegistrationManifest = %+v, %v", m, err)
	}
}

// TestRegistrationManifestErrors checks that the app's own errors are the
// whole build's: a registration error, and a compile error in registration
// code.
func TestRegistrationManifestErrors(t *testing.T) {
	t.Setenv(EnvCacheDir, t.TempDir())
	for _, c := range []struct{ dir, want string }{
		{"testdata/regerr", "registration errors"},
		{"testdata/compileerr", "building"},
	} {
		_, err := RegistrationManifest(context.Background(), c.dir)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.dir, err, c.want)
		}
	}
}

// TestSkeletonKey checks what the key of the copy's inputs covers: a file
// the copy replaces does not count (its replacement does), every other
// file of the module and of a replaced local module does, and the output
// directory does not.
func TestSkeletonKey(t *testing.T) {
	app, lib := t.TempDir(), t.TempDir()
	skeletonApp(t, app, "one", "register()", "hello")
	writeFile(t, filepath.Join(app, "go.mod"), []byte("module example.com/skeleton\n\ngo 1.26\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => "+lib+"\n"), 0o644)
	writeFile(t, filepath.Join(lib, "go.mod"), []byte("module example.com/lib\n\ngo 1.26\n"), 0o644)
	writeFile(t, filepath.Join(lib, "lib.go"), []byte("package lib\n"), 0o644)
	out := filepath.Join(app, "out")
	t.Setenv("GOWORK", "")
	t.Setenv("GOFLAGS", "")
	key := func() string {
		t.Helper()
		files, ok := skeletonFiles(app)
		if !ok {
			t.Fatal("no files")
		}
		sk, err := skeleton.Build(files, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, digest, err := writeOverlay(t.TempDir(), sk)
		if err != nil {
			t.Fatal(err)
		}
		k, ok := skeletonKey(app, digest, sk, []string{out})
		if !ok {
			t.Fatal("no key")
		}
		return k
	}
	k0 := key()
	edit := func(old, new string) func() {
		return func() {
			main := filepath.Join(app, "main.go")
			src, err := os.ReadFile(main)
			if err != nil || !strings.Contains(string(src), old) {
				t.Fatalf("no %q in main.go (%v)", old, err)
			}
			writeFile(t, main, []byte(strings.Replace(string(src), old, new, 1)), 0o644)
		}
	}
	create := func(path, data string) func() {
		return func() {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, path, []byte(data), 0o644)
		}
	}
	steps := []struct {
		name   string
		change func()
		same   bool
	}{
		{"a handler edit", edit(`"hello"`, `"edited"`), true},
		{"a file in the output directory", create(filepath.Join(out, "dev", "template.yaml"), "x"), true},
		{"a registration edit", edit(`"app":"one"`, `"app":"two"`), false},
		{"a new file of the module", create(filepath.Join(app, "static", "index.html"), "<p>"), false},
		{"a replaced module's file", create(filepath.Join(lib, "lib.go"), "package lib\n\nconst X = 1\n"), false},
		{"GOFLAGS", func() { t.Setenv("GOFLAGS", "-tags=extra") }, false},
	}
	prev := k0
	for _, s := range steps {
		// Modification times of files written in the same instant may be
		// equal: the sizes here differ or the files are new.
		s.change()
		k := key()
		if (k == prev) != s.same {
			t.Errorf("%s: key changed %v, want %v", s.name, k != prev, !s.same)
		}
		prev = k
	}
	t.Setenv("GOWORK", filepath.Join(app, "go.work"))
	files, _ := skeletonFiles(app)
	sk, _ := skeleton.Build(files, nil)
	if _, ok := skeletonKey(app, "d", sk, nil); ok {
		t.Error("a key with a go.work in use")
	}
}
