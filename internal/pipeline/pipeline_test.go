package pipeline

import (
	"archive/zip"
	"bytes"
	"context"
	"debug/elf"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// tree lists the files and directories under dir, relative, sorted; nil if
// dir does not exist.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			paths = append(paths, filepath.ToSlash(rel))
		}
		return nil
	})
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// bootstrapMachine opens the zip, checks it holds only bootstrap, and returns
// the ELF machine of the bootstrap.
func bootstrapMachine(t *testing.T, zipPath string) elf.Machine {
	t.Helper()
	r, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if len(r.File) != 1 || r.File[0].Name != "bootstrap" || r.File[0].Mode() != 0o755 {
		t.Fatalf("zip entries: %v, want one bootstrap with mode 0755", r.File)
	}
	rc, err := r.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.NewFile(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return f.Machine
}

func TestRun(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		template string
		machine  elf.Machine
	}{
		{"defaults", Options{}, "template.yaml", elf.EM_AARCH64},
		{"x86_64 json", Options{Arch: "x86_64", TemplateFormat: "json"}, "template.json", elf.EM_X86_64},
		{"explicit", Options{Stage: "dev", Arch: "arm64", TemplateFormat: "yaml"}, "template.yaml", elf.EM_AARCH64},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			o := tc.opts
			o.AppDir = "testdata/fakeapp"
			o.OutDir = out
			res, err := Run(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := tree(t, out), []string{"dev", "dev/deployment.zip", "dev/" + tc.template}; !slices.Equal(got, want) {
				t.Errorf("out holds %v, want %v", got, want)
			}
			wantArch := map[elf.Machine]string{elf.EM_AARCH64: "arm64", elf.EM_X86_64: "x86_64"}[tc.machine]
			if res.Manifest.App != "fake" || res.Stage.Name != "dev" || res.Arch != wantArch {
				t.Errorf("result: app %q, stage %q, arch %q", res.Manifest.App, res.Stage.Name, res.Arch)
			}
			if res.Dir != filepath.Join(out, "dev") || res.TemplatePath != filepath.Join(out, "dev", tc.template) || res.ZipPath != filepath.Join(out, "dev", "deployment.zip") {
				t.Errorf("result paths: %q %q %q", res.Dir, res.TemplatePath, res.ZipPath)
			}
			fi, err := os.Stat(res.ZipPath)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Size() != res.ZipSize {
				t.Errorf("ZipSize %d, file is %d bytes", res.ZipSize, fi.Size())
			}
			if m := bootstrapMachine(t, res.ZipPath); m != tc.machine {
				t.Errorf("bootstrap is for %v, want %v", m, tc.machine)
			}
			if di, err := os.Stat(res.Dir); err != nil || di.Mode().Perm() != 0o755 {
				t.Errorf("stage dir: %v, %v; want mode 0755", di.Mode(), err)
			}
			tmpl := readFile(t, res.TemplatePath)
			if tc.opts.TemplateFormat == "json" && !json.Valid(tmpl) {
				t.Error("template.json is not valid JSON")
			}
			for _, want := range []string{"add_numbers", "api_handler", "provided.al2023", wantArch, "./deployment.zip"} {
				if !bytes.Contains(tmpl, []byte(want)) {
					t.Errorf("template does not mention %q", want)
				}
			}
		})
	}
}

// Building replaces OUT/<stage> as a whole and leaves other stages alone.
func TestRunReplacesStageDir(t *testing.T) {
	out := t.TempDir()
	for _, f := range []string{"dev/template.json", "dev/packaged.yaml", "prod/template.yaml"} {
		p := filepath.Join(out, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("old"), 0o644)
	}
	if _, err := Run(context.Background(), Options{AppDir: "testdata/fakeapp", OutDir: out}); err != nil {
		t.Fatal(err)
	}
	want := []string{"dev", "dev/deployment.zip", "dev/template.yaml", "prod", "prod/template.yaml"}
	if got := tree(t, out); !slices.Equal(got, want) {
		t.Errorf("out holds %v, want %v", got, want)
	}
}

