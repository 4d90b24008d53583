// Command users is the gochalice sample of resources declared in code: a
// users table with an email index, a jobs queue with a dead-letter queue,
// and the functions that use them through aws-sdk-go-v2. The packager reads
// the SDK calls and gives each function a role with only what its own code
// needs (see `chalice-package policy ./samples/users`).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"log"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/gochalice/gochalice/framework"
	"github.com/gochalice/gochalice/samples/users/store"
)

func main() {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	newApp(&store.Store{DB: dynamodb.NewFromConfig(cfg), SQS: sqs.NewFromConfig(cfg)}).Run()
}

// newApp declares the resources and registers the functions on st; the
// tests use it with clients pointed at a local AWS endpoint.
func newApp(st *store.Store) *framework.App {
	app := framework.New("users")
	st.Users = app.Table("users", framework.PartitionKey("username", framework.S),
		framework.GlobalIndex("by_email", framework.PartitionKey("email", framework.S)))
	st.Jobs = app.Queue("jobs", framework.DeadLetter(5))

	app.Route("/users", func(r *framework.Request) (any, error) { return createUser(r, st) }, framework.Methods("POST"))
	app.Route("/users/{name}", func(r *framework.Request) (any, error) { return getUser(r, st) })
	app.Route("/users", func(r *framework.Request) (any, error) { return findUsers(r, st) })
	app.LambdaFunction("enqueue", func(ctx context.Context, job Job) (string, error) { return st.Enqueue(ctx, job.Body) })
	app.OnSQSMessage("work", st.Jobs, work)
	return app
}

// Job is the input of the enqueue function.
type Job struct {
	Body string `json:"body"`
}

func createUser(r *framework.Request, st *store.Store) (any, error) {
	var u store.User
	if err := r.DecodeJSON(&u); err != nil {
		return nil, err
	}
	if u.Username == "" {
		return nil, framework.BadRequest("username is required")
	}
	if err := st.Put(r.Context(), u); err != nil {
		return nil, err
	}
	return &framework.Response{StatusCode: 201, Body: u}, nil
}

func getUser(r *framework.Request, st *store.Store) (any, error) {
	u, err := st.Get(r.Context(), r.PathParam("name"))
	if errors.Is(err, store.ErrNotFound) {
		return nil, framework.NotFound("no user " + r.PathParam("name"))
	}
	return u, err
}

func findUsers(r *framework.Request, st *store.Store) (any, error) {
	return st.ByEmail(r.Context(), r.Query.Get("email"))
}

// work processes jobs; it calls no AWS API itself, so its role holds only
// what reading the queue needs.
func work(ctx context.Context, ev events.SQSEvent) error {
	for _, m := range ev.Records {
		var v any
		if json.Unmarshal([]byte(m.Body), &v) != nil {
			log.Printf("job %s: %s", m.MessageId, m.Body)
		}
	}
	return nil
}
