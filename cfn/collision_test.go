package cfn

import (
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

// A function whose name maps to the logical ID of a resource derived from
// another function is a build error naming both functions.
func TestDerivedIDCollisions(t *testing.T) {
	policy := map[string]any{"Version": "2012-10-17", "Statement": []any{}}
	tests := []struct {
		name  string
		fns   []string
		stage func(*stages.Stage)
		want  string
	}{
		{
			name:  "log group",
			fns:   []string{"nightly", "nightly_log_group"},
			stage: func(st *stages.Stage) { st.Defaults.LogRetentionInDays = 7 },
			want:  `function "nightly_log_group" maps to logical ID "NightlyLogGroup", which the LogGroup of function "nightly" also needs: rename one of them`,
		},
		{
			name: "own role",
			fns:  []string{"job", "job_role"},
			stage: func(st *stages.Stage) {
				st.Functions = map[string]stages.FunctionConfig{"job": {Policy: policy, PolicyFile: "p.json"}}
			},
			want: `function "job_role" maps to logical ID "JobRole", which the Role of function "job" also needs`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &manifest.Manifest{App: "a"}
			for _, f := range tt.fns {
				m.Functions = append(m.Functions, lambdaFunction(f))
			}
			st := devStage()
			tt.stage(&st)
			_, err := Build(m, st)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}
