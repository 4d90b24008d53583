package iamgen

import (
	"fmt"
	"os"
	"testing"
)

// TestMain keeps the analysis's caches of this package's tests in a
// directory of their own, not in the user's cache directory.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "iamgen-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv(EnvCacheDir, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