// The build never deletes what it did not create: a file where the stage
// directory goes, or a stage directory holding other files, is an error
// raised before anything is compiled, and out is left as it was.
func TestRunKeepsWhatItDidNotCreate(t *testing.T) {
	tests := []struct {
		name  string
		files []string // under out; a trailing / makes a directory
		want  string
	}{
		{"a file where the stage goes", []string{"dev"}, "dev is a file, not a stage directory the build made: move it or choose another --out"},
		{"a foreign file in the stage", []string{"dev/template.yaml", "dev/notes.txt"}, "dev holds notes.txt, which chalice-package build did not create"},
		{"a directory in the stage", []string{"dev/src/"}, "dev holds src, which chalice-package build did not create"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			for _, f := range tc.files {
				p := filepath.Join(out, f)
				if strings.HasSuffix(f, "/") {
					os.MkdirAll(p, 0o755)
					continue
				}
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte("mine"), 0o644)
			}
			before := tree(t, out)
			_, err := Run(context.Background(), Options{AppDir: "testdata/fakeapp", OutDir: out})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if got := tree(t, out); !slices.Equal(got, before) {
				t.Errorf("out holds %v, had %v", got, before)
			}
		})
	}
}

// A killed build's temporary directories are removed by the next build;
// those of a running process are not.
func TestRunCleansKilledBuilds(t *testing.T) {
	out := t.TempDir()
	// A PID above the kernel's pid_max belongs to no process.
	dead := filepath.Join(out, tmpPrefix+"99999999-build-123")
	alive := filepath.Join(out, tmpPrefix+strconv.Itoa(os.Getppid())+"-stage-456")
	for _, d := range []string{dead, alive} {
		if err := os.MkdirAll(filepath.Join(d, "x86_64"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Run(context.Background(), Options{AppDir: "testdata/fakeapp", OutDir: out}); err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Base(alive), filepath.Base(alive) + "/x86_64", "dev", "dev/deployment.zip", "dev/template.yaml"}
	if got := tree(t, out); !slices.Equal(got, want) {
		t.Errorf("out holds %v, want %v", got, want)
	}
}

func TestRunDeterministic(t *testing.T) {
	for _, format := range []string{"yaml", "json"} {
		t.Run(format, func(t *testing.T) {
			a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
			for _, out := range []string{a, b} {
				if _, err := Run(context.Background(), Options{AppDir: "testdata/fakeapp", OutDir: out, TemplateFormat: format}); err != nil {
					t.Fatal(err)
				}
			}
			for _, f := range []string{"dev/deployment.zip", "dev/template." + format} {
				if !bytes.Equal(readFile(t, filepath.Join(a, f)), readFile(t, filepath.Join(b, f))) {
					t.Errorf("two builds give different %s", f)
				}
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want []string // substrings of the error, in order
	}{
		{"bad arch", Options{Arch: "i386"},
			[]string{`unknown architecture "i386" (want one of: arm64, x86_64)`}},
		{"bad format", Options{TemplateFormat: "toml"},
			[]string{`unknown template format "toml" (want one of: yaml, json)`}},
		{"bad stage", Options{Stage: "prod"},
			[]string{`unknown stage "prod"`}},
		{"stage with a slash", Options{Stage: "../dev"},
			[]string{`invalid stage name "../dev"`}},
		{"not main", Options{AppDir: "testdata/notmain"},
			[]string{"testdata/notmain is package notmain, not a main package"}},
		{"missing app dir", Options{AppDir: "testdata/nosuchapp"},
			[]string{"app directory testdata/nosuchapp does not exist"}},
		{"no functions", Options{AppDir: "testdata/nofunctions"},
			[]string{`app "empty" registers no routes or functions: nothing to deploy`}},
		{"bootstrap compile error", Options{AppDir: "testdata/linuxbreaks"},
			[]string{"building testdata/linuxbreaks for linux/arm64: exit status 1\n", "undefined: undefinedInTheBootstrapBuild"}},
	}
	// linuxbreaks breaks only without cgo: the bootstrap build turns it off.
	t.Setenv("CGO_ENABLED", "1")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.opts.AppDir == "" {
				tc.opts.AppDir = "testdata/fakeapp"
			}
			stage := tc.opts.Stage
			if stage == "" {
				stage = "dev"
			}

			// Without an OUT directory: nothing is left behind, not even OUT.
			tc.opts.OutDir = filepath.Join(t.TempDir(), "out")
			_, err := Run(context.Background(), tc.opts)
			checkErr(t, err, tc.want)
			if got := tree(t, tc.opts.OutDir); got != nil {
				t.Errorf("a failed build left %v in a new OUT", got)
			}

			// With an earlier build in OUT: it is kept as it was.
			tc.opts.OutDir = t.TempDir()
			keep := filepath.Join(tc.opts.OutDir, "dev", "template.yaml")
			os.MkdirAll(filepath.Dir(keep), 0o755)
			os.WriteFile(keep, []byte("earlier build"), 0o644)
			_, err = Run(context.Background(), tc.opts)
			checkErr(t, err, tc.want)
			if got := tree(t, tc.opts.OutDir); !slices.Equal(got, []string{"dev", "dev/template.yaml"}) {
				t.Errorf("after a failed build OUT holds %v, want the earlier dev/template.yaml only", got)
			}
			if got := string(readFile(t, keep)); got != "earlier build" {
				t.Errorf("earlier template became %q", got)
			}
		})
	}
}

func checkErr(t *testing.T, err error, want []string) {
	t.Helper()
	if err == nil {
		t.Fatal("Run succeeded")
	}
	rest := err.Error()
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("error does not contain %q (in order):\n%v", w, err)
		}
		rest = rest[i+len(w):]
	}
}

