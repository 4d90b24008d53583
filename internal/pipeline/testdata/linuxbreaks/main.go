// Command linuxbreaks builds for the host but not as a bootstrap: lambda.go
// is compiled only without cgo, which the bootstrap build turns off and the
// test turns on for the host build (this app imports no package that needs
// a C compiler).
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
