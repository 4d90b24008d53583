// Command routes is a golden fixture: every kind of route the framework
// accepts (root, literals, captures, nested captures, a greedy capture, every
// method, several methods on one path).
package main

import "github.com/gochalice/gochalice/framework"

func main() {
	app := framework.New("routes")
	app.Route("/", view)
	app.Route("/items", view, framework.Methods("GET", "POST"))
	app.Route("/items/{id}", view, framework.Methods("GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"))
	app.Route("/items/{id}/tags/{tag}", view)
	app.Route("/items/{id}/tags/latest", view)
	app.Route("/static/{proxy+}", view)
	app.Route("/v1.0/health-check_x", view)
	app.Run()
}

func view(r *framework.Request) (any, error) { return r.Path, nil }
