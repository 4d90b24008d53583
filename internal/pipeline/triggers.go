package pipeline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gochalice/gochalice/framework/manifest"
)

// triggers says what invokes a function, for the summary: its event
// sources, the REST API, or a direct invoke.
func triggers(m *manifest.Manifest, fn manifest.Function) string {
	var t []string
	switch fn.Kind {
	case manifest.KindAPI:
		t = append(t, fmt.Sprintf("REST API (%d routes)", len(m.Routes)))
	case manifest.KindAuthorizer:
		t = append(t, "API Gateway, as an authorizer")
	}
	for _, ev := range fn.Events {
		t = append(t, describeTrigger(ev))
	}
	if len(t) == 0 {
		return "direct invoke (aws lambda invoke, or an SDK)"
	}
	return strings.Join(t, "; ")
}

func describeTrigger(ev manifest.Event) string {
	switch {
	case ev.Schedule != nil:
		return "schedule " + ev.Schedule.Expression
	case ev.SNS != nil:
		return "SNS topic " + ev.SNS.Topic
	case ev.SQS != nil:
		return "SQS queue " + ev.SQS.Queue
	case ev.S3 != nil && ev.S3.Bucket != "":
		return fmt.Sprintf("S3 bucket %s (%s)", ev.S3.Bucket, strings.Join(ev.S3.Events, ","))
	case ev.S3 != nil:
		return fmt.Sprintf("S3 bucket %s (%s)", ev.S3.ExistingBucket, strings.Join(ev.S3.Events, ","))
	case ev.EventBridge != nil && ev.EventBridge.Bus != "":
		return "EventBridge rule on bus " + ev.EventBridge.Bus
	case ev.EventBridge != nil:
		return "EventBridge rule"
	case ev.Stream != nil && ev.Type == manifest.EventDynamoDB:
		return "DynamoDB stream " + ev.Stream.Stream
	case ev.Stream != nil:
		return "Kinesis stream " + ev.Stream.Stream
	case ev.Cognito != nil && ev.Cognito.Pool != "":
		return fmt.Sprintf("Cognito %s of user pool %s", ev.Cognito.Trigger, ev.Cognito.Pool)
	case ev.Cognito != nil:
		return fmt.Sprintf("Cognito %s of user pool %s", ev.Cognito.Trigger, ev.Cognito.ExistingPoolARN)
	case ev.WebSocket != nil:
		return "WebSocket route " + ev.WebSocket.Route
	}
	return ev.Type
}

// expectedResources lists what the stack uses but does not create: queues,
// topics, streams, buckets, user pools and event buses that the app names
// without declaring. The deploy fails, or the functions never fire, until
// they exist.
func expectedResources(m *manifest.Manifest) []string {
	var out []string
	add := func(s string) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, fn := range m.Functions {
		for _, ev := range fn.Events {
			switch {
			case ev.SNS != nil:
				add("SNS topic " + ev.SNS.Topic)
			case ev.SQS != nil:
				add("SQS queue " + ev.SQS.Queue)
			case ev.Stream != nil && ev.Type == manifest.EventDynamoDB:
				add("DynamoDB stream " + ev.Stream.Stream)
			case ev.Stream != nil:
				add("Kinesis stream " + ev.Stream.Stream)
			case ev.S3 != nil && ev.S3.ExistingBucket != "":
				add("S3 bucket " + ev.S3.ExistingBucket)
			case ev.Cognito != nil && ev.Cognito.ExistingPoolARN != "":
				add("Cognito user pool " + ev.Cognito.ExistingPoolARN)
			case ev.EventBridge != nil && ev.EventBridge.Bus != "" && ev.EventBridge.Bus != "default":
				add("EventBridge bus " + ev.EventBridge.Bus)
			}
		}
	}
	slices.Sort(out)
	return out
}
