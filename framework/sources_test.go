package framework

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework/manifest"
)

func nop(ctx context.Context, ev json.RawMessage) error { return nil }

// eventsApp registers one function per source and one with two sources.
func eventsApp() *App {
	app := New("events")
	users := app.UserPool("users")
	uploads := app.Bucket("uploads")
	app.Schedule("nightly", Cron("0", "2", "*", "*", "?", "*"), nop, ScheduleDescription("nightly run"), ScheduleDisabled())
	app.OnSNSMessage("on_topic", ExistingTopic("alerts"), nop, SNSFilterPolicy(map[string]any{"level": []string{"error"}}))
	app.OnSQSMessage("on_queue", ExistingQueue("arn:aws:sqs:us-east-1:123456789012:jobs"), func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		return events.SQSEventResponse{}, nil
	}, SQSBatchSize(50), SQSBatchingWindow(5), SQSMaxConcurrency(5))
	app.OnS3Event("on_upload", uploads, nop, S3Prefix("in/"), S3Suffix(".png"))
	app.OnEventBridge("on_ec2", map[string]any{"source": []string{"aws.ec2"}}, nop, EventBus("custom"))
	app.OnDynamoDBRecord("on_table", ExistingTableStream("arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2026-01-01T00:00:00.000"), nop, StreamBatchSize(10), StreamBisectOnError(), StreamMaxRetries(2))
	app.OnKinesisRecord("on_clicks", "clicks", nop, StreamStartingPosition("TRIM_HORIZON"), StreamBatchingWindow(3))
	app.OnCognitoTrigger("auto_confirm", users, PreSignUp, func(ctx context.Context, ev events.CognitoEventUserPoolsPreSignup) (events.CognitoEventUserPoolsPreSignup, error) {
		ev.Response.AutoConfirmUser = true
		return ev, nil
	})
	app.OnCognitoTrigger("welcome", ExistingUserPool("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123"), PostConfirmation, nop)
	app.EventHandler("refresh", nop, ScheduleSource(Rate(1, Hours)), SQSSource(ExistingQueue("refresh-requests")))
	app.OnWebSocketConnect(nop)
	return app
}

func TestEventSourcesManifest(t *testing.T) {
	m, err := eventsApp().Manifest()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]manifest.Function{}
	for _, f := range m.Functions {
		byName[f.Name] = f
	}
	check := func(name string, want string) {
		t.Helper()
		f, ok := byName[name]
		if !ok {
			t.Errorf("function %s missing", name)
			return
		}
		got, _ := json.Marshal(f.Events)
		if string(got) != want {
			t.Errorf("%s events =\n  %s\nwant\n  %s", name, got, want)
		}
	}
	check("nightly", `[{"type":"schedule","schedule":{"expression":"cron(0 2 * * ? *)","description":"nightly run","disabled":true}}]`)
	check("on_topic", `[{"type":"sns","sns":{"topic":"alerts","filterPolicy":{"level":["error"]}}}]`)
	check("on_queue", `[{"type":"sqs","sqs":{"queue":"arn:aws:sqs:us-east-1:123456789012:jobs","batchSize":50,"maxBatchingWindow":5,"maxConcurrency":5,"reportBatchItemFailures":true}}]`)
	check("on_upload", `[{"type":"s3","s3":{"bucket":"uploads","events":["s3:ObjectCreated:*"],"prefix":"in/","suffix":".png"}}]`)
	check("on_ec2", `[{"type":"eventbridge","eventBridge":{"pattern":{"source":["aws.ec2"]},"bus":"custom"}}]`)
	check("on_table", `[{"type":"dynamodb","stream":{"stream":"arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2026-01-01T00:00:00.000","batchSize":10,"startingPosition":"LATEST","bisectOnError":true,"maxRetries":2}}]`)
	check("on_clicks", `[{"type":"kinesis","stream":{"stream":"clicks","startingPosition":"TRIM_HORIZON","maxBatchingWindow":3}}]`)
	check("auto_confirm", `[{"type":"cognito","cognito":{"trigger":"PreSignUp","pool":"users"}}]`)
	check("welcome", `[{"type":"cognito","cognito":{"trigger":"PostConfirmation","existingPoolArn":"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123"}}]`)
	check("refresh", `[{"type":"schedule","schedule":{"expression":"rate(1 hour)"}},{"type":"sqs","sqs":{"queue":"refresh-requests"}}]`)
	check("websocket_connect", `[{"type":"websocket","webSocket":{"route":"$connect"}}]`)
	if len(m.UserPools) != 1 || m.UserPools[0].Name != "users" || len(m.Buckets) != 1 || m.Buckets[0].Name != "uploads" {
		t.Errorf("resources: pools %v buckets %v", m.UserPools, m.Buckets)
	}
}

