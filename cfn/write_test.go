package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

func TestWriterKeyOrder(t *testing.T) {
	tree := map[string]any{
		"Outputs": map[string]any{"Z": map[string]any{"Value": "z", "Description": "d"}},
		"Resources": map[string]any{
			"Zeta": map[string]any{
				"Metadata":       map[string]any{"b": "1x", "a": "2x"},
				"Properties":     map[string]any{"Zed": json.Number("1"), "Alpha": true, "Mid": nil},
				"DeletionPolicy": "Retain",
				"DependsOn":      []any{"Alpha"},
				"Condition":      "IsProd",
				"Type":           "AWS::SNS::Topic",
			},
			"Alpha": map[string]any{"Properties": map[string]any{}, "Type": "AWS::SQS::Queue"},
		},
		"Globals":                  map[string]any{"Function": map[string]any{"Timeout": json.Number("3"), "Runtime": "x"}},
		"Conditions":               map[string]any{"IsProd": map[string]any{"Fn::Equals": []any{"a", "b"}}},
		"Mappings":                 map[string]any{},
		"Parameters":               map[string]any{"B": map[string]any{"Type": "String"}, "A": map[string]any{"Type": "String"}},
		"Description":              "d",
		"Transform":                "AWS::Serverless-2016-10-31",
		"AWSTemplateFormatVersion": "2010-09-09",
	}
	wantYAML := `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: d
Parameters:
  A:
    Type: String
  B:
    Type: String
Mappings: {}
Conditions:
  IsProd:
    Fn::Equals:
      - a
      - b
Globals:
  Function:
    Runtime: x
    Timeout: 3
Resources:
  Alpha:
    Type: AWS::SQS::Queue
    Properties: {}
  Zeta:
    Type: AWS::SNS::Topic
    Condition: IsProd
    DependsOn:
      - Alpha
    Properties:
      Alpha: true
      Mid: null
      Zed: 1
    DeletionPolicy: Retain
    Metadata:
      a: 2x
      b: 1x
Outputs:
  Z:
    Description: d
    Value: z
`
	gotYAML, err := writeYAML(orderedNode(tree, levelTop))
	if err != nil {
		t.Fatal(err)
	}
	if string(gotYAML) != wantYAML {
		t.Errorf("YAML (- want, + got):\n%s", lineDiff(wantYAML, string(gotYAML)))
	}

	wantJSON := `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Transform": "AWS::Serverless-2016-10-31",
  "Description": "d",
  "Parameters": {
    "A": {
      "Type": "String"
    },
    "B": {
      "Type": "String"
    }
  },
  "Mappings": {},
  "Conditions": {
    "IsProd": {
      "Fn::Equals": [
        "a",
        "b"
      ]
    }
  },
  "Globals": {
    "Function": {
      "Runtime": "x",
      "Timeout": 3
    }
  },
  "Resources": {
    "Alpha": {
      "Type": "AWS::SQS::Queue",
      "Properties": {}
    },
    "Zeta": {
      "Type": "AWS::SNS::Topic",
      "Condition": "IsProd",
      "DependsOn": [
        "Alpha"
      ],
      "Properties": {
        "Alpha": true,
        "Mid": null,
        "Zed": 1
      },
      "DeletionPolicy": "Retain",
      "Metadata": {
        "a": "2x",
        "b": "1x"
      }
    }
  },
  "Outputs": {
    "Z": {
      "Description": "d",
      "Value": "z"
    }
  }
}
`
	gotJSON, err := writeJSON(orderedNode(tree, levelTop))
	if err != nil {
		t.Fatal(err)
	}
	if string(gotJSON) != wantJSON {
		t.Errorf("JSON (- want, + got):\n%s", lineDiff(wantJSON, string(gotJSON)))
	}
}

