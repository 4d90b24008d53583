// Command handlers registers top-level functions: every body but main's is
// left out, and the constant only a handler uses goes with it.
package main

import (
	"context"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	app := framework.New("handlers")
	app.Route("/", index)
	app.Route("/hello/{name}", hello)
	app.LambdaFunction("add", add)
	app.Run()
}

// greeting is what the edit changes.
const greeting = "world"

func index(r *framework.Request) (any, error) { return map[string]string{"hello": greeting}, nil }

func hello(r *framework.Request) (any, error) {
	name := r.PathParam("name")
	return map[string]string{"hello": name}, nil
}

// AddInput is add's event.
type AddInput struct{ A, B int }

func add(ctx context.Context, in AddInput) (int, error) {
	return in.A + in.B, nil
}
