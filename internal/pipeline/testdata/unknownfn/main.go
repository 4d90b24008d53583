// Command unknownfn (a copy of fakeapp whose config names a function it lacks) stands in for a framework app: in manifest mode it prints a
// hand-written manifest, so the pipeline is tested apart from the framework.
package main

import (
	"fmt"
	"os"
)

const manifestJSON = `{"schemaVersion":1,"app":"fake","frameworkVersion":"v0.0.0-test","functions":[{"name":"add_numbers","handler":"add_numbers","kind":"lambda"},{"name":"api_handler","handler":"api_handler","kind":"api"}],"routes":[{"path":"/","methods":["GET"]},{"path":"/echo","methods":["POST","PUT"]},{"path":"/hello/{name}","methods":["GET"],"params":["name"]}]}`

func main() {
	if os.Getenv("GOCHALICE_MODE") == "manifest" {
		fmt.Println(manifestJSON)
		return
	}
	fmt.Fprintln(os.Stderr, "fakeapp: only manifest mode is faked")
	os.Exit(2)
}
