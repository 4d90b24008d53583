// Command hang blocks before printing its manifest.
package main

import "time"

func main() {
	time.Sleep(time.Hour)
}
