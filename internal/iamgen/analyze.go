// Package iamgen finds, in an app's Go source, the AWS SDK (aws-sdk-go-v2)
// calls each registered function can reach, and the declared resources
// (framework.Table, Queue, Topic, Bucket) whose handles it reads. The
// packager turns the result into one least-privilege role per function.
//
// It loads the app's main package and every non-SDK package it imports
// that can reach the SDK or the framework (golang.org/x/tools/go/packages),
// builds their SSA form (go/ssa), maps each registered function name to the
// Go function values passed at registration (the calls of app.Route,
// app.LambdaFunction, app.On... in the SSA), and walks a call graph from
// them: static calls, calls through interfaces resolved by class hierarchy
// (to the app's own types and the SDK clients), closures, method values,
// goroutines and deferred calls. Functions referenced as values in
// reachable code are reachable. Each SDK operation found becomes IAM
// actions through the action table (actions.go); the value reaching the
// input's resource field (TableName, Bucket, QueueUrl, TopicArn) is traced
// back to a declared handle, a constant, or neither.
//
// The dependencies' export data that go list gives for the program is
// recorded; after an edit of the app's own files the next analysis loads
// the program from that record without the go command (depcache.go).
//
// The analysis runs only in the packager; it is never linked into an app.
package iamgen

import (
	"context"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"

	"github.com/gochalice/gochalice/cfn"
	"github.com/gochalice/gochalice/framework/manifest"
)

const (
	frameworkPath = "github.com/gochalice/gochalice/framework"
	sdkPrefix     = "github.com/aws/aws-sdk-go-v2/"
	sdkService    = "github.com/aws/aws-sdk-go-v2/service/"
	sdkAWS        = "github.com/aws/aws-sdk-go-v2/aws"
	s3Manager     = "github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	s3Transfer    = "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	maxDepth      = 16
)

// skipBodies are import path prefixes whose function bodies the analysis
// never needs: the SDK itself (its client methods are where the walk
// stops), its runtime, aws-lambda-go and the framework.
var skipBodies = []string{sdkPrefix, "github.com/aws/aws-sdk-go-v2", "github.com/aws/smithy-go", "github.com/aws/aws-lambda-go", frameworkPath}

func skipped(path string) bool {
	for _, p := range skipBodies {
		if path == p || strings.HasPrefix(path, p+"/") || strings.HasPrefix(path, p) && strings.HasSuffix(p, "/") {
			return true
		}
	}
	return false
}

// Analyze analyses the main package in dir against its manifest m.
func Analyze(ctx context.Context, dir string, m *manifest.Manifest) (*cfn.Access, error) {
	a, err := load(ctx, dir)
	if err != nil {
		return nil, err
	}
	return a.access(m), nil
}

// analyzer holds the loaded program and its indexes.
type analyzer struct {
	prog    *ssa.Program
	fset    *token.FileSet
	root    string // module directory, for relative call sites
	bodies  []*ssa.Function
	callers map[*ssa.Function][]*ssa.CallCommon
	globals map[*ssa.Global][]ssa.Value
	fields  map[fieldKey][]ssa.Value
	closure map[*ssa.Function][]*ssa.MakeClosure
	refPos  map[*ssa.Function]token.Pos // where a function without a position was referenced
	cands   []types.Type                // concrete types for calls through interfaces
	facts   map[*ssa.Function]*facts
	regs    []registration
	// depsCached says the dependencies came from the cache (for tests).
	depsCached bool
}

type fieldKey struct {
	typ   string
	index int
}

// srcPackage is a package loaded from source: the main package, or a
// package that can reach the SDK or the framework.
type srcPackage struct {
	types  *types.Package
	syntax []*ast.File
	info   *types.Info
}

// program is what the analysis loads: the packages loaded from source,
// type-checked against their dependencies' export data, in the order
// packages.Load returns them.
type program struct {
	fset   *token.FileSet
	root   string // module directory
	pkgs   []srcPackage
	cached bool // the dependencies came from the cache (depcache.go), not from go list
}

// load loads and builds the program.
func load(ctx context.Context, dir string) (*analyzer, error) {
	p, err := loadProgram(ctx, dir)
	if err != nil {
		return nil, err
	}
	return buildProgram(p), nil
}

