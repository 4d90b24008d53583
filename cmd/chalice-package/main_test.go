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
