package iamgen

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gochalice/gochalice/cfn"
	"github.com/gochalice/gochalice/framework/manifest"
)

// cacheVersion changes whenever the analysis or its result format does, so
// that an upgraded packager never reads an old result.
const cacheVersion = "iamgen-1"

// EnvCacheDir overrides where analysis results are cached (default: the
// user's cache directory, gochalice/iam).
const EnvCacheDir = "GOCHALICE_CACHE_DIR"

// AnalyzeCached is Analyze with a cache keyed on the content of every Go
// file of the app's module, its go.mod and go.sum, and the manifest: a
// build with no Go change reuses the previous result. It reports whether
// the result came from the cache. A cache that cannot be read or written is
// ignored.
func AnalyzeCached(ctx context.Context, dir string, m *manifest.Manifest) (*cfn.Access, bool, error) {
	key, err := cacheKey(dir, m)
	if err != nil {
		acc, err := Analyze(ctx, dir, m)
		return acc, false, err
	}
	path := filepath.Join(cacheDir(), key+".json")
	if data, err := os.ReadFile(path); err == nil {
		var acc cfn.Access
		if json.Unmarshal(data, &acc) == nil && acc.Functions != nil {
			return &acc, true, nil
		}
	}
	acc, err := Analyze(ctx, dir, m)
	if err != nil {
		return nil, false, err
	}
	if data, err := json.Marshal(acc); err == nil {
		if os.MkdirAll(filepath.Dir(path), 0o755) == nil {
			tmp := path + ".tmp" + strings.ReplaceAll(filepath.Base(os.Args[0]), string(filepath.Separator), "")
			if os.WriteFile(tmp, data, 0o644) == nil {
				_ = os.Rename(tmp, path)
			}
		}
	}
	return acc, false, nil
}

func cacheDir() string {
	if d := os.Getenv(EnvCacheDir); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		d = os.TempDir()
	}
	return filepath.Join(d, "gochalice", "iam")
}

// cacheKey hashes what the analysis reads: the Go files of the module that
// holds dir (other modules are pinned by go.sum), go.mod, go.sum and the
// manifest.
func cacheKey(dir string, m *manifest.Manifest) (string, error) {
	root, err := moduleRoot(dir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write([]byte(cacheVersion + "\x00"))
	abs, _ := filepath.Abs(dir)
	h.Write([]byte(abs + "\x00"))
	mj, _ := json.Marshal(m)
	h.Write(mj)
	var files []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // another module
				}
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") || name == "go.mod" || name == "go.sum" || name == "go.work" {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	slices.Sort(files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(root, f)
		h.Write([]byte(rel + "\x00"))
		sum := sha256.Sum256(data)
		h.Write(sum[:])
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// moduleRoot is the directory of the go.mod governing dir.
func moduleRoot(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", os.ErrNotExist
		}
		d = parent
	}
}