func TestEventSourceRegistrationErrors(t *testing.T) {
	tests := []struct {
		name    string
		reg     func(a *App)
		wantErr string
	}{
		{"bad cron", func(a *App) { a.Schedule("s", Cron("0", "10", "*", "*", "*", "*"), nop) }, `function "s": schedule cron(0 10 * * * *): exactly one`},
		{"bad rate", func(a *App) { a.Schedule("s", Rate(0, Hours), nop) }, "positive"},
		{"zero schedule", func(a *App) { a.Schedule("s", ScheduleExpression{}, nop) }, "empty schedule expression"},
		{"long description", func(a *App) { a.Schedule("s", Rate(1, Hours), nop, ScheduleDescription(strings.Repeat("x", 513))) }, "at most 512"},
		{"bad topic", func(a *App) { a.OnSNSMessage("s", ExistingTopic("arn:aws:sqs:us-east-1:123456789012:q"), nop) }, "neither a topic name nor an SNS topic ARN"},
		{"filter not an object", func(a *App) { a.OnSNSMessage("s", ExistingTopic("t"), nop, SNSFilterPolicy([]string{"x"})) }, "not a non-empty JSON object"},
		{"bad queue", func(a *App) { a.OnSQSMessage("s", ExistingQueue("my queue"), nop) }, "neither a queue name"},
		{"big batch without window", func(a *App) { a.OnSQSMessage("s", ExistingQueue("q"), nop, SQSBatchSize(100)) }, "needs a batching window"},
		{"batch too big", func(a *App) { a.OnSQSMessage("s", ExistingQueue("q"), nop, SQSBatchSize(10001), SQSBatchingWindow(1)) }, "not from 1 to 10000"},
		{"window too long", func(a *App) { a.OnSQSMessage("s", ExistingQueue("q"), nop, SQSBatchingWindow(301)) }, "not from 0 to 300"},
		{"concurrency 1", func(a *App) { a.OnSQSMessage("s", ExistingQueue("q"), nop, SQSMaxConcurrency(1)) }, "not from 2 to 1000"},
		{"undeclared bucket", func(a *App) { a.OnS3Event("s", Bucket{name: "b"}, nop) }, `bucket "b" is not declared`},
		{"zero bucket", func(a *App) { a.OnS3Event("s", Bucket{}, nop) }, "a zero Bucket"},
		{"bad existing bucket", func(a *App) { a.OnS3Event("s", ExistingBucket("Bad_Bucket"), nop) }, "not a valid bucket name"},
		{"bad s3 event", func(a *App) { a.OnS3Event("s", ExistingBucket("my-bucket"), nop, S3Events("ObjectCreated")) }, "not an S3 event type"},
		{"bucket twice", func(a *App) { a.Bucket("b"); a.Bucket("b") }, `bucket "b": declared twice`},
		{"bad pattern", func(a *App) { a.OnEventBridge("s", "source", nop) }, "not a non-empty JSON object"},
		{"bad bus", func(a *App) { a.OnEventBridge("s", map[string]any{"a": 1}, nop, EventBus("bus name")) }, "neither an event bus name"},
		{"bad dynamodb arn", func(a *App) { a.OnDynamoDBRecord("s", ExistingTableStream("Users"), nop) }, "is not a stream ARN"},
		{"bad position", func(a *App) { a.OnKinesisRecord("s", "k", nop, StreamStartingPosition("AT_TIMESTAMP")) }, "is not LATEST or TRIM_HORIZON"},
		{"bad retries", func(a *App) { a.OnKinesisRecord("s", "k", nop, StreamMaxRetries(-2)) }, "not from -1 to 10000"},
		{"bad kinesis", func(a *App) { a.OnKinesisRecord("s", "arn:aws:kinesis:us-east-1:1:stream/x", nop) }, "neither a stream name"},
		{"unknown trigger", func(a *App) { a.OnCognitoTrigger("s", a.UserPool("p"), CognitoTrigger("PreSignup"), nop) }, "unknown Cognito trigger"},
		{"undeclared pool", func(a *App) { a.OnCognitoTrigger("s", UserPool{name: "p"}, PreSignUp, nop) }, `user pool "p" is not declared`},
		{"bad pool arn", func(a *App) { a.OnCognitoTrigger("s", ExistingUserPool("us-east-1_abc"), PreSignUp, nop) }, "is not a user pool ARN"},
		{"zero pool", func(a *App) { a.OnCognitoTrigger("s", UserPool{}, PreSignUp, nop) }, "a zero UserPool"},
		{"pool twice", func(a *App) { a.UserPool("p"); a.UserPool("p") }, `user pool "p": declared twice`},
		{"no sources", func(a *App) { a.EventHandler("s", nop) }, "no event source"},
		{"zero source", func(a *App) { a.EventHandler("s", nop, Source{}) }, "a zero Source"},
		{"bad handler", func(a *App) { a.OnSQSMessage("s", ExistingQueue("q"), 42) }, "not a function"},
		{"twice", func(a *App) {
			a.OnSQSMessage("s", ExistingQueue("q"), nop)
			a.OnSNSMessage("s", ExistingTopic("t"), nop)
		}, "pass them all to App.EventHandler"},
		{"bad name", func(a *App) { a.OnSQSMessage("1s", ExistingQueue("q"), nop) }, "invalid name"},
		{"reserved name", func(a *App) { a.OnSQSMessage("api_handler", ExistingQueue("q"), nop) }, "reserved"},
		{"websocket twice", func(a *App) { a.OnWebSocketConnect(nop); a.OnWebSocketConnect(nop) }, `"websocket_connect": registered twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := New("x")
			tt.reg(app)
			_, err := app.Manifest()
			var re *RegistrationError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Manifest error = %v, want a RegistrationError containing %q", err, tt.wantErr)
			}
		})
	}
}

// Events as AWS sends them, trimmed to the fields that tell them apart.
const (
	scheduleEvent = `{"version":"0","id":"1","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2026-11-26T00:00:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/r"],"detail":{}}`
	ec2Event      = `{"version":"0","id":"2","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","detail":{"state":"running"}}`
	sqsEvent      = `{"Records":[{"messageId":"m1","body":"ok","eventSource":"aws:sqs"},{"messageId":"m2","body":"fail","eventSource":"aws:sqs"}]}`
	snsEvent      = `{"Records":[{"EventSource":"aws:sns","Sns":{"Message":"hi"}}]}`
	s3Event       = `{"Records":[{"eventSource":"aws:s3","s3":{"bucket":{"name":"b"},"object":{"key":"k"}}}]}`
	ddbEvent      = `{"Records":[{"eventSource":"aws:dynamodb","eventName":"INSERT"}]}`
	kinesisEvent  = `{"Records":[{"eventSource":"aws:kinesis","kinesis":{"data":"aGk="}}]}`
	preSignUp     = `{"version":"1","triggerSource":"PreSignUp_SignUp","region":"us-east-1","userPoolId":"us-east-1_AbCdEf123","userName":"ann","request":{"userAttributes":{"email":"a@example.com"}},"response":{}}`
	postConfirm   = `{"version":"1","triggerSource":"PostConfirmation_ConfirmSignUp","userPoolId":"us-east-1_AbCdEf123","request":{},"response":{}}`
	wsConnect     = `{"requestContext":{"routeKey":"$connect","eventType":"CONNECT","connectionId":"abc=","apiId":"a1","stage":"api"}}`
	wsMessage     = `{"requestContext":{"routeKey":"$default","eventType":"MESSAGE","connectionId":"abc="},"body":"hi"}`
)

func TestEventShapeCheck(t *testing.T) {
	app := eventsApp()
	app.OnEventBridge("any_event", map[string]any{"source": []string{"aws.events"}}, nop)
	tests := []struct {
		handler, event string
		wantErr        string // "" for success
	}{
		{"nightly", scheduleEvent, ""},
		{"nightly", ec2Event, `function "nightly" expects a schedule event but received an EventBridge event (source "aws.ec2", detail-type "EC2 Instance State-change Notification")`},
		{"nightly", sqsEvent, "received an SQS event"},
		{"any_event", scheduleEvent, ""},
		{"on_ec2", ec2Event, ""},
		{"on_ec2", `{"hello":"world"}`, "received a JSON value that is no AWS event it knows"},
		{"on_topic", snsEvent, ""},
		{"on_topic", s3Event, "expects an SNS event but received an S3 event"},
		{"on_queue", sqsEvent, ""},
		{"on_upload", s3Event, ""},
		{"on_upload", `not json`, "a payload that is not JSON"},
		{"on_table", ddbEvent, ""},
		{"on_table", kinesisEvent, "received a Kinesis event"},
		{"on_clicks", kinesisEvent, ""},
		{"on_clicks", ddbEvent, "received a DynamoDB stream event"},
		{"auto_confirm", preSignUp, ""},
		{"auto_confirm", postConfirm, `expects a Cognito PreSignUp event but received a Cognito event (triggerSource "PostConfirmation_ConfirmSignUp")`},
		{"welcome", postConfirm, ""},
		{"refresh", scheduleEvent, ""},
		{"refresh", sqsEvent, ""},
		{"refresh", s3Event, "expects a schedule or SQS event but received an S3 event"},
		{"websocket_connect", wsConnect, ""},
		{"websocket_connect", wsMessage, "expects a WebSocket connect event but received a WebSocket MESSAGE event"},
	}
	for _, tt := range tests {
		out, err := app.Invoke(context.Background(), tt.handler, []byte(tt.event))
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("%s(%.40s...): %v", tt.handler, tt.event, err)
			}
			continue
		}
		var se *EventShapeError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s(%.40s...) = %s, %v; want an EventShapeError containing %q", tt.handler, tt.event, out, err, tt.wantErr)
		}
	}
}

func TestCognitoAndBatchResults(t *testing.T) {
	app := New("x")
	app.OnCognitoTrigger("auto_confirm", app.UserPool("users"), PreSignUp, func(ctx context.Context, ev events.CognitoEventUserPoolsPreSignup) (events.CognitoEventUserPoolsPreSignup, error) {
		ev.Response.AutoConfirmUser = true
		return ev, nil
	})
	app.OnSQSMessage("jobs", ExistingQueue("jobs"), func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		var r events.SQSEventResponse
		for _, m := range ev.Records {
			if m.Body == "fail" {
				r.BatchItemFailures = append(r.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
			}
		}
		return r, nil
	})
	out, err := app.Invoke(context.Background(), "auto_confirm", []byte(preSignUp))
	if err != nil || !strings.Contains(string(out), `"autoConfirmUser":true`) {
		t.Errorf("auto_confirm = %s, %v", out, err)
	}
	out, err = app.Invoke(context.Background(), "jobs", []byte(sqsEvent))
	if err != nil || string(out) != `{"batchItemFailures":[{"itemIdentifier":"m2"}]}` {
		t.Errorf("jobs = %s, %v", out, err)
	}
}
