// Command events is a golden fixture: schedules (rate and cron), SNS, SQS,
// EventBridge, DynamoDB and Kinesis stream sources, partial batch failure
// reporting, and one function with two sources.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	app := framework.New("events")
	app.Schedule("every_hour", framework.Rate(1, framework.Hours), tick)
	app.Schedule("weekday_report", framework.Cron("0", "8", "?", "*", "MON-FRI", "*"), tick,
		framework.ScheduleDescription("weekday report at 08:00 UTC"), framework.ScheduleDisabled())
	app.OnSNSMessage("on_alert", framework.ExistingTopic("alerts"), onSNS,
		framework.SNSFilterPolicy(map[string]any{"severity": []string{"high", "critical"}}))
	app.OnSNSMessage("on_billing", framework.ExistingTopic("arn:aws:sns:us-east-1:123456789012:billing"), onSNS)
	app.OnSQSMessage("on_job", framework.ExistingQueue("jobs"), onJobs,
		framework.SQSBatchSize(100), framework.SQSBatchingWindow(5), framework.SQSMaxConcurrency(10))
	app.OnEventBridge("on_instance_change", map[string]any{
		"source":      []string{"aws.ec2"},
		"detail-type": []string{"EC2 Instance State-change Notification"},
	}, onEvent)
	app.OnEventBridge("on_order", map[string]any{"source": []string{"shop.orders"}}, onEvent, framework.EventBus("orders"))
	app.OnDynamoDBRecord("on_user_change", framework.ExistingTableStream("arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2026-11-01T00:00:00.000"), onDynamo,
		framework.StreamBatchSize(50), framework.StreamBisectOnError(), framework.StreamMaxRetries(3))
	app.OnKinesisRecord("on_click", "clicks", onKinesis,
		framework.StreamStartingPosition("TRIM_HORIZON"), framework.StreamBatchingWindow(10))
	app.EventHandler("refresh_cache", refresh,
		framework.ScheduleSource(framework.Rate(15, framework.Minutes)),
		framework.SQSSource(framework.ExistingQueue("arn:aws:sqs:us-east-1:123456789012:refresh-requests")))
	app.Run()
}

func tick(ctx context.Context, ev events.EventBridgeEvent) error { return nil }

func onSNS(ctx context.Context, ev events.SNSEvent) error { return nil }

func onJobs(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	return events.SQSEventResponse{}, nil
}

func onEvent(ctx context.Context, ev events.EventBridgeEvent) error { return nil }

func onDynamo(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	return events.DynamoDBEventResponse{}, nil
}

func onKinesis(ctx context.Context, ev events.KinesisEvent) error { return nil }

func refresh(ctx context.Context, ev map[string]any) error { return nil }
