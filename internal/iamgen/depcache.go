package iamgen

// The dependency cache. A load with go list (loadListed) runs the go
// command twice: `go list -deps` for the import graph, then `go list -deps
// -export -compiled` for the export data of every dependency. After an edit
// to the app's own files the dependencies are the same, and so is that
// answer. A load records it (depEntry) under a key of everything that can
// change it; the next load with the same key, whose dependencies' files are
// unchanged and whose packages loaded from source import what they imported,
// parses and type-checks those packages itself against the recorded export
// files, as packages.Load would, without the go command. On any doubt it
// loads with go list again.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"

	"github.com/gochalice/gochalice/internal/goenv"
	"github.com/gochalice/gochalice/internal/gomod"
)

// noDepCache turns the dependency cache off (benchmarks of the go list path).
var noDepCache = false

// depVersion changes whenever the entry's format or its use does.
const depVersion = "iamgen-deps-1"

// depEntry is what a load with go list recorded for the next one.
type depEntry struct {
	Version string
	Key     string // see depKey
	Dir     string // the app directory, absolute
	Root    string // its module's directory
	Context depContext
	Source  []depSource  // the packages loaded from source, in packages.Load's order
	Deps    []depPackage // every other package of the import graph
	Local   []string     // directories of dependencies outside the module cache and GOROOT
	GoMods  []string     // go.mod files of the modules of those directories
	Digest  string       // of Local's files and GoMods
}

// depContext is the go command's build context (go list's {{context}}).
type depContext struct {
	GOOS, GOARCH, Compiler, GOROOT   string
	CgoEnabled                       bool
	BuildTags, ToolTags, ReleaseTags []string
}

// depSource is a package loaded from source.
type depSource struct {
	Path, Name, Dir string
	Imports         map[string]string // import path as written -> package path
}

// depPackage is a dependency loaded from export data.
type depPackage struct {
	Path, Name, Export string
	Imports            map[string]string
}

// depEntryPath is where the entry of the app in dir is: one per app
// directory, replaced when its key changes.
func depEntryPath(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	sum := sha256.Sum256([]byte(depVersion + "\x00" + abs))
	return filepath.Join(cacheDir(), "deps-"+hex.EncodeToString(sum[:16])+".json")
}

// depKey hashes what can change go list's answer for the app in dir
// besides the dependencies' own files (those are in the entry's Digest):
// the app directory, its module's go.mod, go.sum and vendor/modules.txt,
// the go.work in use, and the go command, its environment and its go env
// file (goenv.Fingerprint).
func depKey(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	root, err := gomod.Root(abs)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	field := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
	}
	file := func(path string) error {
		data, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			field(path, "absent")
		case err != nil:
			return err
		default:
			sum := sha256.Sum256(data)
			field(path, string(sum[:]))
		}
		return nil
	}
	field(depVersion, abs, root)
	files := []string{filepath.Join(root, "go.mod"), filepath.Join(root, "go.sum"), filepath.Join(root, "vendor", "modules.txt")}
	switch work := os.Getenv("GOWORK"); work {
	case "off":
	case "":
		if w := gomod.FindUp(abs, "go.work"); w != "" {
			files = append(files, w, w+".sum")
		}
	default:
		files = append(files, work, work+".sum")
	}
	for _, f := range files {
		if err := file(f); err != nil {
			return "", err
		}
	}
	env, err := goenv.Fingerprint()
	if err != nil {
		return "", err
	}
	field(env)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// depExts are the extensions of the files a package's export data can
// depend on: Go, and the files of cgo, assembly and SWIG.
var depExts = map[string]bool{
	".go": true, ".c": true, ".h": true, ".cc": true, ".cpp": true, ".cxx": true, ".hh": true, ".hpp": true, ".hxx": true,
	".m": true, ".s": true, ".S": true, ".sx": true, ".f": true, ".F": true, ".for": true, ".f90": true,
	".syso": true, ".swig": true, ".swigcxx": true,
}

// localDigest hashes the files of dirs a build reads (see depExts, tests
// aside), the go.mod that governs each directory (a new go.mod below a
// module's root moves its packages to another module) and the gomods
// files. It reports false when one of them was
// modified at or after notAfter (when not zero): a file changed while go
// list ran may not be what go list read.
func localDigest(dirs, gomods []string, notAfter time.Time) (string, bool) {
	h := sha256.New()
	add := func(path string) bool {
		fi, err := os.Stat(path)
		if err != nil {
			return false
		}
		if !notAfter.IsZero() && !fi.ModTime().Before(notAfter) {
			return false
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return false
		}
		sum := sha256.Sum256(data)
		h.Write([]byte(path + "\x00"))
		h.Write(sum[:])
		return true
	}
	for _, d := range dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			return "", false
		}
		h.Write([]byte(d + "\x00" + gomod.FindUp(d, "go.mod") + "\x00"))
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || strings.HasSuffix(name, "_test.go") || !depExts[filepath.Ext(name)] {
				continue
			}
			if !add(filepath.Join(d, name)) {
				return "", false
			}
		}
	}
	for _, m := range gomods {
		if !add(m) {
			return "", false
		}
	}
	return hex.EncodeToString(h.Sum(nil)), true
}

