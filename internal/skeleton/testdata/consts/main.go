// Command consts declares constants: those only handlers use are left out,
// except in blocks whose values depend on their place (iota), which stay
// whole; a constant registration uses stays with those it uses.
package main

import (
	"time"

	"github.com/gochalice/gochalice/framework"
)

const (
	base    = "/v1"
	path    = base + "/items"
	message = "only the handler uses this"
	timeout = 3 * time.Second
)

type level int

const (
	low level = iota
	high
)

func main() {
	app := framework.New("consts")
	app.Route(path, items)
	app.Run()
}

func items(r *framework.Request) (any, error) {
	if high > low {
		return message + timeout.String(), nil
	}
	return nil, nil
}
