package gomod

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRootAndFindUp(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), "module example.com/app\n")
	write(t, filepath.Join(dir, "go.work"), "go 1.26\n")
	deep := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if root, err := Root(deep); err != nil || root != dir {
		t.Errorf("Root(%s) = %q, %v; want %q", deep, root, err, dir)
	}
	if got := FindUp(deep, "go.work"); got != filepath.Join(dir, "go.work") {
		t.Errorf("FindUp go.work = %q", got)
	}
	if got := FindUp(deep, "no-such-file"); got != "" {
		t.Errorf("FindUp found %q", got)
	}
	// A directory named like the file is not the file.
	if err := os.MkdirAll(filepath.Join(deep, "go.work"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got := FindUp(deep, "go.work"); got != filepath.Join(dir, "go.work") {
		t.Errorf("FindUp took a directory: %q", got)
	}
	bare := t.TempDir()
	if FindUp(bare, "go.mod") == "" { // no go.mod above the temp directory either
		if root, err := Root(bare); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("Root without a go.mod = %q, %v", root, err)
		}
	}
}

func TestLocalReplacements(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, gomod string
		want        []string
	}{
		{"none", "module example.com/app\n", nil},
		{"relative, absolute and versioned", "module example.com/app\n\nreplace example.com/a => ../a\n\nreplace (\n\texample.com/b => /srv/b\n\texample.com/c => example.com/fork v1.2.3\n\texample.com/d v1.0.0 => ./vendored/d\n)\n",
			[]string{filepath.Join(filepath.Dir(dir), "a"), "/srv/b", filepath.Join(dir, "vendored", "d")}},
		{"does not parse", "module example.com/app\n\nreplace =>\n", nil},
		{"missing", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			os.Remove(filepath.Join(dir, "go.mod"))
			if c.gomod != "" {
				write(t, filepath.Join(dir, "go.mod"), c.gomod)
			}
			if got := LocalReplacements(dir); !slices.Equal(got, c.want) {
				t.Errorf("LocalReplacements = %q, want %q", got, c.want)
			}
		})
	}
}
