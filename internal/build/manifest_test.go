package build

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestManifest(t *testing.T) {
	tests := []struct {
		dir       string
		app       string
		functions []string // handler names, in manifest order
		routes    int
	}{
		{dir: "testdata/fakeapp", app: "fake", functions: []string{"add_numbers", "api_handler"}, routes: 2},
		// Init code prints to stdout, even a line starting with '{': the
		// manifest is the last such line.
		{dir: "testdata/noisy", app: "noisy", functions: []string{"tick"}},
		// The app sees PATH, HOME and GOCHALICE_MODE only.
		{dir: "testdata/envcheck", app: "envcheck", functions: []string{"f"}},
	}
	t.Setenv("GOCHALICE_TEST_SECRET", "must not reach the app")
	// The host build ignores a cross-compilation target left in the environment.
	t.Setenv("GOOS", "plan9")
	t.Setenv("GOARCH", "386")
	for _, tc := range tests {
		t.Run(filepath.Base(tc.dir), func(t *testing.T) {
			m, err := Manifest(context.Background(), tc.dir)
			if err != nil {
				t.Fatal(err)
			}
			if m.App != tc.app {
				t.Errorf("app = %q, want %q", m.App, tc.app)
			}
			var handlers []string
			for _, f := range m.Functions {
				handlers = append(handlers, f.Handler)
			}
			if !slices.Equal(handlers, tc.functions) {
				t.Errorf("functions = %v, want %v", handlers, tc.functions)
			}
			if len(m.Routes) != tc.routes {
				t.Errorf("%d routes, want %d", len(m.Routes), tc.routes)
			}
		})
	}
}

// emptyModule returns a module directory without any .go file.
func emptyModule(t *testing.T) string {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), []byte("module example.com/empty\n\ngo 1.26\n"), 0o644)
	return dir
}

func TestManifestErrors(t *testing.T) {
	tests := []struct {
		name string
		dir  string
		// want are substrings of the error, in order.
		want []string
		// lines is the number of lines of the error; 0 means do not check.
		lines int
	}{
		{name: "not main", dir: "testdata/notmain",
			want:  []string{"testdata/notmain is package lib, not a main package"},
			lines: 1},
		{name: "no go files", dir: "EMPTY",
			want:  []string{"is not a main package: it has no .go files"},
			lines: 1},
		{name: "test files only", dir: "testdata/testonly",
			want:  []string{"testdata/testonly is not a main package: it has no .go files other than tests"},
			lines: 1},
		{name: "missing dir", dir: "testdata/nosuchdir",
			want:  []string{"app directory testdata/nosuchdir does not exist"},
			lines: 1},
		{name: "compile error", dir: "testdata/compileerr",
			want: []string{"building testdata/compileerr for the host: exit status 1\n", "main.go:5:2: undefined: nosuchfunction"}},
		{name: "never calls Run", dir: "testdata/norun",
			want:  []string{"app in testdata/norun never called app.Run(): "},
			lines: 1},
		{name: "registration errors", dir: "testdata/regerr",
			want: []string{
				"app in testdata/regerr has registration errors:\n",
				"gochalice: route GET / registered twice\n",
				`gochalice: function name "" is empty`,
			},
			lines: 3},
		{name: "crash", dir: "testdata/crash",
			want:  []string{"running app in testdata/crash in manifest mode: exit status 3\n", "crash: cannot open config.json"},
			lines: 2},
		{name: "panic", dir: "testdata/panics",
			want: []string{"running app in testdata/panics in manifest mode: exit status 2\n", "panic: cannot load settings"}},
		{name: "schema version", dir: "testdata/badschema",
			want:  []string{"reading the manifest of app in testdata/badschema: manifest: schema version 99"},
			lines: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.dir
			if dir == "EMPTY" {
				dir = emptyModule(t)
			}
			_, err := Manifest(context.Background(), dir)
			if err == nil {
				t.Fatal("Manifest succeeded")
			}
			msg := err.Error()
			rest := msg
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error does not contain %q (in order):\n%s", w, msg)
				}
				rest = rest[i+len(w):]
			}
			if n := strings.Count(msg, "\n") + 1; tc.lines != 0 && n != tc.lines {
				t.Errorf("error has %d lines, want %d:\n%s", n, tc.lines, msg)
			}
		})
	}
}

func TestManifestTimeout(t *testing.T) {
	old := ManifestTimeout
	ManifestTimeout = time.Second
	t.Cleanup(func() { ManifestTimeout = old })

	_, err := Manifest(context.Background(), "testdata/hang")
	if err == nil || !strings.Contains(err.Error(), "app in testdata/hang did not print its manifest within 1s") {
		t.Fatalf("err = %v", err)
	}
}

func TestManifestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Manifest(ctx, "testdata/fakeapp"); err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// The host binary is built in a temporary directory that Manifest removes.
func TestManifestCleansUp(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	for _, dir := range []string{"testdata/fakeapp", "testdata/compileerr", "testdata/regerr"} {
		Manifest(context.Background(), dir)
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		if strings.HasPrefix(e.Name(), "gochalice-host-") {
			t.Errorf("left behind %s", e.Name())
		}
	}
}

func TestLastJSONLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"no json\n", ""},
		{"{\"a\":1}\n", `{"a":1}`},
		{"{\"a\":1}", `{"a":1}`},
		{"{\"a\":1}\r\n", `{"a":1}`},
		{"{first}\nchatter\n{second}\nmore chatter\n", "{second}"},
		{"  {indented}\n", ""},
	}
	for _, tc := range tests {
		if got := string(lastJSONLine([]byte(tc.in))); got != tc.want {
			t.Errorf("lastJSONLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