// loadProgram loads the program from the dependency cache when it can
// (depcache.go), and otherwise with go list (packages.Load), recording
// the dependencies for the next load.
func loadProgram(ctx context.Context, dir string) (*program, error) {
	if noDepCache {
		return loadListed(ctx, dir, "", false)
	}
	key, kerr := depKey(dir)
	if kerr == nil {
		if p := loadCached(key, dir); p != nil {
			return p, nil
		}
	}
	return loadListed(ctx, dir, key, kerr == nil)
}

// loadListed loads the program with go list: the import graph first, to
// pick the packages to load from source, then those packages. When record
// is set it stores what the next load can reuse under key.
func loadListed(ctx context.Context, dir, key string, record bool) (*program, error) {
	var rec *recorder
	if record {
		rec = startRecording(ctx, dir)
	}
	graph, err := packages.Load(&packages.Config{Context: ctx, Dir: dir, Mode: packages.NeedName | packages.NeedImports | packages.NeedDeps | packages.NeedModule}, ".")
	if err != nil {
		return nil, fmt.Errorf("iam analysis: %w", err)
	}
	if len(graph) != 1 {
		return nil, fmt.Errorf("iam analysis: %s holds %d packages, want one main package", dir, len(graph))
	}
	root := dir
	if graph[0].Module != nil && graph[0].Module.Dir != "" {
		root = graph[0].Module.Dir
	}
	// The packages whose code can reach the SDK or the framework.
	reaches := map[*packages.Package]bool{}
	var visit func(p *packages.Package) bool
	done := map[*packages.Package]bool{}
	visit = func(p *packages.Package) bool {
		if done[p] {
			return reaches[p]
		}
		done[p] = true
		r := false
		for path, ip := range p.Imports {
			if strings.HasPrefix(path, sdkPrefix) || path == frameworkPath || strings.HasPrefix(path, frameworkPath+"/") {
				r = true
			}
			if visit(ip) {
				r = true
			}
		}
		reaches[p] = r
		return r
	}
	visit(graph[0])
	var paths []string
	packages.Visit(graph, nil, func(p *packages.Package) {
		if p.Module != nil && !skipped(p.PkgPath) && (reaches[p] || p == graph[0]) {
			paths = append(paths, p.PkgPath)
		}
	})
	slices.Sort(paths)
	mode := packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports | packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax | packages.NeedTypesInfo
	if rec != nil {
		// The same go list run (-export is already implied by NeedTypes):
		// only keeps the export files' paths.
		mode |= packages.NeedExportFile
	}
	pkgs, err := packages.Load(&packages.Config{Context: ctx, Dir: dir, Mode: mode}, paths...)
	if err != nil {
		return nil, fmt.Errorf("iam analysis: %w", err)
	}
	var errs []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			errs = append(errs, e.Error())
		}
	})
	if len(errs) > 0 {
		return nil, fmt.Errorf("iam analysis: %s", strings.Join(errs, "; "))
	}
	p := &program{fset: pkgs[0].Fset, root: root}
	for _, lp := range pkgs {
		p.pkgs = append(p.pkgs, srcPackage{types: lp.Types, syntax: lp.Syntax, info: lp.TypesInfo})
	}
	if rec != nil {
		rec.store(key, dir, root, graph[0], pkgs)
	}
	return p, nil
}

// buildProgram builds the SSA form of a loaded program and indexes it.
func buildProgram(p *program) *analyzer {
	pkgs := p.pkgs
	fset := p.fset
	prog := ssa.NewProgram(fset, ssa.InstantiateGenerics)
	created := map[*types.Package]bool{}
	var create func(tp *types.Package)
	create = func(tp *types.Package) {
		if tp == nil || created[tp] {
			return
		}
		created[tp] = true
		prog.CreatePackage(tp, nil, nil, true)
		for _, ip := range tp.Imports() {
			create(ip)
		}
	}
	var ssaPkgs []*ssa.Package
	for _, sp := range pkgs {
		created[sp.types] = true
		ssaPkgs = append(ssaPkgs, prog.CreatePackage(sp.types, sp.syntax, sp.info, true))
	}
	for _, sp := range pkgs {
		for _, ip := range sp.types.Imports() {
			create(ip)
		}
		for _, obj := range sp.info.Uses {
			create(obj.Pkg())
		}
		for _, sel := range sp.info.Selections {
			create(sel.Obj().Pkg())
		}
	}
	for _, sp := range ssaPkgs {
		sp.Build()
	}
	a := &analyzer{
		prog: prog, fset: fset, root: p.root, depsCached: p.cached,
		callers: map[*ssa.Function][]*ssa.CallCommon{},
		globals: map[*ssa.Global][]ssa.Value{},
		fields:  map[fieldKey][]ssa.Value{},
		closure: map[*ssa.Function][]*ssa.MakeClosure{},
		refPos:  map[*ssa.Function]token.Pos{},
		facts:   map[*ssa.Function]*facts{},
	}
	for _, sp := range ssaPkgs {
		a.collect(sp)
	}
	a.index()
	return a
}

