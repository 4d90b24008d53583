package stages

import (
	"maps"
	"slices"
	"testing"
)

func TestLocalEnvironment(t *testing.T) {
	c := parse(t, t.TempDir(), `{
  "version": "2.0",
  "parameters": {"Table": {"default": "t"}, "NoDefault": {}},
  "environment_variables": {
    "PLAIN": "x",
    "TABLE": {"Ref": "Table"},
    "SUB": {"Fn::Sub": "${AWS::Region}/${Table}/${!Literal}"},
    "NODEF": {"Ref": "NoDefault"},
    "ATT": {"Fn::GetAtt": ["Queue", "Arn"]}
  },
  "lambda_functions": {"worker": {"environment_variables": {"ONLY": "w"}}}
}`)
	st := stage(t, c, "dev", Overrides{})
	env, unresolved := st.LocalEnvironment("api_handler")
	want := map[string]string{"PLAIN": "x", "TABLE": "t", "SUB": "us-east-1/t/${Literal}"}
	if !maps.Equal(env, want) {
		t.Errorf("env = %v, want %v", env, want)
	}
	if !slices.Equal(unresolved, []string{"ATT", "NODEF"}) {
		t.Errorf("unresolved = %v, want [ATT NODEF]", unresolved)
	}
	if env, _ := st.LocalEnvironment("worker"); env["ONLY"] != "w" || env["PLAIN"] != "x" {
		t.Errorf("worker env = %v", env)
	}
}
