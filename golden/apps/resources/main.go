// Command resources is a golden fixture: every kind of declared resource,
// the event sources that read them, and functions whose code calls them
// (scoped to a handle, to a constant, and unscoped).
package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/gochalice/gochalice/framework"
)

var (
	db      = dynamodb.New(dynamodb.Options{})
	s3c     = s3.New(s3.Options{})
	snsc    = sns.New(sns.Options{})
	users   framework.Table
	alerts  framework.Topic
	uploads framework.Bucket
)

func main() {
	app := framework.New("resources")
	users = app.Table("users", framework.PartitionKey("username", framework.S),
		framework.SortKey("ts", framework.N), framework.GlobalIndex("by_email", framework.PartitionKey("email", framework.S)),
		framework.TTLAttribute("expires"), framework.TableStream(framework.NewAndOldImages))
	jobs := app.Queue("jobs", framework.VisibilityTimeout(900), framework.DeadLetter(5))
	app.Queue("orders", framework.FIFO())
	alerts = app.Topic("alerts")
	uploads = app.Bucket("uploads")

	app.OnSQSMessage("work", jobs, work)
	app.OnSNSMessage("on_alert", alerts, onAlert)
	app.OnDynamoDBRecord("on_user", users, onUser)
	app.OnS3Event("on_upload", uploads, onUpload)
	app.LambdaFunction("report", report)
	app.Run()
}

func work(ctx context.Context, ev events.SQSEvent) error { return nil }

func onAlert(ctx context.Context, ev events.SNSEvent) error { return nil }

// onUser publishes an alert for each new user.
func onUser(ctx context.Context, ev events.DynamoDBEvent) error {
	arn, err := alerts.ARN()
	if err != nil {
		return err
	}
	for range ev.Records {
		if _, err := snsc.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(arn), Message: aws.String("new user")}); err != nil {
			return err
		}
	}
	return nil
}

// onUpload copies each upload's metadata into the users table and reads
// an archive bucket named in the code.
func onUpload(ctx context.Context, ev events.S3Event) error {
	table, err := users.Name()
	if err != nil {
		return err
	}
	for _, r := range ev.Records {
		if _, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(table)}); err != nil {
			return err
		}
		if _, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("archive-example-com"), Key: aws.String(r.S3.Object.Key)}); err != nil {
			return err
		}
	}
	return nil
}

// report scans a table whose name comes in the event: unscoped.
func report(ctx context.Context, in struct{ Tenant string }) (int, error) {
	name := fmt.Sprintf("%s-%s", strings.ToLower(in.Tenant), "scores")
	out, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(name)})
	if err != nil {
		return 0, err
	}
	return int(out.Count), nil
}