// bigManifest has enough functions, tags and variables that map iteration
// order would show in the output if anything depended on it.
func bigManifest() (*manifest.Manifest, stages.Stage) {
	m := &manifest.Manifest{App: "big", FrameworkVersion: "0.1.0", Functions: []manifest.Function{apiFunction()}}
	st := devStage()
	st.Functions = map[string]stages.FunctionConfig{}
	for i := range 20 {
		name := fmt.Sprintf("fn_%02d", i)
		m.Functions = append(m.Functions, lambdaFunction(name))
		fc := st.Defaults
		fc.Environment, fc.Tags = map[string]string{}, map[string]string{}
		for j := range 20 {
			fc.Environment[fmt.Sprintf("VAR_%d", j)] = fmt.Sprint(i * j)
			fc.Tags[fmt.Sprintf("tag-%d", j)] = fmt.Sprint(j)
		}
		st.Functions[name] = fc
		m.Routes = append(m.Routes, manifest.Route{Path: fmt.Sprintf("/r%02d/{id}", i), Methods: []string{"DELETE", "GET", "PATCH", "POST", "PUT"}, Params: []string{"id"}})
	}
	return m, st
}

func TestDeterministic(t *testing.T) {
	m, st := bigManifest()
	for _, format := range []string{"yaml", "json"} {
		var first []byte
		for i := range 5 {
			tpl, err := Build(m, st)
			if err != nil {
				t.Fatal(err)
			}
			// Marshal twice from one build, too: Marshal must not change the template.
			a, err := Marshal(tpl, format)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Marshal(tpl, format)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Fatalf("%s: two Marshal calls on one template differ:\n%s", format, lineDiff(string(a), string(b)))
			}
			if i == 0 {
				first = a
			} else if !bytes.Equal(first, a) {
				t.Fatalf("%s: build %d differs from build 0:\n%s", format, i, lineDiff(string(first), string(a)))
			}
		}
	}
}

// trickyStrings read as something other than themselves in YAML 1.1 or 1.2
// when written plain, or need quoting or escaping for other reasons.
var trickyStrings = []string{
	"2010-09-09", "2001-12-14t21:59:43.10-05:00", "200", "1.0", "1.", ".5", "1e3", "+1", "-1", "0x1F", "0o17", "0777", "0b101", "1_000", "1:30", "190:20:30",
	".inf", "-.Inf", ".nan", "true", "False", "yes", "No", "on", "OFF", "y", "N", "null", "Null", "~", "", "<<", "=",
	" leading", "trailing ", "a: b", "a #b", "#comment", "- dash", "? q", "[x]", "{x}", "*alias", "&anchor", "!tag", "%dir", "@at", "`tick", "'single'", `"double"`,
	"multi\nline", "multi\nline\n", "\ttab", "back\\slash", "ünïcödé", "<html>&amp;",
}

// trickyTemplate is a lambda-only template whose function's environment
// holds every tricky string, as value and (when a valid map key) as key.
func trickyTemplate(t *testing.T) (*Template, map[string]string) {
	t.Helper()
	env := map[string]string{}
	for i, s := range trickyStrings {
		env[fmt.Sprintf("V%02d", i)] = s
		env[s] = "key"
	}
	m := &manifest.Manifest{App: "tricky", FrameworkVersion: "0.1.0", Functions: []manifest.Function{lambdaFunction("f")}}
	st := devStage()
	st.Defaults.Environment = env
	tpl, err := Build(m, st)
	if err != nil {
		t.Fatal(err)
	}
	return tpl, env
}

func TestYAMLQuoting(t *testing.T) {
	tpl, env := trickyTemplate(t)
	out, err := Marshal(tpl, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("the YAML does not parse: %v\n%s", err, out)
	}
	if v := doc["AWSTemplateFormatVersion"]; v != "2010-09-09" {
		t.Errorf("AWSTemplateFormatVersion reads back as %#v", v)
	}
	got := dig(t, doc, "Resources", "F", "Properties", "Environment", "Variables").(map[string]any)
	for k, v := range env {
		if got[k] != v {
			t.Errorf("variable %q reads back as %#v (%T), want %q", k, got[k], got[k], v)
		}
	}
	if len(got) != len(env) {
		t.Errorf("%d variables read back, want %d", len(got), len(env))
	}
	// Strings that only a YAML 1.1 reader resolves must be quoted all the same.
	for _, s := range []string{"yes", "No", "on", "OFF", "y", "N", "0777", "1_000", "1:30", "190:20:30", "<<", "=", "1."} {
		if !bytes.Contains(out, []byte(fmt.Sprintf(": %q\n", s))) {
			t.Errorf("%q is not double-quoted as a value", s)
		}
	}
}

