// Command trivia is the quiz app from the Chalice talk, in Go: anyone can
// read the questions, players sign up with Cognito (a pre-sign-up trigger
// confirms them at once), and only signed-in players can answer.
//
// Everything is declared here: the user pool, its trigger, the Cognito
// authorizer that trusts the pool, and the routes. `chalice-package build`
// turns it into one bootstrap and a template that creates the pool too, so
// there is no manual step after the deploy.
package main

import (
	"context"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	newApp().Run()
}

// newApp registers the routes, the pool and its trigger; the tests use it.
func newApp() *framework.App {
	app := framework.New("trivia")

	players := app.UserPool("players", framework.SignInWithEmail(), framework.WithAppClient())
	app.OnCognitoTrigger("auto_confirm", players, framework.PreSignUp, autoConfirm)
	app.CognitoAuthorizer("signed_in", framework.ProviderPool(players))

	app.Route("/questions", listQuestions, framework.WithCORS())
	app.Route("/questions/{id}", getQuestion, framework.WithCORS())
	app.Route("/questions/{id}", answer, framework.Methods("POST"), framework.WithCORS(),
		framework.WithAuthorizer("signed_in"))
	return app
}

// Question is one quiz question as players see it (without the answer).
type Question struct {
	ID       string   `json:"id"`
	Question string   `json:"question"`
	Options  []string `json:"options"`
}

type entry struct {
	Question
	answer string
}

var questions = []entry{
	{Question{"1", "Which AWS service runs code without servers?", []string{"EC2", "Lambda", "S3"}}, "Lambda"},
	{Question{"2", "What does the Go keyword defer do?", []string{"Runs a call when the function returns", "Starts a goroutine", "Skips a loop iteration"}}, "Runs a call when the function returns"},
	{Question{"3", "Which runtime does a Go bootstrap use on Lambda?", []string{"go1.x", "provided.al2023", "python3.12"}}, "provided.al2023"},
}

func find(id string) (entry, error) {
	for _, q := range questions {
		if q.ID == id {
			return q, nil
		}
	}
	return entry{}, framework.NotFound("no question " + id)
}

func listQuestions(r *framework.Request) (any, error) {
	out := make([]Question, len(questions))
	for i, q := range questions {
		out[i] = q.Question
	}
	return out, nil
}

func getQuestion(r *framework.Request) (any, error) {
	q, err := find(r.PathParam("id"))
	if err != nil {
		return nil, err
	}
	return q.Question, nil
}

// AnswerRequest is the body of POST /questions/{id}.
type AnswerRequest struct {
	Answer string `json:"answer"`
}

// AnswerResult tells a signed-in player whether they were right.
type AnswerResult struct {
	Player  string `json:"player"`
	Correct bool   `json:"correct"`
	Answer  string `json:"answer"`
}

func answer(r *framework.Request) (any, error) {
	q, err := find(r.PathParam("id"))
	if err != nil {
		return nil, err
	}
	var in AnswerRequest
	if err := r.DecodeJSON(&in); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Answer) == "" {
		return nil, framework.BadRequest(`give your answer as {"answer": "..."}`)
	}
	// Players sign in with their email; Cognito puts it in the token's claims.
	player, _ := r.Claims()["email"].(string)
	return AnswerResult{
		Player:  player,
		Correct: strings.EqualFold(strings.TrimSpace(in.Answer), q.answer),
		Answer:  q.answer,
	}, nil
}

// autoConfirm confirms every new player and their email at sign-up, so they
// can play right away (the talk's demo shortcut; a real app would verify).
func autoConfirm(ctx context.Context, ev events.CognitoEventUserPoolsPreSignup) (events.CognitoEventUserPoolsPreSignup, error) {
	ev.Response.AutoConfirmUser = true
	if _, ok := ev.Request.UserAttributes["email"]; ok {
		ev.Response.AutoVerifyEmail = true
	}
	return ev, nil
}
