// Package scaffold writes a new gochalice project: `chalice-package new`.
// The project builds and its test passes at once: main.go with a few routes
// and a standalone function, main_test.go, .chalice/config.json with a dev
// and a prod stage, a .gitignore for out/, and a go.mod that requires
// gochalice (or replaces it with a local checkout) and records
// chalice-package as a tool.
package scaffold

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"text/template"
)

//go:embed files/*.tmpl
var files embed.FS

// Module is the gochalice module path.
const Module = "github.com/gochalice/gochalice"

// Options say how to write a project.
type Options struct {
	// Dir is the project directory to create; its base name is the app's
	// name and (with ModulePath empty) its module path.
	Dir string
	// ModulePath is the new module's path; "" uses the app's name.
	ModulePath string
	// Version is the gochalice version to require, e.g. v0.1.0.
	Version string
	// Replace, when set, is a local gochalice checkout the project uses
	// through a replace directive (a clone, or offline work).
	Replace string
	// GoVersion is the go directive of go.mod, e.g. 1.26.
	GoVersion string
}

// outputs maps each template to the file it becomes.
var outputs = []struct{ tmpl, file string }{
	{"main.go.tmpl", "main.go"},
	{"main_test.go.tmpl", "main_test.go"},
	{"config.json.tmpl", filepath.Join(".chalice", "config.json")},
	{"gitignore.tmpl", ".gitignore"},
}

var appName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,63}$`)

// Write creates the project, runs `go mod tidy` in it and returns the files
// written, relative to Dir. Everything is written into a temporary
// directory beside Dir and renamed into place at the end, so a failure
// leaves nothing behind; an existing Dir is an error.
func Write(ctx context.Context, o Options) ([]string, error) {
	name := filepath.Base(filepath.Clean(o.Dir))
	if !appName.MatchString(name) {
		return nil, fmt.Errorf("%q is not a valid app name: start with a letter, then letters, digits, '-' or '_' (at most 64)", name)
	}
	if _, err := os.Lstat(o.Dir); err == nil {
		return nil, fmt.Errorf("%s already exists: choose a new directory", o.Dir)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if o.ModulePath == "" {
		o.ModulePath = name
	}
	parent := filepath.Dir(filepath.Clean(o.Dir))
	tmp, err := os.MkdirTemp(parent, ".gochalice-new-"+name+"-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed

	data := struct{ Name string }{name}
	var written []string
	for _, out := range outputs {
		t, err := template.ParseFS(files, "files/"+out.tmpl)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return nil, err
		}
		p := filepath.Join(tmp, out.file)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			return nil, err
		}
		written = append(written, out.file)
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), goMod(o), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "go", "mod", "tidy")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go mod tidy in the new project: %w\n%s", err, bytes.TrimSpace(out))
	}
	written = append(written, "go.mod", "go.sum")
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, o.Dir); err != nil {
		return nil, err
	}
	return written, nil
}

// goMod is the project's go.mod before tidy.
func goMod(o Options) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "module %s\n\ngo %s\n\nrequire %s %s\n\ntool %s/cmd/chalice-package\n", o.ModulePath, o.GoVersion, Module, o.Version, Module)
	if o.Replace != "" {
		fmt.Fprintf(&b, "\nreplace %s => %s\n", Module, strconv.Quote(o.Replace))
	}
	return b.Bytes()
}
