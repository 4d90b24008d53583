package cfn

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/cfnyaml"
	"github.com/gochalice/gochalice/stages"
)

func intrinsic(k string, v any) stages.Value {
	return stages.Value{Intrinsic: map[string]any{k: v}, Where: ".chalice/config.json:1:1: x"}
}

func TestFunctionConfigEmitted(t *testing.T) {
	m := &manifest.Manifest{App: "shop", FrameworkVersion: "1.0.0", Functions: []manifest.Function{
		lambdaFunction("plain"), lambdaFunction("tuned"), lambdaFunction("external"), lambdaFunction("own_policy"),
	}}
	days, five := 30, 5
	st := devStage()
	st.Parameters = []stages.Parameter{{Name: "Table", Type: "String", Default: ptr("t")}}
	policy := map[string]any{"Version": "2012-10-17", "Statement": []any{}}
	st.Functions = map[string]stages.FunctionConfig{
		"tuned": {
			XRay:                  true,
			Environment:           map[string]string{"A": "1"},
			EnvironmentIntrinsics: map[string]stages.Value{"TABLE": intrinsic("Ref", "Table")},
			Tags:                  map[string]string{"team": "x"},
			TagIntrinsics:         map[string]stages.Value{"stack": intrinsic("Fn::Sub", "${AWS::StackName}"), "gochalice": intrinsic("Ref", "Table")},
			Layers:                []stages.Value{stages.Lit("arn:aws:lambda:us-east-1:123456789012:layer:l:1"), intrinsic("Fn::ImportValue", "layer-arn")},
			SubnetIDs:             []stages.Value{stages.Lit("subnet-12345678")},
			SecurityGroupIDs:      []stages.Value{intrinsic("Ref", "Table")},
			ReservedConcurrency:   &five,
			LogRetentionInDays:    days,
		},
		"external":   {RoleARN: intrinsic("Fn::ImportValue", "role")},
		"own_policy": {Policy: policy, PolicyFile: "own.json"},
	}
	tree := built(t, m, st)
	props := dig(t, tree, "Resources", "Tuned", "Properties").(map[string]any)
	want := map[string]any{
		"Tracing":                      "Active",
		"Environment":                  map[string]any{"Variables": map[string]any{"A": "1", "TABLE": map[string]any{"Ref": "Table"}}},
		"Tags":                         map[string]any{"team": "x", "stack": map[string]any{"Fn::Sub": "${AWS::StackName}"}, "gochalice": "version=1.0.0:stage=dev:app=shop"},
		"Layers":                       []any{"arn:aws:lambda:us-east-1:123456789012:layer:l:1", map[string]any{"Fn::ImportValue": "layer-arn"}},
		"VpcConfig":                    map[string]any{"SubnetIds": []any{"subnet-12345678"}, "SecurityGroupIds": []any{map[string]any{"Ref": "Table"}}},
		"ReservedConcurrentExecutions": 5.0,
		"Role":                         map[string]any{"Fn::GetAtt": []any{"TunedRole", "Arn"}},
	}
	for k, w := range want {
		if !reflect.DeepEqual(props[k], w) {
			t.Errorf("Tuned.%s = %#v, want %#v", k, props[k], w)
		}
	}
	if got := dig(t, tree, "Resources", "TunedLogGroup", "Properties"); !reflect.DeepEqual(got, map[string]any{
		"LogGroupName": map[string]any{"Fn::Sub": "/aws/lambda/${Tuned}"}, "RetentionInDays": 30.0}) {
		t.Errorf("log group %v", got)
	}
	if got := dig(t, tree, "Resources", "External", "Properties", "Role"); !reflect.DeepEqual(got, map[string]any{"Fn::ImportValue": "role"}) {
		t.Errorf("external role %v", got)
	}
	if got := dig(t, tree, "Resources", "OwnPolicy", "Properties", "Role"); !reflect.DeepEqual(got, map[string]any{"Fn::GetAtt": []any{"OwnPolicyRole", "Arn"}}) {
		t.Errorf("own role %v", got)
	}
	if got := dig(t, tree, "Resources", "OwnPolicyRole", "Properties", "Policies"); !reflect.DeepEqual(got, []any{map[string]any{"PolicyName": "OwnPolicyRolePolicy", "PolicyDocument": policy}}) {
		t.Errorf("own policy %v", got)
	}
	stmts := dig(t, tree, "Resources", "TunedRole", "Properties", "Policies").([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any)
	stmts = append(stmts, dig(t, tree, "Resources", "TunedLogsPolicy", "Properties", "PolicyDocument", "Statement").([]any)...)
	var actions []string
	for _, s := range stmts {
		for _, a := range s.(map[string]any)["Action"].([]any) {
			actions = append(actions, a.(string))
		}
	}
	for _, a := range []string{"logs:PutLogEvents", "ec2:CreateNetworkInterface", "xray:PutTraceSegments"} {
		if !strings.Contains(strings.Join(actions, " "), a) {
			t.Errorf("Tuned's role lacks %s: %v", a, actions)
		}
	}
	if got := dig(t, tree, "Parameters", "Table"); !reflect.DeepEqual(got, map[string]any{"Type": "String", "Default": "t"}) {
		t.Errorf("parameter %v", got)
	}
}

// No DefaultRole when no function uses it; the stage's policy file becomes
// DefaultRole's policy when autogen_policy is false.
func TestDefaultRole(t *testing.T) {
	m := &manifest.Manifest{App: "a", Functions: []manifest.Function{lambdaFunction("f")}}
	st := devStage()
	st.Defaults.RoleARN = stages.Lit("arn:aws:iam::123456789012:role/r")
	tree := built(t, m, st)
	if _, ok := tree["Resources"].(map[string]any)["DefaultRole"]; ok {
		t.Error("DefaultRole created although the only function has a given role")
	}
	if got := dig(t, tree, "Resources", "F", "Properties", "Role"); got != "arn:aws:iam::123456789012:role/r" {
		t.Errorf("role %v", got)
	}

	st = devStage()
	doc := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}}
	st.Defaults.Policy, st.Defaults.PolicyFile = doc, "policy-dev.json"
	tree = built(t, m, st)
	if got := dig(t, tree, "Resources", "DefaultRole", "Properties", "Policies").([]any)[0].(map[string]any)["PolicyDocument"]; !reflect.DeepEqual(got, doc) {
		t.Errorf("DefaultRole policy %v, want the file's", got)
	}
	if _, ok := tree["Resources"].(map[string]any)["FRole"]; ok {
		t.Error("a function with the stage's policy got its own role")
	}

	// A function that turns autogen_policy back on gets a generated role of
	// its own, since DefaultRole holds the stage's file.
	m.Functions = append(m.Functions, lambdaFunction("g"))
	st.Functions = map[string]stages.FunctionConfig{"g": {XRay: true}}
	tree = built(t, m, st)
	if got := dig(t, tree, "Resources", "G", "Properties", "Role"); !reflect.DeepEqual(got, map[string]any{"Fn::GetAtt": []any{"GRole", "Arn"}}) {
		t.Errorf("g role %v", got)
	}
	gdoc := dig(t, tree, "Resources", "GRole", "Properties", "Policies").([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)
	if n := len(gdoc["Statement"].([]any)); n != 1 {
		t.Errorf("g's generated policy has %d statements, want xray: %v", n, gdoc)
	}
	if got := dig(t, tree, "Resources", "GLogsPolicy", "Properties", "PolicyDocument", "Statement"); !strings.Contains(fmt.Sprint(got), "GLogGroup") {
		t.Errorf("g's logs policy is not scoped to its log group: %v", got)
	}
}

