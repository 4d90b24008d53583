// Package pipeline is `chalice-package build` as a function: app directory in,
// OUT/<stage>/template.{yaml,json} and OUT/<stage>/deployment.zip out. The CLI
// is a thin wrapper around Run; golden and end-to-end tests call Run directly.
package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/gochalice/gochalice/cfn"
	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/build"
	"github.com/gochalice/gochalice/internal/iamgen"
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

// ParametersName is the name of the parameter values file in OUT/<stage>.
const ParametersName = "parameters.json"

// Options are the inputs of one build. Zero fields take their defaults.
type Options struct {
	// AppDir is the app's main package directory (default ".").
	AppDir string
	// Stage is the stage to build (default "dev").
	Stage string
	// OutDir is the output directory; the build writes OutDir/<Stage> (default "out").
	OutDir string
	// Arch overrides the stage's architecture: arm64 or x86_64, also spelt
	// aarch64 and amd64 ("" keeps it).
	Arch string
	// TemplateFormat is "yaml" (default) or "json".
	TemplateFormat string
	// AllStages builds every stage of the config (Stage is then ignored).
	AllStages bool
	// MergeTemplate is a JSON or YAML file deep-merged into every stage's
	// template ("" for none).
	MergeTemplate string
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
	// Replacements describe the resources holding data that this template
	// would replace, compared with the previous build's template.
	Replacements []string
	// Access is what the IAM analysis found in the app's code.
	Access *cfn.Access
	// AnalysisCached says the analysis result came from the cache (no Go
	// file changed since the last build).
	AnalysisCached bool
	// ParametersPath is Dir/parameters.json, the stage's parameter values
	// for `aws cloudformation deploy --parameter-overrides file://...`;
	// "" when the stage has no parameter with a value.
	ParametersPath string
	// Warnings are problems that do not stop the build, one sentence each.
	Warnings []string
	// APIDefinitionPath is Dir/api-definition.yaml when the template was
	// too large to hold the REST API's definition inline ("" otherwise).
	APIDefinitionPath string
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
	o.Arch = stages.NormalizeArch(o.Arch)
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
	if !o.AllStages && (o.Stage == "." || o.Stage == ".." || strings.ContainsAny(o.Stage, `/\`) || filepath.Base(o.Stage) != o.Stage) {
		return fmt.Errorf("invalid stage name %q: it names a directory under the output directory", o.Stage)
	}
	return nil
}

// Run builds the app: it checks the options, resolves the stage, reads the
// manifest from a host build (or from the bootstrap, when it runs on this
// machine), builds the template, builds and zips the Linux
// bootstrap, and replaces OutDir/<stage> with the new template and zip (and
// parameters.json when the stage has parameters). On failure OutDir/<stage>
// is left as it was. With Options.AllStages, Run builds every stage and
// returns the first one's result; RunAll returns them all.
func Run(ctx context.Context, o Options) (*Result, error) {
	res, err := RunAll(ctx, o)
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// RunAll is Run for one or, with Options.AllStages, every stage of the
// config, in stage-name order. The bootstrap is built and zipped once per
// architecture, concurrently with the host build and the templates, and the
// same zip is copied into each stage's directory; a failure of the app check,
// the manifest or a template stops the Linux builds and is reported first. Stage directories are
// replaced only once everything has been built, one by one, each atomically.
func RunAll(ctx context.Context, o Options) (_ []*Result, err error) {
	o = o.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	cfg, err := stages.Load(o.AppDir)
	if err != nil {
		return nil, err
	}
	names := []string{o.Stage}
	if o.AllStages {
		names = cfg.Names()
	}
	sts := make([]stages.Stage, len(names))
	for i, name := range names {
		if sts[i], err = cfg.Stage(name, stages.Overrides{Architecture: o.Arch}); err != nil {
			return nil, err
		}
	}
	var merge map[string]any
	if o.MergeTemplate != "" {
		if merge, err = cfn.ReadMergeTemplate(o.MergeTemplate); err != nil {
			return nil, err
		}
	}
	// The Linux bootstraps build while the host binary builds and prints
	// the manifest: every function shares its stage's architecture (see
	// bootstrapArch), so they are known before the manifest is. Both start
	// at once with the check of the app directory, whose error wins. When a
	// bootstrap runs on this machine (Linux, same GOARCH), it prints the
	// manifest itself and no host binary is linked.
	// Refuse to replace what the build did not make, before compiling.
	for _, st := range sts {
		if err := checkStageDir(o.OutDir, st.Name); err != nil {
			return nil, err
		}
	}
	// Build beside the output: a killed build's leftovers are removed by
	// the next one.
	createdOut, err := prepareOut(o.OutDir)
	if err != nil {
		return nil, err
	}
	defer func() {
		if createdOut && err != nil {
			os.Remove(o.OutDir) // only if empty
		}
	}()
	tmp, err := mkTemp(o.OutDir, "build")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	ctx, cancel := context.WithCancel(ctx)
	zips := startBootstraps(ctx, o.AppDir, tmp, sts)
	// On failure, stop the Linux builds; in any case wait for them before
	// tmp is removed.
	defer func() { cancel(); zips.wait() }()
	// The IAM analysis's loading of the program needs no manifest either:
	// after an edit it runs next to the two builds.
	prefetch := iamgen.StartPrefetch(ctx, o.AppDir)
	defer prefetch.Stop()
	host := zips.manifest
	if host == nil {
		host = make(chan manifestResult, 1)
		go func() {
			m, err := build.RegistrationManifest(ctx, o.AppDir, o.OutDir)
			host <- manifestResult{m, err}
		}()
	}
	if err := build.CheckApp(ctx, o.AppDir); err != nil {
		cancel()
		<-host
		return nil, err
	}
	hr := <-host
	if hr.err != nil {
		return nil, hr.err
	}
	m := hr.m
	if len(m.Functions) == 0 {
		return nil, fmt.Errorf("app %q registers no routes or functions: nothing to deploy", m.App)
	}
	if err := CheckFunctions(cfg, m); err != nil {
		return nil, err
	}
	warnings := Warnings(cfg, m)
	acc, cached, err := analyze(ctx, o.AppDir, m, prefetch)
	if err != nil {
		return nil, err
	}

	// Every template, before waiting for the (slow) Linux builds, so a
	// config or writer error fails fast.
	results := make([]*Result, len(sts))
	files := make([]map[string][]byte, len(sts))
	for i, st := range sts {
		arch, err := bootstrapArch(m, st)
		if err != nil {
			return nil, fmt.Errorf("stage %s: %w", st.Name, err)
		}
		tfiles, err := TemplateFiles(m, st, merge, o.TemplateFormat, acc)
		if err != nil {
			return nil, fmt.Errorf("stage %s: %w", st.Name, err)
		}
		res := &Result{Manifest: m, Stage: st, Arch: arch, Dir: filepath.Join(o.OutDir, st.Name), Warnings: warnings, Access: acc, AnalysisCached: cached}
		res.TemplatePath = filepath.Join(res.Dir, templateName(o.TemplateFormat))
		res.ZipPath = filepath.Join(res.Dir, ZipName)
		files[i] = map[string][]byte{}
		for _, f := range tfiles {
			files[i][f.Name] = f.Data
			if f.Name == cfn.APIDefinitionName {
				res.APIDefinitionPath = filepath.Join(res.Dir, f.Name)
			}
		}
		res.Replacements = replacements(res.TemplatePath, files[i][templateName(o.TemplateFormat)])
		if ov := st.ParameterOverrides(); len(ov) > 0 {
			data, err := json.MarshalIndent(ov, "", "  ")
			if err != nil {
				return nil, err
			}
			files[i][ParametersName] = append(data, '\n')
			res.ParametersPath = filepath.Join(res.Dir, ParametersName)
		}
		results[i] = res
	}
	if err := zips.wait(); err != nil {
		return nil, err
	}

	for i, res := range results {
		err := writeStageDir(o.OutDir, res.Stage.Name, func(dir string) error {
			size, err := copyFile(zips.zips[res.Arch], filepath.Join(dir, ZipName))
			if err != nil {
				return err
			}
			res.ZipSize = size
			for name, data := range files[i] {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return results, nil
}

// manifestResult is the manifest of the app, or why there is none.
type manifestResult struct {
	m   *manifest.Manifest
	err error
}

// bootstraps are the Linux builds of one pipeline run, one per architecture.
type bootstraps struct {
	wg   sync.WaitGroup
	zips map[string]string // by architecture: the zip in the run's temp dir
	errs []error           // in stage order
	// manifest receives the manifest the bootstrap printed when one of the
	// architectures runs on this machine (build.RunsHere); nil otherwise,
	// and the host build prints it.
	manifest chan manifestResult
}

// startBootstraps builds and zips the bootstrap of every architecture of sts
// in the background. When a bootstrap runs on this machine, its build also
// reads the manifest from it, so that the host binary need not be linked.
func startBootstraps(ctx context.Context, appDir, tmp string, sts []stages.Stage) *bootstraps {
	b := &bootstraps{zips: map[string]string{}}
	var archs []string
	for _, st := range sts {
		arch := st.Defaults.Architecture
		if arch == "" {
			arch = stages.DefaultArchitecture
		}
		if _, ok := b.zips[arch]; !ok {
			b.zips[arch] = filepath.Join(tmp, arch+"-"+ZipName)
			archs = append(archs, arch)
		}
	}
	b.errs = make([]error, len(archs))
	for i, arch := range archs {
		if b.manifest == nil && build.RunsHere(arch) {
			b.manifest = make(chan manifestResult, 1)
			b.wg.Go(func() {
				var m *manifest.Manifest
				m, _, b.errs[i] = build.BootstrapZipManifest(ctx, appDir, arch, b.zips[arch])
				b.manifest <- manifestResult{m, b.errs[i]}
			})
			continue
		}
		b.wg.Go(func() {
			_, b.errs[i] = build.BootstrapZip(ctx, appDir, arch, b.zips[arch])
		})
	}
	return b
}

// wait waits for every build and returns the first error.
func (b *bootstraps) wait() error {
	b.wg.Wait()
	for _, err := range b.errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// copyFile copies src to dst and returns the number of bytes copied.
func copyFile(src, dst string) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// Warnings lists what deserves the user's attention without stopping the
// build: a config app_name other than the app's own name.
func Warnings(cfg *stages.Config, m *manifest.Manifest) []string {
	var w []string
	if name, where := cfg.AppName(); where != "" && name != m.App {
		w = append(w, fmt.Sprintf("%s: %q differs from the name the app gives framework.New, %q; the template and stack use %q", where, name, m.App, m.App))
	}
	return w
}

// CheckFunctions reports the config's lambda_functions entries that name no
// function of the app.
func CheckFunctions(cfg *stages.Config, m *manifest.Manifest) error {
	names := make([]string, len(m.Functions))
	for i, f := range m.Functions {
		names[i] = f.Name
	}
	return cfg.CheckFunctions(names)
}

// Template returns one stage's template as chalice-package build writes it:
// built from the manifest and the stage, merged with merge (nil for none) and
// marshalled in format. The REST API's definition is always inline here;
// TemplateFiles moves it to its own file when the template is too large.
func Template(m *manifest.Manifest, st stages.Stage, merge map[string]any, format string) ([]byte, error) {
	return TemplateWithAccess(m, st, merge, format, nil)
}

// TemplateWithAccess is Template with the IAM analysis of the app's code
// (see cfn.BuildWithAccess).
func TemplateWithAccess(m *manifest.Manifest, st stages.Stage, merge map[string]any, format string, acc *cfn.Access) ([]byte, error) {
	t, err := buildTemplate(m, st, merge, acc)
	if err != nil {
		return nil, err
	}
	return cfn.Marshal(t, format)
}

// TemplateFiles returns the files of one stage's template as chalice-package
// build writes them: the template, checked against CloudFormation's limits,
// and, when it would exceed cfn.MaxTemplateBytes, the REST API's definition
// in its own file (cfn.APIDefinitionName).
func TemplateFiles(m *manifest.Manifest, st stages.Stage, merge map[string]any, format string, acc *cfn.Access) ([]cfn.File, error) {
	t, err := buildTemplate(m, st, merge, acc)
	if err != nil {
		return nil, err
	}
	return cfn.MarshalFiles(t, format, maxTemplateBytes)
}

// maxTemplateBytes is cfn.MarshalFiles' limit; tests lower it.
var maxTemplateBytes = cfn.MaxTemplateBytes

func buildTemplate(m *manifest.Manifest, st stages.Stage, merge map[string]any, acc *cfn.Access) (*cfn.Template, error) {
	t, err := cfn.BuildWithAccess(m, st, acc)
	if err != nil {
		return nil, err
	}
	if err := t.Merge(merge); err != nil {
		return nil, err
	}
	return t, nil
}

func templateName(format string) string { return "template." + format }

// Analyze runs the IAM analysis of the app in appDir (cached: see
// iamgen.AnalyzeCached) and reports whether the result came from the cache.
func Analyze(ctx context.Context, appDir string, m *manifest.Manifest) (*cfn.Access, bool, error) {
	return analyze(ctx, appDir, m, nil)
}

// analyze is Analyze with the program p may have loaded already.
func analyze(ctx context.Context, appDir string, m *manifest.Manifest, p *iamgen.Prefetch) (*cfn.Access, bool, error) {
	acc, cached, err := iamgen.AnalyzeCachedWith(ctx, appDir, m, p)
	if err != nil {
		return nil, false, fmt.Errorf("IAM analysis of %s: %w", appDir, err)
	}
	return acc, cached, nil
}

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
