package framework

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"maps"
	"net/http"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/gochalice/gochalice/framework/manifest"
)

// Version is the version of the framework, recorded in the manifest and in the
// gochalice tag of every resource.
const Version = "0.1.0"

// Handler is a view: it answers one route. A *Response or Response result is
// sent as is; a string or []byte becomes the body; anything else is encoded as
// JSON with status 200. A non-nil error is answered by its status if it is an
// *Error (see BadRequest and friends) and by a generic 500 otherwise.
type Handler func(*Request) (any, error)

// App is a gochalice application: its routes and functions. Register
// everything, then call Run. An App is not safe for concurrent registration;
// serving (Invoke) is safe for concurrent use.
type App struct {
	// Name is the app name, used in resource names, tags and outputs.
	Name string

	// Logger is the logger every invocation's logger derives from (see the
	// package function Logger). Nil means standard error, in the format and
	// at the level Lambda's AWS_LAMBDA_LOG_FORMAT and AWS_LAMBDA_LOG_LEVEL
	// say (NewLogHandler).
	Logger *slog.Logger

	// ErrorLog, when set, receives unexpected errors and recovered panics
	// (with their stack trace) instead of the invocation's logger.
	//
	// Deprecated: unexpected errors are logged through the invocation's
	// logger, as ERROR records; set Logger to send them elsewhere.
	ErrorLog *log.Logger

	router    router
	functions map[string]*function
	errs      []error

	authorizers map[string]*authorizer // by name
	binaryTypes []string               // added with BinaryTypes
	sources     sourceRegistry
	schemas     schemas // of the typed views' bodies

	middleware   []Middleware   // view middleware, outermost first
	fnMiddleware []fnMiddleware // function middleware, outermost first
	served       atomic.Bool    // an invocation has started: the cold start is over

	views   int                          // views registered, for checked
	checked atomic.Pointer[checkedState] // Invoke's cache of err()

	gatewayOnce sync.Once
	gateway     http.Handler // App.ServeHTTP's, with the default settings
}

// function is one Lambda function served by the bootstrap.
type function struct {
	name    string
	kind    string
	handler lambda.Handler // nil for the API function
	events  []manifest.Event

	served atomic.Pointer[observed] // the handler serving it (middleware.go)
}

// New returns an empty app. name is the app name used in resource names and
// tags; it must be non-empty.
func New(name string) *App {
	a := &App{Name: name, functions: map[string]*function{}}
	if strings.TrimSpace(name) == "" {
		a.errorf("framework.New: the app name is empty")
	}
	return a
}

// errorf records a registration error. Every registration error is reported,
// all at once, when the app runs.
func (a *App) errorf(format string, args ...any) {
	a.errs = append(a.errs, fmt.Errorf(format, args...))
}

// RouteOption configures a route. See Methods.
type RouteOption func(*routeOptions)

type routeOptions struct {
	methods              []string
	front                viewSettings
	summary, description string
	query                []manifest.QueryParam
}

// Methods sets the HTTP methods a view answers (default GET). Names are
// case-insensitive.
func Methods(methods ...string) RouteOption {
	return func(o *routeOptions) { o.methods = append(o.methods, methods...) }
}

// knownMethods are the methods API Gateway REST APIs route.
var knownMethods = []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}

// Route registers a view for a resource path. The path is made of literal
// segments, {name} captures and, last, an optional greedy {name+} capture:
//
//	app.Route("/users/{id}", getUser)
//	app.Route("/users/{id}", putUser, framework.Methods("PUT"))
//	app.Route("/static/{proxy+}", serveFile)
//
// Invalid paths, unknown methods and a method registered twice on one path are
// registration errors, reported when the app runs.
func (a *App) Route(path string, h Handler, opts ...RouteOption) {
	a.route(path, h, funcName(h), &contract{}, opts)
}

