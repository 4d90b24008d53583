package openapi

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gochalice/gochalice/internal/build"
	"github.com/gochalice/gochalice/stages"
)

// Options are the inputs of `chalice-package openapi`.
type Options struct {
	// AppDir is the app's main package directory ("" means ".").
	AppDir string
	// Stage is the stage whose URL the servers list ("" means dev).
	Stage string
	// Format is "yaml" ("" means yaml) or "json".
	Format string
}

// Generate builds the app in o.AppDir for the host, reads its manifest and
// the stage's config, and returns the encoded OpenAPI document.
func Generate(ctx context.Context, o Options) ([]byte, error) {
	if o.AppDir == "" {
		o.AppDir = "."
	}
	if o.Stage == "" {
		o.Stage = stages.DefaultStage
	}
	if o.Format == "" {
		o.Format = "yaml"
	}
	if !slices.Contains(Formats, o.Format) {
		return nil, fmt.Errorf("unknown format %q (want one of: %s)", o.Format, strings.Join(Formats, ", "))
	}
	cfg, err := stages.Load(o.AppDir)
	if err != nil {
		return nil, err
	}
	st, err := cfg.Stage(o.Stage, stages.Overrides{})
	if err != nil {
		return nil, err
	}
	m, err := build.Manifest(ctx, o.AppDir)
	if err != nil {
		return nil, err
	}
	doc, err := Document(m, st)
	if err != nil {
		return nil, err
	}
	return Encode(doc, o.Format)
}
