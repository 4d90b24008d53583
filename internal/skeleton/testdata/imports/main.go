// Command imports uses packages only in handlers: those imports become
// blank, named or not; the one registration uses stays.
package main

import (
	"math/rand/v2"
	str "strconv"
	"strings"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	app := framework.New(strings.ToLower("Imports"))
	app.Route("/", roll)
	app.Run()
}

func roll(r *framework.Request) (any, error) {
	return str.Itoa(rand.IntN(6) + 1), nil
}
