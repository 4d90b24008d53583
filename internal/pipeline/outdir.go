package pipeline

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// writeStageDir has fill write the stage's files into a fresh directory
// inside out, then puts that directory in place of out/<stage>. If fill or
// the swap fails, the new directory is removed and out/<stage> is left as it
// was (and out itself is removed again if this call created it and it is
// empty).
func writeStageDir(out, stage string, fill func(dir string) error) (err error) {
	_, statErr := os.Stat(out)
	createdOut := errors.Is(statErr, fs.ErrNotExist)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(out, ".tmp-"+stage+"-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
			if createdOut {
				os.Remove(out) // only if empty
			}
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
	old, err := os.MkdirTemp(filepath.Dir(final), ".old-"+filepath.Base(final)+"-*")
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
