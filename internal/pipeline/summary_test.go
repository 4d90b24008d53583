package pipeline

import (
	"slices"
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
  add_numbers  direct invoke (aws lambda invoke, or an SDK)
  api_handler  REST API (2 routes)

Routes (2):
  GET       /
  POST,PUT  /echo

Deployment package:  out/dev/deployment.zip (2712345 bytes, 2.6 MiB)
Template:            out/dev/template.yaml

Next steps:
  aws cloudformation package --template-file out/dev/template.yaml --s3-bucket YOUR_BUCKET --output-template-file out/dev/packaged.yaml
  aws cloudformation deploy --template-file out/dev/packaged.yaml --stack-name hello-dev --capabilities CAPABILITY_IAM
  (YOUR_BUCKET: an S3 bucket of yours in the stack's region, where package uploads the zip; make one once with aws s3 mb s3://NAME)

The API's base URL, once deployed:
  aws cloudformation describe-stacks --stack-name hello-dev --query "Stacks[0].Outputs[?OutputKey=='EndpointURL'].OutputValue" --output text

To delete the stack:
  aws cloudformation delete-stack --stack-name hello-dev
`
	var b strings.Builder
	if err := res.WriteSummary(&b); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
}

// Each function's triggers, what the stack expects to exist, warnings and
// the retained resources.
func TestWriteSummaryEvents(t *testing.T) {
	res := &Result{
		Manifest: &manifest.Manifest{
			SchemaVersion: 1,
			App:           "events",
			Functions: []manifest.Function{
				{Name: "nightly", Handler: "nightly", Kind: manifest.KindLambda, Events: []manifest.Event{{Type: manifest.EventSchedule, Schedule: &manifest.ScheduleEvent{Expression: "rate(1 day)"}}}},
				{Name: "orders", Handler: "orders", Kind: manifest.KindLambda, Events: []manifest.Event{
					{Type: manifest.EventSQS, SQS: &manifest.SQSEvent{Queue: "orders"}},
					{Type: manifest.EventSNS, SNS: &manifest.SNSEvent{Topic: "alerts"}}}},
				{Name: "uploads", Handler: "uploads", Kind: manifest.KindLambda, Events: []manifest.Event{
					{Type: manifest.EventS3, S3: &manifest.S3Event{Bucket: "media", Events: []string{"s3:ObjectCreated:*"}}},
					{Type: manifest.EventKinesis, Stream: &manifest.StreamEvent{Stream: "clicks"}}}},
			},
			Buckets: []manifest.Bucket{{Name: "media"}},
		},
		Stage:        stages.Stage{Name: "prod"},
		Arch:         "arm64",
		Dir:          "out/prod",
		TemplatePath: "out/prod/template.yaml",
		ZipPath:      "out/prod/deployment.zip",
		ZipSize:      100,
		Warnings:     []string{`.chalice/config.json:2:3: app_name: "shop" differs from the name the app gives framework.New, "events"; the template and stack use "events"`},
	}
	var b strings.Builder
	if err := res.WriteSummary(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  nightly  schedule rate(1 day)\n",
		"  orders   SQS queue orders; SNS topic alerts\n",
		"  uploads  S3 bucket media (s3:ObjectCreated:*); Kinesis stream clicks\n",
		"The stack expects these to exist already (it uses them but does not create them):\n  Kinesis stream clicks\n  SNS topic alerts\n  SQS queue orders\n\n",
		"Warnings:\n  .chalice/config.json:2:3: app_name: \"shop\" differs",
		"aws cloudformation delete-stack --stack-name events-prod\n  (the app's buckets and user pools are retained",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), "EndpointURL") {
		t.Errorf("a summary without an API explains EndpointURL:\n%s", b.String())
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

func TestWarnings(t *testing.T) {
	m := &manifest.Manifest{App: "hello"}
	for _, tc := range []struct {
		config string
		want   []string
	}{
		{`{"version": "2.0"}`, nil},
		{`{"version": "2.0", "app_name": "hello"}`, nil},
		{`{"version": "2.0",
  "app_name": "helo"}`, []string{`.chalice/config.json:2:3: app_name: "helo" differs from the name the app gives framework.New, "hello"; the template and stack use "hello"`}},
	} {
		cfg, err := stages.Parse(".chalice/config.json", t.TempDir(), []byte(tc.config))
		if err != nil {
			t.Fatal(err)
		}
		if got := Warnings(cfg, m); !slices.Equal(got, tc.want) {
			t.Errorf("Warnings(%s) = %q, want %q", tc.config, got, tc.want)
		}
	}
}
