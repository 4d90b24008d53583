package review_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/internal/cfnyaml"
	"github.com/gochalice/gochalice/internal/goldentest"
	"github.com/gochalice/gochalice/internal/review"
)

// sample is a gochalice template (the secure sample's shape, small).
var sample = resources(apiHandler, restAPI("[{token_auth: []}]", "https://app.example.com"), role("DefaultRole", "              - {Effect: Allow, Action: s3:GetObject, Resource: \"arn:aws:s3:::b/*\"}\n"),
	"\n  Uploads:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n    Properties: {BucketName: uploads}\n") +
	"Outputs:\n  Url: {Value: !Sub \"https://${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}/api/\"}\n"

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// toJSON converts a YAML template to JSON (intrinsics in long form).
func toJSON(t *testing.T, src string) string {
	t.Helper()
	tree, err := cfnyaml.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(tree, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestNoChanges(t *testing.T) {
	dir := t.TempDir()
	yamlPath := write(t, dir, "a/template.yaml", sample)
	jsonPath := write(t, dir, "b/template.json", toJSON(t, sample))
	tests := []struct{ name, old, new string }{
		{"identical file", yamlPath, yamlPath},
		{"YAML vs JSON", yamlPath, jsonPath},
		{"out/<stage> directories", filepath.Dir(yamlPath), filepath.Dir(jsonPath)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := review.Files(tc.old, tc.new)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Findings) != 0 {
				t.Fatalf("findings for the same template:\n%s", rep.Text())
			}
			if code := rep.ExitCode(review.Info); code != review.ExitNone {
				t.Errorf("exit code %d, want %d", code, review.ExitNone)
			}
			if !strings.Contains(rep.Text(), ": no changes\n") || !strings.Contains(rep.Markdown(), ": no changes\n") {
				t.Errorf("no \"no changes\" line:\n%s\n%s", rep.Text(), rep.Markdown())
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "two/template.yaml", sample)
	write(t, dir, "two/template.json", toJSON(t, sample))
	if err := os.MkdirAll(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	bad := write(t, dir, "bad.yaml", "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {x: [}\n")
	list := write(t, dir, "list.yaml", "- a\n")
	noRes := write(t, dir, "nores.yaml", "Outputs: {}\n")
	alias := write(t, dir, "alias.yaml", "Resources:\n  A: &a\n    Type: AWS::S3::Bucket\n  B: *a\n")
	noType := write(t, dir, "notype.yaml", "Resources:\n  A:\n    Properties: {}\n")
	include := write(t, dir, "inc/template.yaml", "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      DefinitionBody:\n        Fn::Transform: {Name: AWS::Include, Parameters: {Location: ./missing.yaml}}\n")
	tests := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "nope.yaml"), "nope.yaml: no such file or directory"},
		{"empty directory", filepath.Join(dir, "empty"), "empty: no template.yaml, template.yml, template.json in the directory"},
		{"two templates", filepath.Join(dir, "two"), "two: the directory holds template.yaml and template.json: name the one to review"},
		{"bad YAML", bad, "bad.yaml: yaml: line "},
		{"not a mapping", list, "list.yaml: not a CloudFormation template: the document is not a mapping"},
		{"no Resources", noRes, "nores.yaml: not a CloudFormation template: no Resources mapping"},
		{"alias", alias, "alias.yaml: line 4, column 6: YAML aliases (*a) are not supported"},
		{"no Type", noType, "notype.yaml: resource A has no Type"},
		{"missing include", include, "template.yaml: resource Api: AWS::Include: open " + filepath.Join(dir, "inc", "missing.yaml")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := review.Load(tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestInclude(t *testing.T) {
	for name, tpl := range map[string]string{
		"AWS::Include":  "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: api\n      DefinitionBody:\n        Fn::Transform: {Name: AWS::Include, Parameters: {Location: ./api.yaml}}\n",
		"DefinitionUri": "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: api\n      DefinitionUri: api.yaml\n",
	} {
		t.Run(name, func(t *testing.T) { testInclude(t, tpl) })
	}
}

func testInclude(t *testing.T, tpl string) {
	dir := t.TempDir()
	write(t, dir, "old/template.yaml", tpl)
	write(t, dir, "old/api.yaml", "swagger: \"2.0\"\npaths:\n  /a:\n    get: {security: [{iam: []}]}\nsecurityDefinitions:\n  iam: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}\n")
	write(t, dir, "new/template.yaml", tpl)
	write(t, dir, "new/api.yaml", "swagger: \"2.0\"\npaths:\n  /a:\n    get: {}\nsecurityDefinitions:\n  iam: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}\n")
	rep, err := review.Files(filepath.Join(dir, "old"), filepath.Join(dir, "new"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Message != "authorizer IAM removed: the route is now public" {
		t.Fatalf("review of an included definition:\n%s", rep.Text())
	}
}

func TestExitCode(t *testing.T) {
	f := func(levels ...review.Level) *review.Report {
		r := &review.Report{}
		for _, l := range levels {
			r.Findings = append(r.Findings, review.Finding{Level: l})
		}
		return r
	}
	tests := []struct {
		name   string
		rep    *review.Report
		failOn review.Level
		want   int
	}{
		{"no change", f(), review.Info, 0},
		{"info", f(review.Info), review.Info, 1},
		{"review", f(review.Info, review.Review), review.Info, 1},
		{"risk", f(review.Info, review.Risk), review.Info, 2},
		{"info, fail on review", f(review.Info), review.Review, 0},
		{"review, fail on review", f(review.Review), review.Review, 1},
		{"risk, fail on review", f(review.Risk, review.Info), review.Review, 2},
		{"review, fail on risk", f(review.Review), review.Risk, 0},
		{"risk, fail on risk", f(review.Risk), review.Risk, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rep.ExitCode(tc.failOn); got != tc.want {
				t.Errorf("ExitCode(%v) = %d, want %d", tc.failOn, got, tc.want)
			}
		})
	}
}

func TestRender(t *testing.T) {
	rep := &review.Report{Old: "a|b.yaml", New: "new.yaml", Findings: []review.Finding{
		{Concern: review.API, Level: review.Risk, Subject: "GET /x", Message: "authorizer a_b removed: the route is now public"},
		{Concern: review.IAM, Level: review.Review, Subject: "role R (F)", Message: "allows s3:* on *|x"},
		{Concern: review.IAM, Level: review.Info, Subject: "role R (F)", Message: "no longer allows s3:GetObject on <b>"},
	}}
	tests := []struct{ format, want string }{
		{"text", `Review of a|b.yaml → new.yaml: 1 risk, 1 review, 1 info

API
  risk    GET /x: authorizer a_b removed: the route is now public

IAM
  review  role R (F): allows s3:* on *|x
  info    role R (F): no longer allows s3:GetObject on <b>
`},
		{"markdown", "**Template review** of `a\\|b.yaml` → `new.yaml`: **1 risk**, 1 review, 1 info\n" + `
### API

| Level | Subject | Change |
|---|---|---|
| **risk** | ` + "`GET /x`" + ` | authorizer a\_b removed: the route is now public |

### IAM

| Level | Subject | Change |
|---|---|---|
| review | ` + "`role R (F)`" + ` | allows s3:\* on \*\|x |
| info | ` + "`role R (F)`" + ` | no longer allows s3:GetObject on \<b\> |
`},
		{"json", `{
  "old": "a|b.yaml",
  "new": "new.yaml",
  "summary": {
    "info": 1,
    "review": 1,
    "risk": 1
  },
  "findings": [
    {
      "concern": "API",
      "level": "risk",
      "subject": "GET /x",
      "message": "authorizer a_b removed: the route is now public"
    },
    {
      "concern": "IAM",
      "level": "review",
      "subject": "role R (F)",
      "message": "allows s3:* on *|x"
    },
    {
      "concern": "IAM",
      "level": "info",
      "subject": "role R (F)",
      "message": "no longer allows s3:GetObject on <b>"
    }
  ]
}
`},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			var b bytes.Buffer
			if err := rep.Write(&b, tc.format); err != nil {
				t.Fatal(err)
			}
			if b.String() != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), tc.want)
			}
		})
	}
	if err := rep.Write(&bytes.Buffer{}, "html"); err == nil || !strings.Contains(err.Error(), `unknown format "html"`) {
		t.Errorf("html format: %v", err)
	}
}

// TestGenericSAM reviews a change of a SAM template gochalice did not
// write (Globals, SimpleTable, implicit API and roles, policy templates,
// function URLs) against its golden review.
func TestGenericSAM(t *testing.T) {
	rep, err := review.Files("testdata/sam/old.yaml", "testdata/sam/new.yaml")
	if err != nil {
		t.Fatal(err)
	}
	goldentest.Check(t, "testdata/sam/review.txt", []byte(rep.Text()), "go test ./internal/review -update")
	if code := rep.ExitCode(review.Info); code != review.ExitRisk {
		t.Errorf("exit code %d, want %d", code, review.ExitRisk)
	}
}
