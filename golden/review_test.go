package golden

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gochalice/gochalice/internal/goldentest"
	"github.com/gochalice/gochalice/internal/review"
)

// reviewPair is a change built from an expected template: old is the
// template (edited by before, if set), new is the template edited by
// after, or another expected template.
type reviewPair struct {
	name     string // testdata/review/<name>/
	from     string // expected template the old side starts from
	to       string // expected template the new side starts from ("" for from)
	before   func(t *testing.T, doc *yaml.Node)
	after    func(t *testing.T, doc *yaml.Node)
	withJSON bool // also a JSON review
}

var reviewPairs = []reviewPair{
	{name: "auth-removed", from: "expected/secure/dev/template.yaml",
		after: func(t *testing.T, doc *yaml.Node) {
			del(t, node(t, doc, "Resources", "RestAPI", "Properties", "DefinitionBody", "paths", "/private", "get"), "security")
		}},
	{name: "role-widened", from: "expected/secure/dev/template.yaml",
		after: func(t *testing.T, doc *yaml.Node) {
			stmts := statements(t, doc, roleOf(t, doc, "APIHandler"))
			stmts.Content = append(stmts.Content, yamlNode(t, `{Action: "s3:*", Effect: Allow, Resource: "*"}`))
		}},
	{name: "bucket-replaced", from: "expected/s3/dev/template.yaml",
		before: func(t *testing.T, doc *yaml.Node) {
			set(t, node(t, doc, "Resources", "UploadsBucket", "Properties"), "BucketName", "gochalice-s3-uploads")
		},
		after: func(t *testing.T, doc *yaml.Node) {
			set(t, node(t, doc, "Resources", "UploadsBucket", "Properties"), "BucketName", "gochalice-s3-uploads-v2")
		}},
	{name: "memory-raised", from: "expected/hello/dev/template.yaml",
		after: func(t *testing.T, doc *yaml.Node) {
			set(t, node(t, doc, "Resources", "APIHandler", "Properties"), "MemorySize", "1024")
		}},
	{name: "schedule-changed", from: "expected/events/dev/template.yaml",
		after: func(t *testing.T, doc *yaml.Node) {
			// The first Schedule event of any function.
			res := node(t, doc, "Resources")
			for i := 1; i < len(res.Content); i += 2 {
				events := find(res.Content[i], "Properties", "Events")
				for j := 1; events != nil && j < len(events.Content); j += 2 {
					if typ := find(events.Content[j], "Type"); typ != nil && typ.Value == "Schedule" {
						set(t, node(t, events.Content[j], "Properties"), "Schedule", "rate(15 minutes)")
						return
					}
				}
			}
			t.Fatal("no Schedule event in the events template")
		}},
	// The sample of docs/review.md: one pull request, several concerns.
	{name: "pull-request", from: "expected/secure/dev/template.yaml",
		after: func(t *testing.T, doc *yaml.Node) {
			del(t, node(t, doc, "Resources", "RestAPI", "Properties", "DefinitionBody", "paths", "/private", "get"), "security")
			stmts := statements(t, doc, roleOf(t, doc, "APIHandler"))
			stmts.Content = append(stmts.Content, yamlNode(t, `{Action: ["s3:GetObject", "s3:PutObject"], Effect: Allow, Resource: "*"}`))
			fn := node(t, doc, "Resources", "APIHandler", "Properties")
			set(t, fn, "MemorySize", "512")
			fn.Content = append(fn.Content, yamlNode(t, "Environment"), yamlNode(t, "{Variables: {UPLOADS_BUCKET: shop-uploads}}"))
			cors := node(t, doc, "Resources", "RestAPI", "Properties", "DefinitionBody", "paths", "/cors/custom", "options",
				"x-amazon-apigateway-integration", "responses", "default", "responseParameters")
			set(t, cors, "method.response.header.Access-Control-Allow-Origin", "'*'")
		}},
	// An HTTP API (SAM HttpApi events): a JWT route's scope dropped.
	{name: "httpapi-scope-dropped", from: "expected/httpapi/dev/template.yaml",
		after: func(t *testing.T, doc *yaml.Node) {
			del(t, node(t, doc, "Resources", "APIHandler", "Properties", "Events", "GetMe", "Properties", "Auth"), "AuthorizationScopes")
		}},
	{name: "stages-dev-prod", from: "expected/stages/dev/template.yaml", to: "expected/stages/prod/template.yaml", withJSON: true},
}

