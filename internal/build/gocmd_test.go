package build

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// CheckApp decides without the go command what go list decided, with the
// same message; where go/build cannot decide as go list would, it asks go
// list.
func TestCheckAppWithoutGoList(t *testing.T) {
	tmp := func(files map[string]string) string {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "go.mod"), []byte("module example.com/x\n\ngo 1.26\n"), 0o644)
		for name, data := range files {
			writeFile(t, filepath.Join(dir, name), []byte(data), 0o644)
		}
		return dir
	}
	tests := []struct {
		name    string
		dir     string
		decided bool // go/build decides, without go list
	}{
		{"main package", "testdata/fakeapp", true},
		{"not main", "testdata/notmain", true},
		{"test files only", "testdata/testonly", true},
		{"no go files", tmp(nil), true},
		{"main with a file for another OS", tmp(map[string]string{"main.go": "package main\n\nfunc main() {}\n", "x_windows.go": "package main\n"}), true},
		{"external test package only", tmp(map[string]string{"x_test.go": "package x_test\n"}), true},
		{"every file excluded by build constraints", tmp(map[string]string{"main.go": "//go:build ignore\n\npackage main\n"}), false},
		{"tests and files excluded by build constraints", tmp(map[string]string{"main.go": "//go:build ignore\n\npackage main\n", "main_test.go": "package main\n"}), false},
		{"two packages", tmp(map[string]string{"a.go": "package main\n", "b.go": "package lib\n"}), false},
		{"bad package clause", tmp(map[string]string{"a.go": "packge main\n"}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, decided := checkPackage(tt.dir)
			if decided != tt.decided {
				t.Fatalf("decided = %v, want %v (err %v)", decided, tt.decided, got)
			}
			want := checkWithGoList(context.Background(), tt.dir)
			if !decided {
				if cerr := CheckApp(context.Background(), tt.dir); errString(cerr) != errString(want) {
					t.Errorf("CheckApp = %v, want go list's %v", cerr, want)
				}
				return
			}
			if errString(got) != errString(want) {
				t.Errorf("go/build says %q, go list said %q", errString(got), errString(want))
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// CheckApp does not run the go command for a package go/build can judge,
// and asks it when GOFLAGS may change what it sees.
func TestCheckAppRunsNoGoCommand(t *testing.T) {
	old := goTool
	goTool = filepath.Join(t.TempDir(), "no-such-go")
	t.Cleanup(func() { goTool = old })
	for _, dir := range []string{"testdata/fakeapp", "testdata/notmain"} {
		if _, decided := checkPackage(dir); !decided {
			t.Errorf("%s: go/build did not decide", dir)
		}
	}
	if err := CheckApp(context.Background(), "testdata/fakeapp"); err != nil {
		t.Errorf("CheckApp(fakeapp) = %v, want nil without the go command", err)
	}
	t.Setenv("GOFLAGS", "-buildvcs=false")
	if _, decided := checkPackage("testdata/fakeapp"); !decided {
		t.Error("with GOFLAGS=-buildvcs=false, go/build did not decide")
	}
	t.Setenv("GOFLAGS", "-tags=x")
	if err := CheckApp(context.Background(), "testdata/fakeapp"); err == nil {
		t.Error("with build tags in GOFLAGS, CheckApp did not run go list")
	}
	// The same from the go env -w file.
	t.Setenv("GOFLAGS", "")
	goenv := filepath.Join(t.TempDir(), "env")
	writeFile(t, goenv, []byte("GOFLAGS=-tags=x\n"), 0o644)
	t.Setenv("GOENV", goenv)
	if _, decided := checkPackage("testdata/fakeapp"); decided {
		t.Error("with build tags in the go env file, go/build decided")
	}
	if _, err := os.Stat(goTool); err == nil {
		t.Fatal("the fake go command exists")
	}
}