// collect gathers a built package's functions with bodies and its named
// types as candidates for calls through interfaces.
func (a *analyzer) collect(sp *ssa.Package) {
	var add func(f *ssa.Function)
	add = func(f *ssa.Function) {
		if f == nil || f.Blocks == nil {
			return
		}
		a.bodies = append(a.bodies, f)
		for _, anon := range f.AnonFuncs {
			add(anon)
		}
	}
	for _, name := range slices.Sorted(mapsKeys(sp.Members)) {
		switch mem := sp.Members[name].(type) {
		case *ssa.Function:
			add(mem)
		case *ssa.Type:
			t := mem.Type()
			if _, isIface := t.Underlying().(*types.Interface); isIface {
				continue
			}
			if n, ok := t.(*types.Named); ok && n.TypeParams().Len() > 0 {
				continue
			}
			a.cands = append(a.cands, t, types.NewPointer(t))
			for _, typ := range []types.Type{t, types.NewPointer(t)} {
				ms := a.prog.MethodSets.MethodSet(typ)
				for i := range ms.Len() {
					if fn := a.prog.MethodValue(ms.At(i)); fn != nil && fn.Pkg == sp {
						add(fn)
					}
				}
			}
		}
	}
	// SDK clients reached through interfaces.
	for _, ip := range sp.Pkg.Imports() {
		if strings.HasPrefix(ip.Path(), sdkService) || ip.Path() == s3Manager || ip.Path() == s3Transfer {
			for _, name := range []string{"Client", "Uploader", "Downloader"} {
				if obj, ok := ip.Scope().Lookup(name).(*types.TypeName); ok {
					a.cands = append(a.cands, types.NewPointer(obj.Type()))
				}
			}
		}
	}
}

func mapsKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// index records, over every function with a body, the static call sites
// of each function, the values stored in globals and struct fields, the
// closures made of each function, and the registration calls.
func (a *analyzer) index() {
	seen := map[*ssa.Function]bool{}
	bodies := a.bodies
	a.bodies = nil
	for _, f := range bodies {
		if !seen[f] {
			seen[f] = true
			a.bodies = append(a.bodies, f)
		}
	}
	for _, f := range a.bodies {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				switch in := instr.(type) {
				case ssa.CallInstruction:
					c := in.Common()
					if callee := c.StaticCallee(); callee != nil {
						a.callers[callee] = append(a.callers[callee], c)
					}
					if reg, ok := a.registration(c, in.Pos()); ok {
						a.regs = append(a.regs, reg)
					}
				case *ssa.Store:
					switch addr := in.Addr.(type) {
					case *ssa.Global:
						a.globals[addr] = append(a.globals[addr], in.Val)
					case *ssa.FieldAddr:
						a.fields[fieldOf(addr.X.Type(), addr.Field)] = append(a.fields[fieldOf(addr.X.Type(), addr.Field)], in.Val)
					}
				case *ssa.MakeClosure:
					fn := in.Fn.(*ssa.Function)
					a.closure[fn] = append(a.closure[fn], in)
				}
			}
		}
	}
}

func fieldOf(ptrOrStruct types.Type, index int) fieldKey {
	t := ptrOrStruct
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	return fieldKey{types.TypeString(t, nil), index}
}

// ---- registrations

// registration is one call that registers a function on the app.
type registration struct {
	name     string      // the function name, "" when not a constant
	handlers []ssa.Value // the Go values passed as its handler
	pos      token.Pos
}

// regMethods says, for each App method that registers code, where the
// function's name and handler are among the call's arguments (the receiver
// is argument 0); a name index of 0 means the fixed name.
var regMethods = map[string]struct {
	nameArg, handlerArg int
	fixed               string
}{
	"Route":                 {0, 2, manifest.APIHandlerName},
	"LambdaFunction":        {1, 2, ""},
	"EventHandler":          {1, 2, ""},
	"Authorizer":            {1, 2, ""},
	"Schedule":              {1, 3, ""},
	"OnSNSMessage":          {1, 3, ""},
	"OnSQSMessage":          {1, 3, ""},
	"OnS3Event":             {1, 3, ""},
	"OnEventBridge":         {1, 3, ""},
	"OnDynamoDBRecord":      {1, 3, ""},
	"OnKinesisRecord":       {1, 3, ""},
	"OnCognitoTrigger":      {1, 4, ""},
	"OnWebSocketConnect":    {0, 1, "websocket_connect"},
	"OnWebSocketMessage":    {0, 1, "websocket_message"},
	"OnWebSocketDisconnect": {0, 1, "websocket_disconnect"},
}

