// Command s3 is a golden fixture: S3 sources on a bucket declared in the app
// (SAM S3 events with key filters) and on an existing bucket (a permission
// and an output saying which notification to configure).
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	app := framework.New("s3")
	uploads := app.Bucket("uploads")
	app.OnS3Event("make_thumbnail", uploads, onObject, framework.S3Prefix("images/"), framework.S3Suffix(".png"))
	app.OnS3Event("index_document", uploads, onObject, framework.S3Prefix("docs/"))
	app.OnS3Event("on_delete", uploads, onObject, framework.S3Events("s3:ObjectRemoved:*"))
	app.OnS3Event("audit", framework.ExistingBucket("corp-audit-logs"), onObject, framework.S3Suffix(".json"))
	app.Run()
}

func onObject(ctx context.Context, ev events.S3Event) error { return nil }
