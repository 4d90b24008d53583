package build

import (
	"context"
	"fmt"
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
	ga, err := GOARCH(arch)
	if err != nil {
		return err
	}
	if err := checkMainPackage(ctx, appDir); err != nil {
		return err
	}
	out, err := filepath.Abs(outPath)
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
