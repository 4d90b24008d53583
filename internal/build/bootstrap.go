package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
