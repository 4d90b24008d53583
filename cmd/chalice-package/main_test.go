package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework"
)

func TestCLI(t *testing.T) {
	app, err := filepath.Abs("../../internal/pipeline/testdata/fakeapp")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		wantOut []string // substrings of stdout
		wantErr string   // substring of the error; "" for success
		outDev  bool     // whether OUT/dev exists afterwards
	}{
		{name: "build", args: []string{"build", app},
			wantOut: []string{"Built app fake, stage dev, arch arm64", "dev/template.yaml", "--stack-name fake-dev"},
			outDev:  true},
		{name: "build json x86_64", args: []string{"build", "--arch", "x86_64", "--template-format", "json", app},
			wantOut: []string{"arch x86_64", "dev/template.json"},
			outDev:  true},
		{name: "amd64 is x86_64", args: []string{"build", "--arch", "amd64", app},
			wantOut: []string{"arch x86_64", "dev/template.yaml"},
			outDev:  true},
		{name: "aarch64 is arm64", args: []string{"build", "--arch", "aarch64", app},
			wantOut: []string{"arch arm64"},
			outDev:  true},
		{name: "bad arch", args: []string{"build", "--arch", "i386", app}, wantErr: `unknown architecture "i386"`},
		{name: "bad format", args: []string{"build", "--template-format", "xml", app}, wantErr: `unknown template format "xml"`},
		{name: "bad stage", args: []string{"build", "--stage", "prod", app}, wantErr: `unknown stage "prod"`},
		{name: "all stages", args: []string{"build", "--all-stages", app},
			wantOut: []string{"Built app fake, stage dev, arch arm64", "--stack-name fake-dev"},
			outDev:  true},
		{name: "stage and all stages", args: []string{"build", "--all-stages", "--stage", "dev", app}, wantErr: "if any flags in the group [stage all-stages] are set none of the others can be"},
		{name: "missing merge template", args: []string{"build", "--merge-template", "nope.yaml", app}, wantErr: "merge template: open nope.yaml"},
		{name: "two dirs", args: []string{"build", app, app}, wantErr: "accepts at most 1 arg(s), received 2"},
		{name: "unknown flag", args: []string{"build", "--bogus"}, wantErr: "unknown flag: --bogus"},
		{name: "new into an existing directory", args: []string{"new", app}, wantErr: app + " already exists: choose a new directory"},
		{name: "new without a name", args: []string{"new"}, wantErr: "accepts 1 arg(s), received 0"},
		{name: "generate-event", args: []string{"generate-event", "s3", "--bucket", "photos", "--key", "cat.png"},
			wantOut: []string{`"name": "photos"`, `"key": "cat.png"`, `"eventName": "ObjectCreated:Put"`}},
		{name: "generate-event cognito", args: []string{"generate-event", "cognito", "--trigger", "PostConfirmation", "--attr", "email=a@example.com"},
			wantOut: []string{`"triggerSource": "PostConfirmation_ConfirmSignUp"`, `"email": "a@example.com"`}},
		{name: "generate-event unknown type", args: []string{"generate-event", "nope"}, wantErr: `unknown event type "nope"`},
		{name: "invoke without a name", args: []string{"invoke"}, wantErr: "accepts between 1 and 2 arg(s), received 0"},
		{name: "invoke event not JSON", args: []string{"invoke", "add", app, "--event", "main_test.go"}, wantErr: "the event in main_test.go is not JSON"},
		{name: "local unknown stage", args: []string{"local", "--port", "0", "--stage", "qa", app}, wantErr: `unknown stage "qa"`},
		{name: "version", args: []string{"version"}, wantOut: []string{"chalice-package " + framework.Version + "\n"}},
		{name: "policy", args: []string{"policy", app}, wantOut: []string{"api_handler\n  role APIHandlerRole:", "no AWS SDK call is reachable from its handler"}},
		{name: "policy of an unknown function", args: []string{"policy", "--function", "nope", app}, wantErr: `function "nope" is not in app fake`},
		{name: "--version", args: []string{"--version"}, wantOut: []string{"chalice-package " + framework.Version + "\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append([]string{}, tc.args...)
			if args[0] == "build" {
				args = append(args[:1], append([]string{"--out", out}, args[1:]...)...)
			}
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), args, &stdout, &stderr)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
				}
			}
			if err != nil && (stdout.Len() > 0 || stderr.Len() > 0) {
				// SilenceUsage and SilenceErrors: main prints the one error line.
				t.Errorf("a failing command printed:\n%s%s", stdout.String(), stderr.String())
			}
			if _, statErr := os.Stat(filepath.Join(out, "dev")); (statErr == nil) != tc.outDev {
				t.Errorf("OUT/dev exists: %v, want %v", statErr == nil, tc.outDev)
			}
		})
	}
}

