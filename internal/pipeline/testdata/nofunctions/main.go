// Command nofunctions is an app that registers nothing.
package main

import "fmt"

func main() {
	fmt.Println(`{"schemaVersion":1,"app":"empty","frameworkVersion":"v0.0.0-test","functions":[]}`)
}
