package framework

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// The local Cognito emulation runs a pool's triggers around the calls it
// forwards: pre-sign-up before SignUp (auto-confirm becomes
// AdminConfirmSignUp), post-confirmation after, with the user as the pool
// holds them.
func TestLocalCognito(t *testing.T) {
	tests := []struct {
		name    string
		action  string
		body    string
		reject  bool // the pre-sign-up trigger refuses
		pool    string
		status  int
		answer  string // a substring of the answer
		calls   []string
		welcome []string
	}{
		{"sign-up", "SignUp", `{"ClientId":"c1","Username":"ann@example.com","Password":"p","UserAttributes":[{"Name":"email","Value":"ann@example.com"}]}`, false, "players",
			200, `"UserConfirmed":true`, []string{"SignUp", "AdminConfirmSignUp", "AdminUpdateUserAttributes", "AdminGetUser"}, []string{"sub-ann ann@example.com PostConfirmation_ConfirmSignUp"}},
		{"refused", "SignUp", `{"ClientId":"c1","Username":"bob@example.com","Password":"p"}`, true, "players",
			400, `"__type":"UserLambdaValidationException","message":"PreSignUp failed with error not on the list."`, nil, nil},
		{"confirm", "ConfirmSignUp", `{"ClientId":"c1","Username":"ann@example.com","ConfirmationCode":"1"}`, false, "players",
			200, `{}`, []string{"ConfirmSignUp", "AdminGetUser"}, []string{"sub-ann ann@example.com PostConfirmation_ConfirmSignUp"}},
		{"sign-in forwarded", "InitiateAuth", `{"AuthFlow":"USER_PASSWORD_AUTH"}`, false, "players",
			200, `"IdToken":"t"`, []string{"InitiateAuth"}, nil},
		{"unknown pool", "SignUp", `{}`, false, "nobody",
			404, `user pool \"nobody\" is not declared in the app`, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls, welcomed []string
			upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				action := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
				calls = append(calls, action)
				body, _ := io.ReadAll(r.Body)
				switch action {
				case "SignUp":
					io.WriteString(w, `{"UserConfirmed":false,"UserSub":"sub-ann"}`)
				case "AdminConfirmSignUp", "AdminUpdateUserAttributes", "ConfirmSignUp":
					if !strings.Contains(string(body), "ann@example.com") {
						t.Errorf("%s %s", action, body)
					}
					io.WriteString(w, `{}`)
				case "AdminGetUser":
					if !strings.Contains(string(body), `"UserPoolId":"us-east-1_Pool"`) {
						t.Errorf("AdminGetUser %s", body)
					}
					io.WriteString(w, `{"Username":"sub-ann","UserAttributes":[{"Name":"email","Value":"ann@example.com"}]}`)
				case "InitiateAuth":
					io.WriteString(w, `{"AuthenticationResult":{"IdToken":"t"}}`)
				}
			}))
			defer upstream.Close()
			t.Setenv("GOCHALICE_USERPOOL_PLAYERS_ID", "us-east-1_Pool")

			app := New("game")
			players := app.UserPool("players", SignInWithEmail(), PasswordSignIn())
			app.OnCognitoTrigger("confirm", players, PreSignUp, func(ctx context.Context, ev events.CognitoEventUserPoolsPreSignup) (events.CognitoEventUserPoolsPreSignup, error) {
				if tt.reject {
					return ev, errors.New("not on the list")
				}
				ev.Response.AutoConfirmUser, ev.Response.AutoVerifyEmail = true, true
				return ev, nil
			})
			app.OnCognitoTrigger("welcome", players, PostConfirmation, func(ctx context.Context, ev events.CognitoEventUserPoolsPostConfirmation) (events.CognitoEventUserPoolsPostConfirmation, error) {
				welcomed = append(welcomed, ev.UserName+" "+ev.Request.UserAttributes["email"]+" "+ev.TriggerSource)
				return ev, nil
			})
			h := app.LocalHandler(GatewayConfig{CognitoEndpoint: upstream.URL})
			req := httptest.NewRequest("POST", "/_gochalice/cognito/"+tt.pool, strings.NewReader(tt.body))
			req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+tt.action)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.answer) {
				t.Errorf("answer %d %s, want %d with %s", rec.Code, rec.Body, tt.status, tt.answer)
			}
			if !reflect.DeepEqual(calls, tt.calls) {
				t.Errorf("upstream calls %v, want %v", calls, tt.calls)
			}
			if !reflect.DeepEqual(welcomed, tt.welcome) {
				t.Errorf("post-confirmation ran with %v, want %v", welcomed, tt.welcome)
			}
			if rec.Code == 200 && !json.Valid(rec.Body.Bytes()) {
				t.Errorf("answer is not JSON: %s", rec.Body)
			}
		})
	}
}
