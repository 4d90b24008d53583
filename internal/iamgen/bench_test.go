package iamgen

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/internal/build"
)

// benchApps are the apps whose analysis time the README reports: a sample
// without AWS SDK calls, the users sample (DynamoDB, SQS) and the analysis
// fixture (the DynamoDB, S3 and SQS clients and the S3 upload manager).
var benchApps = []struct{ name, dir string }{
	{"hello", "../../samples/hello"},
	{"users", "../../samples/users"},
	{"testapp_dynamodb_s3_sqs", "testapp"},
}

// BenchmarkAnalyze is a cold analysis (no cache of any kind, the program
// loaded with go list): what a build pays after a change to a dependency.
func BenchmarkAnalyze(b *testing.B) {
	noDepCache = true
	b.Cleanup(func() { noDepCache = false })
	for _, app := range benchApps {
		m, err := build.Manifest(context.Background(), app.dir)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(app.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Analyze(context.Background(), app.dir, m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAnalyzeCached is a warm build's cost: hashing the module's Go
// files and reading the cached result.
func BenchmarkAnalyzeCached(b *testing.B) {
	b.Setenv(EnvCacheDir, b.TempDir())
	for _, app := range benchApps {
		m, err := build.Manifest(context.Background(), app.dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := AnalyzeCached(context.Background(), app.dir, m); err != nil {
			b.Fatal(err)
		}
		b.Run(app.name, func(b *testing.B) {
			for b.Loop() {
				if _, hit, err := AnalyzeCached(context.Background(), app.dir, m); err != nil || !hit {
					b.Fatalf("hit %v, err %v", hit, err)
				}
			}
		})
	}
}

// editApps are the apps BenchmarkAnalyzeAfterEdit edits: bench/buildapp
// (what bench/buildtime.sh builds; no SDK calls), the users sample and the
// analysis fixture, each copied into a module of its own.
var editApps = []struct{ name, dir, importPath string }{
	{"buildapp", "../../bench/buildapp/app", ""},
	{"users", "../../samples/users", "github.com/gochalice/gochalice/samples/users"},
	{"testapp_dynamodb_s3_sqs", "testapp", "github.com/gochalice/gochalice/internal/iamgen/testapp"},
}

// BenchmarkAnalyzeAfterEdit is what a build pays for the analysis after a
// one-line edit of main.go: the cached result no longer applies, the
// program is loaded and analysed again.
func BenchmarkAnalyzeAfterEdit(b *testing.B) {
	b.Setenv(EnvCacheDir, b.TempDir())
	for _, app := range editApps {
		dir := copyApp(b, app.dir, app.importPath)
		main, err := os.ReadFile(filepath.Join(dir, "main.go"))
		if err != nil {
			b.Fatal(err)
		}
		m, err := build.Manifest(context.Background(), dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := AnalyzeCached(context.Background(), dir, m); err != nil {
			b.Fatal(err)
		}
		n := 0 // a new edit in every round of -count too
		b.Run(app.name, func(b *testing.B) {
			for b.Loop() {
				n++
				edited := append(slices.Clip(main), fmt.Sprintf("\nconst benchEdit = %d\n", n)...)
				if err := os.WriteFile(filepath.Join(dir, "main.go"), edited, 0o644); err != nil {
					b.Fatal(err)
				}
				if _, hit, err := AnalyzeCached(context.Background(), dir, m); err != nil || hit {
					b.Fatalf("hit %v, err %v", hit, err)
				}
			}
		})
	}
}

// copyApp copies the app in dir (its Go files, tests aside, and those of
// the packages below it) into a module of its own that requires gochalice
// from this repository; imports of importPath's packages become imports of
// the copy's.
func copyApp(b *testing.B, dir, importPath string) string {
	b.Helper()
	repo, err := filepath.Abs("../..")
	if err != nil {
		b.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/benchapp\n\ngo 1.26.0\n\nrequire github.com/gochalice/gochalice v0.0.0\n\nreplace github.com/gochalice/gochalice => " + repo + "\n\n" +
			string(gomod[strings.Index(string(gomod), "require"):]),
	}
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		b.Fatal(err)
	}
	files["go.sum"] = string(sum)
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		src := string(data)
		if importPath != "" {
			src = strings.ReplaceAll(src, `"`+importPath+"/", `"example.com/benchapp/`)
		}
		files[rel] = src
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for name, data := range files {
		path := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return out
}
