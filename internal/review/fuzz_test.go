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
	// Small seeds keep the fuzzer fast (a 16 KB golden template slows it
	// to a few executions a second); together they cover every concern.
	oldSAM, err := os.ReadFile("testdata/sam/old.yaml")
	if err != nil {
		f.Fatal(err)
	}
	newSAM, err := os.ReadFile("testdata/sam/new.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(oldSAM, newSAM)
	f.Add([]byte(sample), []byte(resources(apiHandler, restAPI("", "*"))))
	f.Add([]byte(resources(httpAPI("[read]", "*"))), []byte(resources(role("R", "              - {Effect: Deny, NotAction: \"s3:*\", NotResource: \"*\"}\n"), function("Fn", "R", ""))))
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
