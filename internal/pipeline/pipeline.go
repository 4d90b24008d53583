// Package pipeline is `chalice-package build` as a function: app directory in,
// OUT/<stage>/template.{yaml,json} and OUT/<stage>/deployment.zip out. The CLI
// is a thin wrapper around Run; golden and end-to-end tests call Run directly.
package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gochalice/gochalice/cfn"
	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/build"
	"github.com/gochalice/gochalice/stages"
)

// Defaults of Options.
const (
	DefaultAppDir         = "."
	DefaultOutDir         = "out"
	DefaultTemplateFormat = "yaml"
)

// TemplateFormats lists the accepted template formats.
var TemplateFormats = []string{"yaml", "json"}

// ZipName is the name of the deployment package in OUT/<stage>.
const ZipName = "deployment.zip"

// Options are the inputs of one build. Zero fields take their defaults.
type Options struct {
	// AppDir is the app's main package directory (default ".").
	AppDir string
	// Stage is the stage to build (default "dev").
	Stage string
	// OutDir is the output directory; the build writes OutDir/<Stage> (default "out").
	OutDir string
	// Arch overrides the stage's architecture: arm64 or x86_64 ("" keeps it).
	Arch string
	// TemplateFormat is "yaml" (default) or "json".
	TemplateFormat string
}

// Result describes a successful build.
type Result struct {
	// Manifest is what the app registered.
	Manifest *manifest.Manifest
	// Stage is the resolved stage the template was built for.
	Stage stages.Stage
	// Arch is the Lambda architecture of the bootstrap.
	Arch string
	// Dir is OutDir/<stage>.
	Dir string
	// TemplatePath is Dir/template.yaml or Dir/template.json.
	TemplatePath string
	// ZipPath is Dir/deployment.zip and ZipSize its size in bytes.
	ZipPath string
	ZipSize int64
}

func (o Options) withDefaults() Options {
	if o.AppDir == "" {
		o.AppDir = DefaultAppDir
	}
	if o.Stage == "" {
		o.Stage = stages.DefaultStage
	}
	if o.OutDir == "" {
		o.OutDir = DefaultOutDir
	}
	if o.TemplateFormat == "" {
		o.TemplateFormat = DefaultTemplateFormat
	}
	return o
}

// validate checks what can be checked before anything is compiled.
func (o Options) validate() error {
	if o.Arch != "" && !slices.Contains(stages.Architectures, o.Arch) {
		return fmt.Errorf("unknown architecture %q (want one of: %s)", o.Arch, strings.Join(stages.Architectures, ", "))
	}
	if !slices.Contains(TemplateFormats, o.TemplateFormat) {
		return fmt.Errorf("unknown template format %q (want one of: %s)", o.TemplateFormat, strings.Join(TemplateFormats, ", "))
	}
	if o.Stage == "." || o.Stage == ".." || strings.ContainsAny(o.Stage, `/\`) || filepath.Base(o.Stage) != o.Stage {
		return fmt.Errorf("invalid stage name %q: it names a directory under the output directory", o.Stage)
	}
	return nil
}

// Run builds the app: it checks the options, resolves the stage, reads the
// manifest from a host build, builds the template, builds and zips the Linux
// bootstrap, and replaces OutDir/<stage> with the new template and zip. On
// failure OutDir/<stage> is left as it was.
func Run(ctx context.Context, o Options) (*Result, error) {
	o = o.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	cfg, err := stages.Load(o.AppDir)
	if err != nil {
		return nil, err
	}
	st, err := cfg.Stage(o.Stage, stages.Overrides{Architecture: o.Arch})
	if err != nil {
		return nil, err
	}
	m, err := build.Manifest(ctx, o.AppDir)
	if err != nil {
		return nil, err
	}
	if len(m.Functions) == 0 {
		return nil, fmt.Errorf("app %q registers no routes or functions: nothing to deploy", m.App)
	}
	arch, err := bootstrapArch(m, st)
	if err != nil {
		return nil, err
	}
	t, err := cfn.Build(m, st)
	if err != nil {
		return nil, err
	}
	// Marshalled before the (slow) Linux build, so a writer error fails fast.
	tmpl, err := cfn.Marshal(t, o.TemplateFormat)
	if err != nil {
		return nil, err
	}

	res := &Result{Manifest: m, Stage: st, Arch: arch, Dir: filepath.Join(o.OutDir, o.Stage)}
	res.TemplatePath = filepath.Join(res.Dir, templateName(o.TemplateFormat))
	res.ZipPath = filepath.Join(res.Dir, ZipName)
	err = writeStageDir(o.OutDir, o.Stage, func(dir string) error {
		bootstrap := filepath.Join(dir, build.ZipEntry)
		if err := build.Bootstrap(ctx, o.AppDir, arch, bootstrap); err != nil {
			return err
		}
		size, err := build.Zip(bootstrap, filepath.Join(dir, ZipName))
		if err != nil {
			return err
		}
		res.ZipSize = size
		if err := os.Remove(bootstrap); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, templateName(o.TemplateFormat)), tmpl, 0o644)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func templateName(format string) string { return "template." + format }

// bootstrapArch is the architecture of the one bootstrap. Every function
// runs it, so every function must be configured for the same architecture.
func bootstrapArch(m *manifest.Manifest, st stages.Stage) (string, error) {
	arch := st.Defaults.Architecture
	if arch == "" {
		arch = stages.DefaultArchitecture
	}
	for _, f := range m.Functions {
		if a := st.For(f.Name).Architecture; a != "" && a != arch {
			return "", fmt.Errorf("function %q is configured for %s and the stage for %s: one bootstrap serves every function, so all must share one architecture", f.Name, a, arch)
		}
	}
	return arch, nil
}
