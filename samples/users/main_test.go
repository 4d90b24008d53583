package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/gochalice/gochalice/framework"
	"github.com/gochalice/gochalice/framework/chalicetest"
	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/moto"
	"github.com/gochalice/gochalice/samples/users/store"
)

// localResources creates, on the local AWS endpoint, the tables and queues
// the app declares (from its manifest, as the template would), and sets
// the variables the handles read to their local names.
func localResources(t *testing.T, ctx context.Context, app *framework.App, db *dynamodb.Client, q *sqs.Client) {
	t.Helper()
	m, err := app.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range m.Tables {
		name := "local-" + tb.Name
		attrs := map[string]types.ScalarAttributeType{}
		keys := func(pk manifest.KeyAttribute, sk *manifest.KeyAttribute) []types.KeySchemaElement {
			attrs[pk.Name] = types.ScalarAttributeType(pk.Type)
			ks := []types.KeySchemaElement{{AttributeName: aws.String(pk.Name), KeyType: types.KeyTypeHash}}
			if sk != nil {
				attrs[sk.Name] = types.ScalarAttributeType(sk.Type)
				ks = append(ks, types.KeySchemaElement{AttributeName: aws.String(sk.Name), KeyType: types.KeyTypeRange})
			}
			return ks
		}
		in := &dynamodb.CreateTableInput{TableName: aws.String(name), BillingMode: types.BillingModePayPerRequest, KeySchema: keys(tb.PartitionKey, tb.SortKey)}
		for _, ix := range tb.GlobalIndexes {
			in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, types.GlobalSecondaryIndex{
				IndexName: aws.String(ix.Name), KeySchema: keys(ix.PartitionKey, ix.SortKey),
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
			})
		}
		for n, typ := range attrs {
			in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: typ})
		}
		out, err := db.CreateTable(ctx, in)
		if err != nil {
			t.Fatalf("create table %s: %v", name, err)
		}
		t.Setenv(manifest.ResourceEnv(manifest.ResourceTable, tb.Name, manifest.AttrName), name)
		t.Setenv(manifest.ResourceEnv(manifest.ResourceTable, tb.Name, manifest.AttrARN), aws.ToString(out.TableDescription.TableArn))
	}
	for _, qu := range m.Queues {
		out, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("local-" + qu.Name)})
		if err != nil {
			t.Fatalf("create queue %s: %v", qu.Name, err)
		}
		t.Setenv(manifest.ResourceEnv(manifest.ResourceQueue, qu.Name, manifest.AttrURL), aws.ToString(out.QueueUrl))
	}
}

// The sample's functions make real SDK calls against moto in server mode:
// create a user, read it back, find it through the email index, and send a
// job to the queue.
func TestUsersAgainstMoto(t *testing.T) {
	srv := moto.Start(t)
	srv.SetEnv(t)
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db, q := dynamodb.NewFromConfig(cfg), sqs.NewFromConfig(cfg)
	st := &store.Store{DB: db, SQS: q}
	app := newApp(st)

	c := chalicetest.New(t, app)

	// Before the variables are set, a handle's read is a clear error.
	if r := c.Get("/users/ada"); r.StatusCode != 500 {
		t.Errorf("GET without the table variable = %s, want 500", r)
	}
	localResources(t, ctx, app, db, q)

	tests := []struct {
		name   string
		method string
		path   string
		body   string
		status int
		want   string
	}{
		{"create", "POST", "/users", `{"username":"ada","email":"ada@example.com","score":3}`, 201, `{"username":"ada","email":"ada@example.com","score":3}`},
		{"create another", "POST", "/users", `{"username":"bob","email":"bob@example.com"}`, 201, `{"username":"bob","email":"bob@example.com","score":0}`},
		{"read", "GET", "/users/ada", "", 200, `{"username":"ada","email":"ada@example.com","score":3}`},
		{"read missing", "GET", "/users/zed", "", 404, `{"Code":"NotFoundError","Message":"no user zed"}`},
		{"query by index", "GET", "/users?email=bob%40example.com", "", 200, `[{"username":"bob","email":"bob@example.com","score":0}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Do(httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body)))
			if r.StatusCode != tt.status || string(r.Body) != tt.want {
				t.Errorf("%s %s = %s, want %d %s", tt.method, tt.path, r, tt.status, tt.want)
			}
		})
	}

	t.Run("send to the queue", func(t *testing.T) {
		out, err := c.Invoke("enqueue", map[string]string{"body": "resize ada.png"})
		if err != nil {
			t.Fatal(err)
		}
		var id string
		if err := json.Unmarshal(out, &id); err != nil || id == "" {
			t.Fatalf("enqueue returned %s", out)
		}
		url, err := st.Jobs.URL()
		if err != nil {
			t.Fatal(err)
		}
		got, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Messages) != 1 || aws.ToString(got.Messages[0].Body) != "resize ada.png" || aws.ToString(got.Messages[0].MessageId) != id {
			t.Errorf("queue holds %+v, want the one message %s", got.Messages, id)
		}
	})
}
