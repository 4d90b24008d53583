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
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
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
