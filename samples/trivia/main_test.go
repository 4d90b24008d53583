package main

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework/chalicetest"
)

func TestAnswer(t *testing.T) {
	c := chalicetest.New(t, newApp())
	player := chalicetest.CognitoToken(map[string]any{"email": "ann@example.com", "cognito:username": "0f6c2b1e"})
	tests := []struct {
		name   string
		id     string
		body   string
		token  string
		status int
		want   string
	}{
		{"right", "3", `{"answer":"provided.al2023"}`, player, 200, `{"player":"ann@example.com","correct":true,"answer":"provided.al2023"}`},
		{"wrong", "1", `{"answer":"EC2"}`, player, 200, `{"player":"ann@example.com","correct":false,"answer":"Lambda"}`},
		{"unknown question", "9", `{"answer":"x"}`, player, 404, `{"Code":"NotFoundError","Message":"no question 9"}`},
		{"empty answer", "1", `{}`, player, 400, `{"Code":"BadRequestError","Message":"give your answer as {\"answer\": \"...\"}"}`},
		{"not signed in", "1", `{"answer":"EC2"}`, "", 401, `{"message":"Unauthorized"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var headers []string
			if tt.token != "" {
				headers = []string{"Authorization", tt.token}
			}
			res := c.Post("/questions/"+tt.id, tt.body, headers...)
			if res.StatusCode != tt.status || string(res.Body) != tt.want {
				t.Errorf("got %s, want %d %s", res, tt.status, tt.want)
			}
			if res.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("CORS header missing: %v", res.Header)
			}
		})
	}
}

func TestPreflight(t *testing.T) {
	res := chalicetest.New(t, newApp()).Do(httptest.NewRequest("OPTIONS", "/questions/1", nil))
	if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Methods") != "GET,OPTIONS,POST" {
		t.Errorf("preflight = %s %v", res, res.Header)
	}
}

func TestAutoConfirm(t *testing.T) {
	c := chalicetest.New(t, newApp())
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
