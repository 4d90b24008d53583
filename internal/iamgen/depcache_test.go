package iamgen

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/go/ssa"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/build"
)

// fingerprint describes a loaded program as the analysis sees it: the SSA
// packages created, the source packages' imports and scopes, the
// functions with bodies, the candidate types for calls through interfaces
// and the registrations, in the analysis's order.
func fingerprint(a *analyzer) string {
	var b strings.Builder
	pkgs := a.prog.AllPackages()
	slices.SortFunc(pkgs, func(x, y *ssa.Package) int { return strings.Compare(x.Pkg.Path(), y.Pkg.Path()) })
	for _, p := range pkgs {
		var imps []string
		for _, ip := range p.Pkg.Imports() {
			imps = append(imps, ip.Path())
		}
		fmt.Fprintf(&b, "package %s complete=%v members=%d scope=%v imports=%v\n", p.Pkg.Path(), p.Pkg.Complete(), len(p.Members), p.Pkg.Scope().Names(), imps)
	}
	for _, f := range a.bodies {
		fmt.Fprintf(&b, "body %s %s blocks=%d\n", f, a.fset.Position(f.Pos()), len(f.Blocks))
	}
	for _, c := range a.cands {
		fmt.Fprintf(&b, "cand %s\n", c)
	}
	for _, r := range a.regs {
		fmt.Fprintf(&b, "reg %s %s\n", r.name, a.fset.Position(r.pos))
	}
	return b.String()
}

// loadTwice loads dir with go list (recording the dependencies in an empty
// cache), then from the cache, and fails unless both loads happened so.
func loadTwice(t *testing.T, dir string) (listed, cached *analyzer) {
	t.Helper()
	t.Setenv(EnvCacheDir, t.TempDir())
	ctx := context.Background()
	listed, err := load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if listed.depsCached {
		t.Fatal("the first load came from an empty cache")
	}
	cached, err = load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !cached.depsCached {
		t.Fatal("the second load did not come from the cache")
	}
	return listed, cached
}

// sameAnalysis fails unless two loads give the same program and, for m,
// the same result.
func sameAnalysis(t *testing.T, want, got *analyzer, m *manifest.Manifest) {
	t.Helper()
	if fw, fg := fingerprint(want), fingerprint(got); fw != fg {
		t.Errorf("the programs differ:\n%s", lineDiff(fw, fg))
	}
	if m == nil {
		return
	}
	jw, _ := json.MarshalIndent(want.access(m), "", " ")
	jg, _ := json.MarshalIndent(got.access(m), "", " ")
	if string(jw) != string(jg) {
		t.Errorf("the analyses differ:\n%s", lineDiff(string(jw), string(jg)))
	}
}

// lineDiff lists the lines only one of a and b has.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for _, l := range al {
		if !slices.Contains(bl, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range bl {
		if !slices.Contains(al, l) {
			out = append(out, "+ "+l)
		}
	}
	if len(out) > 20 {
		out = append(out[:20], "...")
	}
	if len(out) == 0 {
		return "(the same lines in another order)"
	}
	return strings.Join(out, "\n")
}

// The analysis from the cache is the analysis from go list, on the
// analysis fixture, the samples and the golden apps.
func TestDepCacheSameAnalysis(t *testing.T) {
	apps := []string{"testapp", "../../samples/users", "../../samples/hello"}
	golden, err := filepath.Glob("../../golden/apps/*")
	if err != nil {
		t.Fatal(err)
	}
	apps = append(apps, golden...)
	for _, dir := range apps {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			var m *manifest.Manifest
			if dir == "testapp" {
				analyzeTestapp(t)
				m = testapp.m
			} else {
				var err error
				if m, err = build.Manifest(context.Background(), dir); err != nil {
					t.Fatal(err)
				}
			}
			listed, cached := loadTwice(t, dir)
			sameAnalysis(t, listed, cached, m)
			if len(m.Functions) == 0 {
				t.Error("no functions to compare")
			}
		})
	}
}

