// Command functions is a golden fixture: an app with standalone functions
// only (no routes, so no REST API), named in snake and kebab case, with a
// range of the signatures aws-lambda-go accepts.
package main

import (
	"context"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	app := framework.New("functions")
	app.LambdaFunction("add_numbers", func(ctx context.Context, in struct{ A, B int }) (int, error) { return in.A + in.B, nil })
	app.LambdaFunction("nightly-report", func(ctx context.Context) error { return nil })
	app.LambdaFunction("ping", func() (string, error) { return "pong", nil })
	app.Run()
}