func (a *analyzer) registration(c *ssa.CallCommon, pos token.Pos) (registration, bool) {
	fn := c.StaticCallee()
	if fn != nil && isTypedRoute(fn) && len(c.Args) > 2 {
		// framework.TypedRoute(app, path, fn, opts...): a view of the API
		// function, as App.Route.
		return registration{name: manifest.APIHandlerName, handlers: []ssa.Value{c.Args[2]}, pos: pos}, true
	}
	if fn == nil || !isMethodOf(fn, frameworkPath, "App") {
		return registration{}, false
	}
	spec, ok := regMethods[fn.Name()]
	if !ok || spec.handlerArg >= len(c.Args) {
		return registration{}, false
	}
	r := registration{name: spec.fixed, handlers: []ssa.Value{c.Args[spec.handlerArg]}, pos: pos}
	if spec.nameArg > 0 {
		if k, ok := c.Args[spec.nameArg].(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.String {
			r.name = constant.StringVal(k.Value)
		}
	}
	return r, true
}

// isTypedRoute reports whether fn is (an instance of) the generic
// framework.TypedRoute.
func isTypedRoute(fn *ssa.Function) bool {
	if o := fn.Origin(); o != nil {
		fn = o
	}
	obj, ok := fn.Object().(*types.Func)
	return ok && obj.Name() == "TypedRoute" && obj.Pkg() != nil && obj.Pkg().Path() == frameworkPath &&
		obj.Type().(*types.Signature).Recv() == nil
}

// isMethodOf reports whether fn is a method of pkgPath.typeName (value or
// pointer receiver).
func isMethodOf(fn *ssa.Function, pkgPath, typeName string) bool {
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return false
	}
	sig := obj.Type().(*types.Signature)
	if sig.Recv() == nil {
		return false
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkgPath && n.Obj().Name() == typeName
}

// recvNamed returns the package path and type name of fn's receiver.
func recvNamed(fn *ssa.Function) (string, string, bool) {
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return "", "", false
	}
	sig := obj.Type().(*types.Signature)
	if sig.Recv() == nil {
		return "", "", false
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return "", "", false
	}
	return n.Obj().Pkg().Path(), n.Obj().Name(), true
}

// handlerRoots returns the functions a handler value runs, and false when
// it cannot tell.
func (a *analyzer) handlerRoots(v ssa.Value) ([]*ssa.Function, bool) {
	var out []*ssa.Function
	ok := true
	for _, s := range a.sources(v, 0, map[ssa.Value]bool{}) {
		switch s := s.(type) {
		case *ssa.Function:
			out = append(out, s)
		case *ssa.MakeClosure:
			out = append(out, s.Fn.(*ssa.Function))
		case *ssa.Call:
			// An adapter (framework.Typed(fn), a middleware): the functions
			// passed to it and those it returns.
			found := false
			for _, arg := range s.Call.Args {
				if isFuncLike(arg.Type()) {
					fs, _ := a.handlerRoots(arg)
					out = append(out, fs...)
					found = found || len(fs) > 0
				}
			}
			if !found {
				ok = false
			}
		case *ssa.MakeInterface:
			// A lambda.Handler implementation: its methods.
			for _, typ := range []types.Type{s.X.Type(), types.NewPointer(s.X.Type())} {
				ms := a.prog.MethodSets.MethodSet(typ)
				for i := range ms.Len() {
					if fn := a.prog.MethodValue(ms.At(i)); fn != nil && fn.Blocks != nil {
						out = append(out, fn)
					}
				}
			}
		default:
			ok = false
		}
	}
	return out, ok && len(out) > 0
}

func isFuncLike(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Signature, *types.Interface:
		return true
	}
	return false
}

// ---- value tracing

