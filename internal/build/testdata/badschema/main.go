// Command badschema prints a manifest of a future schema version.
package main

import "fmt"

func main() {
	fmt.Println(`{"schemaVersion":99,"app":"future","functions":[]}`)
}
