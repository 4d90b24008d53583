package cfn

import (
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

func TestCognitoAuthorizerTrustsADeclaredPool(t *testing.T) {
	m := &manifest.Manifest{
		SchemaVersion: manifest.SchemaVersion, App: "t", FrameworkVersion: "0.1.0",
		Functions: []manifest.Function{{Name: "api_handler", Handler: "api_handler", Kind: manifest.KindAPI}},
		Routes: []manifest.Route{{Path: "/", Methods: []string{"GET"},
			Views: []manifest.View{{Method: "GET", Authorizer: "signed_in"}}}},
		Authorizers: []manifest.Authorizer{{Name: "signed_in", Type: manifest.AuthCognito, ProviderPools: []string{"players"}}},
		UserPools:   []manifest.UserPool{{Name: "players", EmailSignIn: true, AppClient: true}},
	}
	tpl, err := Build(m, devStage())
	if err != nil {
		t.Fatal(err)
	}
	out, err := Marshal(tpl, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	y := string(out)
	for _, want := range []string{
		"providerARNs:\n                - Fn::GetAtt:\n                    - PlayersUserPool\n                    - Arn",
		"PlayersUserPoolClient:\n    Type: AWS::Cognito::UserPoolClient",
		"UsernameAttributes:\n        - email",
		"PlayersUserPoolClientId:",
	} {
		if !strings.Contains(y, want) {
			t.Errorf("template lacks %q", want)
		}
	}

	m.UserPools = nil
	if _, err := Build(m, devStage()); err == nil || !strings.Contains(err.Error(), `user pool "players" is not declared`) {
		t.Errorf("undeclared pool: error = %v", err)
	}
}

// A pool ARN parameter named by a Cognito authorizer may also be declared in
// the config, to give it per-stage defaults: the config's declaration wins
// and the template has it once.
func TestProviderARNParameterDeclaredInConfig(t *testing.T) {
	m := &manifest.Manifest{
		SchemaVersion: manifest.SchemaVersion, App: "t", FrameworkVersion: "0.1.0",
		Functions: []manifest.Function{{Name: "api_handler", Handler: "api_handler", Kind: manifest.KindAPI}},
		Routes: []manifest.Route{{Path: "/", Methods: []string{"GET"},
			Views: []manifest.View{{Method: "GET", Authorizer: "users"}}}},
		Authorizers: []manifest.Authorizer{{Name: "users", Type: manifest.AuthCognito, ProviderARNParams: []string{"UserPoolArn"}}},
	}
	st := devStage()
	def := "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123"
	st.Parameters = []stages.Parameter{{Name: "UserPoolArn", Type: "String", Default: &def}}
	tree := built(t, m, st)
	p := dig(t, tree, "Parameters", "UserPoolArn").(map[string]any)
	if p["Default"] != def {
		t.Errorf("parameter = %v, want the config's declaration with its default", p)
	}
}