// depModule writes a module of its own requiring gochalice from this
// repository: main imports lib (no SDK: loaded from export data) and store
// (the SDK: loaded from source). Its files are dated an hour ago, so that a
// load records them.
func depModule(t *testing.T) string {
	t.Helper()
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	requires := string(gomod[strings.Index(string(gomod), "require"):])
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/depapp\n\ngo 1.26.0\n\nrequire github.com/gochalice/gochalice v0.0.0\n\nreplace github.com/gochalice/gochalice => " + repo + "\n\n" + requires,
		"main.go": `package main

import (
	"context"

	"example.com/depapp/lib"
	"example.com/depapp/store"
	"github.com/gochalice/gochalice/framework"
)

func main() {
	app := framework.New("depapp")
	t := app.Table("items", framework.PartitionKey("id", framework.S))
	app.LambdaFunction("get", func(ctx context.Context, in map[string]string) (string, error) {
		return lib.Greeting(), store.Get(ctx, t)
	})
	app.Run()
}
`,
		"lib/lib.go": "package lib\n\n// Greeting is a greeting.\nfunc Greeting() string { return \"hello\" }\n",
		"store/store.go": `package store

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/gochalice/gochalice/framework"
)

// Get reads an item of t.
func Get(ctx context.Context, t framework.Table) error {
	name, err := t.Name()
	if err != nil {
		return err
	}
	_, err = dynamodb.New(dynamodb.Options{}).GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(name)})
	return err
}
`,
	}
	for name, data := range files {
		writeAged(t, filepath.Join(dir, name), data)
	}
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	writeAged(t, filepath.Join(dir, "go.sum"), string(sum))
	return dir
}

// writeAged writes a file dated an hour ago.
func writeAged(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
}

