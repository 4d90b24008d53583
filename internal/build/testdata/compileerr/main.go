// Command compileerr does not compile.
package main

func main() {
	nosuchfunction()
}
