// Command framework is the gochalice side of the cold-start and size
// comparison (bench/cmd/coldstart): GET /hello/{name} and two more routes.
package main

import "github.com/gochalice/gochalice/framework"

func main() {
	app := framework.New("coldstart")
	app.Route("/", func(r *framework.Request) (any, error) { return "ok", nil })
	app.Route("/users/{id}", func(r *framework.Request) (any, error) { return "ok", nil })
	app.Route("/hello/{name}", func(r *framework.Request) (any, error) {
		return map[string]string{"hello": r.PathParam("name")}, nil
	})
	app.Run()
}
