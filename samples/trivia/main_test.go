package main

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func invoke(t *testing.T, handler string, ev any) []byte {
	t.Helper()
	payload, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	out, err := newApp().Invoke(context.Background(), handler, payload)
	if err != nil {
		t.Fatalf("%s: %v", handler, err)
	}
	return out
}

func TestAnswer(t *testing.T) {
	tests := []struct {
		name   string
		id     string
		body   string
		status int
		want   string
	}{
		{"right", "3", `{"answer":"provided.al2023"}`, 200, `{"player":"ann@example.com","correct":true,"answer":"provided.al2023"}`},
		{"wrong", "1", `{"answer":"EC2"}`, 200, `{"player":"ann@example.com","correct":false,"answer":"Lambda"}`},
		{"unknown question", "9", `{"answer":"x"}`, 404, `{"Code":"NotFoundError","Message":"no question 9"}`},
		{"empty answer", "1", `{}`, 400, `{"Code":"BadRequestError","Message":"give your answer as {\"answer\": \"...\"}"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := events.APIGatewayProxyRequest{
				Resource: "/questions/{id}", HTTPMethod: "POST", Body: tt.body,
				Headers:        map[string]string{"Content-Type": "application/json"},
				PathParameters: map[string]string{"id": tt.id},
				RequestContext: events.APIGatewayProxyRequestContext{
					ResourcePath: "/questions/{id}", HTTPMethod: "POST",
					Authorizer: map[string]any{"claims": map[string]any{"email": "ann@example.com", "cognito:username": "0f6c2b1e"}},
				},
			}
			var resp events.APIGatewayProxyResponse
			if err := json.Unmarshal(invoke(t, "api_handler", ev), &resp); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status || resp.Body != tt.want {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, resp.Body, tt.status, tt.want)
			}
			if resp.Headers["Access-Control-Allow-Origin"] != "*" {
				t.Errorf("CORS header missing: %v", resp.Headers)
			}
		})
	}
}

func TestAutoConfirm(t *testing.T) {
	var ev events.CognitoEventUserPoolsPreSignup
	ev.TriggerSource = "PreSignUp_SignUp"
	ev.Request.UserAttributes = map[string]string{"email": "ann@example.com"}
	var got events.CognitoEventUserPoolsPreSignup
	if err := json.Unmarshal(invoke(t, "auto_confirm", ev), &got); err != nil {
		t.Fatal(err)
	}
	if !got.Response.AutoConfirmUser || !got.Response.AutoVerifyEmail {
		t.Errorf("response = %+v, want the player and email confirmed", got.Response)
	}
}