// sources follows v back through copies, conversions, phis, loads of
// variables, globals and struct fields, closure bindings, parameters (to
// the arguments of the function's static callers) and the results of
// functions with bodies, to the values that produced it.
func (a *analyzer) sources(v ssa.Value, depth int, seen map[ssa.Value]bool) []ssa.Value {
	if seen[v] || depth > maxDepth {
		return nil
	}
	seen[v] = true
	next := func(vs ...ssa.Value) []ssa.Value {
		var out []ssa.Value
		for _, x := range vs {
			out = append(out, a.sources(x, depth+1, seen)...)
		}
		return out
	}
	switch v := v.(type) {
	case *ssa.Phi:
		return next(v.Edges...)
	case *ssa.ChangeType:
		return next(v.X)
	case *ssa.ChangeInterface:
		return next(v.X)
	case *ssa.TypeAssert:
		return next(v.X)
	case *ssa.Convert:
		return next(v.X)
	case *ssa.MakeInterface:
		if _, isFunc := v.X.Type().Underlying().(*types.Signature); isFunc {
			return next(v.X)
		}
		if _, isStruct := v.X.Type().Underlying().(*types.Struct); isStruct && isNamed(v.X.Type()) && !isFramework(v.X.Type()) {
			return []ssa.Value{v}
		}
		return next(v.X)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return next(a.stored(v.X)...)
		}
	case *ssa.Field:
		return next(a.fields[fieldOf(v.X.Type(), v.Field)]...)
	case *ssa.FreeVar:
		fn := v.Parent()
		i := slices.Index(fn.FreeVars, v)
		var bs []ssa.Value
		for _, mc := range a.closure[fn] {
			if i < len(mc.Bindings) {
				bs = append(bs, mc.Bindings[i])
			}
		}
		if len(bs) == 0 {
			return []ssa.Value{v}
		}
		return next(bs...)
	case *ssa.Parameter:
		fn := v.Parent()
		i := slices.Index(fn.Params, v)
		var args []ssa.Value
		for _, c := range a.callers[fn] {
			if i < len(c.Args) {
				args = append(args, c.Args[i])
			}
		}
		if len(args) == 0 {
			return []ssa.Value{v}
		}
		return next(args...)
	case *ssa.Extract:
		if c, ok := v.Tuple.(*ssa.Call); ok {
			if fn := c.Call.StaticCallee(); fn != nil && fn.Blocks != nil {
				return next(results(fn, v.Index)...)
			}
			return []ssa.Value{v}
		}
	case *ssa.Call:
		if fn := v.Call.StaticCallee(); fn != nil && fn.Blocks != nil && fn.Signature.Results().Len() == 1 {
			return next(results(fn, 0)...)
		}
	}
	return []ssa.Value{v}
}

func isNamed(t types.Type) bool { _, ok := t.(*types.Named); return ok }

func isFramework(t types.Type) bool {
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == frameworkPath
}

// results returns the i-th result of every return of fn.
func results(fn *ssa.Function, i int) []ssa.Value {
	var out []ssa.Value
	for _, b := range fn.Blocks {
		if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && i < len(r.Results) {
			out = append(out, r.Results[i])
		}
	}
	return out
}

// stored returns the values stored at an address: a local variable, a
// global, a struct field or a captured variable.
func (a *analyzer) stored(addr ssa.Value) []ssa.Value {
	switch addr := addr.(type) {
	case *ssa.Global:
		return a.globals[addr]
	case *ssa.FieldAddr:
		return a.fields[fieldOf(addr.X.Type(), addr.Field)]
	case *ssa.Alloc:
		return storesTo(addr)
	case *ssa.FreeVar, *ssa.Parameter:
		var out []ssa.Value
		for _, s := range a.sources(addr, 0, map[ssa.Value]bool{}) {
			out = append(out, a.stored(s)...)
		}
		return out
	}
	return nil
}

func storesTo(addr ssa.Value) []ssa.Value {
	var out []ssa.Value
	for _, r := range *addr.Referrers() {
		if s, ok := r.(*ssa.Store); ok && s.Addr == addr {
			out = append(out, s.Val)
		}
	}
	return out
}

// origin is where a string reaching a resource field comes from.
type origin struct {
	kind     int    // originConst, originHandle or originUnknown
	value    string // the constant, or the handle's registered name ("" for any)
	resource string // the handle's kind (manifest.Resource*)
	attr     string // for a use: the attribute read (manifest.Attr*)
}

const (
	originUnknown = iota
	originConst
	originHandle
)

// handleMethods are the methods of the framework's handles that return a
// deployed resource's name, ARN or URL, by handle type.
var handleMethods = map[string]string{
	"Table":  manifest.ResourceTable,
	"Queue":  manifest.ResourceQueue,
	"Topic":  manifest.ResourceTopic,
	"Bucket": manifest.ResourceBucket,
}

