package main

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework/chalicetest"
)

// Each function gets the event its source sends, from chalicetest's
// builders, and is invoked as Lambda would invoke it.
func TestFunctions(t *testing.T) {
	c := chalicetest.New(t, newApp())
	for _, tt := range []struct {
		name, function string
		event          any
		want           string
	}{
		{"schedule", "daily_digest", chalicetest.ScheduleEvent(), `{"at":"2026-01-02T03:04:05Z","digest":"sent"}`},
		{"upload", "on_upload", chalicetest.S3Event("uploads", "incoming/cat.png"), `["uploads/incoming/cat.png"]`},
		{"refresh on schedule", "refresh", chalicetest.ScheduleEvent(), `"refreshed on schedule"`},
		{"refresh on request", "refresh", chalicetest.SQSEvent("now"), `"refreshed on request"`},
		{"connect without token", "websocket_connect", chalicetest.WebSocketEvent("$connect", "c1", ""), `{"statusCode":401,"headers":null,"multiValueHeaders":null,"body":""}`},
	} {
		out, err := c.Invoke(tt.function, tt.event)
		if err != nil || string(out) != tt.want {
			t.Errorf("%s: %s = %s, %v; want %s", tt.name, tt.function, out, err, tt.want)
		}
	}
}

func TestPartialBatchFailure(t *testing.T) {
	ev := chalicetest.SQSEvent("ok", "fail", "ok")
	out, err := chalicetest.New(t, newApp()).Invoke("process_jobs", ev)
	if err != nil {
		t.Fatal(err)
	}
	var resp events.SQSEventResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != ev.Records[1].MessageId {
		t.Errorf("failures = %+v, want the second message", resp.BatchItemFailures)
	}
}

func TestAutoConfirm(t *testing.T) {
	out, err := chalicetest.New(t, newApp()).Invoke("auto_confirm", chalicetest.CognitoEvent("PreSignUp", map[string]string{"email": "a@example.com"}))
	if err != nil {
		t.Fatal(err)
	}
	var got events.CognitoEventUserPoolsPreSignup
	if err := json.Unmarshal(out, &got); err != nil || !got.Response.AutoConfirmUser || !got.Response.AutoVerifyEmail {
		t.Errorf("auto_confirm = %s (%v)", out, err)
	}
}