// route registers a view named name (its Go function, for messages and
// operation IDs) with its contract.
func (a *App) route(path string, h Handler, name string, c *contract, opts []RouteOption) {
	var o routeOptions
	for _, opt := range opts {
		opt(&o)
	}
	if len(o.methods) == 0 {
		o.methods = []string{"GET"}
	}
	segs, err := parsePath(path)
	if err != nil {
		a.errorf("route %s: %v", path, err)
		return
	}
	var methods []string
	for _, m := range o.methods {
		um := strings.ToUpper(strings.TrimSpace(m))
		if !slices.Contains(knownMethods, um) {
			a.errorf("route %s: unknown method %q (want one of %s)", path, m, strings.Join(knownMethods, ", "))
			continue
		}
		if slices.Contains(methods, um) {
			a.errorf("route %s: method %s listed twice", path, um)
			continue
		}
		methods = append(methods, um)
	}
	r, err := a.router.add(path, segs)
	if err != nil {
		a.errorf("route %s: %v", path, err)
		return
	}
	if h == nil {
		a.errorf("route %s: the handler is nil", path)
		return
	}
	c.summary, c.description, c.query = o.summary, o.description, o.query
	for i, q := range o.query {
		if q.Name == "" || slices.ContainsFunc(o.query[:i], func(p manifest.QueryParam) bool { return p.Name == q.Name }) {
			a.errorf("route %s: query parameter %q is empty or documented twice", path, q.Name)
		}
	}
	v := &view{handler: h, name: name, contract: c}
	a.setFront(path, r, v, methods, o.front)
	for _, m := range methods {
		if prev, ok := r.views[m]; ok {
			a.errorf("route %s %s: registered twice (%s and %s)", m, path, prev.name, v.name)
			continue
		}
		r.views[m] = v
		a.views++
	}
	if len(r.views) > 0 {
		a.functions[manifest.APIHandlerName] = &function{name: manifest.APIHandlerName, kind: manifest.KindAPI}
	}
}

// LambdaFunction registers a standalone function that is not behind the API.
// handler may have any signature aws-lambda-go accepts, for example
//
//	func(ctx context.Context, in AddInput) (AddOutput, error)
//
// or be a lambda.Handler. name is the function's handler name and the source
// of its logical ID (add_numbers → AddNumbers); it must start with a letter
// and use only letters, digits, '_' and '-'.
func (a *App) LambdaFunction(name string, handler any) {
	if !a.checkNewFunction(name, handler, "") {
		return
	}
	a.functions[name] = &function{name: name, kind: manifest.KindLambda, handler: newDecodeChecked(name, handler)}
}

// checkNewFunction records a registration error and reports false when a
// function cannot be registered under name with handler: an invalid or
// reserved name, a name already taken (twiceHint is added to that message),
// or a signature aws-lambda-go would reject.
func (a *App) checkNewFunction(name string, handler any, twiceHint string) bool {
	if !isFunctionName(name) {
		a.errorf("function %q: invalid name (start with a letter; use letters, digits, '_' and '-'; at most 64 characters)", name)
		return false
	}
	if name == manifest.APIHandlerName {
		a.errorf("function %q: the name is reserved for the function that serves the routes", name)
		return false
	}
	if _, ok := a.functions[name]; ok {
		a.errorf("function %q: registered twice%s", name, twiceHint)
		return false
	}
	if err := checkHandler(handler); err != nil {
		a.errorf("function %q: %v", name, err)
		return false
	}
	return true
}

