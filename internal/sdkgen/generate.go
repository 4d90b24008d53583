package sdkgen

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/atomicfile"
	"github.com/gochalice/gochalice/internal/build"
)

// Options are the inputs of `chalice-package generate-sdk`.
type Options struct {
	// AppDir is the app's main package directory ("" means ".").
	AppDir string
	// Lang is "ts" or "go".
	Lang string
	// OutDir is the directory the client is written to ("" means ./sdk).
	OutDir string
	// Package is the Go client's package name ("" means the app name's
	// letters and digits, lower-case, plus "client").
	Package string
}

// FileName returns the name of the file a language's client is written to.
func FileName(lang string) string {
	if lang == "go" {
		return "client.go"
	}
	return "client.ts"
}

// Generate builds the app for the host, reads its manifest and writes the
// client into o.OutDir (atomically: the old file or the new, never half of
// one). It returns the path written.
func Generate(ctx context.Context, o Options) (string, error) {
	if !slices.Contains(Languages, o.Lang) {
		return "", fmt.Errorf("unknown language %q (want one of: %s)", o.Lang, strings.Join(Languages, ", "))
	}
	if o.Lang == "go" && o.Package != "" && !isPackageName(o.Package) {
		return "", fmt.Errorf("package name %q is not a Go identifier", o.Package)
	}
	if o.AppDir == "" {
		o.AppDir = "."
	}
	if o.OutDir == "" {
		o.OutDir = "sdk"
	}
	m, err := build.Manifest(ctx, o.AppDir)
	if err != nil {
		return "", err
	}
	src, err := Source(m, o.Lang, o.Package)
	if err != nil {
		return "", err
	}
	path := filepath.Join(o.OutDir, FileName(o.Lang))
	return path, atomicfile.Write(path, src)
}

// Source returns the client of the app in lang; pkg is the Go package name
// ("" for the default).
func Source(m *manifest.Manifest, lang, pkg string) ([]byte, error) {
	switch lang {
	case "ts":
		return TypeScript(m)
	case "go":
		if pkg == "" {
			pkg = DefaultPackage(m.App)
		}
		return Go(m, pkg)
	}
	return nil, fmt.Errorf("unknown language %q (want one of: %s)", lang, strings.Join(Languages, ", "))
}

// DefaultPackage is the Go client's default package name for an app:
// todo → todoclient.
func DefaultPackage(app string) string {
	var b strings.Builder
	for _, w := range words(app) {
		b.WriteString(strings.ToLower(w))
	}
	s := b.String() + "client"
	if !isIdent(s) {
		s = "apiclient"
	}
	return s
}
