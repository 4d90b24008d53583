package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gochalice/gochalice/internal/rie"
)

var (
	eventsOnce      sync.Once
	eventsBootstrap string
)

// eventsSample builds samples/events once per test binary.
func eventsSample(t *testing.T) string {
	t.Helper()
	eventsOnce.Do(func() {
		// buildSample's files live in this test's TempDir; keep the bootstrap
		// for the whole test binary, as cli does with the CLI.
		built, _ := buildSample(t, "events")
		dir, err := os.MkdirTemp("", "gochalice-events-")
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(built)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "bootstrap")
		if err := os.WriteFile(path, b, 0o755); err != nil {
			t.Fatal(err)
		}
		eventsBootstrap = path
	})
	if eventsBootstrap == "" {
		t.Fatal("building samples/events failed (see the first test)")
	}
	return eventsBootstrap
}

// Events as AWS sends them (from the AWS documentation's samples).
const (
	scheduleEvent = `{"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2026-11-26T06:00:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/events-dev-DailyDigestSchedule"],"detail":{}}`

	preSignUpEvent = `{"version":"1","region":"us-east-1","userPoolId":"us-east-1_AbCdEf123","userName":"ann","callerContext":{"awsSdkVersion":"aws-sdk-unknown-unknown","clientId":"1example23456789"},"triggerSource":"PreSignUp_SignUp","request":{"userAttributes":{"email":"ann@example.com","name":"Ann"},"validationData":null},"response":{"autoConfirmUser":false,"autoVerifyEmail":false,"autoVerifyPhone":false}}`

	sqsBatchEvent = `{"Records":[
	 {"messageId":"059f36b4-87a3-44ab-83d2-661975830a7d","receiptHandle":"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a","body":"ok","attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1545082649183","SenderId":"AIDAIENQZJOLO23YVJ4VO","ApproximateFirstReceiveTimestamp":"1545082649185"},"messageAttributes":{},"md5OfBody":"e4e68fb7bd0e697a0ae8f1bb342846b3","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:jobs","awsRegion":"us-east-1"},
	 {"messageId":"2e1424d4-f796-459a-8184-9c92662be6da","receiptHandle":"AQEBzWwaftRI0KuVm4tP+/7q1rGgNqicHq","body":"fail","attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1545082650636","SenderId":"AIDAIENQZJOLO23YVJ4VO","ApproximateFirstReceiveTimestamp":"1545082650649"},"messageAttributes":{},"md5OfBody":"e4e68fb7bd0e697a0ae8f1bb342846b3","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:jobs","awsRegion":"us-east-1"},
	 {"messageId":"a1b2c3d4-0000-4000-8000-000000000003","receiptHandle":"AQEBzWwaftRI0KuVm4tP+/7q1rGgNqicHr","body":"ok","attributes":{"ApproximateReceiveCount":"1"},"messageAttributes":{},"md5OfBody":"x","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:jobs","awsRegion":"us-east-1"}]}`

	s3Event = `{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventTime":"2026-11-26T00:00:00.000Z","eventName":"ObjectCreated:Put","userIdentity":{"principalId":"EXAMPLE"},"requestParameters":{"sourceIPAddress":"127.0.0.1"},"responseElements":{"x-amz-request-id":"EXAMPLE123456789","x-amz-id-2":"EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH"},"s3":{"s3SchemaVersion":"1.0","configurationId":"testConfigRule","bucket":{"name":"events-dev-uploadsbucket-1abc","ownerIdentity":{"principalId":"EXAMPLE"},"arn":"arn:aws:s3:::events-dev-uploadsbucket-1abc"},"object":{"key":"incoming/report.csv","size":1024,"eTag":"0123456789abcdef0123456789abcdef","sequencer":"0A1B2C3D4E5F678901"}}}]}`

	wsConnectEvent = `{"headers":{"Host":"a1b2c3d4e5.execute-api.us-east-1.amazonaws.com","Sec-WebSocket-Key":"dGhlIHNhbXBsZSBub25jZQ==","Sec-WebSocket-Version":"13"},"multiValueHeaders":{"Host":["a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"]},"queryStringParameters":{"token":"t0k3n"},"multiValueQueryStringParameters":{"token":["t0k3n"]},"requestContext":{"routeKey":"$connect","eventType":"CONNECT","extendedRequestId":"Ex1=","requestTime":"26/Nov/2026:00:00:00 +0000","messageDirection":"IN","stage":"api","connectedAt":1795651200000,"requestTimeEpoch":1795651200000,"identity":{"sourceIp":"127.0.0.1"},"requestId":"Ex1=","domainName":"a1b2c3d4e5.execute-api.us-east-1.amazonaws.com","connectionId":"L0SM9cOFvHcCIhw=","apiId":"a1b2c3d4e5"},"isBase64Encoded":false}`
)

