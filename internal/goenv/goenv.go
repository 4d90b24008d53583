// Package goenv fingerprints what the go command reads besides the files
// of the packages it builds: the go binary found on PATH, the environment
// variables that change its answers, and its go env file. The packager's
// caches of go command results (the IAM analysis's dependency listing, the
// registration-only manifest binary) key on it, so that a new toolchain or
// a changed setting is never answered from a cache.
package goenv

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// Vars are the environment variables that can change what the go command
// builds or lists for the same files: the target, the toolchain, the module
// mode, cgo's settings and the flags it reads from the environment.
var Vars = []string{
	"GOFLAGS", "GOOS", "GOARCH", "CGO_ENABLED", "GOEXPERIMENT", "GOTOOLCHAIN",
	"GOWORK", "GO111MODULE", "GOROOT", "GOPATH", "GOMODCACHE", "GOENV", "GOCACHE",
	"GOAMD64", "GOARM", "GOARM64", "GO386", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM",
	"GODEBUG", "GOINSECURE", "GOPROXY", "GONOSUMDB", "GOPRIVATE", "GOVCS",
	"CC", "CXX", "CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_FFLAGS", "CGO_LDFLAGS", "PKG_CONFIG", "AR",
}

// Fingerprint returns a digest of the go command on PATH (its path, and
// the size and modification time of it and of the file its symlink points
// to), of every variable in Vars (set or not, and its value) and of the
// content of the go env file (GOENV, or go/env in the user's configuration
// directory).
func Fingerprint() (string, error) {
	h := sha256.New()
	field := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", err
	}
	if goBin, err = filepath.Abs(goBin); err != nil {
		return "", err
	}
	bins := []string{goBin}
	if real, err := filepath.EvalSymlinks(goBin); err == nil && real != goBin {
		bins = append(bins, real)
	}
	for _, b := range bins {
		fi, err := os.Stat(b)
		if err != nil {
			return "", err
		}
		field(b, strconv.FormatInt(fi.Size(), 10), strconv.FormatInt(fi.ModTime().UnixNano(), 10))
	}
	for _, v := range Vars {
		val, ok := os.LookupEnv(v)
		field(v, strconv.FormatBool(ok), val)
	}
	if f := envFile(); f != "" {
		data, err := os.ReadFile(f)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			field(f, "absent")
		case err != nil:
			return "", err
		default:
			sum := sha256.Sum256(data)
			field(f, string(sum[:]))
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// envFile is the go env file the go command reads ("" for none).
func envFile() string {
	f := os.Getenv("GOENV")
	if f == "" {
		if d, err := os.UserConfigDir(); err == nil {
			f = filepath.Join(d, "go", "env")
		}
	}
	if f == "off" {
		return ""
	}
	return f
}
