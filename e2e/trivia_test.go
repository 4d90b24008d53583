package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/moto"
	"github.com/gochalice/gochalice/internal/rie"
)

// TestTriviaOnTheEmulator plays the Chalice talk's quiz: a new player signs up
// (the pre-sign-up trigger confirms them, the post-confirmation trigger puts
// them in the users table), reads a question and answers it through the
// Cognito-authorized route, whose claims API Gateway passes in the request
// context, and their score counts it once. The functions' SDK calls go to
// moto.
func TestTriviaOnTheEmulator(t *testing.T) {
	rie.Require(t)
	srv := moto.Start(t)
	srv.SetEnv(t)
	bootstrap, stageDir := buildSample(t, "trivia")
	// The sample's declared resources, created in moto as its manifest
	// declares them; each function gets the variables its template gives
	// it, resolved to them.
	res := srv.CreateResources(t, &manifest.Manifest{
		Tables: []manifest.Table{{Name: "users", PartitionKey: manifest.KeyAttribute{Name: "username", Type: "S"},
			GlobalIndexes: []manifest.Index{{Name: "leaderboard", PartitionKey: manifest.KeyAttribute{Name: "board", Type: "S"},
				SortKey: &manifest.KeyAttribute{Name: "score", Type: "N"}}}}},
		UserPools: []manifest.UserPool{{Name: "players", EmailSignIn: true, AppClient: true, PasswordAuth: true}},
	})
	physical := map[string]string{
		"UsersTable.Ref":            res["GOCHALICE_TABLE_USERS_NAME"],
		"PlayersUserPool.Ref":       res["GOCHALICE_USERPOOL_PLAYERS_ID"],
		"PlayersUserPoolClient.Ref": res["GOCHALICE_USERPOOL_PLAYERS_CLIENT_ID"],
	}
	tpl := readTemplate(t, stageDir)
	envOf := func(id string) (keys, env []string) {
		t.Helper()
		return resolvedEnv(t, tpl, id, physical, srv.Env())
	}
	apiKeys, apiEnv := envOf("APIHandler")
	welcomeKeys, welcomeEnv := envOf("Welcome")
	confirmKeys, _ := envOf("AutoConfirm")
	if got := strings.Join(apiKeys, " "); got != "GOCHALICE_TABLE_USERS_NAME GOCHALICE_USERPOOL_PLAYERS_CLIENT_ID" {
		t.Errorf("api_handler's resource variables: %s", got)
	}
	if got := strings.Join(welcomeKeys, " "); got != "GOCHALICE_TABLE_USERS_NAME" {
		t.Errorf("welcome's resource variables: %s", got)
	}
	if len(confirmKeys) != 0 {
		t.Errorf("auto_confirm reads no resource but gets %v", confirmKeys)
	}

	signUp := rie.Start(t, bootstrap, "auto_confirm")
	var pre events.CognitoEventUserPoolsPreSignup
	pre.Version, pre.TriggerSource, pre.Region = "1", "PreSignUp_SignUp", "us-east-1"
	pre.UserPoolID, pre.UserName = "us-east-1_AbCdEf123", "0f6c2b1e-1111-2222-3333-444455556666"
	pre.Request.UserAttributes = map[string]string{"email": "ann@example.com"}
	payload, _ := json.Marshal(pre)
	status, body := signUp.Invoke(t, payload)
	var got events.CognitoEventUserPoolsPreSignup
	if err := json.Unmarshal(body, &got); status != 200 || err != nil || !got.Response.AutoConfirmUser || !got.Response.AutoVerifyEmail {
		t.Fatalf("pre sign-up = %d %s", status, body)
	}

	welcome := rie.Start(t, bootstrap, "welcome", welcomeEnv...)
	var post events.CognitoEventUserPoolsPostConfirmation
	post.CognitoEventUserPoolsHeader = pre.CognitoEventUserPoolsHeader
	post.TriggerSource = "PostConfirmation_ConfirmSignUp"
	post.Request.UserAttributes = pre.Request.UserAttributes
	payload, _ = json.Marshal(post)
	if status, body := welcome.Invoke(t, payload); status != 200 || !strings.Contains(string(body), `"userName":"`+pre.UserName+`"`) {
		t.Fatalf("post confirmation = %d %s", status, body)
	}

	api := rie.Start(t, bootstrap, "api_handler", apiEnv...)
	question := apiRequest{method: "GET", resource: "/questions/{id}", path: "/questions/3", params: map[string]string{"id": "3"}}
	if resp := invokeProxy(t, api, question.event()); resp.StatusCode != 200 ||
		!jsonEqual(t, resp.Body, `{"id":"3","question":"Which runtime does a Go bootstrap use on Lambda?","options":["go1.x","provided.al2023","python3.12"]}`) {
		t.Fatalf("GET /questions/3 = %d %s", resp.StatusCode, resp.Body)
	}

	answer := apiRequest{method: "POST", resource: "/questions/{id}", path: "/questions/3", params: map[string]string{"id": "3"},
		headers: map[string][]string{"Content-Type": {"application/json"}, "Origin": {"https://quiz.example.com"}},
		body:    []byte(`{"answer":"provided.al2023"}`)}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(answer.event(), &ev); err != nil {
		t.Fatal(err)
	}
	ev.RequestContext.Authorizer = map[string]any{"claims": map[string]any{"email": "ann@example.com", "cognito:username": pre.UserName}}
	payload, _ = json.Marshal(ev)
	for i, want := range []string{`{"correct":true,"answer":"provided.al2023","counted":true,"score":1}`, `{"correct":true,"answer":"provided.al2023","counted":false}`} {
		resp := invokeProxy(t, api, payload)
		if resp.StatusCode != 200 || !jsonEqual(t, resp.Body, want) {
			t.Errorf("answer %d = %d %s, want %s", i+1, resp.StatusCode, resp.Body, want)
		}
		if resp.Headers["Access-Control-Allow-Origin"] != "*" {
			t.Errorf("the CORS route answered without Access-Control-Allow-Origin: %v", resp.Headers)
		}
	}

	board := apiRequest{method: "GET", resource: "/leaderboard", path: "/leaderboard"}
	if resp := invokeProxy(t, api, board.event()); !jsonEqual(t, resp.Body, `[{"name":"ann","score":1}]`) {
		t.Errorf("GET /leaderboard = %d %s", resp.StatusCode, resp.Body)
	}
}
