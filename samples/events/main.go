// Command events is a sample gochalice app fed by AWS events instead of HTTP:
// a schedule, a Cognito pre-sign-up trigger, an SQS queue with partial batch
// failures, an S3 bucket, a WebSocket API, and one function with two sources.
package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	newApp().Run()
}

// newApp registers the functions and their sources; the tests use it.
func newApp() *framework.App {
	app := framework.New("events")

	// Every day at 06:00 UTC.
	app.Schedule("daily_digest", framework.Cron("0", "6", "*", "*", "?", "*"), dailyDigest,
		framework.ScheduleDescription("send the daily digest"))

	// Users sign up to a pool the template creates; they are confirmed at once.
	users := app.UserPool("users")
	app.OnCognitoTrigger("auto_confirm", users, framework.PreSignUp, autoConfirm)

	// Messages whose body is "fail" are reported back to SQS as failures.
	app.OnSQSMessage("process_jobs", framework.ExistingQueue("jobs"), processJobs, framework.SQSBatchSize(10))

	uploads := app.Bucket("uploads")
	app.OnS3Event("on_upload", uploads, onUpload, framework.S3Prefix("incoming/"))

	app.OnWebSocketConnect(onConnect)
	app.OnWebSocketMessage(onMessage)

	// One function, two sources: every hour and on demand through a queue.
	app.EventHandler("refresh", refresh,
		framework.ScheduleSource(framework.Rate(1, framework.Hours)),
		framework.SQSSource(framework.ExistingQueue("refresh-requests")))

	return app
}

func dailyDigest(ctx context.Context, ev events.EventBridgeEvent) (map[string]string, error) {
	return map[string]string{"digest": "sent", "at": ev.Time.UTC().Format("2006-01-02T15:04:05Z")}, nil
}

func autoConfirm(ctx context.Context, ev events.CognitoEventUserPoolsPreSignup) (events.CognitoEventUserPoolsPreSignup, error) {
	ev.Response.AutoConfirmUser = true
	if _, ok := ev.Request.UserAttributes["email"]; ok {
		ev.Response.AutoVerifyEmail = true
	}
	return ev, nil
}

func processJobs(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	var resp events.SQSEventResponse
	for _, m := range ev.Records {
		if m.Body == "fail" {
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp, nil
}

func onUpload(ctx context.Context, ev events.S3Event) ([]string, error) {
	var keys []string
	for _, r := range ev.Records {
		keys = append(keys, fmt.Sprintf("%s/%s", r.S3.Bucket.Name, r.S3.Object.Key))
	}
	return keys, nil
}

func onConnect(ctx context.Context, req events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	if req.QueryStringParameters["token"] == "" {
		return events.APIGatewayProxyResponse{StatusCode: 401}, nil
	}
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: "connected " + req.RequestContext.ConnectionID}, nil
}

func onMessage(ctx context.Context, req events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	err := framework.WebSocketClientFor(req).Send(ctx, req.RequestContext.ConnectionID, []byte(strings.ToUpper(req.Body)))
	return events.APIGatewayProxyResponse{StatusCode: 200}, err
}

func refresh(ctx context.Context, ev map[string]any) (string, error) {
	if _, ok := ev["Records"]; ok {
		return "refreshed on request", nil
	}
	return "refreshed on schedule", nil
}
