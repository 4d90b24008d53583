package review_test

import (
	"os"
	"testing"

	"github.com/gochalice/gochalice/internal/review"
)

// FuzzCompare feeds arbitrary documents as templates: Parse either
// rejects one with an error or Compare reviews it without panicking, and
// a template compared with itself has no findings.
func FuzzCompare(f *testing.F) {
	for _, p := range []string{"secure", "events", "stages", "apiconfig", "websocket", "cognito"} {
		if data, err := os.ReadFile("../../golden/expected/" + p + "/dev/template.yaml"); err == nil {
			f.Add(data, []byte(sample))
		}
	}
	f.Add([]byte(resources(function("Fn", "", "      Events: {A: {Type: Api, Properties: {Path: /x, Method: get, Auth: {Authorizer: NONE}}}}\n"))), []byte("Resources: {}"))
	f.Add([]byte("Resources: {A: {Type: AWS::IAM::Role, Properties: {Policies: [1, {PolicyDocument: {Statement: {Action: [], Resource: {Ref: X}}}}]}}}"), []byte("Resources: {A: {Type: AWS::IAM::Role}}"))
	f.Add([]byte("Resources: {A: {Type: AWS::Serverless::Api, Properties: {DefinitionBody: {paths: {/x: {get: {security: [{a: [1]}]}}}}}}}"), []byte("Globals: {Api: 1}\nResources: {}"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		old, err := review.Parse("a", a)
		if err != nil {
			return
		}
		if rep := review.Compare(old, old); len(rep.Findings) != 0 {
			t.Fatalf("a template compared with itself has findings:\n%s", rep.Text())
		}
		new, err := review.Parse("b", b)
		if err != nil {
			return
		}
		rep := review.Compare(old, new)
		_ = rep.Text()
		_ = rep.Markdown()
	})
}
