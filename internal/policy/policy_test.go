package policy

import (
	"context"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/internal/build"
	"github.com/gochalice/gochalice/internal/pipeline"
	"github.com/gochalice/gochalice/stages"
)

func TestExplain(t *testing.T) {
	const dir = "../../samples/users"
	m, err := build.Manifest(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	acc, _, err := pipeline.Analyze(context.Background(), dir, m)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := stages.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := cfg.Stage("dev", stages.Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		o       Options
		want    []string // lines that must appear
		notWant []string
		wantErr string
	}{
		{
			name: "every function",
			o:    Options{AppDir: "../../samples/users"},
			want: []string{
				"api_handler\n  role APIHandlerRole:",
				"    samples/users/store/store.go:51: dynamodb.PutItem → dynamodb:PutItem on UsersTable\n",
				"    samples/users/store/store.go:87: dynamodb.Query → dynamodb:Query on UsersTable (and its indexes)\n",
				"    samples/users/store/store.go:109: sqs.SendMessage → sqs:SendMessage on JobsQueue\n",
				"work\n  role WorkRole:",
				"    its event sources → sqs:ChangeMessageVisibility, sqs:DeleteMessage, sqs:GetQueueAttributes, sqs:ReceiveMessage\n",
				"    its own log group WorkLogGroup → logs:CreateLogStream, logs:PutLogEvents\n",
				`"Fn::Sub": "${UsersTable.Arn}/index/*"`,
			},
		},
		{
			name:    "one function",
			o:       Options{AppDir: "../../samples/users", Function: "enqueue"},
			want:    []string{"enqueue\n", "sqs:SendMessage on JobsQueue"},
			notWant: []string{"api_handler", "dynamodb:"},
		},
		{
			name:    "unknown function",
			o:       Options{AppDir: "../../samples/users", Function: "nope"},
			wantErr: `function "nope" is not in app users (functions: api_handler, enqueue, work)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			err := Explain(&b, m, st, acc, tt.o.Function)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
}
