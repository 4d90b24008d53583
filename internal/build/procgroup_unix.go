//go:build unix

package build

import (
	"os/exec"
	"syscall"
	"time"
)

// inOwnGroup runs cmd in a process group of its own and makes canceling its
// context kill the whole group: the go command's children (compile, link,
// the cgo tools) stop with it instead of running on after Ctrl-C.
func inOwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	cmd.WaitDelay = 5 * time.Second
}
