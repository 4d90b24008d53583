// Command traced is the app of the end-to-end test of X-Ray trace
// propagation: its functions report the trace header as the invocation's
// context, logger and environment carry it, and make AWS SDK for Go v2 calls
// that should carry it too.
package main

import (
	"context"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/gochalice/gochalice/framework"
)

// Seen is what the trace function reports.
type Seen struct {
	Context string   `json:"context"`
	Env     string   `json:"env"`
	Queues  []string `json:"queues"`
}

func main() {
	app := framework.New("traced")
	app.LambdaFunction("trace", func(ctx context.Context) (Seen, error) {
		framework.Logger(ctx).Info("traced")
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return Seen{}, err
		}
		client := sqs.NewFromConfig(cfg)
		if _, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("traced")}); err != nil {
			return Seen{}, err
		}
		out, err := client.ListQueues(ctx, &sqs.ListQueuesInput{})
		if err != nil {
			return Seen{}, err
		}
		return Seen{Context: framework.TraceHeader(ctx), Env: os.Getenv("_X_AMZN_TRACE_ID"), Queues: out.QueueUrls}, nil
	})
	app.Run()
}
