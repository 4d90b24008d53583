package e2e

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/internal/rie"
)

// TestTriviaOnTheEmulator plays the Chalice talk's quiz: a new player signs up
// (the pre-sign-up trigger confirms them), reads a question and answers it
// through the Cognito-authorized route, whose claims API Gateway passes in the
// request context.
func TestTriviaOnTheEmulator(t *testing.T) {
	rie.Require(t)
	bootstrap, _ := buildSample(t, "trivia")

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

	api := rie.Start(t, bootstrap, "api_handler")
	question := apiRequest{method: "GET", resource: "/questions/{id}", path: "/questions/3", params: map[string]string{"id": "3"}}
	status, body = api.Invoke(t, question.event())
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(body, &resp); status != 200 || err != nil || resp.StatusCode != 200 ||
		!jsonEqual(t, resp.Body, `{"id":"3","question":"Which runtime does a Go bootstrap use on Lambda?","options":["go1.x","provided.al2023","python3.12"]}`) {
		t.Fatalf("GET /questions/3 = %d %s", status, body)
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
	status, body = api.Invoke(t, payload)
	resp = events.APIGatewayProxyResponse{}
	if err := json.Unmarshal(body, &resp); status != 200 || err != nil {
		t.Fatalf("POST /questions/3 = %d %s", status, body)
	}
	if resp.StatusCode != 200 || !jsonEqual(t, resp.Body, `{"player":"ann@example.com","correct":true,"answer":"provided.al2023"}`) {
		t.Errorf("answer = %d %s", resp.StatusCode, resp.Body)
	}
	if resp.Headers["Access-Control-Allow-Origin"] != "*" {
		t.Errorf("the CORS route answered without Access-Control-Allow-Origin: %v", resp.Headers)
	}
}
