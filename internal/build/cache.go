package build

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// EnvCacheDir names the directory where the packager keeps the binaries and
// zips of earlier builds (default: gochalice/build under the user's cache
// directory). It is the variable the IAM analysis caches under too (its
// results are files, the builds' entries directories).
const EnvCacheDir = "GOCHALICE_CACHE_DIR"

// The cache is keyed on the build's inputs by the go command itself: each
// binary is built with -o into the same cached path, and go build compares
// the build ID recorded in that binary (a hash of every source file,
// dependency, flag, environment setting and the toolchain) with the one it
// would produce. When they match it does not compile or link anything, so a
// build after no change costs the go command's package loading, about a tenth
// of a link. Any edit changes the build ID and the binary is relinked. The
// deployment zip is cached next to the bootstrap, keyed on the bootstrap's
// SHA-256.

// cacheEntry returns the cache directory of one kind of build (what) of the
// app in appDir, locked against other packagers until release is called.
// When there is no cache directory, or it cannot be created, it is a
// temporary directory that release removes.
func cacheEntry(appDir, what string) (dir string, release func(), err error) {
	root, ok := cacheRoot()
	if ok {
		trimOnce.Do(func() { trimCache(root, time.Now().Add(-cacheMaxAge)) })
		abs, err := filepath.Abs(appDir)
		if err != nil {
			return "", nil, err
		}
		sum := sha256.Sum256([]byte(abs + "\x00" + what))
		dir = filepath.Join(root, hex.EncodeToString(sum[:12]))
		if err := os.MkdirAll(dir, 0o755); err == nil {
			unlock, err := lockDir(dir)
			if err != nil {
				return "", nil, fmt.Errorf("locking the build cache %s: %w", dir, err)
			}
			now := time.Now()
			os.Chtimes(filepath.Join(dir, "lock"), now, now) // last use, for trimCache
			return dir, unlock, nil
		}
	}
	dir, err = os.MkdirTemp("", "gochalice-"+what+"-*")
	if err != nil {
		return "", nil, err
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// cacheMaxAge is how long an entry may go unused before a build removes it
// (an app that moved, a temporary directory).
const cacheMaxAge = 14 * 24 * time.Hour

var trimOnce sync.Once

// trimCache removes the entries of root last used before cutoff: the
// modification time of an entry's lock file is its last use.
func trimCache(root string, cutoff time.Time) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		dir := filepath.Join(root, e.Name())
		if fi, err := os.Stat(filepath.Join(dir, "lock")); err == nil && fi.ModTime().Before(cutoff) {
			os.RemoveAll(dir)
		}
	}
}

// cacheRoot returns the cache's root directory, and false when there is no
// user cache directory.
func cacheRoot() (string, bool) {
	if v := os.Getenv(EnvCacheDir); v != "" {
		return v, true
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", false
	}
	return filepath.Join(base, "gochalice", "build"), true
}

// fileSHA256 returns the hex SHA-256 of a file's contents.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// copyFile copies src to dst (created or truncated) with mode perm.
func copyFile(src, dst string, perm os.FileMode) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
	}
	return n, err
}
