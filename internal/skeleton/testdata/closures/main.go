// Command closures registers function literals: those passed as handlers
// are left out, and the locals only they used are used by their stubs;
// literals called, deferred or kept by ID stay.
package main

import (
	"fmt"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	app := framework.New("closures")
	prefix := "hello "
	count := 0
	app.Route("/", func(r *framework.Request) (any, error) {
		count++
		return prefix + fmt.Sprint(count), nil
	})
	name := func() string { return "/named" }()
	defer func() { count = 0 }()
	app.Route(name, func(r *framework.Request) (any, error) { return name, nil })
	logged := func(h framework.Handler) framework.Handler {
		return func(r *framework.Request) (any, error) {
			fmt.Println(r.Path)
			return h(r)
		}
	}
	app.Route("/logged", logged(func(r *framework.Request) (any, error) { return "ok", nil }))
	app.Run()
}