func isFunctionName(s string) bool {
	if s == "" || len(s) > 64 || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for _, r := range s {
		if !(isParamName(string(r)) || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

var (
	contextType = reflect.TypeFor[context.Context]()
	errorType   = reflect.TypeFor[error]()
)

// checkHandler tells at registration time whether aws-lambda-go will accept
// handler, so that a bad signature fails the build rather than every
// invocation. aws-lambda-go itself does the calling.
func checkHandler(handler any) error {
	if handler == nil {
		return fmt.Errorf("the handler is nil")
	}
	if _, ok := handler.(lambda.Handler); ok {
		return nil
	}
	t := reflect.TypeOf(handler)
	if t.Kind() != reflect.Func {
		return fmt.Errorf("the handler is a %s, not a function", t)
	}
	isContext := func(t reflect.Type) bool { return t == contextType }
	switch t.NumIn() {
	case 0:
	case 1:
		in := t.In(0)
		if in.Kind() == reflect.Interface && in.NumMethod() > 0 && !isContext(in) {
			return fmt.Errorf("handler %s: its argument is an interface other than context.Context", t)
		}
	case 2:
		if !isContext(t.In(0)) {
			return fmt.Errorf("handler %s: with two arguments the first must be context.Context", t)
		}
	default:
		return fmt.Errorf("handler %s takes %d arguments; at most two (context.Context, event)", t, t.NumIn())
	}
	switch t.NumOut() {
	case 0:
	case 1:
		if !t.Out(0).Implements(errorType) {
			return fmt.Errorf("handler %s: a single result must be an error", t)
		}
	case 2:
		if !t.Out(1).Implements(errorType) {
			return fmt.Errorf("handler %s: the second result must be an error", t)
		}
	default:
		return fmt.Errorf("handler %s returns %d values; at most two (result, error)", t, t.NumOut())
	}
	return nil
}

// funcName returns the Go name of a function value, for messages.
func funcName(f any) string {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Func || v.IsNil() {
		return "<nil>"
	}
	if fn := runtime.FuncForPC(v.Pointer()); fn != nil {
		return fn.Name()
	}
	return "<unknown>"
}

// Manifest returns the manifest of the app: what chalice-package reads to
// build the template. It fails with every registration error at once.
func (a *App) Manifest() (*manifest.Manifest, error) {
	if err := a.err(); err != nil {
		return nil, err
	}
	m := &manifest.Manifest{
		SchemaVersion:    manifest.SchemaVersion,
		App:              a.Name,
		FrameworkVersion: Version,
		Functions:        []manifest.Function{},
	}
	// Functions and routes in the order of their sorted keys (their names
	// and paths): sorting the manifest's structs with slices.SortFunc would
	// link a sort of each struct type, about 20 KB of bootstrap.
	for _, name := range a.handlerNames() {
		f := a.functions[name]
		m.Functions = append(m.Functions, manifest.Function{Name: f.name, Handler: f.name, Kind: f.kind, Events: f.events})
	}
	for _, path := range slices.Sorted(maps.Keys(a.router.byPath)) {
		r := a.router.byPath[path]
		if len(r.views) == 0 {
			continue
		}
		m.Routes = append(m.Routes, manifest.Route{Path: r.path, Methods: r.methods(), Params: r.params})
	}
	a.frontManifest(m)
	a.manifestResources(m)
	if len(m.Routes) > 0 {
		m.Models = maps.Clone(a.schemas.models)
		if m.Models == nil {
			m.Models = map[string]*manifest.Schema{manifest.ErrorModel: errorSchema}
		}
	}
	return m, nil
}

// RegistrationError lists every mistake found while registering routes and
// functions.
type RegistrationError struct {
	// Errs holds one error per mistake, in registration order.
	Errs []error
}

// Error implements error: one mistake per line.
func (e *RegistrationError) Error() string {
	lines := make([]string, len(e.Errs))
	for i, err := range e.Errs {
		lines[i] = err.Error()
	}
	return fmt.Sprintf("%d registration error(s):\n%s", len(e.Errs), strings.Join(lines, "\n"))
}

// Unwrap returns the individual errors.
func (e *RegistrationError) Unwrap() []error { return e.Errs }

// checkedState is err() as of a number of registration errors, views and
// authorizers. Registrations only ever add those (a name registered twice is
// an error, not a replacement), so equal counts mean an unchanged result.
type checkedState struct {
	errs, views, authorizers int
	err                      error
}

// checkedErr is err() for Invoke: computed again only after a registration.
func (a *App) checkedErr() error {
	errs, views, auths := len(a.errs), a.views, len(a.authorizers)
	if c := a.checked.Load(); c != nil && c.errs == errs && c.views == views && c.authorizers == auths {
		return c.err
	}
	c := &checkedState{errs: errs, views: views, authorizers: auths, err: a.err()}
	a.checked.Store(c)
	return c.err
}

func (a *App) err() error {
	errs := append(slices.Clone(a.errs), a.authorizerErrors()...)
	if len(errs) == 0 {
		return nil
	}
	return &RegistrationError{Errs: errs}
}
