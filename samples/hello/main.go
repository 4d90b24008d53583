// Command hello is the gochalice sample app: a few routes, an error route and
// a standalone function, all served by one bootstrap.
package main

import (
	"context"
	"fmt"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	newApp().Run()
}

// newApp registers the sample's routes and functions; the tests use it too.
func newApp() *framework.App {
	app := framework.New("hello")
	app.Route("/", index)
	app.Route("/hello/{name}", hello)
	app.Route("/echo", echo, framework.Methods("POST", "PUT"))
	app.Route("/users/{user}/posts/{post}", post)
	app.Route("/teapot", teapot)
	app.Route("/boom", boom)
	app.LambdaFunction("add_numbers", addNumbers)
	return app
}

func index(r *framework.Request) (any, error) {
	return map[string]string{"hello": "world"}, nil
}

func hello(r *framework.Request) (any, error) {
	return map[string]string{"hello": r.PathParam("name")}, nil
}

func echo(r *framework.Request) (any, error) {
	var in map[string]any
	if err := r.DecodeJSON(&in); err != nil {
		return nil, err // already a 400 BadRequestError
	}
	return &framework.Response{StatusCode: 201, Headers: map[string]string{"X-Echo": "1"}, Body: in}, nil
}

func post(r *framework.Request) (any, error) {
	return map[string]any{
		"user":   r.PathParam("user"),
		"post":   r.PathParam("post"),
		"fields": r.Query["fields"],
	}, nil
}

// teapot shows a typed error: the caller gets 404 with a Chalice error body.
func teapot(r *framework.Request) (any, error) {
	return nil, framework.NotFound(fmt.Sprintf("no teapot here (asked with %s)", r.Headers.Get("User-Agent")))
}

// boom shows what an unexpected failure looks like: a 500 with a generic body,
// the panic logged, and the process still serving.
func boom(r *framework.Request) (any, error) {
	panic("boom")
}

// AddInput is the event of add_numbers.
type AddInput struct {
	A int `json:"a"`
	B int `json:"b"`
}

// AddOutput is the result of add_numbers.
type AddOutput struct {
	Sum int `json:"sum"`
}

func addNumbers(ctx context.Context, in AddInput) (AddOutput, error) {
	return AddOutput{Sum: in.A + in.B}, nil
}