// buildContext is the go/build context the go command used.
func (c depContext) buildContext() build.Context {
	b := build.Default
	b.GOOS, b.GOARCH, b.Compiler, b.GOROOT = c.GOOS, c.GOARCH, c.Compiler, c.GOROOT
	b.CgoEnabled = c.CgoEnabled
	b.BuildTags, b.ToolTags, b.ReleaseTags = c.BuildTags, c.ToolTags, c.ReleaseTags
	return b
}

// ---- recording

// recorder asks the go command for its build context while go list loads
// the program, and stores the entry once it has.
type recorder struct {
	start time.Time
	done  chan struct{}
	ctx   depContext
	err   error
}

// contextFormat prints go list's build context, one field a line.
const contextFormat = "{{context.GOOS}}\n{{context.GOARCH}}\n{{context.Compiler}}\n{{context.GOROOT}}\n{{context.CgoEnabled}}\n" +
	`{{join context.BuildTags ","}}` + "\n" + `{{join context.ToolTags ","}}` + "\n" + `{{join context.ReleaseTags ","}}`

func startRecording(ctx context.Context, dir string) *recorder {
	r := &recorder{start: time.Now(), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		cmd := exec.CommandContext(ctx, "go", "list", "-f", contextFormat, "unsafe")
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			r.err = err
			return
		}
		lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
		if len(lines) != 8 {
			r.err = fmt.Errorf("go list printed %q", out)
			return
		}
		split := func(s string) []string {
			if s == "" {
				return nil
			}
			return strings.Split(s, ",")
		}
		r.ctx = depContext{GOOS: lines[0], GOARCH: lines[1], Compiler: lines[2], GOROOT: lines[3], CgoEnabled: lines[4] == "true",
			BuildTags: split(lines[5]), ToolTags: split(lines[6]), ReleaseTags: split(lines[7])}
	}()
	return r
}

// store records the loaded program's dependencies under key, when a later
// load can reproduce this one from them; otherwise it stores nothing.
// main is the main package of the import graph (with modules); pkgs are
// the packages loaded from source, with their imports and export files.
func (r *recorder) store(key, dir, root string, main *packages.Package, pkgs []*packages.Package) {
	<-r.done
	if r.err != nil {
		return
	}
	e, ok := newEntry(r.ctx, dir, root, main, pkgs)
	if !ok {
		return
	}
	// Two seconds of slack for file systems with coarse modification times.
	digest, ok := localDigest(e.Local, e.GoMods, r.start.Add(-2*time.Second))
	if !ok {
		return
	}
	e.Digest, e.Key = digest, key
	data, err := json.Marshal(e)
	if err != nil {
		return
	}
	path := depEntryPath(dir)
	if os.MkdirAll(filepath.Dir(path), 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "deps-*.tmp")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
	}
	pruneDeps(filepath.Dir(path), time.Now().Add(-depMaxAge))
}

// depMaxAge is how long an entry no load used is kept.
const depMaxAge = 14 * 24 * time.Hour

