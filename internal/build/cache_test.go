package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// cacheApp writes a stdlib-only app that prints a manifest naming app.
func cacheApp(t *testing.T, dir, app string) {
	t.Helper()
	writeFile(t, filepath.Join(dir, "go.mod"), []byte("module example.com/cached\n\ngo 1.26\n"), 0o644)
	src := `package main

import "fmt"

func main() {
	fmt.Println(` + "`" + `{"schemaVersion":1,"app":"` + app + `","frameworkVersion":"v0.0.0-test","functions":[{"name":"f","handler":"f","kind":"lambda"}]}` + "`" + `)
}
`
	writeFile(t, filepath.Join(dir, "main.go"), []byte(src), 0o644)
}

// cachedFile returns the one file named name under root.
func cachedFile(t *testing.T, root, name string) (string, os.FileInfo) {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(root, "*", name))
	if err != nil || len(matches) != 1 {
		t.Fatalf("%s in the cache: %v (%v)", name, matches, err)
	}
	fi, err := os.Stat(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	return matches[0], fi
}

// TestBuildCache checks that a build after no change reuses the cached host
// binary, bootstrap and zip, and that an edit is always picked up. The go
// command relinks a binary into a new file (a new inode) and only touches an
// up-to-date one; the zip is rewritten only when the bootstrap changed.
func TestBuildCache(t *testing.T) {
	cache := t.TempDir()
	t.Setenv(EnvCacheDir, cache)
	app := t.TempDir()
	ctx := context.Background()
	cacheApp(t, app, "one")

	build := func(want string) []byte {
		t.Helper()
		m, err := Manifest(ctx, app)
		if err != nil {
			t.Fatal(err)
		}
		if m.App != want {
			t.Fatalf("manifest app = %q, want %q (a stale cached binary?)", m.App, want)
		}
		zp := filepath.Join(t.TempDir(), "deployment.zip")
		if _, err := BootstrapZip(ctx, app, "x86_64", zp); err != nil {
			t.Fatal(err)
		}
		return readAll(t, zp)
	}
	zip1 := build("one")
	_, host := cachedFile(t, cache, "app-host")
	_, boot := cachedFile(t, cache, ZipEntry)
	cachedZip, _ := cachedFile(t, cache, "deployment.zip")
	// Make a rewrite of the zip visible even with coarse timestamps.
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(cachedZip, old, old); err != nil {
		t.Fatal(err)
	}

	zip2 := build("one")
	if !bytes.Equal(zip1, zip2) {
		t.Error("two builds of the same app give different zips")
	}
	if _, fi := cachedFile(t, cache, "app-host"); !os.SameFile(fi, host) {
		t.Error("the host binary was relinked after no change")
	}
	if _, fi := cachedFile(t, cache, ZipEntry); !os.SameFile(fi, boot) {
		t.Error("the bootstrap was relinked after no change")
	}
	if _, fi := cachedFile(t, cache, "deployment.zip"); !fi.ModTime().Equal(old) {
		t.Error("the zip was rewritten after no change")
	}

	cacheApp(t, app, "two")
	if zip3 := build("two"); bytes.Equal(zip3, zip1) {
		t.Error("the zip did not change after an edit")
	}
	if _, fi := cachedFile(t, cache, "app-host"); os.SameFile(fi, host) {
		t.Error("the host binary was not relinked after an edit")
	}
}

// Without a usable cache directory, builds work and leave nothing behind.
func TestBuildCacheUnusable(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	writeFile(t, notADir, nil, 0o644)
	t.Setenv(EnvCacheDir, notADir)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	app := t.TempDir()
	cacheApp(t, app, "nocache")
	if m, err := Manifest(context.Background(), app); err != nil || m.App != "nocache" {
		t.Fatalf("Manifest = %v, %v", m, err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left behind %v", left)
	}
}

// trimCache removes the entries unused since the cutoff and keeps the rest.
func TestTrimCache(t *testing.T) {
	root := t.TempDir()
	old, recent := filepath.Join(root, "old"), filepath.Join(root, "recent")
	for _, d := range []string{old, recent} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(d, "lock"), nil, 0o644)
	}
	long := time.Now().Add(-cacheMaxAge - time.Hour)
	if err := os.Chtimes(filepath.Join(old, "lock"), long, long); err != nil {
		t.Fatal(err)
	}
	trimCache(root, time.Now().Add(-cacheMaxAge))
	if _, err := os.Stat(old); err == nil {
		t.Error("an entry unused for longer than cacheMaxAge was kept")
	}
	if _, err := os.Stat(recent); err != nil {
		t.Errorf("a recent entry was removed: %v", err)
	}
}
