package iamgen

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// A second analysis with no Go change comes from the cache; a changed Go
// file of the module changes the key.
func TestAnalyzeCached(t *testing.T) {
	analyzeTestapp(t)
	m := testapp.m
	t.Setenv(EnvCacheDir, t.TempDir())
	first, hit, err := AnalyzeCached(context.Background(), "testapp", m)
	if err != nil || hit {
		t.Fatalf("first analysis: hit %v, err %v", hit, err)
	}
	second, hit, err := AnalyzeCached(context.Background(), "testapp", m)
	if err != nil || !hit {
		t.Fatalf("second analysis: hit %v, err %v", hit, err)
	}
	j1, _ := json.Marshal(first)
	j2, _ := json.Marshal(second)
	if string(j1) != string(j2) {
		t.Error("the cached result differs from the analysis")
	}

	// The key covers the module's Go files: a module of its own in a temp
	// directory, edited between two keys.
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/x\n\ngo 1.26\n")
	write("main.go", "package main\n\nfunc main() {}\n")
	k1, err := cacheKey(dir, m)
	if err != nil {
		t.Fatal(err)
	}
	write("main_test.go", "package main\n") // tests do not count
	if k, _ := cacheKey(dir, m); k != k1 {
		t.Error("adding a _test.go file changed the key")
	}
	write("main.go", "package main\n\nfunc main() { println() }\n")
	if k, _ := cacheKey(dir, m); k == k1 {
		t.Error("changing main.go kept the key")
	}
	// A local module the app's go.mod replaces a requirement with counts
	// as the app's own code: its edits can add SDK calls.
	lib := t.TempDir()
	if err := os.WriteFile(filepath.Join(lib, "go.mod"), []byte("module example.com/lib\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	libFile := filepath.Join(lib, "lib.go")
	if err := os.WriteFile(libFile, []byte("package lib\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	write("go.mod", "module example.com/x\n\ngo 1.26\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => "+lib+"\n")
	k1, err = cacheKey(dir, m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(libFile, []byte("package lib\n\nfunc F() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if k, _ := cacheKey(dir, m); k == k1 {
		t.Error("changing a file of a replaced local module kept the key")
	}
	m2 := *m
	m2.App = "other"
	if k, _ := cacheKey(dir, &m2); k == k1 {
		t.Error("a different manifest kept the key")
	}
}

// The prefetch loads the program only when the cache will not answer, and
// an analysis from it equals one without it.
func TestPrefetch(t *testing.T) {
	analyzeTestapp(t)
	m := testapp.m
	t.Setenv(EnvCacheDir, t.TempDir())
	ctx := context.Background()
	p := StartPrefetch(ctx, "testapp")
	if p == nil {
		t.Fatal("no prefetch before the first analysis")
	}
	withPrefetch, hit, err := AnalyzeCachedWith(ctx, "testapp", m, p)
	if err != nil || hit {
		t.Fatalf("first analysis: hit %v, err %v", hit, err)
	}
	j1, _ := json.Marshal(withPrefetch)
	j2, _ := json.Marshal(testapp.acc)
	if string(j1) != string(j2) {
		t.Error("the analysis from the prefetched program differs from Analyze's")
	}
	if p := StartPrefetch(ctx, "testapp"); p != nil {
		p.Stop()
		t.Error("a prefetch started although the cache answers")
	}
	if _, hit, err := AnalyzeCachedWith(ctx, "testapp", m, nil); err != nil || !hit {
		t.Errorf("second analysis: hit %v, err %v", hit, err)
	}
}