// pruneDeps removes the entries in dir last used before cutoff (a load
// from an entry marks it used).
func pruneDeps(dir string, cutoff time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "deps-") || e.IsDir() {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.ModTime().Before(cutoff) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// newEntry builds the entry of a load with go list, checking that a load
// from it would see the same packages: go/build selects the files and
// imports go list selected in the packages loaded from source (no cgo
// there), every dependency has export data and none imports a package
// loaded from source.
func newEntry(c depContext, dir, root string, main *packages.Package, pkgs []*packages.Package) (*depEntry, bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, false
	}
	e := &depEntry{Version: depVersion, Dir: abs, Root: root, Context: c}
	mods := map[string]*packages.Module{}
	packages.Visit([]*packages.Package{main}, nil, func(p *packages.Package) { mods[p.PkgPath] = p.Module })
	source := map[string]bool{}
	for _, p := range pkgs {
		source[p.PkgPath] = true
	}
	bctx := c.buildContext()
	imports := func(p *packages.Package) map[string]string {
		m := map[string]string{}
		for ip, q := range p.Imports {
			m[ip] = q.PkgPath
		}
		return m
	}
	for _, p := range pkgs {
		if len(p.CompiledGoFiles) == 0 || !slices.Equal(p.CompiledGoFiles, p.GoFiles) {
			return nil, false // cgo, or no files
		}
		bp, err := bctx.ImportDir(p.Dir, 0)
		if err != nil || bp.Name != p.Name || len(bp.CgoFiles) > 0 || len(bp.GoFiles) != len(p.GoFiles) {
			return nil, false
		}
		for i, f := range p.GoFiles {
			if f != filepath.Join(p.Dir, bp.GoFiles[i]) {
				return nil, false
			}
		}
		if !slices.Equal(bp.Imports, slices.Sorted(maps.Keys(p.Imports))) {
			return nil, false
		}
		e.Source = append(e.Source, depSource{Path: p.PkgPath, Name: p.Name, Dir: p.Dir, Imports: imports(p)})
	}
	gomods := map[string]bool{}
	local := map[string]bool{}
	ok := true
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if source[p.PkgPath] {
			return
		}
		for _, q := range p.Imports {
			if source[q.PkgPath] {
				ok = false // packages.Load would load p from source too
			}
		}
		e.Deps = append(e.Deps, depPackage{Path: p.PkgPath, Name: p.Name, Export: p.ExportFile, Imports: imports(p)})
		if p.PkgPath == "unsafe" {
			return
		}
		if p.ExportFile == "" || p.Dir == "" {
			ok = false
			return
		}
		m := mods[p.PkgPath]
		switch {
		case m == nil && within(p.Dir, filepath.Join(c.GOROOT, "src")):
			// The standard library: the go command's.
		case m != nil && !m.Main && m.Replace == nil && m.Dir != "" && within(p.Dir, m.Dir):
			// A module in the module cache, fixed by go.sum.
		default:
			local[p.Dir] = true
			if m != nil {
				for _, mm := range []*packages.Module{m, m.Replace} {
					if mm != nil && mm.GoMod != "" {
						gomods[mm.GoMod] = true
					}
				}
			}
		}
	})
	if !ok {
		return nil, false
	}
	for _, s := range e.Source {
		for _, q := range s.Imports {
			if !source[q] && q != "unsafe" && !slices.ContainsFunc(e.Deps, func(d depPackage) bool { return d.Path == q && d.Export != "" }) {
				return nil, false
			}
		}
	}
	e.Local = slices.Sorted(maps.Keys(local))
	e.GoMods = slices.Sorted(maps.Keys(gomods))
	return e, true
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// ---- loading from the cache

// loadCached loads the program of the app in dir from the entry under key,
// or returns nil when it cannot be sure to load what go list would.
func loadCached(key, dir string) *program {
	path := depEntryPath(dir)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var e depEntry
	if json.Unmarshal(data, &e) != nil || e.Version != depVersion || e.Key != key {
		return nil
	}
	if abs, err := filepath.Abs(dir); err != nil || abs != e.Dir {
		return nil
	}
	if d, ok := localDigest(e.Local, e.GoMods, time.Time{}); !ok || d != e.Digest {
		return nil
	}
	p, err := e.load()
	if err != nil {
		return nil
	}
	now := time.Now()
	_ = os.Chtimes(path, now, now) // used: see pruneDeps
	return p
}

