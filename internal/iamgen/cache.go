package iamgen

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gochalice/gochalice/cfn"
	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/gomod"
)

// cacheVersion changes whenever the analysis or its result format does, so
// that an upgraded packager never reads an old result.
const cacheVersion = "iamgen-2"

// EnvCacheDir overrides where analysis results are cached (default: the
// user's cache directory, gochalice/iam).
const EnvCacheDir = "GOCHALICE_CACHE_DIR"

// AnalyzeCached is Analyze with a cache keyed on the content of every Go
// file of the app's module, its go.mod and go.sum, and the manifest: a
// build with no Go change reuses the previous result. It reports whether
// the result came from the cache. A cache that cannot be read or written is
// ignored.
func AnalyzeCached(ctx context.Context, dir string, m *manifest.Manifest) (*cfn.Access, bool, error) {
	return AnalyzeCachedWith(ctx, dir, m, nil)
}

// Prefetch is the loading of an app's program, started before its manifest
// is known (see StartPrefetch).
type Prefetch struct {
	done   chan struct{}
	a      *analyzer
	err    error
	cancel context.CancelFunc
}

// StartPrefetch starts loading the program of the app in dir in the
// background, unless the app's files are those of an analysis already
// cached (then the cache will answer and loading would be wasted work). The
// loading takes about as long as linking the app, so a build can run it
// while it builds the manifest. Pass the result to AnalyzeCachedWith; nil
// means nothing was started.
func StartPrefetch(ctx context.Context, dir string) *Prefetch {
	files, err := filesDigest(dir)
	if err != nil {
		return nil
	}
	if _, err := os.Stat(filesMarker(files)); err == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	p := &Prefetch{done: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(p.done)
		p.a, p.err = load(ctx, dir)
	}()
	return p
}

// Stop cancels the loading and waits for it to end.
func (p *Prefetch) Stop() {
	if p != nil {
		p.cancel()
		<-p.done
	}
}

// AnalyzeCachedWith is AnalyzeCached that, on a cache miss, uses the
// program p loaded (nil: it loads it itself). It stops p in any case.
func AnalyzeCachedWith(ctx context.Context, dir string, m *manifest.Manifest, p *Prefetch) (*cfn.Access, bool, error) {
	analyze := func() (*cfn.Access, error) {
		if p == nil {
			return Analyze(ctx, dir, m)
		}
		select {
		case <-p.done:
		case <-ctx.Done():
			p.Stop()
			return nil, ctx.Err()
		}
		if p.err != nil {
			return nil, p.err
		}
		return p.a.access(m), nil
	}
	files, err := filesDigest(dir)
	if err != nil {
		acc, err := analyze()
		return acc, false, err
	}
	key := keyOf(files, m)
	path := filepath.Join(cacheDir(), key+".json")
	if data, err := os.ReadFile(path); err == nil {
		var acc cfn.Access
		if json.Unmarshal(data, &acc) == nil && acc.Functions != nil {
			p.Stop()
			return &acc, true, nil
		}
	}
	acc, err := analyze()
	if err != nil {
		return nil, false, err
	}
	if data, err := json.Marshal(acc); err == nil {
		if os.MkdirAll(filepath.Dir(path), 0o755) == nil {
			tmp := path + ".tmp" + strings.ReplaceAll(filepath.Base(os.Args[0]), string(filepath.Separator), "")
			if os.WriteFile(tmp, data, 0o644) == nil {
				_ = os.Rename(tmp, path)
				_ = os.WriteFile(filesMarker(files), nil, 0o644)
			}
		}
	}
	return acc, false, nil
}

// filesMarker is the file that says an analysis of these files is cached.
func filesMarker(files string) string {
	return filepath.Join(cacheDir(), files+".files")
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
	files, err := filesDigest(dir)
	if err != nil {
		return "", err
	}
	return keyOf(files, m), nil
}

// keyOf is cacheKey from the files' digest.
func keyOf(files string, m *manifest.Manifest) string {
	h := sha256.New()
	h.Write([]byte(files + "\x00"))
	mj, _ := json.Marshal(m)
	h.Write(mj)
	return hex.EncodeToString(h.Sum(nil))
}

// filesDigest hashes the Go files of the module that holds dir and of
// every local directory its go.mod replaces a module with (other modules
// are pinned by go.sum), go.mod and go.sum.
func filesDigest(dir string) (string, error) {
	root, err := gomod.Root(dir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write([]byte(cacheVersion + "\x00"))
	abs, _ := filepath.Abs(dir)
	h.Write([]byte(abs + "\x00"))
	if err := hashModuleFiles(h, root, ""); err != nil {
		return "", err
	}
	for _, r := range gomod.LocalReplacements(root) {
		if err := hashModuleFiles(h, r, "replace "+r+"\x00"); err != nil {
			return "", fmt.Errorf("replaced module %s: %w", r, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashModuleFiles writes to h, after prefix, the path relative to root and
// the SHA-256 of every non-test Go file of the module at root (not of
// modules nested in it), and of its go.mod, go.sum and go.work.
func hashModuleFiles(h hash.Hash, root, prefix string) error {
	h.Write([]byte(prefix))
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
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
		return err
	}
	slices.Sort(files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, f)
		h.Write([]byte(rel + "\x00"))
		sum := sha256.Sum256(data)
		h.Write(sum[:])
	}
	return nil
}
