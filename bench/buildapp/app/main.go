// Command app is the 13-route app whose warm build bench/buildtime compares
// with Chalice's `chalice package` of the same app (../chalice/app.py).
package main

import (
	"context"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	app := framework.New("routes13")
	app.Route("/", index)
	app.Route("/hello/{name}", hello)
	app.Route("/echo", echo, framework.Methods("POST", "PUT"))
	app.Route("/users", list)
	app.Route("/users/{id}", user, framework.Methods("GET", "PUT", "DELETE"))
	app.Route("/users/{id}/posts", list)
	app.Route("/users/{id}/posts/{post}", user)
	app.Route("/items", list, framework.Methods("GET", "POST"))
	app.Route("/items/{id}", user)
	app.Route("/search", list)
	app.Route("/health", index)
	app.Route("/version", index)
	app.Route("/static/{proxy+}", hello)
	app.LambdaFunction("add_numbers", addNumbers)
	app.Run()
}

// greeting is the line bench/buildtime.sh edits.
const greeting = "world 0"

func index(r *framework.Request) (any, error) { return map[string]string{"hello": greeting}, nil }

func hello(r *framework.Request) (any, error) {
	return map[string]string{"hello": r.PathParam("name")}, nil
}

func echo(r *framework.Request) (any, error) {
	var in map[string]any
	if err := r.DecodeJSON(&in); err != nil {
		return nil, err
	}
	return in, nil
}

func list(r *framework.Request) (any, error) { return []string{}, nil }

func user(r *framework.Request) (any, error) {
	return map[string]string{"id": r.PathParam("id")}, nil
}

// AddInput is the event of add_numbers.
type AddInput struct{ A, B int }

func addNumbers(ctx context.Context, in AddInput) (int, error) { return in.A + in.B, nil }
