package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/cfn"
	"github.com/gochalice/gochalice/stages"
)

// A change that would replace a resource holding data is called out,
// compared with the previous build's template.
func TestReplacements(t *testing.T) {
	table := func(key, policy string) string {
		return `{"Resources": {"UsersTable": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "` + policy + `",
  "Properties": {"KeySchema": [{"AttributeName": "` + key + `", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}}}}`
	}
	tests := []struct {
		name, old, new string
		want           string // "" for no warning
	}{
		{"first build", "", table("id", "Retain"), ""},
		{"same key", table("id", "Retain"), table("id", "Retain"), ""},
		{"key changed, retained", table("id", "Retain"), table("username", "Retain"),
			"UsersTable (AWS::DynamoDB::Table): KeySchema changed since the last build, so CloudFormation will REPLACE it with an empty one; the old one is retained"},
		{"key changed, not retained", table("id", "Retain"), table("username", "Delete"), "NOT retained (retain_data: false): its data is deleted"},
		{"billing changed", table("id", "Retain"), strings.Replace(table("id", "Retain"), "PAY_PER_REQUEST", "PROVISIONED", 1), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "template.yaml")
			if tt.old != "" {
				if err := os.WriteFile(path, []byte(tt.old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got := replacements(path, []byte(tt.new))
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("warnings %q, want none", got)
			case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)):
				t.Errorf("warnings %q, want one containing %q", got, tt.want)
			}
		})
	}
}

// The summary lists each role's actions, the unscoped statements with their
// call sites, and the warnings.
func TestIAMSummary(t *testing.T) {
	res := &Result{
		Stage: stages.Stage{Name: "dev", Warnings: []string{`.chalice/config.json:3:5: all.json grants "Action": "*" (every action): list the actions the functions need`}},
		Access: &cfn.Access{Functions: map[string]*cfn.FunctionAccess{
			"api_handler": {Complete: true, Calls: []cfn.Call{
				{Site: "store/store.go:31", Service: "dynamodb", Op: "GetItem", Actions: []string{"dynamodb:GetItem"}, Targets: []cfn.Target{{Kind: "table", Name: "users", Declared: true}}},
				{Site: "report.go:9", Service: "dynamodb", Op: "Scan", Actions: []string{"dynamodb:Scan"}},
			}},
			"work": {Complete: true},
		}},
		Replacements: []string{"UsersTable (AWS::DynamoDB::Table): KeySchema changed"},
	}
	var b strings.Builder
	writeIAMSummary(&b, res)
	want := "\nIAM, one role per function (actions from the code, analysed; `chalice-package policy` explains each):\n" +
		"  api_handler: dynamodb:GetItem, dynamodb:Scan\n" +
		"  work: no AWS calls (logs and event sources only)\n" +
		"\nUnscoped statements (the resource is not a declared handle or a constant; granted on *):\n" +
		"  report.go:9: dynamodb.Scan → dynamodb:Scan on * (function api_handler)\n" +
		"\nWarnings:\n" +
		"  .chalice/config.json:3:5: all.json grants \"Action\": \"*\" (every action): list the actions the functions need\n" +
		"  UsersTable (AWS::DynamoDB::Table): KeySchema changed\n"
	if got := b.String(); got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
}
