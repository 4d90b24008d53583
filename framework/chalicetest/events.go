package chalicetest

import (
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework/testevents"
)

// The event builders below return the events AWS services send, with
// realistic, deterministic fields (see package testevents, which
// `chalice-package generate-event` prints).

// SQSEvent returns an SQS event with one message per body.
func SQSEvent(bodies ...string) events.SQSEvent { return testevents.SQS(bodies...) }

// SNSEvent returns an SNS event with one notification per message.
func SNSEvent(messages ...string) events.SNSEvent { return testevents.SNS(messages...) }

// S3Event returns an S3 ObjectCreated:Put event for bucket and key.
func S3Event(bucket, key string) events.S3Event { return testevents.S3(bucket, key) }

// ScheduleEvent returns the event EventBridge sends on a schedule.
func ScheduleEvent() events.EventBridgeEvent { return testevents.Schedule() }

// EventBridgeEvent returns an EventBridge event; detail is encoded as JSON
// (a string, []byte or json.RawMessage must hold JSON already). It panics
// when detail cannot be encoded: a mistake in the test.
func EventBridgeEvent(source, detailType string, detail any) events.EventBridgeEvent {
	ev, err := testevents.EventBridge(source, detailType, detail)
	if err != nil {
		panic("chalicetest.EventBridgeEvent: " + err.Error())
	}
	return ev
}

// DynamoDBEvent returns a DynamoDB stream event with one INSERT record per
// item (values: strings, numbers, booleans).
func DynamoDBEvent(items ...map[string]any) events.DynamoDBEvent {
	return testevents.DynamoDB(items...)
}

// KinesisEvent returns a Kinesis event with one record per data string.
func KinesisEvent(data ...string) events.KinesisEvent { return testevents.Kinesis(data...) }

// CognitoEvent returns the event a user pool sends the trigger (PreSignUp,
// PostConfirmation, PreAuthentication, PostAuthentication,
// PreTokenGeneration, CustomMessage or UserMigration) for a user with attrs:
// an events.CognitoEventUserPools* value. It panics on an unknown trigger.
func CognitoEvent(trigger string, attrs map[string]string) any {
	ev, err := testevents.Cognito(trigger, attrs)
	if err != nil {
		panic("chalicetest.CognitoEvent: " + err.Error())
	}
	return ev
}

// WebSocketEvent returns the event API Gateway sends a WebSocket route
// ($connect, $disconnect, $default or a custom route key).
func WebSocketEvent(routeKey, connectionID, body string) events.APIGatewayWebsocketProxyRequest {
	return testevents.WebSocket(routeKey, connectionID, body)
}

// CognitoToken returns a JWT carrying claims (plus an expiry an hour from
// now unless claims has "exp"), for routes behind a Cognito authorizer. It
// is not signed: the emulation accepts it only when no JWKS is configured,
// as it decodes tokens without verifying them then.
func CognitoToken(claims map[string]any) string {
	c := map[string]any{"exp": time.Now().Add(time.Hour).Unix(), "token_use": "id"}
	for k, v := range claims {
		c[k] = v
	}
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "none", "typ": "JWT"}) + "." + enc(c) + ".unsigned"
}
