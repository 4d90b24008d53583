// Command cognito is a golden fixture: triggers on a user pool declared in
// the app (created by the template with its LambdaConfig) and on an
// existing pool given by ARN (a permission and an output saying which
// trigger to attach).
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	app := framework.New("cognito")
	users := app.UserPool("users")
	app.OnCognitoTrigger("auto_confirm", users, framework.PreSignUp,
		func(ctx context.Context, ev events.CognitoEventUserPoolsPreSignup) (events.CognitoEventUserPoolsPreSignup, error) {
			ev.Response.AutoConfirmUser = true
			return ev, nil
		})
	app.OnCognitoTrigger("add_claims", users, framework.PreTokenGeneration,
		func(ctx context.Context, ev events.CognitoEventUserPoolsPreTokenGen) (events.CognitoEventUserPoolsPreTokenGen, error) {
			return ev, nil
		})
	app.OnCognitoTrigger("welcome", framework.ExistingUserPool("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123"), framework.PostConfirmation,
		func(ctx context.Context, ev events.CognitoEventUserPoolsPostConfirmation) (events.CognitoEventUserPoolsPostConfirmation, error) {
			return ev, nil
		})
	app.Run()
}