// load parses and type-checks the packages loaded from source against the
// export data of their dependencies, as packages.Load does (see its
// loadPackage and loadFromExportData): every package of the graph gets a
// types.Package, the direct dependencies of the source packages are read
// from export data in dependency order, each with a view of its transitive
// imports, and the source packages are checked in go list's order.
func (e *depEntry) load() (*program, error) {
	bctx := e.Context.buildContext()
	sizes := types.SizesFor(e.Context.Compiler, e.Context.GOARCH)
	if sizes == nil {
		return nil, fmt.Errorf("no sizes for %s/%s", e.Context.Compiler, e.Context.GOARCH)
	}
	deps := map[string]*depPackage{}
	for i := range e.Deps {
		deps[e.Deps[i].Path] = &e.Deps[i]
	}
	// The files of the source packages, and their imports as recorded.
	files := make([][]string, len(e.Source))
	needTypes := map[string]bool{}
	for i, s := range e.Source {
		bp, err := bctx.ImportDir(s.Dir, 0)
		if err != nil {
			return nil, err
		}
		if bp.Name != s.Name || len(bp.CgoFiles) > 0 || !slices.Equal(bp.Imports, slices.Sorted(maps.Keys(s.Imports))) {
			return nil, errors.New("the package's files or imports changed")
		}
		for _, f := range bp.GoFiles {
			files[i] = append(files[i], filepath.Join(s.Dir, f))
		}
		for _, q := range s.Imports {
			if d := deps[q]; d != nil && q != "unsafe" {
				if _, err := os.Stat(d.Export); err != nil {
					return nil, err
				}
				needTypes[q] = true
			}
		}
	}

	fset := token.NewFileSet()
	tpkgs := map[string]*types.Package{}
	// closure adds the packages p imports, transitively, to view.
	var closure func(p *depPackage, view map[string]*types.Package)
	closure = func(p *depPackage, view map[string]*types.Package) {
		for _, q := range slices.Sorted(maps.Values(p.Imports)) {
			if _, ok := view[q]; ok {
				continue
			}
			view[q] = tpkgs[q]
			if d := deps[q]; d != nil {
				closure(d, view)
			}
		}
	}
	state := map[string]int{} // 1: in progress, 2: done
	var visit func(path string) error
	visit = func(path string) error {
		switch state[path] {
		case 1:
			return fmt.Errorf("import cycle through %s", path)
		case 2:
			return nil
		}
		state[path] = 1
		d := deps[path]
		if d == nil {
			return fmt.Errorf("package %s is not recorded", path)
		}
		for _, q := range slices.Sorted(maps.Values(d.Imports)) {
			if err := visit(q); err != nil {
				return err
			}
		}
		state[path] = 2
		if path == "unsafe" {
			tpkgs[path] = types.Unsafe
			return nil
		}
		tpkgs[path] = types.NewPackage(path, d.Name)
		if !needTypes[path] {
			return nil
		}
		view := map[string]*types.Package{}
		closure(d, view)
		n := len(view) + 1 // and the package itself
		_, hadShape := view["go.shape"]
		f, err := os.Open(d.Export)
		if err != nil {
			return err
		}
		defer f.Close()
		// NewReader finds the export data in go list's export file, as
		// packages.Load does (it is deprecated for other uses).
		r, err := gcexportdata.NewReader(f)
		if err != nil {
			return err
		}
		tp, err := gcexportdata.Read(r, fset, view, path)
		if err != nil {
			return err
		}
		if _, ok := view["go.shape"]; ok && !hadShape {
			n++ // the pseudo-package of generic code
		}
		if len(view) != n {
			return fmt.Errorf("reading %s created packages", path)
		}
		tpkgs[path] = tp
		return nil
	}
	for _, s := range e.Source {
		for _, q := range slices.Sorted(maps.Values(s.Imports)) {
			if deps[q] != nil {
				if err := visit(q); err != nil {
					return nil, err
				}
			}
		}
	}

	p := &program{fset: fset, root: e.Root, cached: true}
	for i, s := range e.Source {
		var syntax []*ast.File
		for _, name := range files[i] {
			src, err := os.ReadFile(name)
			if err != nil {
				return nil, err
			}
			f, err := parser.ParseFile(fset, name, src, parser.AllErrors|parser.ParseComments)
			if err != nil {
				return nil, err
			}
			syntax = append(syntax, f)
		}
		var typeErr error
		conf := &types.Config{
			Importer: importerFunc(func(path string) (*types.Package, error) {
				if path == "unsafe" {
					return types.Unsafe, nil
				}
				q, ok := s.Imports[path]
				if !ok {
					return nil, fmt.Errorf("no metadata for %s", path)
				}
				if t := tpkgs[q]; t != nil && t.Complete() {
					return t, nil
				}
				return nil, fmt.Errorf("no complete types for %s", q)
			}),
			Error: func(err error) {
				if typeErr == nil {
					typeErr = err
				}
			},
			Sizes: sizes,
		}
		info := &types.Info{
			Types:        make(map[ast.Expr]types.TypeAndValue),
			Defs:         make(map[*ast.Ident]types.Object),
			Uses:         make(map[*ast.Ident]types.Object),
			Implicits:    make(map[ast.Node]types.Object),
			Instances:    make(map[*ast.Ident]types.Instance),
			Scopes:       make(map[ast.Node]*types.Scope),
			Selections:   make(map[*ast.SelectorExpr]*types.Selection),
			FileVersions: make(map[*ast.File]string),
		}
		tp := types.NewPackage(s.Path, s.Name)
		if err := types.NewChecker(conf, fset, tp, info).Files(syntax); err != nil || typeErr != nil {
			return nil, errors.Join(err, typeErr)
		}
		tpkgs[s.Path] = tp
		p.pkgs = append(p.pkgs, srcPackage{types: tp, syntax: syntax, info: info})
	}
	return p, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
