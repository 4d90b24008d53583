package pipeline

import (
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

func TestWriteSummary(t *testing.T) {
	res := &Result{
		Manifest: &manifest.Manifest{
			SchemaVersion: 1,
			App:           "hello",
			Functions: []manifest.Function{
				{Name: "add_numbers", Handler: "add_numbers", Kind: manifest.KindLambda},
				{Name: "api_handler", Handler: "api_handler", Kind: manifest.KindAPI},
			},
			Routes: []manifest.Route{
				{Path: "/", Methods: []string{"GET"}},
				{Path: "/echo", Methods: []string{"POST", "PUT"}},
			},
		},
		Stage:        stages.Stage{Name: "dev"},
		Arch:         "arm64",
		Dir:          "out/dev",
		TemplatePath: "out/dev/template.yaml",
		ZipPath:      "out/dev/deployment.zip",
		ZipSize:      2712345,
	}
	want := `Built app hello, stage dev, arch arm64

Functions (2):
  add_numbers  lambda
  api_handler  api

Routes (2):
  GET       /
  POST,PUT  /echo

Deployment package:  out/dev/deployment.zip (2712345 bytes, 2.6 MiB)
Template:            out/dev/template.yaml

Next steps:
  aws cloudformation package --template-file out/dev/template.yaml --s3-bucket YOUR_BUCKET --output-template-file out/dev/packaged.yaml
  aws cloudformation deploy --template-file out/dev/packaged.yaml --stack-name hello-dev --capabilities CAPABILITY_IAM
`
	var b strings.Builder
	if err := res.WriteSummary(&b); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
}

func TestStackName(t *testing.T) {
	tests := []struct{ app, stage, want string }{
		{"hello", "dev", "hello-dev"},
		{"my_app", "prod", "my-app-prod"},
		{"Trivia2", "test.eu", "Trivia2-test-eu"},
	}
	for _, tc := range tests {
		if got := StackName(tc.app, tc.stage); got != tc.want {
			t.Errorf("StackName(%q, %q) = %q, want %q", tc.app, tc.stage, got, tc.want)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 B"},
		{1023, "1023 B"},
		{1024, "1.0 KiB"},
		{2712345, "2.6 MiB"},
		{50 << 20, "50.0 MiB"},
		{3 << 30, "3.0 GiB"},
	}
	for _, tc := range tests {
		if got := humanBytes(tc.n); got != tc.want {
			t.Errorf("humanBytes(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"out/dev/template.yaml", "out/dev/template.yaml"},
		{"/tmp/my out/dev/template.yaml", "'/tmp/my out/dev/template.yaml'"},
		{"it's", `'it'\''s'`},
	}
	for _, tc := range tests {
		if got := shellQuote(tc.in); got != tc.want {
			t.Errorf("shellQuote(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
