package framework

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/gochalice/gochalice/framework/manifest"
)

// EventShapeError is the error a function with event sources returns, instead
// of calling its handler, for an event that none of its sources sends. On
// Lambda it is the function's result: {"errorMessage": ..., "errorType":
// "EventShapeError"}.
type EventShapeError struct {
	// Function is the function's name.
	Function string
	// Want lists the sources the function has, e.g. ["SQS", "schedule"].
	Want []string
	// Got describes the event received, e.g. "an S3 event".
	Got string
}

// Error implements error.
func (e *EventShapeError) Error() string {
	article := "a"
	if len(e.Want) > 0 && (strings.HasPrefix(e.Want[0], "S") || strings.HasPrefix(e.Want[0], "E")) {
		article = "an" // SNS, SQS, S3, EventBridge
	}
	return fmt.Sprintf("function %q expects %s %s event but received %s", e.Function, article, strings.Join(e.Want, " or "), e.Got)
}

// shapeChecked checks that an event has the shape one of a function's
// sources sends before handing it to the handler.
type shapeChecked struct {
	name   string
	events []manifest.Event
	next   lambda.Handler
}

// Invoke implements lambda.Handler.
func (h shapeChecked) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	got := classify(payload)
	for _, ev := range h.events {
		if got.matches(ev) {
			return h.next.Invoke(ctx, payload)
		}
	}
	want := make([]string, len(h.events))
	for i, ev := range h.events {
		want[i] = describeSource(ev)
	}
	return nil, &EventShapeError{Function: h.name, Want: want, Got: got.String()}
}

// eventShape is what an event looks like.
type eventShape struct {
	kind   string // "records", "eventbridge", "cognito", "websocket", "json", "invalid"
	source string // eventSource of records, source of an EventBridge event, triggerSource, eventType
	detail string // detail-type of an EventBridge event
}

// classify looks at the fields that tell AWS events apart.
func classify(payload []byte) eventShape {
	var ev struct {
		Records []struct {
			EventSource  string `json:"eventSource"`
			EventSource2 string `json:"EventSource"` // SNS spells it this way
		} `json:"Records"`
		Source         *string `json:"source"`
		DetailType     *string `json:"detail-type"`
		TriggerSource  *string `json:"triggerSource"`
		UserPoolID     *string `json:"userPoolId"`
		RequestContext *struct {
			EventType    string `json:"eventType"`
			ConnectionID string `json:"connectionId"`
		} `json:"requestContext"`
	}
	if err := json.Unmarshal(payload, &ev); err != nil {
		return eventShape{kind: "invalid"}
	}
	switch {
	case len(ev.Records) > 0:
		src := ev.Records[0].EventSource
		if src == "" {
			src = ev.Records[0].EventSource2
		}
		return eventShape{kind: "records", source: src}
	case ev.Source != nil && ev.DetailType != nil:
		return eventShape{kind: "eventbridge", source: *ev.Source, detail: *ev.DetailType}
	case ev.TriggerSource != nil && ev.UserPoolID != nil:
		return eventShape{kind: "cognito", source: *ev.TriggerSource}
	case ev.RequestContext != nil && ev.RequestContext.ConnectionID != "":
		return eventShape{kind: "websocket", source: ev.RequestContext.EventType}
	}
	return eventShape{kind: "json"}
}

var recordSources = map[string]string{
	manifest.EventSNS:      "aws:sns",
	manifest.EventSQS:      "aws:sqs",
	manifest.EventS3:       "aws:s3",
	manifest.EventDynamoDB: "aws:dynamodb",
	manifest.EventKinesis:  "aws:kinesis",
}

var recordNames = map[string]string{
	"aws:sns":      "an SNS event",
	"aws:sqs":      "an SQS event",
	"aws:s3":       "an S3 event",
	"aws:dynamodb": "a DynamoDB stream event",
	"aws:kinesis":  "a Kinesis event",
}

var webSocketEventTypes = map[string]string{"$connect": "CONNECT", "$default": "MESSAGE", "$disconnect": "DISCONNECT"}

// matches reports whether the event can come from the source.
func (s eventShape) matches(ev manifest.Event) bool {
	switch ev.Type {
	case manifest.EventSchedule:
		return s.kind == "eventbridge" && s.source == "aws.events" && s.detail == "Scheduled Event"
	case manifest.EventEventBridge:
		return s.kind == "eventbridge"
	case manifest.EventCognito:
		return s.kind == "cognito" && strings.HasPrefix(s.source, triggerSources[CognitoTrigger(ev.Cognito.Trigger)])
	case manifest.EventWebSocket:
		return s.kind == "websocket" && s.source == webSocketEventTypes[ev.WebSocket.Route]
	default:
		return s.kind == "records" && s.source == recordSources[ev.Type]
	}
}

// String describes the event for EventShapeError.
func (s eventShape) String() string {
	switch s.kind {
	case "invalid":
		return "a payload that is not JSON"
	case "records":
		if d, ok := recordNames[s.source]; ok {
			return d
		}
		return fmt.Sprintf("records from %q", s.source)
	case "eventbridge":
		return fmt.Sprintf("an EventBridge event (source %q, detail-type %q)", s.source, s.detail)
	case "cognito":
		return fmt.Sprintf("a Cognito event (triggerSource %q)", s.source)
	case "websocket":
		return fmt.Sprintf("a WebSocket %s event", s.source)
	}
	return "a JSON value that is no AWS event it knows"
}