// TestYAMLQuotingPyYAML reads the tricky template with PyYAML, a YAML 1.1
// reader of the family cfn-lint and CloudFormation's tooling use.
func TestYAMLQuotingPyYAML(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH")
	}
	if err := exec.Command(python, "-c", "import yaml").Run(); err != nil {
		t.Skip("python3 has no yaml module")
	}
	tpl, env := trickyTemplate(t)
	out, err := Marshal(tpl, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-c", `import json, sys, yaml
doc = yaml.safe_load(sys.stdin)
json.dump([doc["AWSTemplateFormatVersion"], doc["Resources"]["F"]["Properties"]["Environment"]["Variables"]], sys.stdout)`)
	cmd.Stdin = bytes.NewReader(out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("PyYAML: %v\n%s", err, stderr.Bytes())
	}
	var got []any
	if err := json.Unmarshal(res, &got); err != nil {
		t.Fatal(err)
	}
	if got[0] != "2010-09-09" {
		t.Errorf("PyYAML reads AWSTemplateFormatVersion as %#v", got[0])
	}
	vars := got[1].(map[string]any)
	for k, v := range env {
		if vars[k] != v {
			t.Errorf("PyYAML reads variable %q as %#v (%T), want %q", k, vars[k], vars[k], v)
		}
	}
	if len(vars) != len(env) {
		t.Errorf("PyYAML reads %d variables, want %d", len(vars), len(env))
	}
}

func TestJSONMatchesYAML(t *testing.T) {
	tpl, _ := trickyTemplate(t)
	cases := []*Template{tpl}
	for _, c := range goldenCases() {
		tpl, err := Build(c.m, c.stage)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, tpl)
	}
	for i, tpl := range cases {
		j, err := Marshal(tpl, "json")
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(j) || !bytes.HasSuffix(j, []byte("}\n")) {
			t.Fatalf("case %d: invalid JSON or no trailing newline:\n%s", i, j)
		}
		var fromJSON any
		if err := json.Unmarshal(j, &fromJSON); err != nil {
			t.Fatal(err)
		}
		y, err := Marshal(tpl, "yaml")
		if err != nil {
			t.Fatal(err)
		}
		var fromYAML any
		if err := yaml.Unmarshal(y, &fromYAML); err != nil {
			t.Fatal(err)
		}
		// Normalise the YAML reading (ints) to JSON's (float64).
		norm, err := json.Marshal(fromYAML)
		if err != nil {
			t.Fatal(err)
		}
		var fromYAMLNorm any
		if err := json.Unmarshal(norm, &fromYAMLNorm); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fromJSON, fromYAMLNorm) {
			t.Errorf("case %d: the JSON and YAML templates hold different data", i)
		}
	}
}

func TestYAMLHasNoAnchorsOrAliases(t *testing.T) {
	m, st := bigManifest()
	tpl, err := Build(m, st)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Marshal(tpl, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Anchor != "" || n.Kind == yaml.AliasNode {
			t.Errorf("line %d: anchor or alias", n.Line)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&doc)
	for i, line := range strings.Split(string(out), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if indent := len(line) - len(trimmed); indent%2 != 0 {
			t.Errorf("line %d is indented by %d spaces: %q", i+1, indent, line)
		}
	}
}

// A user string equal to an intrinsic placeholder must fail the build's
// Marshal, not turn into an intrinsic function.
func TestPlaceholderCollision(t *testing.T) {
	m := &manifest.Manifest{App: "a", FrameworkVersion: "0.1.0", Functions: []manifest.Function{lambdaFunction("f")}}
	st := devStage()
	st.Defaults.Environment = map[string]string{"X": fmt.Sprintf(placeholderFormat, 0)}
	tpl, err := Build(m, st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Marshal(tpl, "yaml"); err == nil || !strings.Contains(err.Error(), "placeholder") {
		t.Errorf("Marshal error = %v, want a placeholder error", err)
	}
}
