package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// tmpPrefix starts the name of every temporary directory a build makes in
// the output directory, followed by the building process's PID, so that a
// later build can tell a killed build's leftovers from a running build's.
const tmpPrefix = ".gochalice-tmp-"

// buildFiles are the names a stage directory may hold: what the build
// writes and what the printed next steps write beside it. A stage directory
// holding anything else is not replaced, so nothing the build did not create
// is deleted.
var buildFiles = []string{"template.yaml", "template.json", ZipName, ParametersName, "api-definition.yaml", "packaged.yaml", "packaged.json"}

// checkStageDir reports why out/<stage> cannot be replaced: it is not a
// directory, or it holds a file the build did not create.
func checkStageDir(out, stage string) error {
	dir := filepath.Join(out, stage)
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s is a file, not a stage directory the build made: move it or choose another --out", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !slices.Contains(buildFiles, e.Name()) {
			return fmt.Errorf("%s holds %s, which chalice-package build did not create: the build replaces the whole directory, so move it or choose another --out", dir, e.Name())
		}
	}
	return nil
}

// prepareOut creates the output directory and removes what killed builds
// left in it: temporary directories whose process is gone. It reports
// whether it created out.
func prepareOut(out string) (created bool, err error) {
	_, statErr := os.Stat(out)
	created = errors.Is(statErr, fs.ErrNotExist)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return false, err
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return created, err
	}
	for _, e := range entries {
		pid, ok := tmpOwner(e.Name())
		if ok && e.IsDir() && !processAlive(pid) {
			if err := os.RemoveAll(filepath.Join(out, e.Name())); err != nil {
				return created, fmt.Errorf("removing a killed build's temporary directory: %w", err)
			}
		}
	}
	return created, nil
}

// tmpOwner returns the PID in a temporary directory's name.
func tmpOwner(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, tmpPrefix)
	if !ok {
		return 0, false
	}
	pidStr, _, _ := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(pidStr)
	return pid, err == nil && pid > 0
}

// processAlive reports whether a process with this PID exists.
func processAlive(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// mkTemp makes a temporary directory in out named for this process and
// kind ("build", "stage", "old").
func mkTemp(out, kind string) (string, error) {
	return os.MkdirTemp(out, tmpPrefix+strconv.Itoa(os.Getpid())+"-"+kind+"-*")
}

// writeStageDir has fill write the stage's files into a fresh directory
// inside out, then puts that directory in place of out/<stage>. If fill or
// the swap fails, the new directory is removed and out/<stage> is left as it
// was.
func writeStageDir(out, stage string, fill func(dir string) error) (err error) {
	if err := checkStageDir(out, stage); err != nil {
		return err
	}
	tmp, err := mkTemp(out, "stage")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := fill(tmp); err != nil {
		return err
	}
	// MkdirTemp makes the directory private; the result is an ordinary one.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	return replaceDir(tmp, filepath.Join(out, stage))
}

// replaceDir renames dir to final. An existing final is moved aside first and
// removed only once dir is in place, or moved back if the rename fails.
func replaceDir(dir, final string) error {
	if _, err := os.Lstat(final); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(dir, final)
	}
	old, err := mkTemp(filepath.Dir(final), "old")
	if err != nil {
		return err
	}
	// MkdirTemp reserved a unique name; the old stage directory takes it.
	if err := os.Remove(old); err != nil {
		return err
	}
	if err := os.Rename(final, old); err != nil {
		return err
	}
	if err := os.Rename(dir, final); err != nil {
		if backErr := os.Rename(old, final); backErr != nil {
			return errors.Join(err, backErr)
		}
		return err
	}
	return os.RemoveAll(old)
}