// The CLI's version is the one the template's gochalice tag records.
func TestVersionMatchesTemplateTag(t *testing.T) {
	app, err := filepath.Abs("../../samples/hello")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	v := strings.TrimPrefix(strings.TrimSpace(stdout.String()), "chalice-package ")
	if err := run(context.Background(), []string{"build", "--out", out, app}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	tmpl, err := os.ReadFile(filepath.Join(out, "dev", "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "gochalice: version=" + v + ":stage=dev"; !strings.Contains(string(tmpl), want) {
		t.Errorf("template lacks %q (the version `chalice-package version` printed)", want)
	}
}

// TestContractCommands runs openapi and generate-sdk on the todo sample:
// stdout or --out, each format and language, and the usage errors (nothing
// written on failure).
func TestContractCommands(t *testing.T) {
	app, err := filepath.Abs("../../samples/todo")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string // OUT in an argument is replaced by a fresh directory
		wantOut string   // substring of stdout
		file    string   // file under OUT that must exist, with wantFile in it
		want    string
		wantErr string
	}{
		{name: "openapi to stdout", args: []string{"openapi", app}, wantOut: "openapi: 3.0.3\n"},
		{name: "openapi json to a file", args: []string{"openapi", "--stage", "prod", "--format", "json", "--out", "OUT/api/openapi.json", app},
			file: "api/openapi.json", want: `"url": "https://{restApiId}.execute-api.{region}.amazonaws.com/v1"`},
		{name: "openapi bad format", args: []string{"openapi", "--format", "xml", "--out", "OUT/x", app}, wantErr: `unknown format "xml" (want one of: yaml, json)`},
		{name: "openapi bad stage", args: []string{"openapi", "--stage", "staging", "--out", "OUT/x", app}, wantErr: `unknown stage "staging"`},
		{name: "sdk ts", args: []string{"generate-sdk", "--lang", "ts", "--out", "OUT/web", app}, wantOut: "Wrote ", file: "web/client.ts", want: "async createTodo(body: NewTodo): Promise<Todo>"},
		{name: "sdk go", args: []string{"generate-sdk", "--lang", "go", "--package", "todos", "--out", "OUT/todos", app}, file: "todos/client.go", want: "package todos\n"},
		{name: "sdk bad lang", args: []string{"generate-sdk", "--lang", "rust", "--out", "OUT/x", app}, wantErr: `unknown language "rust" (want one of: ts, go)`},
		{name: "sdk without lang", args: []string{"generate-sdk", app}, wantErr: `required flag(s) "lang" not set`},
		{name: "sdk bad package", args: []string{"generate-sdk", "--lang", "go", "--package", "func", "--out", "OUT/x", app}, wantErr: `package name "func" is not a Go identifier`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.Replace(a, "OUT", out, 1)
			}
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), args, &stdout, &stderr)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
			if !strings.Contains(stdout.String(), tc.wantOut) {
				t.Errorf("stdout lacks %q:\n%s", tc.wantOut, stdout.String())
			}
			if tc.file != "" {
				data, err := os.ReadFile(filepath.Join(out, tc.file))
				if err != nil || !strings.Contains(string(data), tc.want) {
					t.Errorf("%s: %v; want it to contain %q:\n%.600s", tc.file, err, tc.want, data)
				}
			}
			if err != nil {
				if entries, _ := os.ReadDir(out); len(entries) > 0 {
					t.Errorf("a failing command wrote %s", entries[0].Name())
				}
			}
		})
	}
}
