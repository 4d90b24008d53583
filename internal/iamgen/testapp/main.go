// Command testapp is the IAM analysis fixture: each function exercises one
// way code reaches an AWS SDK call. It is built and analysed by the tests
// of internal/iamgen; it is never deployed.
package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/gochalice/gochalice/framework"
	"github.com/gochalice/gochalice/internal/iamgen/testapp/store"
)

var (
	db      *dynamodb.Client
	s3c     *s3.Client
	sqsc    *sqs.Client
	users   framework.Table
	orders  framework.Table
	jobs    framework.Queue
	uploads framework.Bucket
)

func main() {
	app := framework.New("testapp")
	users = app.Table("users", framework.PartitionKey("username", framework.S),
		framework.GlobalIndex("by_email", framework.PartitionKey("email", framework.S)))
	orders = app.Table("orders", framework.PartitionKey("id", framework.S))
	jobs = app.Queue("jobs")
	uploads = app.Bucket("uploads")
	st := &store.Store{DB: db, Users: users}

	app.LambdaFunction("direct", direct)
	app.LambdaFunction("helper", func(ctx context.Context) error {
		_, err := st.Get(ctx, "x")
		return err
	})
	app.LambdaFunction("iface", viaInterface)
	app.LambdaFunction("goroutine", inGoroutine)
	app.LambdaFunction("closure", viaClosure)
	app.LambdaFunction("method_value", viaMethodValue)
	app.LambdaFunction("paginator", paginate)
	app.LambdaFunction("upload", upload)
	app.LambdaFunction("shared_a", sharedA)
	app.LambdaFunction("shared_b", sharedB)
	app.LambdaFunction("nothing", func() error { return nil })
	app.LambdaFunction("dynamic", dynamic)
	app.LambdaFunction("constant", constant)
	app.LambdaFunction("index", queryIndex)
	app.Route("/send", send)
	framework.TypedRoute(app, "/typed", typedView)
	app.LambdaFunction("waiter", waitForTable)
	app.LambdaFunction("opaque", opaque["x"])
	app.Run()
}

func direct(ctx context.Context) error {
	name, err := orders.Name()
	if err != nil {
		return err
	}
	_, err = db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &name})
	return err
}

// getter is satisfied by *dynamodb.Client.
type getter interface {
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
}

func viaInterface(ctx context.Context) error {
	var g getter = db
	name, _ := users.Name()
	_, err := g.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(name)})
	return err
}

func inGoroutine(ctx context.Context) error {
	done := make(chan error)
	go func() {
		url, _ := jobs.URL()
		_, err := sqsc.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("hi")})
		done <- err
	}()
	return <-done
}

func viaClosure(ctx context.Context) error {
	del := func(key string) error {
		bucket, _ := uploads.Name()
		_, err := s3c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		return err
	}
	return del("k")
}

func viaMethodValue(ctx context.Context) error {
	list := s3c.ListObjectsV2
	bucket, _ := uploads.Name()
	_, err := list(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	return err
}

func paginate(ctx context.Context) error {
	name, _ := users.Name()
	p := dynamodb.NewScanPaginator(db, &dynamodb.ScanInput{TableName: aws.String(name)})
	for p.HasMorePages() {
		if _, err := p.NextPage(ctx); err != nil {
			return err
		}
	}
	return nil
}

func upload(ctx context.Context) error {
	bucket, _ := uploads.Name()
	_, err := manager.NewUploader(s3c).Upload(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("k"), Body: strings.NewReader("x")})
	return err
}

func sharedA(ctx context.Context) error { return sharedWrite(ctx) }
func sharedB(ctx context.Context) error { return sharedWrite(ctx) }

func sharedWrite(ctx context.Context) error {
	name, _ := orders.Name()
	_, err := db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(name)})
	return err
}

// unreachable is called by no registered function: its call is granted to
// none.
func unreachable(ctx context.Context) error {
	_, err := db.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("users")})
	return err
}

var _ = unreachable

func dynamic(ctx context.Context, in struct{ Tenant string }) error {
	_, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(fmt.Sprintf("tenant-%s", in.Tenant))})
	return err
}

func constant(ctx context.Context) error {
	_, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("legacy-accounts")})
	return err
}

func queryIndex(ctx context.Context) error {
	name, _ := users.Name()
	_, err := db.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(name), IndexName: aws.String("by_email")})
	return err
}

func send(r *framework.Request) (any, error) {
	url, err := jobs.URL()
	if err != nil {
		return nil, err
	}
	_, err = sqsc.SendMessage(r.Context(), &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(string(r.Body))})
	return nil, err
}

func waitForTable(ctx context.Context) error {
	name, _ := users.Name()
	return dynamodb.NewTableExistsWaiter(db).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, time.Minute)
}

// opaque hides a handler in a map: the analysis cannot tell which code the
// function runs, so it gets every call of the app.
var opaque = map[string]func(context.Context) error{"x": direct}

// typedView is registered with the generic framework.TypedRoute: a view of
// the API function like any other.
func typedView(r *framework.Request, _ framework.NoBody) (string, error) {
	name, err := orders.Name()
	if err != nil {
		return "", err
	}
	_, err = db.GetItem(r.Context(), &dynamodb.GetItemInput{TableName: &name})
	return name, err
}