func TestMerge(t *testing.T) {
	m := &manifest.Manifest{App: "a", Functions: []manifest.Function{lambdaFunction("f")}}
	tpl, err := Build(m, devStage())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := cfnyaml.Parse([]byte(`
Description: mine
Resources:
  F:
    Properties:
      MemorySize: 1024
      Architectures: [x86_64]
      Tags:
        extra: yes-please
  Bucket:
    Type: AWS::S3::Bucket
Outputs:
  BucketArn:
    Value: !GetAtt Bucket.Arn
`))
	if err != nil {
		t.Fatal(err)
	}
	if err := tpl.Merge(doc.(map[string]any)); err != nil {
		t.Fatal(err)
	}
	out, err := Marshal(tpl, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	tree, err := cfnyaml.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		keys []string
		want any
	}{
		{[]string{"Description"}, "mine"},
		{[]string{"Resources", "F", "Properties", "MemorySize"}, "1024"},
		{[]string{"Resources", "F", "Properties", "Timeout"}, "60"},
		{[]string{"Resources", "F", "Properties", "Architectures"}, []any{"x86_64"}},
		{[]string{"Resources", "F", "Properties", "Tags", "extra"}, "yes-please"},
		{[]string{"Resources", "F", "Properties", "Tags", "gochalice"}, "version=:stage=dev:app=a"},
		{[]string{"Resources", "F", "Type"}, "AWS::Serverless::Function"},
		{[]string{"Resources", "Bucket", "Type"}, "AWS::S3::Bucket"},
		{[]string{"Outputs", "BucketArn", "Value"}, map[string]any{"Fn::GetAtt": []any{"Bucket", "Arn"}}},
	}
	for _, c := range checks {
		got := dig(t, tree, c.keys...)
		if n, ok := got.(interface{ String() string }); ok {
			got = n.String()
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s = %#v, want %#v", strings.Join(c.keys, "."), got, c.want)
		}
	}
	// The merged template keeps the conventional order.
	s := string(out)
	if i, j := strings.Index(s, "\nResources:"), strings.Index(s, "\nOutputs:"); !strings.HasPrefix(s, "AWSTemplateFormatVersion") || i < 0 || j < i {
		t.Errorf("order lost:\n%s", s)
	}
}