// TestReviewPairs builds each pair under testdata/review/ and checks its
// review in text and Markdown (rewritten with -update like every golden
// file here).
func TestReviewPairs(t *testing.T) {
	for _, p := range reviewPairs {
		t.Run(p.name, func(t *testing.T) {
			dir := filepath.Join("testdata", "review", p.name)
			to := p.to
			if to == "" {
				to = p.from
			}
			old, new := filepath.Join(dir, "old.yaml"), filepath.Join(dir, "new.yaml")
			goldentest.Check(t, old, edited(t, p.from, p.before), "go test ./golden/... -update")
			goldentest.Check(t, new, edited(t, to, p.after), "go test ./golden/... -update")
			rep, err := review.Files(old, new)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Findings) == 0 {
				t.Fatal("the pair's review is empty")
			}
			goldentest.Check(t, filepath.Join(dir, "review.txt"), []byte(rep.Text()), "go test ./golden/... -update")
			goldentest.Check(t, filepath.Join(dir, "review.md"), []byte(rep.Markdown()), "go test ./golden/... -update")
			if p.withJSON {
				var b bytes.Buffer
				if err := rep.Write(&b, "json"); err != nil {
					t.Fatal(err)
				}
				goldentest.Check(t, filepath.Join(dir, "review.json"), b.Bytes(), "go test ./golden/... -update")
			}
		})
	}
}

// TestReviewDocSample keeps the sample reviews of docs/review.md and the
// README the ones the review prints for the pull-request pair.
func TestReviewDocSample(t *testing.T) {
	docs := []struct{ path, want string }{
		{"../docs/review.md", "review.txt"},
		{"../docs/review.md", "review.md"},
		{"../README.md", "review.txt"},
	}
	for _, d := range docs {
		doc, err := os.ReadFile(d.path)
		if err != nil {
			t.Fatal(err)
		}
		f := d.want
		want, err := os.ReadFile(filepath.Join("testdata", "review", "pull-request", f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(doc, want) {
			t.Errorf("%s does not show testdata/review/pull-request/%s verbatim:\n%s", d.path, f, want)
		}
	}
}

// edited returns the expected template at path, edited by edit (if set).
func edited(t *testing.T, path string, edit func(*testing.T, *yaml.Node)) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if edit == nil {
		return data
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	edit(t, doc.Content[0])
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// roleOf returns the logical ID of a function's role: the one its Role
// names (!GetAtt X.Arn, long or short form), else <Function>Role.
func roleOf(t *testing.T, doc *yaml.Node, fn string) string {
	t.Helper()
	if att := find(doc, "Resources", fn, "Properties", "Role", "Fn::GetAtt"); att != nil {
		if att.Kind == yaml.SequenceNode && len(att.Content) > 0 {
			return att.Content[0].Value
		}
		return strings.Split(att.Value, ".")[0]
	}
	if r := find(doc, "Resources", fn, "Properties", "Role"); r != nil && r.Tag == "!GetAtt" {
		return strings.Split(r.Value, ".")[0]
	}
	if find(doc, "Resources", fn+"Role") != nil {
		return fn + "Role"
	}
	t.Fatalf("function %s has no role in the template", fn)
	return ""
}

// statements returns the statement list of a role's first inline policy,
// or of the first AWS::IAM::RolePolicy attached to it.
func statements(t *testing.T, doc *yaml.Node, role string) *yaml.Node {
	t.Helper()
	if p := find(doc, "Resources", role, "Properties", "Policies"); p != nil && len(p.Content) > 0 {
		return node(t, p.Content[0], "PolicyDocument", "Statement")
	}
	res := node(t, doc, "Resources")
	for i := 1; i < len(res.Content); i += 2 {
		r := res.Content[i]
		if typ := find(r, "Type"); typ == nil || typ.Value != "AWS::IAM::RolePolicy" {
			continue
		}
		if ref := find(r, "Properties", "RoleName", "Ref"); ref != nil && ref.Value == role {
			return node(t, r, "Properties", "PolicyDocument", "Statement")
		}
	}
	t.Fatalf("role %s has no policy in the template", role)
	return nil
}

// find walks mapping keys from n; nil when a key is missing.
func find(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}

func node(t *testing.T, n *yaml.Node, keys ...string) *yaml.Node {
	t.Helper()
	found := find(n, keys...)
	if found == nil {
		t.Fatalf("no %v in the template", keys)
	}
	return found
}

// set sets key of mapping m to a plain scalar.
func set(t *testing.T, m *yaml.Node, key, value string) {
	t.Helper()
	if v := find(m, key); v != nil {
		v.Value = value
		return
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, &yaml.Node{Kind: yaml.ScalarNode, Value: value})
}

// del removes key from mapping m.
func del(t *testing.T, m *yaml.Node, key string) {
	t.Helper()
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
	t.Fatalf("no key %s to delete", key)
}

func yamlNode(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	n := doc.Content[0]
	n.Style = 0 // block style, like the rest of the template
	return n
}
