//go:build !unix

package build

import "os/exec"

// inOwnGroup leaves cmd as it is: canceling its context kills the process.
func inOwnGroup(cmd *exec.Cmd) {}
