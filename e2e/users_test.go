package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/gochalice/gochalice/internal/moto"
	"github.com/gochalice/gochalice/internal/rie"
)

// TestUsersOnTheEmulator runs the users sample's bootstrap under the
// runtime emulator with the environment its template gives each function
// (the declared resources' variables resolved to resources created in moto)
// and the AWS SDK pointed at moto: each function reads the resources its
// code uses, and only those.
func TestUsersOnTheEmulator(t *testing.T) {
	rie.Require(t)
	srv := moto.Start(t)
	srv.SetEnv(t)
	bootstrap, stageDir := buildSample(t, "users")
	tpl := readTemplate(t, stageDir)

	// The physical resources, created locally.
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db, q := dynamodb.NewFromConfig(cfg), sqs.NewFromConfig(cfg)
	table, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String("local-users"), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("username"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("email"), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("username"), KeyType: types.KeyTypeHash}},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{IndexName: aws.String("by_email"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("email"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	queue, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("local-jobs")})
	if err != nil {
		t.Fatal(err)
	}
	qattrs, err := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: queue.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatal(err)
	}
	// What Ref and Fn::GetAtt resolve to, by logical ID and attribute.
	physical := map[string]string{
		"UsersTable.Ref": "local-users", "UsersTable.Arn": aws.ToString(table.TableDescription.TableArn),
		"JobsQueue.Ref": aws.ToString(queue.QueueUrl), "JobsQueue.Arn": qattrs.Attributes["QueueArn"], "JobsQueue.QueueName": "local-jobs",
	}
	envOf := func(id string) (keys, env []string) {
		t.Helper()
		return resolvedEnv(t, tpl, id, physical, srv.Env())
	}

	apiKeys, apiEnv := envOf("APIHandler")
	enqKeys, enqEnv := envOf("Enqueue")
	workKeys, _ := envOf("Work")
	if got := strings.Join(apiKeys, " "); got != "GOCHALICE_TABLE_USERS_NAME" {
		t.Errorf("api_handler's resource variables: %s", got)
	}
	if got := strings.Join(enqKeys, " "); got != "GOCHALICE_QUEUE_JOBS_URL" {
		t.Errorf("enqueue's resource variables: %s", got)
	}
	if len(workKeys) != 0 {
		t.Errorf("work reads no resource but gets %v", workKeys)
	}

	api := rie.Start(t, bootstrap, "api_handler", apiEnv...)
	call := func(e *rie.Emulator, r apiRequest) events.APIGatewayProxyResponse {
		t.Helper()
		return invokeProxy(t, e, r.event())
	}
	create := apiRequest{method: "POST", resource: "/users", path: "/users",
		headers: map[string][]string{"Content-Type": {"application/json"}}, body: []byte(`{"username":"ada","email":"ada@example.com","score":7}`)}
	if r := call(api, create); r.StatusCode != 201 {
		t.Fatalf("POST /users = %d %s", r.StatusCode, r.Body)
	}
	read := apiRequest{method: "GET", resource: "/users/{name}", path: "/users/ada", params: map[string]string{"name": "ada"}}
	if r := call(api, read); r.StatusCode != 200 || !jsonEqual(t, r.Body, `{"username":"ada","email":"ada@example.com","score":7}`) {
		t.Errorf("GET /users/ada = %d %s", r.StatusCode, r.Body)
	}
	find := apiRequest{method: "GET", resource: "/users", path: "/users", query: map[string][]string{"email": {"ada@example.com"}}}
	if r := call(api, find); r.StatusCode != 200 || !jsonEqual(t, r.Body, `[{"username":"ada","email":"ada@example.com","score":7}]`) {
		t.Errorf("GET /users?email= = %d %s", r.StatusCode, r.Body)
	}

	enq := rie.Start(t, bootstrap, "enqueue", enqEnv...)
	status, body := enq.Invoke(t, []byte(`{"body":"welcome ada"}`))
	var id string
	if err := json.Unmarshal(body, &id); status != 200 || err != nil || id == "" {
		t.Fatalf("enqueue = %d %s", status, body)
	}
	msgs, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: queue.QueueUrl, WaitTimeSeconds: 1})
	if err != nil || len(msgs.Messages) != 1 || aws.ToString(msgs.Messages[0].Body) != "welcome ada" {
		t.Errorf("queue holds %+v (%v)", msgs, err)
	}

	// The API function run with the enqueue function's environment has no
	// table variable: a clear error, logged, and a 500 to the caller.
	wrong := rie.Start(t, bootstrap, "api_handler", enqEnv...)
	if r := call(wrong, read); r.StatusCode != 500 {
		t.Errorf("GET without the table variable = %d %s", r.StatusCode, r.Body)
	}
	// The error is one record of the invocation's logger (text: logfmt, with
	// the message quoted). The bootstrap's output reaches the emulator
	// through a pipe and may arrive after the response: wait for it.
	const missing = `environment variable GOCHALICE_TABLE_USERS_NAME is not set`
	if logs := wrong.WaitLogs(missing, 10*time.Second); !strings.Contains(logs, missing) || !strings.Contains(logs, "level=ERROR") {
		t.Errorf("the emulator's logs do not name the missing variable:\n%s", logs)
	}
}
