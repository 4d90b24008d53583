// Command linuxbreaks builds for the host but not as a bootstrap: the file
// below is compiled only with the lambda.norpc tag the bootstrap build sets.
package main

import (
	"fmt"
	"os"
)

func main() {
	if os.Getenv("GOCHALICE_MODE") == "manifest" {
		fmt.Println(`{"schemaVersion":1,"app":"linuxbreaks","frameworkVersion":"v0.0.0-test","functions":[{"name":"f","handler":"f","kind":"lambda"}]}`)
	}
}
