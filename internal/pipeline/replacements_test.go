package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
