// Command helpers registers through helpers, a method and an init: every
// function main, init or a variable's initializer calls by name keeps its
// body, transitively; the handlers do not.
package main

import (
	"strings"

	"github.com/gochalice/gochalice/framework"
)

var defaultStore = newStore("users")

var registered []string

func init() { registered = append(registered, "init") }

func main() {
	app := framework.New("helpers")
	routes(app)
	app.Run()
}

func routes(app *framework.App) {
	app.Route("/", index)
	defaultStore.register(app)
}

type store struct{ table string }

func newStore(table string) *store { return &store{table: strings.ToUpper(table)} }

func (s *store) register(app *framework.App) {
	app.Route("/users/{id}", s.get)
	registered = append(registered, s.table)
}

func (s *store) get(r *framework.Request) (any, error) {
	return map[string]string{"id": r.PathParam("id"), "table": s.table}, nil
}

func index(r *framework.Request) (any, error) {
	return strings.Join(registered, ","), nil
}
