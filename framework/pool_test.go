package framework

import (
	"slices"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
)

func TestUserPoolOptionsAndCognitoAuthorizerPools(t *testing.T) {
	app := New("t")
	players := app.UserPool("players", SignInWithEmail(), WithAppClient())
	app.UserPool("staff")
	app.CognitoAuthorizer("signed_in", ProviderPool(players),
		ProviderPool(ExistingUserPool("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123")))
	app.Route("/", ok, WithAuthorizer("signed_in"))
	m, err := app.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	wantPools := []manifest.UserPool{{Name: "players", EmailSignIn: true, AppClient: true}, {Name: "staff"}}
	if !slices.Equal(m.UserPools, wantPools) {
		t.Errorf("pools = %+v, want %+v", m.UserPools, wantPools)
	}
	if len(m.Authorizers) != 1 {
		t.Fatalf("authorizers = %+v", m.Authorizers)
	}
	a := m.Authorizers[0]
	if !slices.Equal(a.ProviderPools, []string{"players"}) || len(a.ProviderARNs) != 1 {
		t.Errorf("authorizer pools %v, ARNs %v: want the declared pool by name and the existing one by ARN", a.ProviderPools, a.ProviderARNs)
	}
}

func TestCognitoAuthorizerUndeclaredPool(t *testing.T) {
	app := New("t")
	app.CognitoAuthorizer("signed_in", ProviderPool(UserPool{name: "ghost"}))
	app.Route("/", ok, WithAuthorizer("signed_in"))
	_, err := app.Manifest()
	if err == nil || !strings.Contains(err.Error(), `user pool "ghost" is not declared in the app`) {
		t.Errorf("error = %v, want the undeclared pool named", err)
	}
}