// handleAttr returns the kind of resource and the attribute a framework
// method reads from its variable, if it is one: Table.Name, Queue.URL,
// UserPool.ClientID, ...
func handleAttr(typ, method string) (kind, attr string, ok bool) {
	if typ == "UserPool" {
		switch method {
		case "ID":
			return manifest.ResourceUserPool, manifest.AttrID, true
		case "ClientID":
			return manifest.ResourceUserPool, manifest.AttrClientID, true
		}
		return "", "", false
	}
	if res, ok := handleMethods[typ]; ok && (method == "Name" || method == "ARN" || method == "URL") {
		return res, strings.ToLower(method), true
	}
	return "", "", false
}

// origins traces a string or *string value to its origins.
func (a *analyzer) origins(v ssa.Value) []origin {
	var out []origin
	for _, s := range a.sources(v, 0, map[ssa.Value]bool{}) {
		out = append(out, a.origin(s)...)
	}
	return out
}

func (a *analyzer) origin(s ssa.Value) []origin {
	switch s := s.(type) {
	case *ssa.Const:
		if s.Value == nil {
			return nil // nil pointer: no value
		}
		if s.Value.Kind() == constant.String {
			return []origin{{kind: originConst, value: constant.StringVal(s.Value)}}
		}
	case *ssa.Alloc: // &name
		var out []origin
		for _, v := range storesTo(s) {
			out = append(out, a.origins(v)...)
		}
		if len(out) > 0 {
			return out
		}
	case *ssa.Extract:
		if c, ok := s.Tuple.(*ssa.Call); ok && s.Index == 0 {
			return a.callOrigin(&c.Call)
		}
	case *ssa.Call:
		return a.callOrigin(&s.Call)
	}
	return []origin{{kind: originUnknown}}
}

// callOrigin is the origin of a call's result: a handle's Name/ARN/URL,
// or aws.String(x) and friends, which pass x through.
func (a *analyzer) callOrigin(c *ssa.CallCommon) []origin {
	fn := c.StaticCallee()
	if fn == nil {
		return []origin{{kind: originUnknown}}
	}
	if pkg, typ, ok := recvNamed(fn); ok && pkg == frameworkPath {
		if res, _, ok := handleAttr(typ, fn.Name()); ok {
			return a.handleOrigins(res, c.Args[0])
		}
	}
	if fn.Pkg != nil && fn.Pkg.Pkg.Path() == sdkAWS || fn.Object() != nil && fn.Object().Pkg() != nil && fn.Object().Pkg().Path() == sdkAWS {
		if len(c.Args) == 1 {
			return a.origins(c.Args[0])
		}
	}
	return []origin{{kind: originUnknown}}
}

