// Command trivia is the quiz app from the Chalice talk, in Go, grown into a
// game: players sign up with Cognito (a pre-sign-up trigger confirms them
// at once, a post-confirmation trigger gives them a score of 0 in the users
// table), answer questions (a right answer counts once per question), and
// see their score and the leaderboard, on a page the app serves itself.
//
// Everything is declared here: the user pool and its app client, its two
// triggers, the Cognito authorizer that trusts the pool, the users table
// and its leaderboard index, and the routes. `chalice-package build` turns
// it into one bootstrap and a template that creates all of it, each
// function with a role holding only what its own code calls.
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	newApp(dynamodb.NewFromConfig(cfg)).Run()
}

// newApp declares the resources and registers the functions; the tests
// call it with a client pointed at a local AWS endpoint.
func newApp(db *dynamodb.Client) *framework.App {
	app := framework.New("trivia")
	g := &game{db: db}

	g.users = app.Table("users", framework.PartitionKey("username", framework.S),
		framework.GlobalIndex(boardIndex, framework.PartitionKey("board", framework.S), framework.SortKey("score", framework.N)))
	g.pool = app.UserPool("players", framework.SignInWithEmail(), framework.PasswordSignIn())
	app.OnCognitoTrigger("auto_confirm", g.pool, framework.PreSignUp, autoConfirm)
	app.OnCognitoTrigger("welcome", g.pool, framework.PostConfirmation, g.welcome)
	app.CognitoAuthorizer("signed_in", framework.ProviderPool(g.pool))

	app.Route("/", g.index, framework.Doc("The game page", "HTML."))
	app.Route("/app.js", script, framework.Doc("The page's script", "JavaScript."))
	framework.TypedRoute(app, "/questions", listQuestions, framework.WithCORS(),
		framework.Doc("List the questions", "Every question with its options, without the answers."))
	framework.TypedRoute(app, "/questions/{id}", getQuestion, framework.WithCORS(), framework.Doc("Get one question", ""))
	framework.TypedRoute(app, "/questions/{id}", g.answer, framework.Methods("POST"), framework.WithCORS(),
		framework.WithAuthorizer("signed_in"),
		framework.Doc("Answer a question", "Signed-in players only. A right answer adds 1 to the score, once per question."))
	framework.TypedRoute(app, "/me", g.me, framework.WithAuthorizer("signed_in"),
		framework.Doc("The caller's score", "The name, score and the questions answered right of the signed-in player."))
	framework.TypedRoute(app, "/leaderboard", g.leaderboard,
		framework.Doc("The top players", "The ten best scores, best first (a Query on the leaderboard index)."))
	return app
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
