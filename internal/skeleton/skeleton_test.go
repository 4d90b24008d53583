package skeleton

import (
	"bytes"
	"encoding/json"
	"flag"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the expected copies in testdata")

// cases are the packages under testdata: each directory's .go files are
// copied, the changed files compared with their .golden beside them.
var cases = []struct {
	dir     string
	keep    []string
	stubbed []string
}{
	{dir: "handlers", stubbed: []string{"add", "hello", "index"}},
	{dir: "helpers", stubbed: []string{"index", "store.get"}},
	{dir: "closures", keep: []string{"main.func5"}, stubbed: []string{"main.func1", "main.func4", "main.func5.1", "main.func6"}},
	{dir: "imports", stubbed: []string{"roll"}},
	{dir: "consts", stubbed: []string{"items", "loud"}},
}

func goFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in testdata/%s: %v", dir, err)
	}
	for i, f := range files {
		if files[i], err = filepath.Abs(f); err != nil {
			t.Fatal(err)
		}
	}
	return files
}

func keepSet(ids []string) map[string]bool {
	keep := map[string]bool{}
	for _, id := range ids {
		keep[id] = true
	}
	return keep
}

func TestBuild(t *testing.T) {
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			files := goFiles(t, c.dir)
			sk, err := Build(files, keepSet(c.keep))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sk.Stubbed, c.stubbed) {
				t.Errorf("stubbed %q, want %q", sk.Stubbed, c.stubbed)
			}
			helperPath := filepath.Join(filepath.Dir(files[0]), HelperFile)
			if !bytes.Contains(sk.Files[helperPath], []byte("func "+helperFunc)) {
				t.Errorf("no helper at %s", helperPath)
			}
			for _, f := range files {
				orig, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				got, changed := sk.Files[f]
				if !changed {
					got = orig
				}
				// Line numbers stay: registration errors name them.
				if a, b := bytes.Count(orig, []byte("\n")), bytes.Count(got, []byte("\n")); a != b {
					t.Errorf("%s: %d lines, the copy %d", filepath.Base(f), a, b)
				}
				golden := strings.TrimSuffix(f, ".go") + ".golden"
				if *update {
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s: the copy differs from %s:\n%s", filepath.Base(f), golden, got)
				}
			}
		})
	}
}

// TestCopiesCompile builds every case's copy with the go command's overlay,
// as the packager does: a stub that leaves a variable or an import unused
// fails here.
func TestCopiesCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	replace := map[string]string{}
	var pkgs []string
	tmp := t.TempDir()
	for _, c := range cases {
		sk, err := Build(goFiles(t, c.dir), keepSet(c.keep))
		if err != nil {
			t.Fatal(err)
		}
		for path, data := range sk.Files {
			dst := filepath.Join(tmp, c.dir+"-"+filepath.Base(path))
			if err := os.WriteFile(dst, data, 0o644); err != nil {
				t.Fatal(err)
			}
			replace[path] = dst
		}
		pkgs = append(pkgs, "./testdata/"+c.dir)
	}
	overlay, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		t.Fatal(err)
	}
	ov := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(ov, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", append([]string{"build", "-o", os.DevNull, "-overlay", ov}, pkgs...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the copies do not compile: %v\n%s", err, out)
	}
}

func TestCalled(t *testing.T) {
	for _, c := range []struct {
		stderr string
		id     string
		ok     bool
	}{
		{"", "", false},
		{"panic: boom\n", "", false},
		{"log line\n" + Marker + "main.func3\n", "main.func3", true},
		{Marker + "store.get", "store.get", true},
		{Marker + "\n", "", false},
	} {
		id, ok := Called([]byte(c.stderr))
		if id != c.id || ok != c.ok {
			t.Errorf("Called(%q) = %q, %v; want %q, %v", c.stderr, id, ok, c.id, c.ok)
		}
	}
}

func TestGuessName(t *testing.T) {
	for path, want := range map[string]string{
		"strings":                       "strings",
		"math/rand/v2":                  "rand",
		"gopkg.in/yaml.v3":              "yaml",
		"github.com/go-chi/chi/v5":      "chi",
		"github.com/mattn/go-sqlite3":   "sqlite3",
		"github.com/aws/aws-lambda-go":  "aws-lambda",
		"github.com/aws/smithy-go/ptr":  "ptr",
		"example.com/thing-go":          "thing",
		"github.com/aws/aws-sdk-go-v2/": "aws-sdk-go-v2",
	} {
		if got := guessName(path); got != want {
			t.Errorf("guessName(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	dir := t.TempDir()
	notMain := filepath.Join(dir, "lib.go")
	if err := os.WriteFile(notMain, []byte("package lib\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.go")
	if err := os.WriteFile(broken, []byte("package main\nfunc main() {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, files := range [][]string{nil, {notMain}, {broken}, {filepath.Join(dir, "missing.go")}} {
		if _, err := Build(files, nil); err == nil {
			t.Errorf("Build(%q) succeeded", files)
		}
	}
}

// TestBuildOnMutations feeds Build mutations of the test packages (bytes
// changed, cut and copied) that still parse: it must not panic or hang,
// and its copy must parse too and keep every line where it was. (As a
// native fuzz target, this stalled the fuzzing engine after a few
// thousand inputs; a seeded loop does not.)
func TestBuildOnMutations(t *testing.T) {
	var seeds [][]byte
	for _, c := range cases {
		files, err := filepath.Glob(filepath.Join("testdata", c.dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			seeds = append(seeds, src)
		}
	}
	n := 20000
	if testing.Short() {
		n = 2000
	}
	name := filepath.Join(t.TempDir(), "main.go")
	rng := rand.New(rand.NewPCG(1, 2))
	copies := 0
	for i := 0; i < n; i++ {
		src := mutate(rng, seeds[rng.IntN(len(seeds))])
		if _, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ParseComments); err != nil {
			continue
		}
		if err := os.WriteFile(name, src, 0o644); err != nil {
			t.Fatal(err)
		}
		done := make(chan *Skeleton, 1)
		go func() {
			sk, _ := Build([]string{name}, nil)
			done <- sk
		}()
		var sk *Skeleton
		select {
		case sk = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Build did not return on:\n%s", src)
		}
		if sk == nil {
			continue
		}
		cp, changed := sk.Files[name]
		if !changed {
			continue
		}
		copies++
		if _, err := parser.ParseFile(token.NewFileSet(), name, cp, parser.ParseComments); err != nil {
			t.Fatalf("the copy does not parse: %v\ninput:\n%s\ncopy:\n%s", err, src, cp)
		}
		if a, b := bytes.Count(src, []byte("\n")), bytes.Count(cp, []byte("\n")); a != b {
			t.Fatalf("%d lines, the copy %d:\n%s", a, b, cp)
		}
	}
	if copies == 0 {
		t.Fatal("no mutation gave a copy")
	}
	t.Logf("%d copies checked", copies)
}

// mutate returns src with one to four bytes changed, runs cut or runs
// copied elsewhere.
func mutate(rng *rand.Rand, seed []byte) []byte {
	b := bytes.Clone(seed)
	for k := 0; k < 1+rng.IntN(4) && len(b) > 0; k++ {
		p := rng.IntN(len(b))
		switch rng.IntN(3) {
		case 0:
			b[p] = byte(rng.IntN(128))
		case 1:
			b = append(b[:p], b[min(len(b), p+1+rng.IntN(20)):]...)
		default:
			q := rng.IntN(len(b))
			run := bytes.Clone(b[q:min(len(b), q+rng.IntN(30))])
			b = append(b[:p], append(run, b[p:]...)...)
		}
	}
	return b
}