// handleOrigins returns which declared resources of kind res a handle
// value may be: the names given to app.Table (etc.) where the value was
// made, or every resource of the kind when the analysis cannot tell.
func (a *analyzer) handleOrigins(res string, recv ssa.Value) []origin {
	var out []origin
	for _, s := range a.sources(recv, 0, map[ssa.Value]bool{}) {
		name := ""
		if c, ok := s.(*ssa.Call); ok {
			if fn := c.Call.StaticCallee(); fn != nil && isMethodOf(fn, frameworkPath, "App") && len(c.Call.Args) > 1 {
				if k, ok := c.Call.Args[1].(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.String {
					name = constant.StringVal(k.Value)
				}
			}
		}
		out = append(out, origin{kind: originHandle, value: name, resource: res})
	}
	if len(out) == 0 {
		out = append(out, origin{kind: originHandle, resource: res})
	}
	return out
}

// ---- per-function facts and reachability

// facts are what one function's own body does.
type facts struct {
	calls []cfn.Call
	uses  []origin
	succ  []*ssa.Function
}

func (a *analyzer) site(pos token.Pos, fn *ssa.Function) string {
	if !pos.IsValid() && isWrapper(fn) {
		pos = a.refPos[fn] // a wrapper: where the code took the method value
	}
	if !pos.IsValid() {
		pos = fn.Pos()
	}
	if !pos.IsValid() {
		return fn.String()
	}
	p := a.fset.Position(pos)
	file := p.Filename
	if rel, err := filepath.Rel(a.root, file); err == nil && !strings.HasPrefix(rel, "..") {
		file = filepath.ToSlash(rel)
	}
	return fmt.Sprintf("%s:%d", file, p.Line)
}

// factsOf computes (once) what fn's body does.
func (a *analyzer) factsOf(fn *ssa.Function) *facts {
	if f, ok := a.facts[fn]; ok {
		return f
	}
	f := &facts{}
	a.facts[fn] = f
	addSucc := func(g *ssa.Function, pos token.Pos) {
		if g.Blocks == nil {
			return
		}
		if (isWrapper(g) || !g.Pos().IsValid()) && !a.refPos[g].IsValid() {
			a.refPos[g] = pos
		}
		f.succ = append(f.succ, g)
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var ops []*ssa.Value
			for _, op := range instr.Operands(ops) {
				if op == nil || *op == nil {
					continue
				}
				if g, ok := (*op).(*ssa.Function); ok {
					addSucc(g, instr.Pos())
				}
			}
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			c := ci.Common()
			pos := instr.Pos()
			if c.IsInvoke() {
				for _, callee := range a.invokeCallees(c) {
					if !a.sdkCall(f, c, callee, pos, fn) {
						addSucc(callee, pos)
					}
				}
				continue
			}
			callee := c.StaticCallee()
			if callee == nil {
				continue
			}
			if a.sdkCall(f, c, callee, pos, fn) {
				continue
			}
			addSucc(callee, pos)
			if pkg, typ, ok := recvNamed(callee); ok && pkg == frameworkPath {
				if res, attr, ok := handleAttr(typ, callee.Name()); ok {
					for _, o := range a.handleOrigins(res, c.Args[0]) {
						o.attr = attr
						f.uses = append(f.uses, o)
					}
				}
			}
		}
	}
	return f
}

// invokeCallees resolves a call through an interface to the methods of the
// candidate types (the app's own named types and the SDK clients) that
// implement the interface.
func (a *analyzer) invokeCallees(c *ssa.CallCommon) []*ssa.Function {
	iface, ok := c.Value.Type().Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	var out []*ssa.Function
	for _, t := range a.cands {
		if !types.Implements(t, iface) {
			continue
		}
		sel := a.prog.MethodSets.MethodSet(t).Lookup(c.Method.Pkg(), c.Method.Name())
		if sel == nil {
			continue
		}
		if fn := a.prog.MethodValue(sel); fn != nil {
			out = append(out, fn)
		}
	}
	return out
}

// sdkCall records callee as an AWS SDK operation when it is one and
// reports whether it was.
func (a *analyzer) sdkCall(f *facts, c *ssa.CallCommon, callee *ssa.Function, pos token.Pos, in *ssa.Function) bool {
	// arg returns the i-th argument counting the receiver as 0.
	arg := func(i int) ssa.Value {
		if c.IsInvoke() {
			i--
		}
		if i >= 0 && i < len(c.Args) {
			return c.Args[i]
		}
		return nil
	}
	var svc, op string
	var params ssa.Value
	var actions []string
	pkgPath := ""
	if obj := callee.Object(); obj != nil && obj.Pkg() != nil {
		pkgPath = obj.Pkg().Path()
	}
	if isWrapper(callee) {
		return false // its body makes the call
	}
	rpkg, rtyp, isMethod := recvNamed(callee)
	switch {
	case isMethod && strings.HasPrefix(rpkg, sdkService) && rtyp == "Client":
		svc, op, params = lastElem(rpkg), callee.Name(), arg(2)
	case isMethod && strings.HasPrefix(rpkg, sdkService) && strings.HasSuffix(rtyp, "Waiter") && (callee.Name() == "Wait" || callee.Name() == "WaitForOutput"):
		svc = lastElem(rpkg)
		op = waiterOps[svc][strings.TrimSuffix(rtyp, "Waiter")]
		if op == "" {
			return true // a waiter the table does not know: no action
		}
		params = arg(2)
	case !isMethod && strings.HasPrefix(pkgPath, sdkService) && strings.HasPrefix(callee.Name(), "New") && strings.HasSuffix(callee.Name(), "Paginator"):
		svc, op = lastElem(pkgPath), strings.TrimSuffix(strings.TrimPrefix(callee.Name(), "New"), "Paginator")
		params = arg(1)
	case isMethod && rpkg == s3Manager && rtyp == "Uploader" && callee.Name() == "Upload":
		svc, op, params = "s3", "PutObject", arg(2)
		actions = []string{"s3:AbortMultipartUpload", "s3:PutObject"}
	case isMethod && rpkg == s3Manager && rtyp == "Downloader" && callee.Name() == "Download":
		svc, op, params = "s3", "GetObject", arg(3)
	case isMethod && rpkg == s3Transfer && rtyp == "Client":
		svc, params = "s3", arg(2)
		switch callee.Name() {
		case "UploadObject", "UploadDirectory":
			op, actions = "PutObject", []string{"s3:AbortMultipartUpload", "s3:PutObject"}
		case "DownloadObject", "GetObject":
			op = "GetObject"
		case "DownloadDirectory":
			op, actions = "GetObject", []string{"s3:GetObject", "s3:ListBucket"}
		default:
			return true
		}
	default:
		return false
	}
	s := services[svc]
	if actions == nil {
		var ok bool
		if actions, ok = ActionsFor(svc, op); !ok {
			actions = []string{lowerFirst(svc) + ":" + op} // outside the table: the default rule
		}
	}
	call := cfn.Call{Site: a.site(pos, in), Service: svc, Op: op, Actions: slices.Clone(actions)}
	if s != nil {
		call.Object = s.objectOps[op]
		if s.resourceField != "" && !s.unscoped[op] && params != nil {
			call.Targets, call.Index = a.targets(s, params)
		}
	}
	f.calls = append(f.calls, call)
	return true
}

