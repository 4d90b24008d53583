package cfn

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

// The permissions an event source needs go to the role its function runs
// with, when gochalice writes that role; user roles and policy files are
// used as they are.
func TestEventPermissionsFollowTheFunctionsRole(t *testing.T) {
	userPolicy := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}}
	tests := []struct {
		name     string
		stage    func(*stages.Stage)
		wantSQS  map[string]bool // role ID → has the SQS statement
		noRoleOK bool
	}{
		{
			name:    "default role",
			stage:   func(*stages.Stage) {},
			wantSQS: map[string]bool{"ReaderRole": true, "OtherRole": false},
		},
		{
			name: "reader has a role ARN, other function keeps DefaultRole",
			stage: func(st *stages.Stage) {
				st.Functions = map[string]stages.FunctionConfig{"reader": {RoleARN: stages.Lit("arn:aws:iam::123456789012:role/reader")}}
			},
			wantSQS: map[string]bool{"OtherRole": false},
		},
		{
			name: "every function has a role ARN",
			stage: func(st *stages.Stage) {
				st.Defaults.RoleARN = stages.Lit("arn:aws:iam::123456789012:role/all")
			},
			noRoleOK: true,
		},
		{
			name: "stage policy file: DefaultRole is the user's, reader turns autogen back on",
			stage: func(st *stages.Stage) {
				st.Defaults.Policy, st.Defaults.PolicyFile = userPolicy, "policy-dev.json"
				st.Functions = map[string]stages.FunctionConfig{"reader": {}}
			},
			wantSQS: map[string]bool{"DefaultRole": false, "ReaderRole": true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &manifest.Manifest{App: "a", Functions: []manifest.Function{
				lambdaFn("other"),
				lambdaFn("reader", sqsEv("jobs")),
			}}
			st := devStage()
			tt.stage(&st)
			tree := built(t, m, st)
			res := tree["Resources"].(map[string]any)
			if tt.noRoleOK {
				for _, id := range []string{"DefaultRole", "ReaderRole", "OtherRole"} {
					if _, ok := res[id]; ok {
						t.Errorf("%s created although every function has a role ARN", id)
					}
				}
				return
			}
			for role, want := range tt.wantSQS {
				r, ok := res[role]
				if !ok {
					t.Fatalf("no %s in %v", role, keys(res))
				}
				doc, _ := json.Marshal(r)
				if got := strings.Contains(string(doc), "sqs:ReceiveMessage"); got != want {
					t.Errorf("%s has the SQS statement: %v, want %v\n%s", role, got, want, doc)
				}
			}
		})
	}
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
