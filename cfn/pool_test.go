package cfn

import (
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
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