func TestRefsChecked(t *testing.T) {
	m := &manifest.Manifest{App: "a", Functions: []manifest.Function{lambdaFunction("f")}}
	tests := []struct {
		name    string
		env     stages.Value
		params  []stages.Parameter
		merge   map[string]any
		wantErr string
	}{
		{name: "parameter", env: intrinsic("Ref", "P"), params: []stages.Parameter{{Name: "P", Type: "String"}}},
		{name: "pseudo parameter", env: intrinsic("Ref", "AWS::Region")},
		{name: "generated resource", env: intrinsic("Fn::GetAtt", []any{"FRole", "Arn"})},
		{name: "merged resource", env: intrinsic("Ref", "Table"), merge: map[string]any{"Resources": map[string]any{"Table": map[string]any{"Type": "AWS::DynamoDB::Table"}}}},
		{name: "undeclared", env: intrinsic("Ref", "Tabel"), params: []stages.Parameter{{Name: "Table", Type: "String"}},
			wantErr: `cfn: .chalice/config.json:1:1: x: "Tabel" is neither a parameter nor a resource of the template (parameters: Table)`},
		{name: "undeclared in Sub", env: intrinsic("Fn::Sub", "${Nope}-x"), wantErr: `"Nope" is neither a parameter nor a resource of the template (parameters: none)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := devStage()
			st.Parameters = tt.params
			st.Defaults.EnvironmentIntrinsics = map[string]stages.Value{"V": tt.env}
			tpl, err := Build(m, st)
			if err != nil {
				t.Fatal(err)
			}
			if err := tpl.Merge(tt.merge); err != nil {
				t.Fatal(err)
			}
			_, err = Marshal(tpl, "yaml")
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestReadMergeTemplate(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := dir + "/" + name
		if err := writeFile(p, data); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := ReadMergeTemplate(write("list.yaml", "- a\n")); err == nil || !strings.Contains(err.Error(), "the top level must be a mapping") {
		t.Errorf("list: %v", err)
	}
	if _, err := ReadMergeTemplate(write("bad.yaml", "A: !GetAtt X\n")); err == nil || !strings.Contains(err.Error(), "line 1, column 4") {
		t.Errorf("bad GetAtt: %v", err)
	}
	if _, err := ReadMergeTemplate(dir + "/missing.json"); err == nil || !strings.Contains(err.Error(), "merge template:") {
		t.Errorf("missing: %v", err)
	}
	doc, err := ReadMergeTemplate(write("ok.json", `{"Outputs": {"X": {"Value": {"Ref": "F"}}}}`))
	if err != nil || !reflect.DeepEqual(doc, map[string]any{"Outputs": map[string]any{"X": map[string]any{"Value": map[string]any{"Ref": "F"}}}}) {
		t.Errorf("json: %v %v", doc, err)
	}
}

func writeFile(path, data string) error { return os.WriteFile(path, []byte(data), 0o644) }