// A canceled build leaves nothing behind.
func TestRunCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Run(ctx, Options{AppDir: "testdata/fakeapp", OutDir: out}); err != context.Canceled {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if got := tree(t, out); got != nil {
		t.Errorf("a canceled build left %v", got)
	}
}

// A template over CloudFormation's size limit is written with the REST
// API's definition in api-definition.yaml beside it, which the summary
// names. The limit is lowered here to one byte under the fixture app's
// inline template.
func TestRunIncludesALargeAPIDefinition(t *testing.T) {
	inline, err := Run(context.Background(), Options{AppDir: "testdata/fakeapp", OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	old := maxTemplateBytes
	maxTemplateBytes = len(readFile(t, inline.TemplatePath)) - 1
	t.Cleanup(func() { maxTemplateBytes = old })
	out := t.TempDir()
	res, err := Run(context.Background(), Options{AppDir: "testdata/fakeapp", OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"dev", "dev/api-definition.yaml", "dev/deployment.zip", "dev/template.yaml"}
	if got := tree(t, out); !slices.Equal(got, want) {
		t.Errorf("out holds %v, want %v", got, want)
	}
	tmpl := string(readFile(t, res.TemplatePath))
	if !strings.Contains(tmpl, "Location: ./api-definition.yaml") || strings.Contains(tmpl, "x-amazon-apigateway-integration") {
		t.Errorf("the template does not include the definition:\n%s", tmpl)
	}
	if def := string(readFile(t, filepath.Join(out, "dev", "api-definition.yaml"))); !strings.Contains(def, "swagger: \"2.0\"") {
		t.Errorf("api-definition.yaml is not the Swagger definition:\n%s", def)
	}
	var b strings.Builder
	if err := res.WriteSummary(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "API definition:") || !strings.Contains(b.String(), "dev/api-definition.yaml") {
		t.Errorf("the summary does not name api-definition.yaml:\n%s", b.String())
	}
}
