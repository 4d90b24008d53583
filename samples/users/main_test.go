package main

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/gochalice/gochalice/framework"
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

// proxy invokes the API function with a proxy event and returns the
// response.
func proxy(t *testing.T, app *framework.App, method, resource, path string, params map[string]string, query url.Values, body string) events.APIGatewayProxyResponse {
	t.Helper()
	ev := events.APIGatewayProxyRequest{Resource: resource, Path: path, HTTPMethod: method, PathParameters: params, Body: body,
		Headers: map[string]string{"Content-Type": "application/json"}}
	if len(query) > 0 {
		ev.MultiValueQueryStringParameters = query
		ev.QueryStringParameters = map[string]string{}
		for k := range query {
			ev.QueryStringParameters[k] = query.Get(k)
		}
	}
	payload, _ := json.Marshal(ev)
	out, err := app.Invoke(context.Background(), "api_handler", payload)
	if err != nil {
		t.Fatal(err)
	}
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	return resp
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

	// Before the variables are set, a handle's read is a clear error.
	if r := proxy(t, app, "GET", "/users/{name}", "/users/ada", map[string]string{"name": "ada"}, nil, ""); r.StatusCode != 500 {
		t.Errorf("GET without the table variable = %d %s, want 500", r.StatusCode, r.Body)
	}
	localResources(t, ctx, app, db, q)

	tests := []struct {
		name     string
		method   string
		resource string
		path     string
		params   map[string]string
		query    url.Values
		body     string
		status   int
		want     string
	}{
		{"create", "POST", "/users", "/users", nil, nil, `{"username":"ada","email":"ada@example.com","score":3}`, 201, `{"username":"ada","email":"ada@example.com","score":3}`},
		{"create another", "POST", "/users", "/users", nil, nil, `{"username":"bob","email":"bob@example.com"}`, 201, `{"username":"bob","email":"bob@example.com","score":0}`},
		{"read", "GET", "/users/{name}", "/users/ada", map[string]string{"name": "ada"}, nil, "", 200, `{"username":"ada","email":"ada@example.com","score":3}`},
		{"read missing", "GET", "/users/{name}", "/users/zed", map[string]string{"name": "zed"}, nil, "", 404, `{"Code":"NotFoundError","Message":"no user zed"}`},
		{"query by index", "GET", "/users", "/users", nil, url.Values{"email": {"bob@example.com"}}, "", 200, `[{"username":"bob","email":"bob@example.com","score":0}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := proxy(t, app, tt.method, tt.resource, tt.path, tt.params, tt.query, tt.body)
			if r.StatusCode != tt.status || r.Body != tt.want {
				t.Errorf("%s %s = %d %s, want %d %s", tt.method, tt.path, r.StatusCode, r.Body, tt.status, tt.want)
			}
		})
	}

	t.Run("send to the queue", func(t *testing.T) {
		out, err := app.Invoke(ctx, "enqueue", []byte(`{"body":"resize ada.png"}`))
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
