// Command panics panics in its init code (exit status 2, like registration
// errors, but not one).
package main

func init() {
	panic("cannot load settings")
}

func main() {}
