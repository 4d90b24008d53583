// Package gomod finds what the go command finds around a directory: the
// go.mod that governs it, a go.work above it, and the local directories a
// go.mod replaces modules with. The packager's caches key on them.
package gomod

import (
	"os"
	"path/filepath"

	"golang.org/x/mod/modfile"
)

// FindUp returns the file name in dir or in its nearest parent holding one,
// or "" when there is none.
func FindUp(dir, name string) string {
	for d := dir; ; {
		if fi, err := os.Stat(filepath.Join(d, name)); err == nil && !fi.IsDir() {
			return filepath.Join(d, name)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// Root returns the directory of the go.mod governing dir, or os.ErrNotExist.
func Root(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if f := FindUp(abs, "go.mod"); f != "" {
		return filepath.Dir(f), nil
	}
	return "", os.ErrNotExist
}

// LocalReplacements returns the directories the go.mod in root replaces
// modules with (replace example.com/lib => ../lib), absolute, in the
// file's order. A go.mod that does not parse has none: the go command
// reports it.
func LocalReplacements(root string) []string {
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil
	}
	// Parse, not ParseLax: ParseLax ignores replace directives.
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return nil
	}
	var dirs []string
	for _, r := range f.Replace {
		if r.New.Version != "" || !modfile.IsDirectoryPath(r.New.Path) {
			continue
		}
		d := r.New.Path
		if !filepath.IsAbs(d) {
			d = filepath.Join(root, d)
		}
		dirs = append(dirs, filepath.Clean(d))
	}
	return dirs
}
