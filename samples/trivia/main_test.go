package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/gochalice/gochalice/framework/chalicetest"
	"github.com/gochalice/gochalice/internal/moto"
)

// Every route and both triggers, in-process through chalicetest, with the
// SDK pointed at moto_server: a player joins (post-confirmation), answers
// right, again (not counted twice), wrong, and sees their score and the
// leaderboard.
func TestTriviaAgainstMoto(t *testing.T) {
	srv := moto.Start(t)
	srv.SetEnv(t)
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	app := newApp(dynamodb.NewFromConfig(cfg))
	m, err := app.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	env := srv.CreateResources(t, m)
	for k, v := range env {
		t.Setenv(k, v)
	}
	c := chalicetest.New(t, app)

	ann := chalicetest.CognitoToken(map[string]any{"email": "ann@example.com", "cognito:username": "0f6c2b1e-ann"})
	bob := chalicetest.CognitoToken(map[string]any{"email": "bob@example.com", "cognito:username": "7d1e9a40-bob"})
	for _, u := range []struct{ user, email string }{{"0f6c2b1e-ann", "ann@example.com"}, {"7d1e9a40-bob", "bob@example.com"}} {
		ev := chalicetest.CognitoEvent("PostConfirmation", map[string]string{"email": u.email}).(events.CognitoEventUserPoolsPostConfirmation)
		ev.UserName = u.user
		out, err := c.Invoke("welcome", ev)
		if err != nil {
			t.Fatalf("welcome %s: %v", u.user, err)
		}
		var back events.CognitoEventUserPoolsPostConfirmation
		if err := json.Unmarshal(out, &back); err != nil || back.UserName != u.user {
			t.Fatalf("welcome returned %s (%v), want the event back", out, err)
		}
	}

	tests := []struct {
		name, method, path, body, token string
		status                          int
		want                            string
	}{
		{"questions", "GET", "/questions", "", "", 200, `"id":"4"`},
		{"one question", "GET", "/questions/3", "", "", 200, `{"id":"3","question":"Which runtime does a Go bootstrap use on Lambda?","options":["go1.x","provided.al2023","python3.12"]}`},
		{"unknown question", "GET", "/questions/9", "", "", 404, `{"Code":"NotFoundError","Message":"no question 9"}`},
		{"new player", "GET", "/me", "", ann, 200, `{"name":"ann","score":0,"answered":[]}`},
		{"right", "POST", "/questions/3", `{"answer":"provided.al2023"}`, ann, 200, `{"correct":true,"answer":"provided.al2023","counted":true,"score":1}`},
		{"right again", "POST", "/questions/3", `{"answer":" Provided.al2023 "}`, ann, 200, `{"correct":true,"answer":"provided.al2023","counted":false}`},
		{"wrong", "POST", "/questions/1", `{"answer":"EC2"}`, ann, 200, `{"correct":false,"answer":"Lambda","counted":false}`},
		{"no answer", "POST", "/questions/1", `{}`, ann, 400, `{"Code":"BadRequestError","Message":"missing required field \"answer\""}`},
		{"blank answer", "POST", "/questions/1", `{"answer":" "}`, ann, 400, `{"Code":"BadRequestError","Message":"answer must not be blank"}`},
		{"unknown field", "POST", "/questions/1", `{"answer":"EC2","x":1}`, ann, 400, `unknown field`},
		{"answer unknown", "POST", "/questions/9", `{"answer":"x"}`, ann, 404, `{"Code":"NotFoundError","Message":"no question 9"}`},
		{"not signed in", "POST", "/questions/1", `{"answer":"Lambda"}`, "", 401, `{"message":"Unauthorized"}`},
		{"bob right", "POST", "/questions/1", `{"answer":"Lambda"}`, bob, 200, `{"correct":true,"answer":"Lambda","counted":true,"score":1}`},
		{"bob right twice", "POST", "/questions/4", `{"answer":"Query"}`, bob, 200, `{"correct":true,"answer":"Query","counted":true,"score":2}`},
		{"score", "GET", "/me", "", ann, 200, `{"name":"ann","score":1,"answered":["3"]}`},
		{"me not signed in", "GET", "/me", "", "", 401, `{"message":"Unauthorized"}`},
		{"leaderboard", "GET", "/leaderboard", "", "", 200, `[{"name":"bob","score":2},{"name":"ann","score":1}]`},
		{"script", "GET", "/app.js", "", "", 200, `Cognito`},
		{"page", "GET", "/", "", "", 200, `"clientId":"` + env["GOCHALICE_USERPOOL_PLAYERS_CLIENT_ID"] + `"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if tt.token != "" {
				req.Header.Set("Authorization", tt.token)
			}
			r := c.Do(req)
			if r.StatusCode != tt.status || !strings.Contains(string(r.Body), tt.want) || strings.HasPrefix(tt.want, "{") && string(r.Body) != tt.want {
				t.Errorf("%s %s = %s, want %d %s", tt.method, tt.path, r, tt.status, tt.want)
			}
		})
	}
	// Deployed, the page may call its region's Cognito and nothing else.
	t.Setenv("AWS_REGION", "eu-west-1")
	if r := c.Get("/"); !strings.Contains(r.Header.Get("Content-Security-Policy"), "connect-src 'self' https://cognito-idp.eu-west-1.amazonaws.com;") ||
		!strings.Contains(string(r.Body), `"cognitoEndpoint":"https://cognito-idp.eu-west-1.amazonaws.com/"`) {
		t.Errorf("GET / deployed: %s %v", r, r.Header)
	}
	t.Setenv("GOCHALICE_USERPOOL_PLAYERS_ENDPOINT", "/_gochalice/cognito/players")
	if r := c.Get("/"); !strings.Contains(r.Header.Get("Content-Security-Policy"), "connect-src 'self';") ||
		!strings.Contains(string(r.Body), `"cognitoEndpoint":"/_gochalice/cognito/players"`) {
		t.Errorf("GET / locally: %s %v", r, r.Header)
	}

	// A second confirmation of a player keeps their score.
	ev := chalicetest.CognitoEvent("PostConfirmation", map[string]string{"email": "ann@example.com"}).(events.CognitoEventUserPoolsPostConfirmation)
	ev.UserName = "0f6c2b1e-ann"
	if _, err := c.Invoke("welcome", ev); err != nil {
		t.Fatal(err)
	}
	if r := c.Get("/me", "Authorization", ann); !strings.Contains(string(r.Body), `"score":1`) {
		t.Errorf("after a second confirmation /me = %s", r)
	}
}

func TestPreflight(t *testing.T) {
	res := chalicetest.New(t, newApp(nil)).Do(httptest.NewRequest("OPTIONS", "/questions/1", nil))
	if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Methods") != "GET,OPTIONS,POST" {
		t.Errorf("preflight = %s %v", res, res.Header)
	}
}

func TestAutoConfirm(t *testing.T) {
	c := chalicetest.New(t, newApp(nil))
	out, err := c.Invoke("auto_confirm", chalicetest.CognitoEvent("PreSignUp", map[string]string{"email": "ann@example.com"}))
	if err != nil {
		t.Fatal(err)
	}
	var got events.CognitoEventUserPoolsPreSignup
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if !got.Response.AutoConfirmUser || !got.Response.AutoVerifyEmail {
		t.Errorf("response = %+v, want the player and email confirmed", got.Response)
	}
}

// The embedded questions are checked at start: a broken file panics with
// the question at fault.
func TestQuestionsChecked(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"answer not an option", `[{"id":"1","question":"q","options":["a"],"answer":"b"}]`, `question 1: the answer "b" is not one of its options`},
		{"repeated id", `[{"id":"1","options":["a"],"answer":"a"},{"id":"1","options":["a"],"answer":"a"}]`, `question "1": an empty or repeated id`},
		{"not JSON", `{`, `questions.json: unexpected end of JSON input`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), tt.want) {
					t.Errorf("panic %v, want %q", r, tt.want)
				}
			}()
			mustQuestions([]byte(tt.data))
		})
	}
}