func lastElem(path string) string { return path[strings.LastIndex(path, "/")+1:] }

func lowerFirst(s string) string { return strings.ToLower(s) }

// targets traces an operation's input to the values of its resource field
// (and whether a DynamoDB index is named). Nil means unknown.
func (a *analyzer) targets(s *service, params ssa.Value) ([]cfn.Target, bool) {
	var out []cfn.Target
	index := false
	known := true
	found := false
	for _, src := range a.sources(params, 0, map[ssa.Value]bool{}) {
		alloc, ok := src.(*ssa.Alloc)
		if !ok {
			return nil, false
		}
		for _, r := range *alloc.Referrers() {
			fa, ok := r.(*ssa.FieldAddr)
			if !ok {
				continue
			}
			st := fa.X.Type().Underlying().(*types.Pointer).Elem().Underlying().(*types.Struct)
			name := st.Field(fa.Field).Name()
			switch name {
			case "IndexName":
				if len(storesTo(fa)) > 0 {
					index = true
				}
			case s.resourceField:
				for _, v := range storesTo(fa) {
					found = true
					for _, o := range a.origins(v) {
						switch o.kind {
						case originConst:
							out = append(out, cfn.Target{Kind: s.kind, Name: o.value})
						case originHandle:
							if o.resource != s.kind {
								known = false
							}
							out = append(out, cfn.Target{Kind: o.resource, Name: o.value, Declared: true})
						default:
							known = false
						}
					}
				}
			case "RequestItems":
				for _, v := range storesTo(fa) {
					for _, mv := range a.sources(v, 0, map[ssa.Value]bool{}) {
						mm, ok := mv.(*ssa.MakeMap)
						if !ok {
							known = false
							continue
						}
						for _, mr := range *mm.Referrers() {
							if up, ok := mr.(*ssa.MapUpdate); ok {
								found = true
								for _, o := range a.origins(up.Key) {
									switch o.kind {
									case originConst:
										out = append(out, cfn.Target{Kind: s.kind, Name: o.value})
									case originHandle:
										out = append(out, cfn.Target{Kind: o.resource, Name: o.value, Declared: true})
									default:
										known = false
									}
								}
							}
						}
					}
				}
			}
		}
	}
	if !known || !found {
		return nil, index
	}
	return out, index
}

// reach walks the call graph from roots and returns the calls and uses of
// every reachable function.
func (a *analyzer) reach(roots []*ssa.Function) ([]cfn.Call, []origin) {
	var calls []cfn.Call
	var uses []origin
	seen := map[*ssa.Function]bool{}
	queue := slices.Clone(roots)
	for len(queue) > 0 {
		fn := queue[0]
		queue = queue[1:]
		if seen[fn] || fn.Blocks == nil {
			continue
		}
		seen[fn] = true
		f := a.factsOf(fn)
		calls = append(calls, f.calls...)
		uses = append(uses, f.uses...)
		queue = append(queue, f.succ...)
	}
	return calls, uses
}

// isWrapper reports whether fn is a synthetic wrapper with a body (a bound
// method value, an interface method thunk, a promoted method).
func isWrapper(fn *ssa.Function) bool { return fn.Synthetic != "" && fn.Blocks != nil }
