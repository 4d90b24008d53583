package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/atomicfile"
	"github.com/gochalice/gochalice/internal/goenv"
	"github.com/gochalice/gochalice/internal/gomod"
	"github.com/gochalice/gochalice/internal/skeleton"
)

// The registration-only binary lives in the host build's cache entry:
//
//	skeleton/           the changed files of the copy, and the overlay
//	app-skeleton        the binary, relinked only when the copy changes
//	skeleton-keep       IDs of bodies found called while registering
//	skeleton-bad        the digest of a copy that did not compile
//	skeleton-built      the inputs' key when the binary was last built
const (
	skeletonDir   = "skeleton"
	skeletonBin   = "app-skeleton"
	skeletonKeep  = "skeleton-keep"
	skeletonBad   = "skeleton-bad"
	skeletonBuilt = "skeleton-built"
)

// skeletonManifest builds the registration-only copy of the app in appDir
// (cache entry dir) and runs it in manifest mode. It reports false when the
// whole app must be built instead: the package is not plain Go, the copy
// leaves nothing out, it does not compile, or a left-out body was called
// (whose ID it then records, so that the next copy keeps it).
func skeletonManifest(ctx context.Context, appDir, dir string, ignore []string) (_ *manifest.Manifest, ok bool) {
	defer func() {
		// A bug in the copy must cost the whole build, never the build.
		if recover() != nil {
			ok = false
		}
	}()
	if strings.Contains(os.Getenv("GOFLAGS"), "-overlay") {
		return nil, false // the user's overlay would be replaced by ours
	}
	files, plain := skeletonFiles(appDir)
	if !plain {
		return nil, false
	}
	keepPath := filepath.Join(dir, skeletonKeep)
	keep := readKeep(keepPath)
	sk, err := skeleton.Build(files, keep)
	if err != nil || len(sk.Stubbed) == 0 {
		return nil, false
	}
	overlay, digest, err := writeOverlay(filepath.Join(dir, skeletonDir), sk)
	if err != nil {
		return nil, false
	}
	badPath := filepath.Join(dir, skeletonBad)
	if bad, err := os.ReadFile(badPath); err == nil && string(bad) == digest {
		return nil, false
	}
	bin := filepath.Join(dir, skeletonBin+exeSuffix())
	// Unless the key of everything the go command would read is the one
	// the binary was built from, ask the go command, which relinks only
	// if an input changed: the key saves starting it (about 0.1 s of CPU,
	// next to the Linux build).
	builtPath := filepath.Join(dir, skeletonBuilt)
	key, keyed := skeletonKey(appDir, digest, sk, ignore)
	built, _ := os.ReadFile(builtPath)
	_, binErr := os.Stat(bin)
	if !keyed || string(built) != key || binErr != nil {
		os.Remove(builtPath)
		if err := hostBuild(ctx, appDir, bin, []string{"-overlay=" + overlay}); err != nil {
			if ctx.Err() == nil {
				// Not worth trying again until the copy changes. A
				// compile error of the app itself is reported by the
				// whole build.
				_ = atomicfile.Write(badPath, []byte(digest))
			}
			return nil, false
		}
	}
	m, stderr, err := execManifest(ctx, appDir, bin)
	if err != nil {
		if id, called := skeleton.Called(stderr); called && !keep[id] {
			keep[id] = true
			_ = writeKeep(keepPath, keep)
		}
		return nil, false
	}
	if keyed {
		_ = atomicfile.Write(builtPath, []byte(key))
	}
	return m, true
}

