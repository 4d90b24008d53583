package testevents

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestEventJSON checks the JSON each builder produces carries the fields
// Lambda's event sources send, under the names they use.
func TestEventJSON(t *testing.T) {
	mustEB := func(ev any, err error) any {
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	cases := []struct {
		name string
		ev   any
		want []string // substrings of the JSON
	}{
		{"sqs", SQS("a", "b"), []string{`"eventSource":"aws:sqs"`, `"body":"a"`, `"body":"b"`, `"eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:queue"`, `"md5OfBody":"0cc175b9c0f1b6a831c399e269772661"`}},
		{"sns", SNS("hi"), []string{`"EventSource":"aws:sns"`, `"Message":"hi"`, `"TopicArn":"arn:aws:sns:us-east-1:123456789012:topic"`}},
		{"s3", S3("bkt", "a/b.txt"), []string{`"eventName":"ObjectCreated:Put"`, `"name":"bkt"`, `"key":"a/b.txt"`, `"arn":"arn:aws:s3:::bkt"`}},
		{"schedule", Schedule(), []string{`"detail-type":"Scheduled Event"`, `"source":"aws.events"`, `"detail":{}`}},
		{"eventbridge", mustEB(EventBridge("app.orders", "OrderPlaced", map[string]int{"id": 7})), []string{`"detail-type":"OrderPlaced"`, `"source":"app.orders"`, `"detail":{"id":7}`}},
		{"dynamodb", DynamoDB(map[string]any{"pk": "u1", "n": 3, "ok": true}), []string{`"eventName":"INSERT"`, `"NewImage":{`, `"pk":{"S":"u1"}`, `"n":{"N":"3"}`, `"ok":{"BOOL":true}`, `"Keys":{"n":{"N":"3"}}`}},
		{"kinesis", Kinesis("hello"), []string{`"eventSource":"aws:kinesis"`, `"data":"aGVsbG8="`}},
		{"cognito", mustEB(Cognito("PreSignUp", map[string]string{"email": "a@example.com"})), []string{`"triggerSource":"PreSignUp_SignUp"`, `"email":"a@example.com"`, `"userPoolId":"us-east-1_AbCdEf123"`}},
		{"websocket", WebSocket("$connect", "c1", ""), []string{`"routeKey":"$connect"`, `"eventType":"CONNECT"`, `"connectionId":"c1"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := json.Marshal(c.ev)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("missing %s in\n%s", w, b)
				}
			}
			again, _ := json.Marshal(c.ev)
			if string(again) != string(b) {
				t.Error("not deterministic")
			}
		})
	}
}

func TestEventErrors(t *testing.T) {
	for _, c := range []struct {
		typ  string
		args Args
		want string
	}{
		{"nope", Args{}, `unknown event type "nope"`},
		{"cognito", Args{Trigger: "Signup"}, `unknown Cognito trigger "Signup"`},
		{"eventbridge", Args{Detail: "{not json"}, "event detail: not JSON"},
	} {
		if _, err := Event(c.typ, c.args); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Event(%s) error = %v, want %q", c.typ, err, c.want)
		}
	}
	for _, typ := range Types {
		if _, err := Event(typ, Args{Trigger: "PreSignUp"}); err != nil {
			t.Errorf("Event(%s) with defaults: %v", typ, err)
		}
	}
}