// edit replaces old by new in a file of dir, keeping it dated an hour ago.
func edit(t *testing.T, dir, name, old, new string) {
	t.Helper()
	path := filepath.Join(dir, name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	writeAged(t, path, strings.Replace(string(data), old, new, 1))
}

// Each ingredient of the cache's key and check invalidates it: an edit of
// a package loaded from export data, go.mod, an import the cache does not
// know, the environment, a missing export file. Edits of the app's own
// code do not. After each change the analysis is the one go list gives.
func TestDepCacheInvalidation(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a module of its own several times")
	}
	ctx := context.Background()
	cache := t.TempDir()
	tests := []struct {
		name   string
		change func(t *testing.T, dir string)
		hit    bool // false: the load fails when the name says so
	}{
		{"no change", func(t *testing.T, dir string) {}, true},
		{"a line of main", func(t *testing.T, dir string) { edit(t, dir, "main.go", `"depapp"`, `"depapp2"`) }, true},
		{"a package loaded from source", func(t *testing.T, dir string) {
			edit(t, dir, "store/store.go", "GetItem(ctx", "DeleteItem(ctx")
			edit(t, dir, "store/store.go", "GetItemInput", "DeleteItemInput")
		}, true},
		{"a new file in main", func(t *testing.T, dir string) {
			writeAged(t, filepath.Join(dir, "more.go"), "package main\n\nfunc more() string { return \"more\" }\n")
		}, true},
		{"a package loaded from export data", func(t *testing.T, dir string) {
			edit(t, dir, "lib/lib.go", "func Greeting", "func Farewell() string { return \"bye\" }\n\n// Greeting is a greeting.\nfunc Greeting")
		}, false},
		{"a new file in such a package", func(t *testing.T, dir string) {
			writeAged(t, filepath.Join(dir, "lib", "more.go"), "package lib\n\n// More is more.\nconst More = 1\n")
		}, false},
		{"go.mod", func(t *testing.T, dir string) { edit(t, dir, "go.mod", "go 1.26.0", "go 1.26.0\n\n// a comment") }, false},
		{"a new import in main", func(t *testing.T, dir string) {
			edit(t, dir, "main.go", `"context"`, "\"context\"\n\t\"strings\"")
			edit(t, dir, "main.go", "return lib.Greeting()", "return strings.ToUpper(lib.Greeting())")
		}, false},
		{"an import fewer in main", func(t *testing.T, dir string) {
			edit(t, dir, "main.go", `"example.com/depapp/lib"`, "")
			edit(t, dir, "main.go", "return lib.Greeting()", `return ""`)
		}, false},
		{"a new module inside: the load fails", func(t *testing.T, dir string) {
			writeAged(t, filepath.Join(dir, "lib", "go.mod"), "module example.com/depapp/lib\n\ngo 1.26.0\n")
		}, false},
		{"GOFLAGS", func(t *testing.T, dir string) { t.Setenv("GOFLAGS", "-mod=readonly") }, false},
		{"a missing export file", func(t *testing.T, dir string) {
			path := depEntryPath(dir)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var e depEntry
			if err := json.Unmarshal(data, &e); err != nil {
				t.Fatal(err)
			}
			for i := range e.Deps {
				if e.Deps[i].Path == "example.com/depapp/lib" {
					e.Deps[i].Export = filepath.Join(t.TempDir(), "gone")
				}
			}
			data, _ = json.Marshal(e)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := depModule(t)
			t.Setenv(EnvCacheDir, cache)
			if _, err := load(ctx, dir); err != nil { // records the dependencies
				t.Fatal(err)
			}
			tt.change(t, dir)
			got, err := load(ctx, dir)
			if strings.HasSuffix(tt.name, "the load fails") {
				t.Setenv(EnvCacheDir, t.TempDir())
				_, listedErr := load(ctx, dir)
				if err == nil || listedErr == nil || err.Error() != listedErr.Error() {
					t.Errorf("with a cache: %v\nwithout: %v", err, listedErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.depsCached != tt.hit {
				t.Errorf("from the cache: %v, want %v", got.depsCached, tt.hit)
			}
			t.Setenv(EnvCacheDir, t.TempDir())
			want, err := load(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			if want.depsCached {
				t.Fatal("a load with an empty cache came from it")
			}
			m := &manifest.Manifest{App: "depapp", Functions: []manifest.Function{{Name: "get", Handler: "get"}}}
			sameAnalysis(t, want, got, m)
			if tt.hit {
				// Recorded again after a change that invalidates: the next
				// load hits.
				return
			}
			t.Setenv(EnvCacheDir, cache)
			if again, err := load(ctx, dir); err != nil || !again.depsCached {
				t.Errorf("the load after the change did not record the dependencies (err %v)", err)
			}
		})
	}
}

// A type error in the app is reported as go list reports it, cache or not.
func TestDepCacheTypeError(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a module of its own")
	}
	ctx := context.Background()
	dir := depModule(t)
	t.Setenv(EnvCacheDir, t.TempDir())
	if _, err := load(ctx, dir); err != nil {
		t.Fatal(err)
	}
	edit(t, dir, "main.go", "return lib.Greeting()", "return lib.Greeting(1)")
	_, cachedErr := load(ctx, dir)
	t.Setenv(EnvCacheDir, t.TempDir())
	_, listedErr := load(ctx, dir)
	if cachedErr == nil || listedErr == nil || cachedErr.Error() != listedErr.Error() {
		t.Errorf("with a cache: %v\nwithout: %v", cachedErr, listedErr)
	}
}

// A load from an entry marks it used; recording removes the entries no
// load used for depMaxAge.
func TestDepCachePrune(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a module of its own")
	}
	ctx := context.Background()
	cache := t.TempDir()
	t.Setenv(EnvCacheDir, cache)
	stale := filepath.Join(cache, "deps-stale.json")
	writeAged(t, stale, "{}")
	old := time.Now().Add(-depMaxAge - time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	dir := depModule(t)
	if _, err := load(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("recording kept an entry unused for longer than depMaxAge")
	}
	entry := depEntryPath(dir)
	if err := os.Chtimes(entry, old, old); err != nil {
		t.Fatal(err)
	}
	if a, err := load(ctx, dir); err != nil || !a.depsCached {
		t.Fatalf("second load: cached %v, err %v", a != nil && a.depsCached, err)
	}
	if fi, err := os.Stat(entry); err != nil || fi.ModTime().Before(time.Now().Add(-time.Hour)) {
		t.Errorf("a load from the entry did not mark it used (%v)", err)
	}
}
