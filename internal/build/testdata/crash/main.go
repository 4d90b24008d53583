// Command crash fails in manifest mode with an unexpected status.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "crash: cannot open config.json")
	os.Exit(3)
}
