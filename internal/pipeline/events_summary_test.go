package pipeline

import (
	"strings"
	"testing"

	"github.com/gochalice/gochalice/cfn"
	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

func TestManualSteps(t *testing.T) {
	m := &manifest.Manifest{Functions: []manifest.Function{
		{Name: "welcome", Events: []manifest.Event{{Type: manifest.EventCognito, Cognito: &manifest.CognitoEvent{Trigger: "PostConfirmation", ExistingPoolARN: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123"}}}},
		{Name: "audit", Events: []manifest.Event{{Type: manifest.EventS3, S3: &manifest.S3Event{ExistingBucket: "corp-audit", Events: []string{"s3:ObjectCreated:*"}, Suffix: ".json"}}}},
		{Name: "auto_confirm", Events: []manifest.Event{{Type: manifest.EventCognito, Cognito: &manifest.CognitoEvent{Trigger: "PreSignUp", Pool: "users"}}}},
	}}
	var b strings.Builder
	writeManualSteps(&b, m)
	want := `
Then, once, outside CloudFormation (the invoke permissions are in the stack):
  attach function welcome (output WelcomePostConfirmationTrigger) as the PostConfirmation trigger of user pool arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123
  add a notification (s3:ObjectCreated:* suffix .json) on bucket corp-audit to function audit (output AuditS3NotificationCorpAudit)
`
	if b.String() != want {
		t.Errorf("manual steps:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	writeManualSteps(&b, &manifest.Manifest{Functions: m.Functions[2:]})
	if b.Len() != 0 {
		t.Errorf("a declared pool needs no manual step, got:\n%s", b.String())
	}
}

// TestManualStepsNameRealOutputs checks that the outputs the steps name are
// the ones cfn emits.
func TestManualStepsNameRealOutputs(t *testing.T) {
	m := &manifest.Manifest{SchemaVersion: 1, App: "x", FrameworkVersion: "0.1.0", Functions: []manifest.Function{
		{Name: "welcome", Handler: "welcome", Kind: manifest.KindLambda, Events: []manifest.Event{{Type: manifest.EventCognito, Cognito: &manifest.CognitoEvent{Trigger: "PostConfirmation", ExistingPoolARN: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123"}}}},
		{Name: "audit", Handler: "audit", Kind: manifest.KindLambda, Events: []manifest.Event{{Type: manifest.EventS3, S3: &manifest.S3Event{ExistingBucket: "corp-audit", Events: []string{"s3:ObjectCreated:*"}}}}},
	}}
	st := stages.Stage{Name: "dev", APIGatewayStage: "api", Defaults: stages.FunctionConfig{MemorySize: 128, Timeout: 60, Architecture: "arm64"}}
	tpl, err := cfn.Build(m, st)
	if err != nil {
		t.Fatal(err)
	}
	out, err := cfn.Marshal(tpl, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"WelcomePostConfirmationTrigger", "AuditS3NotificationCorpAudit"} {
		if !strings.Contains(string(out), "\n  "+id+":\n") {
			t.Errorf("the template has no output %s", id)
		}
		if steps := strings.Join(manualSteps(m), "\n"); !strings.Contains(steps, "(output "+id+")") {
			t.Errorf("the steps do not name output %s:\n%s", id, steps)
		}
	}
}
