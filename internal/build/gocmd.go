// Package build turns an app directory into what the packager needs: the
// manifest (from a host build run in manifest mode), the Linux bootstrap
// binary, and the deterministic deployment zip.
//
// Every function runs the go command in the app directory (cmd.Dir = appDir),
// so an app may be a package of this module (./samples/hello) or a module of
// its own that requires gochalice.
package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/build"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// goTool is the go command; tests may point it elsewhere.
var goTool = "go"

// goCmd runs the go command in dir with extra environment settings (later
// values win) and returns its stdout and stderr.
func goCmd(ctx context.Context, dir string, env []string, args ...string) (stdout, stderr []byte, err error) {
	cmd := exec.CommandContext(ctx, goTool, args...)
	inOwnGroup(cmd)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errb
	err = cmd.Run()
	if err != nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	return out.Bytes(), errb.Bytes(), err
}

// withOutput appends a command's output to a one-line error, as it printed it.
func withOutput(err error, output []byte) error {
	out := strings.TrimRight(string(output), "\n")
	if out == "" {
		return err
	}
	return fmt.Errorf("%w\n%s", err, out)
}

// displayDir is how an app directory appears in messages: as the user gave it.
func displayDir(appDir string) string {
	return filepath.Clean(appDir)
}

// CheckApp reports, in one sentence, why appDir is not a main package the
// packager can build. Manifest and Bootstrap call it; a caller that runs
// HostManifest and BootstrapZip calls it once first.
func CheckApp(ctx context.Context, appDir string) error {
	dir := displayDir(appDir)
	fi, err := os.Stat(appDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("app directory %s does not exist", dir)
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("app directory %s is not a directory", dir)
	}
	if err, decided := checkPackage(appDir); decided {
		return err
	}
	return checkWithGoList(ctx, appDir)
}

// checkPackage is CheckApp's check of the package without the go command:
// go/build reads the package clauses and build constraints of the files in
// appDir, as the builds that follow will select them (the Linux bootstrap:
// GOOS=linux, CGO_ENABLED=0; the host binary: this machine; both with the
// lambda.norpc tag). It reports false when it cannot decide as go list
// would (the directory is not in a module, build tags in GOFLAGS or
// GO111MODULE=off, from the environment or go env -w, may
// change what the go command sees, a file go/build cannot read, the
// builds disagree, or files only build constraints exclude); CheckApp then
// asks go list, whose messages it keeps.
func checkPackage(appDir string) (err error, decided bool) {
	if strings.Contains(goEnv("GOFLAGS"), "tags") || goEnv("GO111MODULE") == "off" || !inModule(appDir) {
		return nil, false
	}
	dir := displayDir(appDir)
	abs, aerr := filepath.Abs(appDir)
	if aerr != nil {
		return nil, false
	}
	var name string
	var files int
	for i, c := range buildContexts() {
		p, ierr := c.ImportDir(abs, 0)
		var noGo *build.NoGoError
		switch {
		case errors.As(ierr, &noGo) && len(p.IgnoredGoFiles) == 0 && len(p.InvalidGoFiles) == 0:
			// No .go file at all (tests aside): go list says "no Go files in".
		case ierr != nil:
			return nil, false
		}
		n := len(p.GoFiles) + len(p.CgoFiles)
		if n == 0 && len(p.IgnoredGoFiles) > 0 {
			return nil, false // go list names the build constraints
		}
		if i > 0 && (p.Name != name || (n == 0) != (files == 0)) {
			return nil, false
		}
		name, files = p.Name, n
	}
	switch {
	case name == "":
		return fmt.Errorf("%s is not a main package: it has no .go files", dir), true
	case files == 0:
		return fmt.Errorf("%s is not a main package: it has no .go files other than tests", dir), true
	case name != "main":
		return fmt.Errorf("%s is package %s, not a main package: an app is a package main whose main function calls app.Run()", dir, name), true
	}
	return nil, true
}

// buildContexts are the go/build contexts of the builds of an app: the host
// binary (this machine, its default cgo setting) and the Linux bootstrap for
// either Lambda architecture (cgo off).
func buildContexts() []build.Context {
	host := build.Default
	host.GOOS, host.GOARCH = runtime.GOOS, runtime.GOARCH
	host.BuildTags = []string{"lambda.norpc"}
	out := []build.Context{host}
	for _, arch := range []string{"arm64", "amd64"} {
		c := build.Default
		c.GOOS, c.GOARCH, c.CgoEnabled = "linux", arch, false
		c.BuildTags = []string{"lambda.norpc"}
		out = append(out, c)
	}
	return out
}

// goEnv is the go command's setting name: from the environment, or else
// from its go env -w file.
func goEnv(name string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	file := os.Getenv("GOENV")
	if file == "" {
		d, err := os.UserConfigDir()
		if err != nil {
			return ""
		}
		file = filepath.Join(d, "go", "env")
	}
	if file == "off" {
		return ""
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+"="); ok {
			return v
		}
	}
	return ""
}

// inModule reports whether dir is inside a module: a go.mod in dir or one
// of its parents.
func inModule(dir string) bool {
	d, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for {
		if fi, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && !fi.IsDir() {
			return true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return false
		}
		d = parent
	}
}

// checkWithGoList is CheckApp's check with go list, for the cases go/build
// cannot decide.
func checkWithGoList(ctx context.Context, appDir string) error {
	dir := displayDir(appDir)
	stdout, stderr, err := goCmd(ctx, appDir, nil, "list", "-f", "{{.Name}} {{len .GoFiles}} {{len .CgoFiles}}", ".")
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		msg := string(stderr)
		if strings.Contains(msg, "no Go files in") || strings.Contains(msg, "no non-test Go files in") {
			return fmt.Errorf("%s is not a main package: it has no .go files", dir)
		}
		return withOutput(fmt.Errorf("inspecting %s with go list: %w", dir, err), stderr)
	}
	var name string
	var goFiles, cgoFiles int
	if _, err := fmt.Sscan(string(stdout), &name, &goFiles, &cgoFiles); err != nil {
		return fmt.Errorf("inspecting %s with go list: unexpected output %q", dir, stdout)
	}
	if goFiles+cgoFiles == 0 {
		// Only _test.go files: go list names the package, go build fails.
		return fmt.Errorf("%s is not a main package: it has no .go files other than tests", dir)
	}
	if name != "main" {
		return fmt.Errorf("%s is package %s, not a main package: an app is a package main whose main function calls app.Run()", dir, name)
	}
	return nil
}
