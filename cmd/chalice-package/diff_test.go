package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pairs are the golden review pairs built from the samples.
const pairs = "../../golden/testdata/review/"

func TestDiffCLI(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.yaml")
	if err := os.WriteFile(garbage, []byte("Resources: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string // substrings of stdout
		wantErr  string   // substring of the error message; "" for none
	}{
		{name: "no changes", args: []string{pairs + "memory-raised/old.yaml", pairs + "memory-raised/old.yaml"},
			wantCode: 0, wantOut: []string{": no changes"}},
		{name: "info change", args: []string{pairs + "memory-raised/old.yaml", pairs + "memory-raised/new.yaml"},
			wantCode: 1, wantOut: []string{"function APIHandler: memory 128 MB → 1024 MB"}},
		{name: "risk", args: []string{pairs + "auth-removed/old.yaml", pairs + "auth-removed/new.yaml"},
			wantCode: 2, wantOut: []string{"risk    GET /private: authorizer token_auth removed"}},
		{name: "fail on risk, only info", args: []string{"--fail-on", "risk", pairs + "memory-raised/old.yaml", pairs + "memory-raised/new.yaml"},
			wantCode: 0, wantOut: []string{"memory 128 MB → 1024 MB"}},
		{name: "fail on review, only info", args: []string{"--fail-on", "review", pairs + "schedule-changed/old.yaml", pairs + "schedule-changed/new.yaml"},
			wantCode: 0},
		{name: "fail on review, review", args: []string{"--fail-on", "review", pairs + "stages-dev-prod/old.yaml", pairs + "stages-dev-prod/new.yaml"},
			wantCode: 1},
		{name: "fail on risk, risk", args: []string{"--fail-on", "risk", pairs + "role-widened/old.yaml", pairs + "role-widened/new.yaml"},
			wantCode: 2},
		{name: "markdown", args: []string{"--format", "markdown", pairs + "auth-removed/old.yaml", pairs + "auth-removed/new.yaml"},
			wantCode: 2, wantOut: []string{"**Template review**", "### API", "| **risk** | `GET /private` |"}},
		{name: "json", args: []string{"--format", "json", pairs + "role-widened/old.yaml", pairs + "role-widened/new.yaml"},
			wantCode: 2, wantOut: []string{`"level": "risk"`}},
		{name: "directories", args: []string{"../../golden/expected/hello/dev", "../../golden/expected/hello-x86_64-json/dev"},
			wantCode: 1, wantOut: []string{"architecture [arm64] → [x86_64]"}},
		{name: "bad format", args: []string{"--format", "xml", pairs + "memory-raised/old.yaml", pairs + "memory-raised/new.yaml"},
			wantCode: 3, wantErr: `unknown format "xml"`},
		{name: "bad fail-on", args: []string{"--fail-on", "info", pairs + "memory-raised/old.yaml", pairs + "memory-raised/new.yaml"},
			wantCode: 3, wantErr: `--fail-on: unknown level "info" (want review or risk)`},
		{name: "missing file", args: []string{filepath.Join(dir, "nope.yaml"), pairs + "memory-raised/new.yaml"},
			wantCode: 3, wantErr: "old template: stat " + filepath.Join(dir, "nope.yaml")},
		{name: "bad YAML", args: []string{pairs + "memory-raised/old.yaml", garbage},
			wantCode: 3, wantErr: "new template: " + garbage + ": yaml: line"},
		{name: "one argument", args: []string{pairs + "memory-raised/old.yaml"},
			wantCode: 3, wantErr: "accepts 2 arg(s), received 1"},
		{name: "unknown flag", args: []string{"--color", pairs + "memory-raised/old.yaml", pairs + "memory-raised/new.yaml"},
			wantCode: 3, wantErr: "unknown flag: --color"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), append([]string{"diff"}, tc.args...), &stdout, &stderr)
			code, print := exitCode(err)
			if code != tc.wantCode {
				t.Fatalf("exit code %d (error %v), want %d\n%s", code, err, tc.wantCode, stdout.String())
			}
			if tc.wantErr == "" && print {
				t.Errorf("unexpected error message: %v", err)
			}
			if tc.wantErr != "" {
				if !print || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error %v, want one containing %q", err, tc.wantErr)
				}
				if stdout.Len() > 0 {
					t.Errorf("a failing diff printed:\n%s", stdout.String())
				}
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
				}
			}
			if tc.args[0] == "--format" && tc.args[1] == "json" {
				var v map[string]any
				if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
					t.Errorf("--format json is not JSON: %v", err)
				}
			}
		})
	}
}

// runMainEnv makes the test binary run main() instead of the tests, so a
// test can see the process's exit status without building the command.
const runMainEnv = "CHALICE_PACKAGE_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		os.Args = append([]string{"chalice-package"}, strings.Fields(os.Getenv(runMainEnv+"_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestDiffExitStatus runs main() in a child process, so the process exit
// status (not only the error value) is what a CI job sees.
func TestDiffExitStatus(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		stderr   string
	}{
		{"no changes", []string{pairs + "memory-raised/old.yaml", pairs + "memory-raised/old.yaml"}, 0, ""},
		{"changes", []string{pairs + "memory-raised/old.yaml", pairs + "memory-raised/new.yaml"}, 1, ""},
		{"risk", []string{pairs + "auth-removed/old.yaml", pairs + "auth-removed/new.yaml"}, 2, ""},
		{"bad input", []string{"nope.yaml", "nope.yaml"}, 3, "chalice-package: old template: stat nope.yaml: no such file or directory\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), runMainEnv+"=1", runMainEnv+"_ARGS=diff "+strings.Join(tc.args, " "))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.wantCode || stderr.String() != tc.stderr {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr.String(), tc.wantCode, tc.stderr)
			}
		})
	}
}