// TestEventsOnTheEmulator builds samples/events once and sends each function
// the event its source sends, under the runtime emulator, with _HANDLER set
// to the function's handler name; then sends wrong-shape events.
func TestEventsOnTheEmulator(t *testing.T) {
	rie.Require(t)
	bootstrap := eventsSample(t)
	tests := []struct {
		handler, event string
		want           string // JSON compared by value
	}{
		{"daily_digest", scheduleEvent, `{"digest":"sent","at":"2026-11-26T06:00:00Z"}`},
		{"process_jobs", sqsBatchEvent, `{"batchItemFailures":[{"itemIdentifier":"2e1424d4-f796-459a-8184-9c92662be6da"}]}`},
		{"on_upload", s3Event, `["events-dev-uploadsbucket-1abc/incoming/report.csv"]`},
		{"websocket_connect", wsConnectEvent, `{"statusCode":200,"headers":null,"multiValueHeaders":null,"body":"connected L0SM9cOFvHcCIhw="}`},
		{"refresh", scheduleEvent, `"refreshed on schedule"`},
		{"refresh", sqsBatchEvent, `"refreshed on request"`},
	}
	for _, tt := range tests {
		t.Run(tt.handler, func(t *testing.T) {
			fn := rie.Start(t, bootstrap, tt.handler)
			status, body := fn.Invoke(t, []byte(tt.event))
			if status != 200 || !jsonEqual(t, string(body), tt.want) {
				t.Errorf("%s = %d %s\nwant %s\nlogs:\n%s", tt.handler, status, body, tt.want, fn.Logs())
			}
		})
	}

	t.Run("auto_confirm", func(t *testing.T) {
		fn := rie.Start(t, bootstrap, "auto_confirm")
		status, body := fn.Invoke(t, []byte(preSignUpEvent))
		if status != 200 || !contains(string(body), `"autoConfirmUser":true`, `"autoVerifyEmail":true`, `"userName":"ann"`, `"triggerSource":"PreSignUp_SignUp"`) {
			t.Errorf("auto_confirm = %d %s\nlogs:\n%s", status, body, fn.Logs())
		}
	})
}

// TestEventsWrongShape checks that an event of the wrong shape is answered
// with a clear error in the function's result, and that the process keeps
// serving.
func TestEventsWrongShape(t *testing.T) {
	rie.Require(t)
	bootstrap := eventsSample(t)
	tests := []struct {
		handler, event, want string
	}{
		{"process_jobs", s3Event, `function \"process_jobs\" expects an SQS event but received an S3 event`},
		{"auto_confirm", sqsBatchEvent, `function \"auto_confirm\" expects a Cognito PreSignUp event but received an SQS event`},
		{"daily_digest", `{"hello":"world"}`, `expects a schedule event but received a JSON value`},
		{"refresh", s3Event, `expects a schedule or SQS event but received an S3 event`},
	}
	for _, tt := range tests {
		t.Run(tt.handler, func(t *testing.T) {
			fn := rie.Start(t, bootstrap, tt.handler)
			status, body := fn.Invoke(t, []byte(tt.event))
			if status != 200 || !contains(string(body), `"errorType":"EventShapeError"`, tt.want) {
				t.Errorf("%s with a wrong event = %d %s, want an EventShapeError containing %s\nlogs:\n%s", tt.handler, status, body, tt.want, fn.Logs())
			}
			if strings.Contains(fn.Logs(), "panic") {
				t.Errorf("the bootstrap panicked:\n%s", fn.Logs())
			}
		})
	}
}