// skeletonKey hashes what the go command reads to build the copy besides
// the copy itself (digest): the go command and its settings
// (goenv.Fingerprint), and the path, size and modification time of every
// file of the app's module and of the local directories its go.mod
// replaces modules with (Go files, embedded files, go.mod, go.sum,
// vendor), except the files the copy replaces (their replacements are in
// digest: that is why an edit inside a handler keeps the key), version
// control directories and the directories in ignore (the build's output).
// Module cache dependencies are pinned by go.sum. It reports false when
// it cannot tell: no go.mod, or a go.work in use.
func skeletonKey(appDir, digest string, sk *skeleton.Skeleton, ignore []string) (string, bool) {
	abs, err := filepath.Abs(appDir)
	if err != nil {
		return "", false
	}
	root, rootErr := gomod.Root(abs)
	work := os.Getenv("GOWORK")
	inWorkspace := work != "off" && (work != "" || gomod.FindUp(abs, "go.work") != "")
	if rootErr != nil || inWorkspace {
		return "", false
	}
	env, err := goenv.Fingerprint()
	if err != nil {
		return "", false
	}
	skip := map[string]bool{}
	for _, d := range ignore {
		if a, err := filepath.Abs(d); err == nil {
			skip[a] = true
		}
	}
	h := sha256.New()
	fmt.Fprintf(h, "skeleton-key-1\x00%s\x00%s\x00%s\x00", abs, digest, env)
	dirs := append([]string{root}, gomod.LocalReplacements(root)...)
	for _, d := range dirs {
		fmt.Fprintf(h, "tree %s\x00", d)
		err := filepath.WalkDir(d, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() {
				if skip[path] || path != d && (e.Name() == ".git" || e.Name() == ".hg" || e.Name() == ".svn") {
					return filepath.SkipDir
				}
				return nil
			}
			if _, replaced := sk.Files[path]; replaced {
				return nil
			}
			fi, err := os.Stat(path) // a symlinked file counts as its target
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s\x00%d\x00%d\x00%d\x00", path, fi.Size(), fi.ModTime().UnixNano(), fi.Mode())
			return nil
		})
		if err != nil {
			return "", false
		}
	}
	return hex.EncodeToString(h.Sum(nil)), true
}

// skeletonFiles returns the absolute paths of the Go files the host build
// compiles in appDir, and false when the package holds anything else (cgo,
// assembly, objects) or a file named like the copy's helper.
func skeletonFiles(appDir string) ([]string, bool) {
	abs, err := filepath.Abs(appDir)
	if err != nil {
		return nil, false
	}
	ctxt := build.Default
	ctxt.GOOS, ctxt.GOARCH = runtime.GOOS, runtime.GOARCH
	ctxt.BuildTags = []string{"lambda.norpc"}
	pkg, err := ctxt.ImportDir(abs, 0)
	if err != nil || pkg.Name != "main" {
		return nil, false
	}
	others := [][]string{pkg.CgoFiles, pkg.CFiles, pkg.CXXFiles, pkg.MFiles, pkg.HFiles, pkg.FFiles, pkg.SFiles, pkg.SwigFiles, pkg.SwigCXXFiles, pkg.SysoFiles}
	for _, o := range others {
		if len(o) > 0 {
			return nil, false
		}
	}
	if _, err := os.Lstat(filepath.Join(abs, skeleton.HelperFile)); err == nil {
		return nil, false
	}
	files := make([]string, len(pkg.GoFiles))
	for i, f := range pkg.GoFiles {
		files[i] = filepath.Join(abs, f)
	}
	return files, len(files) > 0
}

// writeOverlay writes the copy's files into dir (each only when it
// changed) and the go command's overlay file naming them, and returns the
// overlay's path and a digest of the copy.
func writeOverlay(dir string, sk *skeleton.Skeleton) (overlay, digest string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	paths := make([]string, 0, len(sk.Files))
	for p := range sk.Files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	replace := map[string]string{}
	h := sha256.New()
	for _, p := range paths {
		data := sk.Files[p]
		sum := sha256.Sum256([]byte(p))
		dst := filepath.Join(dir, hex.EncodeToString(sum[:8])+"-"+filepath.Base(p))
		if old, err := os.ReadFile(dst); err != nil || !bytes.Equal(old, data) {
			if err := atomicfile.Write(dst, data); err != nil {
				return "", "", err
			}
		}
		replace[p] = dst
		h.Write([]byte(p + "\x00"))
		h.Write(data)
		h.Write([]byte{0})
	}
	js, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		return "", "", err
	}
	overlay = filepath.Join(dir, "overlay.json")
	if old, err := os.ReadFile(overlay); err != nil || !bytes.Equal(old, js) {
		if err := atomicfile.Write(overlay, js); err != nil {
			return "", "", err
		}
	}
	return overlay, hex.EncodeToString(h.Sum(nil)), nil
}

// readKeep reads the IDs recorded in path, one a line.
func readKeep(path string) map[string]bool {
	keep := map[string]bool{}
	data, err := os.ReadFile(path)
	if err != nil {
		return keep
	}
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			keep[l] = true
		}
	}
	return keep
}

// writeKeep records the IDs in keep in path, sorted.
func writeKeep(path string, keep map[string]bool) error {
	ids := make([]string, 0, len(keep))
	for id := range keep {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return atomicfile.Write(path, []byte(strings.Join(ids, "\n")+"\n"))
}
