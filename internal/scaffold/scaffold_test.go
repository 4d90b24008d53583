package scaffold

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// A new project builds and its test passes at once, offline, using this
// checkout through the replace directive.
func TestNewProjectBuildsAndPasses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a new project")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	dir := filepath.Join(parent, "hello")
	files, err := Write(context.Background(), Options{Dir: dir, Version: "v0.1.0", Replace: root, GoVersion: goDirective(t, root)})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"main.go", "main_test.go", filepath.Join(".chalice", "config.json"), ".gitignore", "go.mod", "go.sum"}
	if !slices.Equal(files, want) {
		t.Errorf("files %v, want %v", files, want)
	}
	for _, f := range want {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("the parent directory holds %d entries, want only hello", len(entries))
	}
	gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	for _, w := range []string{"module hello\n", "tool github.com/gochalice/gochalice/cmd/chalice-package\n", "replace github.com/gochalice/gochalice => "} {
		if !strings.Contains(string(gomod), w) {
			t.Errorf("go.mod lacks %q:\n%s", w, gomod)
		}
	}
	if ignore, _ := os.ReadFile(filepath.Join(dir, ".gitignore")); !strings.Contains(string(ignore), "\nout/\n") {
		t.Errorf(".gitignore does not ignore out/:\n%s", ignore)
	}
	config, _ := os.ReadFile(filepath.Join(dir, ".chalice", "config.json"))
	for _, w := range []string{`"app_name": "hello"`, `"dev": {`, `"prod": {`} {
		if !strings.Contains(string(config), w) {
			t.Errorf("config lacks %s:\n%s", w, config)
		}
	}
	for _, args := range [][]string{{"vet", "./..."}, {"test", "-count=1", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOPROXY=off", "GOWORK=off", "GOFLAGS=")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s in the new project: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func goDirective(t *testing.T, root string) string {
	t.Helper()
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(gomod), "\n") {
		if v, ok := strings.CutPrefix(line, "go "); ok {
			return v
		}
	}
	return strings.TrimPrefix(runtime.Version(), "go")
}

func TestWriteErrors(t *testing.T) {
	parent := t.TempDir()
	existing := filepath.Join(parent, "taken")
	if err := os.Mkdir(existing, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ dir, want string }{
		{existing, existing + " already exists: choose a new directory"},
		{filepath.Join(parent, "1app"), `"1app" is not a valid app name`},
		{filepath.Join(parent, "my app"), `"my app" is not a valid app name`},
	} {
		_, err := Write(context.Background(), Options{Dir: tc.dir, Version: "v0.1.0", GoVersion: "1.26"})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Write(%s) = %v, want an error containing %q", tc.dir, err, tc.want)
		}
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("failed writes left %d entries, want only the existing directory", len(entries))
	}
}

// A failing go mod tidy (here: an unknown gochalice version, offline)
// leaves nothing behind.
func TestWriteFailsCleanly(t *testing.T) {
	parent := t.TempDir()
	t.Setenv("GOPROXY", "off")
	_, err := Write(context.Background(), Options{Dir: filepath.Join(parent, "app"), Version: "v9.9.9", GoVersion: "1.26"})
	if err == nil || !strings.Contains(err.Error(), "go mod tidy in the new project") {
		t.Fatalf("error %v, want the go mod tidy failure", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("a failed write left %d entries", len(entries))
	}
}
