package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/gochalice/gochalice/framework/manifest"
)

// goarch maps a Lambda architecture name to GOARCH.
var goarch = map[string]string{
	"arm64":  "arm64",
	"x86_64": "amd64",
}

// GOARCH returns the GOARCH for a Lambda architecture (arm64 or x86_64).
func GOARCH(arch string) (string, error) {
	g, ok := goarch[arch]
	if !ok {
		names := make([]string, 0, len(goarch))
		for k := range goarch {
			names = append(names, k)
		}
		slices.Sort(names)
		return "", fmt.Errorf("unknown architecture %q (want one of: %s)", arch, strings.Join(names, ", "))
	}
	return g, nil
}

// Bootstrap builds the app in appDir as a static Linux binary for the Lambda
// architecture arch (arm64 or x86_64) and writes it to outPath. The flags make
// the binary reproducible: the same source gives the same bytes.
func Bootstrap(ctx context.Context, appDir, arch, outPath string) error {
	if _, err := GOARCH(arch); err != nil {
		return err
	}
	if err := CheckApp(ctx, appDir); err != nil {
		return err
	}
	dir, release, err := cacheEntry(appDir, "bootstrap-"+arch)
	if err != nil {
		return err
	}
	defer release()
	bin := filepath.Join(dir, ZipEntry)
	if err := linuxBuild(ctx, appDir, arch, bin); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(outPath), 0o755); err != nil {
		return err
	}
	_, err = copyFile(bin, outPath, 0o755)
	return err
}

// BootstrapZip builds the bootstrap as Bootstrap does, for an appDir that
// CheckApp accepted, and writes its deployment zip (see Zip) to zipPath. Both
// the bootstrap and its zip are kept in the build cache (see EnvCacheDir): after
// no change neither is rebuilt.
func BootstrapZip(ctx context.Context, appDir, arch, zipPath string) (int64, error) {
	return bootstrapZip(ctx, appDir, arch, zipPath, nil)
}

// RunsHere reports whether a bootstrap for the Lambda architecture arch runs
// on this machine: Linux on the same GOARCH. The manifest can then be read
// from the bootstrap itself (BootstrapZipManifest), without a host build.
func RunsHere(arch string) bool {
	return runtime.GOOS == "linux" && goarch[arch] == runtime.GOARCH
}

// BootstrapZipManifest is BootstrapZip for an arch that RunsHere accepts,
// which also runs the bootstrap in manifest mode, as Manifest runs the host
// binary, while it is zipped, and returns the manifest: one link instead of
// two. A failure to build the bootstrap or to read its manifest is returned
// before a failure to zip it.
func BootstrapZipManifest(ctx context.Context, appDir, arch, zipPath string) (*manifest.Manifest, int64, error) {
	if !RunsHere(arch) {
		return nil, 0, fmt.Errorf("a bootstrap for %s does not run on %s/%s", arch, runtime.GOOS, runtime.GOARCH)
	}
	var m *manifest.Manifest
	var merr error
	size, err := bootstrapZip(ctx, appDir, arch, zipPath, func(bin string) {
		m, merr = runManifest(ctx, appDir, bin)
	})
	switch {
	case merr != nil:
		return nil, 0, merr
	case err != nil:
		return nil, 0, err
	}
	return m, size, nil
}

// bootstrapZip is BootstrapZip that, when built is not nil, calls it with the
// bootstrap's path once it is linked, next to the zipping, and returns after
// it returned (the cache entry stays locked until then).
func bootstrapZip(ctx context.Context, appDir, arch, zipPath string, built func(bin string)) (int64, error) {
	if _, err := GOARCH(arch); err != nil {
		return 0, err
	}
	dir, release, err := cacheEntry(appDir, "bootstrap-"+arch)
	if err != nil {
		return 0, err
	}
	defer release()
	bin := filepath.Join(dir, ZipEntry)
	if err := linuxBuild(ctx, appDir, arch, bin); err != nil {
		return 0, err
	}
	if built != nil {
		var wg sync.WaitGroup
		wg.Go(func() { built(bin) })
		defer wg.Wait()
	}
	sum, err := fileSHA256(bin)
	if err != nil {
		return 0, err
	}
	cached, key := filepath.Join(dir, "deployment.zip"), filepath.Join(dir, "deployment.zip.sha256")
	if k, err := os.ReadFile(key); err != nil || string(k) != sum {
		os.Remove(key)
		if _, err := Zip(bin, cached); err != nil {
			return 0, err
		}
		if err := os.WriteFile(key, []byte(sum), 0o644); err != nil {
			return 0, err
		}
	}
	return copyFile(cached, zipPath, 0o644)
}

// linuxBuild runs go build for linux/arch into out.
func linuxBuild(ctx context.Context, appDir, arch, out string) error {
	ga, err := GOARCH(arch)
	if err != nil {
		return err
	}
	env := []string{"CGO_ENABLED=0", "GOOS=linux", "GOARCH=" + ga}
	_, stderr, err := goCmd(ctx, appDir, env,
		"build", "-trimpath", "-ldflags=-s -w", "-buildvcs=false", "-tags", "lambda.norpc", "-o", out, ".")
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return withOutput(fmt.Errorf("building %s for linux/%s: %w", displayDir(appDir), ga, err), stderr)
	}
	return nil
}
