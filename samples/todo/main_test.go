package main

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gochalice/gochalice/framework/chalicetest"
	"github.com/gochalice/gochalice/internal/goldentest"
	"github.com/gochalice/gochalice/internal/sdkgen"
	"github.com/gochalice/gochalice/internal/testtool"
	"github.com/gochalice/gochalice/samples/todo/todoclient"
)

const testAPIKey = "test-key"

// serve starts the app behind chalicetest's API Gateway emulation on
// 127.0.0.1.
func serve(t *testing.T) string {
	t.Helper()
	s := newStore()
	s.now = func() time.Time { return time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC) }
	srv := httptest.NewServer(chalicetest.New(t, newApp(s), chalicetest.APIKeys(testAPIKey)))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestGeneratedClients: the committed clients are what generate-sdk writes
// for this app (go test ./samples/todo -update rewrites them).
func TestGeneratedClients(t *testing.T) {
	m, err := newApp(newStore()).Manifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ lang, path string }{
		{"go", "todoclient/client.go"},
		{"ts", "testdata/ts/client.ts"},
	} {
		src, err := sdkgen.Source(m, c.lang, "")
		if err != nil {
			t.Fatal(err)
		}
		goldentest.Check(t, c.path, src, "go test ./samples/todo -update")
	}
}

// TestGoClient calls the app through the generated Go client: typed calls,
// and 4xx answers surfaced as *todoclient.APIError.
func TestGoClient(t *testing.T) {
	ctx := context.Background()
	c := todoclient.New(serve(t))
	c.APIKey = testAPIKey

	due := time.Date(2026, 12, 24, 18, 0, 0, 0, time.UTC)
	created, err := c.CreateTodo(ctx, todoclient.NewTodo{Title: "milk", Tags: []string{"shop"}, Due: &due})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID != "1" || created.Title != "milk" || !created.Due.Equal(due) || created.Created.Year() != 2026 || created.Done {
		t.Errorf("created %+v", created)
	}
	if _, err := c.CreateTodo(ctx, todoclient.NewTodo{Title: "bread"}); err != nil {
		t.Fatal(err)
	}
	updated, err := c.UpdateTodo(ctx, "1", todoclient.TodoUpdate{Title: "oat milk", Done: true})
	if err != nil || !updated.Done || updated.Title != "oat milk" || len(updated.Tags) != 0 {
		t.Fatalf("update: %+v, %v", updated, err)
	}
	open, err := c.ListTodos(ctx, todoclient.ListTodosQuery{Done: "false"})
	if err != nil || open.Count != 1 || open.Todos[0].Title != "bread" {
		t.Errorf("open todos: %+v, %v", open, err)
	}
	got, err := c.GetTodo(ctx, "1")
	if err != nil || got.Title != "oat milk" {
		t.Errorf("get: %+v, %v", got, err)
	}
	if d, err := c.DeleteTodo(ctx, "2"); err != nil || d.ID != "2" {
		t.Errorf("delete: %+v, %v", d, err)
	}
	health, err := c.Health(ctx)
	if err != nil || string(health) != `{"status":"ok"}` {
		t.Errorf("health: %s, %v", health, err)
	}

	anonymous := todoclient.New(c.BaseURL)
	tests := []struct {
		name string
		call func() error
		want todoclient.APIError
	}{
		{"not found", func() error { _, err := c.GetTodo(ctx, "2"); return err }, todoclient.APIError{StatusCode: 404, Code: "NotFoundError", Message: "no todo 2"}},
		{"Validate", func() error { _, err := c.CreateTodo(ctx, todoclient.NewTodo{Title: " "}); return err }, todoclient.APIError{StatusCode: 400, Code: "BadRequestError", Message: "title must not be blank"}},
		{"bad query", func() error { _, err := c.ListTodos(ctx, todoclient.ListTodosQuery{Done: "maybe"}); return err }, todoclient.APIError{StatusCode: 400, Code: "BadRequestError", Message: "done must be true or false"}},
		{"API key", func() error { _, err := anonymous.CreateTodo(ctx, todoclient.NewTodo{Title: "x"}); return err }, todoclient.APIError{StatusCode: 403, Message: "Forbidden"}},
	}
	for _, tt := range tests {
		var apiErr *todoclient.APIError
		if err := tt.call(); !errors.As(err, &apiErr) || *apiErr != tt.want {
			t.Errorf("%s: error %#v, want %#v", tt.name, err, tt.want)
		}
	}
}

// TestTypeScriptClient compiles the generated TypeScript client and a script
// using it with tsc --strict, then runs the script with node against the app:
// typed calls, and a 4xx surfaced as the client's APIError.
func TestTypeScriptClient(t *testing.T) {
	tsc := testtool.Require(t, "tsc", "npm install -g typescript@5.9.3")
	node := testtool.Require(t, "node", "install Node.js 20 or later")
	m, err := newApp(newStore()).Manifest()
	if err != nil {
		t.Fatal(err)
	}
	src, err := sdkgen.TypeScript(m)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script, err := os.ReadFile("testdata/ts/script.ts")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"client.ts": src, "script.ts": script, "package.json": []byte(`{"type": "module"}`)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	compile := exec.CommandContext(ctx, tsc, "--strict", "--noUnusedLocals", "--target", "es2022", "--module", "es2022",
		"--moduleResolution", "bundler", "--lib", "es2022,dom", "--outDir", "out", "client.ts", "script.ts")
	compile.Dir = dir
	if out, err := compile.CombinedOutput(); err != nil {
		t.Fatalf("tsc --strict: %v\n%s", err, out)
	}
	run := exec.CommandContext(ctx, node, filepath.Join("out", "script.js"), serve(t), testAPIKey)
	run.Dir = dir
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("node script.js: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "ok: 5 checks" {
		t.Errorf("script printed %q, want ok: 5 checks", got)
	}
}
