// Command noisy prints lines of its own, some starting with '{', before the
// manifest.
package main

import (
	"fmt"
	"os"
)

func init() {
	fmt.Println("connecting to the database...")
	fmt.Println(`{"log":"a structured log line from init"}`)
}

func main() {
	if os.Getenv("GOCHALICE_MODE") == "manifest" {
		fmt.Println(`{"schemaVersion":1,"app":"noisy","frameworkVersion":"v0.0.0-test","functions":[{"name":"tick","handler":"tick","kind":"lambda"}]}`)
		fmt.Fprintln(os.Stderr, "noisy: a warning on stderr")
		fmt.Println("trailing chatter")
	}
}
