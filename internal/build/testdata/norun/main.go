// Command norun forgets to call app.Run().
package main

import "fmt"

func main() {
	fmt.Println("registered some routes, then returned")
}
