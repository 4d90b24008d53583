package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/gochalice/gochalice/framework/manifest"
)

// ManifestTimeout bounds how long the host binary may run in manifest mode.
var ManifestTimeout = 30 * time.Second

// exitRegistration is the status an app exits with on registration errors.
const exitRegistration = 2

// Manifest builds the app in appDir for the host, runs it in manifest mode and
// returns the manifest it prints. The host binary is kept in the build cache
// (see EnvCacheDir), so that the next build relinks it only if an input changed.
func Manifest(ctx context.Context, appDir string) (*manifest.Manifest, error) {
	if err := CheckApp(ctx, appDir); err != nil {
		return nil, err
	}
	return HostManifest(ctx, appDir)
}

// HostManifest is Manifest for an appDir that CheckApp accepted.
func HostManifest(ctx context.Context, appDir string) (*manifest.Manifest, error) {
	dir, release, err := cacheEntry(appDir, "host")
	if err != nil {
		return nil, err
	}
	defer release()
	return wholeManifest(ctx, appDir, dir)
}

// RegistrationManifest is HostManifest from a registration-only host binary:
// the app's main package with the bodies of the functions its registrations
// do not call left out (see internal/skeleton). An edit inside a handler
// leaves that copy unchanged, so the go command compiles and links nothing.
// It does not check that the left-out bodies compile: the caller must
// compile the whole app too, as the pipeline's bootstrap build does. When
// the copy cannot be made or built, or a left-out body is called while the
// app registers, it builds the whole app for the host instead, and keeps
// that body in the copy from then on. ignore names directories the build
// writes in (its output): files there are not inputs of the app.
func RegistrationManifest(ctx context.Context, appDir string, ignore ...string) (*manifest.Manifest, error) {
	dir, release, err := cacheEntry(appDir, "host")
	if err != nil {
		return nil, err
	}
	defer release()
	if m, ok := skeletonManifest(ctx, appDir, dir, ignore); ok {
		return m, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return wholeManifest(ctx, appDir, dir)
}

// wholeManifest builds the whole app for the host into the cache entry dir
// and runs it in manifest mode.
func wholeManifest(ctx context.Context, appDir, dir string) (*manifest.Manifest, error) {
	bin := filepath.Join(dir, "app-host"+exeSuffix())
	if err := hostBuild(ctx, appDir, bin, nil); err != nil {
		return nil, err
	}
	return runManifest(ctx, appDir, bin)
}

// exeSuffix is the host's executable file suffix.
func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

// Host compiles the app in appDir for the machine the packager runs on into
// out (an absolute path), with the given build tags: the binary
// `chalice-package local` and `invoke` run. A compile error is returned with
// the compiler's output.
func Host(ctx context.Context, appDir, out string, tags ...string) error {
	if err := CheckApp(ctx, appDir); err != nil {
		return err
	}
	return hostBuild(ctx, appDir, out, nil, tags...)
}

// hostBuild compiles the app for the machine the packager runs on, with
// extra go build flags.
func hostBuild(ctx context.Context, appDir, out string, flags []string, tags ...string) error {
	// An empty GOOS/GOARCH means the host: a GOOS=linux left in the user's
	// environment must not make the manifest binary unrunnable.
	env := []string{"GOOS=", "GOARCH="}
	// No symbol table, DWARF or net/rpc (aws-lambda-go's lambda.norpc, as
	// the bootstrap): the binary only prints the manifest, or serves
	// locally, and it links about a quarter faster without them.
	args := append([]string{"build", "-buildvcs=false", "-ldflags=-s -w", "-tags", strings.Join(append([]string{"lambda.norpc"}, tags...), ",")}, flags...)
	args = append(args, "-o", out, ".")
	_, stderr, err := goCmd(ctx, appDir, env, args...)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return withOutput(fmt.Errorf("building %s for the host: %w", displayDir(appDir), err), stderr)
	}
	return nil
}

// runManifest runs the host binary in manifest mode with a clean environment
// and parses the last JSON object line it prints.
func runManifest(ctx context.Context, appDir, bin string) (*manifest.Manifest, error) {
	m, _, err := execManifest(ctx, appDir, bin)
	return m, err
}

// execManifest is runManifest that also returns what the app printed on
// stderr.
func execManifest(ctx context.Context, appDir, bin string) (*manifest.Manifest, []byte, error) {
	dir := displayDir(appDir)
	ctx, cancel := context.WithTimeout(ctx, ManifestTimeout)
	defer cancel()

	cmd := exec.CommandContext(ctx, bin)
	inOwnGroup(cmd)
	cmd.Dir = appDir
	cmd.Env = manifestEnv()
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return nil, stderr.Bytes(), fmt.Errorf("app in %s did not print its manifest within %s: does its init code or main block before app.Run()?", dir, ManifestTimeout)
	}
	if ctx.Err() != nil {
		return nil, stderr.Bytes(), ctx.Err()
	}
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == exitRegistration && registrationErrors(stderr.Bytes()) {
			return nil, stderr.Bytes(), withOutput(fmt.Errorf("app in %s has registration errors:", dir), stderr.Bytes())
		}
		return nil, stderr.Bytes(), withOutput(fmt.Errorf("running app in %s in manifest mode: %w", dir, err), stderr.Bytes())
	}
	line := lastJSONLine(stdout.Bytes())
	if line == nil {
		return nil, stderr.Bytes(), fmt.Errorf("app in %s never called app.Run(): it exited without printing a manifest (main must end with app.Run())", dir)
	}
	m, err := manifest.Parse(line)
	if err != nil {
		return nil, stderr.Bytes(), fmt.Errorf("reading the manifest of app in %s: %w", dir, err)
	}
	return m, stderr.Bytes(), nil
}

// registrationErrors reports whether stderr holds the framework's
// registration errors, each line prefixed "gochalice: ". A Go panic or fatal
// error also exits with status 2 but starts with "panic: " or "fatal error: ".
func registrationErrors(stderr []byte) bool {
	return bytes.HasPrefix(stderr, []byte("gochalice: "))
}

// manifestEnv is the environment of the manifest run: PATH, HOME and the mode.
func manifestEnv() []string {
	env := []string{manifest.EnvMode + "=" + manifest.ModeManifest}
	for _, k := range []string{"PATH", "HOME"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// lastJSONLine returns the last line of out that starts with '{', so output
// the app's own init code prints before the manifest is skipped.
func lastJSONLine(out []byte) []byte {
	lines := strings.Split(string(out), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimRight(lines[i], "\r")
		if strings.HasPrefix(l, "{") {
			return []byte(l)
		}
	}
	return nil
}
