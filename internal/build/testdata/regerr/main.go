// Command regerr fails registration the way the framework reports it.
package main

import (
	"fmt"
	"os"
)

func main() {
	if os.Getenv("GOCHALICE_MODE") == "manifest" {
		fmt.Fprintln(os.Stderr, `gochalice: route GET / registered twice`)
		fmt.Fprintln(os.Stderr, `gochalice: function name "" is empty`)
		os.Exit(2)
	}
}
