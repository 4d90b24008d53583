// Command envcheck prints its manifest only if its environment holds nothing
// but PATH, HOME and GOCHALICE_MODE.
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "PATH", "HOME", "GOCHALICE_MODE":
		default:
			fmt.Fprintf(os.Stderr, "envcheck: unexpected variable %s\n", k)
			os.Exit(1)
		}
	}
	if os.Getenv("GOCHALICE_MODE") != "manifest" {
		fmt.Fprintln(os.Stderr, "envcheck: GOCHALICE_MODE is not manifest")
		os.Exit(1)
	}
	fmt.Println(`{"schemaVersion":1,"app":"envcheck","frameworkVersion":"v0.0.0-test","functions":[{"name":"f","handler":"f","kind":"lambda"}]}`)
}
