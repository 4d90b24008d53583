package framework

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/gochalice/gochalice/framework/manifest"
)

// Middleware wraps a view, in the shape net/http and chi use: it receives
// the next handler (the view, or the next middleware) and returns the handler
// to call instead. Inside the chain a view's result is always a *Response
// (a bare value becomes its Body), so middleware can read and change the
// status and headers; an error is passed up as the view returned it.
//
//	app.Use(func(next framework.Handler) framework.Handler {
//		return func(r *framework.Request) (any, error) {
//			res, err := next(r)
//			if resp, ok := res.(*framework.Response); ok && err == nil {
//				resp.Headers["X-Frame-Options"] = "DENY"
//			}
//			return res, err
//		}
//	})
type Middleware func(next Handler) Handler

// Use adds view middleware, run for every view of the app in registration
// order: the first added is the outermost. It runs after routing, for a
// request that reached a view, in-process (App.Invoke) as on Lambda. A nil
// middleware is a registration error.
func (a *App) Use(mw ...Middleware) {
	for i, m := range mw {
		if m == nil {
			a.errorf("Use: middleware %d is nil", len(a.middleware)+i+1)
			return
		}
	}
	a.middleware = append(a.middleware, mw...)
}

// callView runs a view through the app's middleware.
func (a *App) callView(v *view, req *Request) (any, error) {
	if len(a.middleware) == 0 {
		return v.handler(req)
	}
	h := func(r *Request) (any, error) {
		res, err := v.handler(r)
		if err != nil {
			return res, err
		}
		return asResponse(res)
	}
	for _, m := range slices.Backward(a.middleware) {
		h = m(h)
	}
	return h(req)
}

// asResponse turns a view's result into a *Response that encodes the same.
func asResponse(result any) (*Response, error) {
	switch v := result.(type) {
	case *Response:
		if v == nil {
			return nil, fmt.Errorf("the view returned a nil *Response")
		}
		if v.Headers == nil {
			v.Headers = map[string]string{}
		}
		return v, nil
	case Response:
		if v.Headers == nil {
			v.Headers = map[string]string{}
		}
		return &v, nil
	}
	return &Response{Headers: map[string]string{}, Body: result}, nil
}

// Function kinds, as function middleware sees them (Invocation.Kind) and
// selects them (App.UseFunctions).
const (
	// KindHTTP is the function serving the routes (api_handler).
	KindHTTP = "http"
	// KindAuthorizer is a built-in authorizer (App.Authorizer).
	KindAuthorizer = "authorizer"
	// KindPureLambda is a function without event sources (App.LambdaFunction).
	KindPureLambda = "pure_lambda"
	// KindEvent is a function with event sources (App.EventHandler, the
	// App.On... shorthands, App.Schedule, the WebSocket handlers).
	KindEvent = "event"
)

// Invocation is one invocation of a function as function middleware sees it.
type Invocation struct {
	// Function is the function's registered name (its Handler).
	Function string
	// Kind is KindHTTP, KindAuthorizer, KindPureLambda or KindEvent.
	Kind string
	// Sources are the types of a KindEvent function's event sources
	// ("sqs", "schedule", "websocket", ... as in the manifest), in
	// registration order; nil for the other kinds.
	Sources []string
	// Payload is the raw event, as Lambda sent it.
	Payload []byte
}

// FunctionHandler runs one invocation: the raw event in, the raw result out.
type FunctionHandler func(ctx context.Context, inv *Invocation) ([]byte, error)

// FunctionMiddleware wraps the invocations of functions, over raw events
// (as Chalice's all, pure_lambda and event-type middleware do): it receives
// the next handler and returns the one to call instead. It may change the
// payload before calling next, the result or error after, or answer without
// calling next.
type FunctionMiddleware func(next FunctionHandler) FunctionHandler

// UseFunctions adds function middleware, run in registration order (the
// first added is the outermost) around every invocation of the functions it
// selects: with no kinds, every function; else those whose kind (KindHTTP,
// KindAuthorizer, KindPureLambda, KindEvent) or one of whose event source
// types ("sqs", "sns", "s3", "schedule", "eventbridge", "dynamodb",
// "kinesis", "cognito", "websocket") is listed. It runs in-process
// (App.Invoke) as on Lambda. A nil middleware or an unknown kind is a
// registration error.
func (a *App) UseFunctions(mw FunctionMiddleware, kinds ...string) {
	if mw == nil {
		a.errorf("UseFunctions: the middleware is nil")
		return
	}
	for _, k := range kinds {
		if !slices.Contains(functionKinds, k) {
			a.errorf("UseFunctions: unknown kind %q (want one of %s)", k, strings.Join(functionKinds, ", "))
			return
		}
	}
	a.fnMiddleware = append(a.fnMiddleware, fnMiddleware{mw: mw, kinds: slices.Clone(kinds)})
}

var functionKinds = []string{
	KindHTTP, KindAuthorizer, KindPureLambda, KindEvent,
	manifest.EventSchedule, manifest.EventSNS, manifest.EventSQS, manifest.EventS3, manifest.EventEventBridge,
	manifest.EventDynamoDB, manifest.EventKinesis, manifest.EventCognito, manifest.EventWebSocket,
}

// fnMiddleware is a function middleware and the kinds it selects.
type fnMiddleware struct {
	mw    FunctionMiddleware
	kinds []string
}

// selects reports whether m runs for a function of kind with sources.
func (m fnMiddleware) selects(kind string, sources []string) bool {
	if len(m.kinds) == 0 || slices.Contains(m.kinds, kind) {
		return true
	}
	return slices.ContainsFunc(sources, func(s string) bool { return slices.Contains(m.kinds, s) })
}

// invocationKind returns a function's kind and source types.
func (f *function) invocationKind() (string, []string) {
	switch {
	case f.kind == manifest.KindAPI:
		return KindHTTP, nil
	case f.kind == manifest.KindAuthorizer:
		return KindAuthorizer, nil
	case len(f.events) == 0:
		return KindPureLambda, nil
	}
	sources := make([]string, 0, len(f.events))
	for _, ev := range f.events {
		if !slices.Contains(sources, ev.Type) {
			sources = append(sources, ev.Type)
		}
	}
	return KindEvent, sources
}

// observed serves a function: it starts the invocation (its context and
// logger), runs the function middleware, and logs what the function fails
// with.
type observed struct {
	app   *App
	fn    *function
	kind  string
	chain FunctionHandler // nil without middleware
	next  lambda.Handler
	// sources are the function's event source types, shared by its
	// Invocations.
	sources []string
	// middleware is the number of the app's function middleware when the
	// chain was built.
	middleware int
}

// observed returns the handler serving fn, built again only after function
// middleware was added.
func (a *App) observed(fn *function) *observed {
	if h := fn.served.Load(); h != nil && h.middleware == len(a.fnMiddleware) {
		return h
	}
	next := fn.handler
	if fn.kind == manifest.KindAPI {
		next = apiHandler{a}
	}
	h := a.observe(fn, next)
	fn.served.Store(h)
	return h
}

// observe wraps the handler serving fn.
func (a *App) observe(fn *function, next lambda.Handler) *observed {
	kind, sources := fn.invocationKind()
	h := &observed{app: a, fn: fn, kind: kind, next: next, sources: sources, middleware: len(a.fnMiddleware)}
	var chain FunctionHandler
	for _, m := range slices.Backward(a.fnMiddleware) {
		if !m.selects(kind, sources) {
			continue
		}
		if chain == nil {
			chain = h.call
		}
		chain = m.mw(chain)
	}
	h.chain = chain
	return h
}

// Invoke implements lambda.Handler.
func (h *observed) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	inv := h.app.startInvocation(ctx, h.fn)
	var (
		out []byte
		err error
	)
	if h.chain != nil {
		out, err = h.chain(inv, &Invocation{Function: h.fn.name, Kind: h.kind, Sources: h.sources, Payload: payload})
	} else {
		out, err = h.invokeNext(inv, payload)
	}
	// An authorizer's "Unauthorized" is its answer, not a failure; it logs
	// its unexpected errors itself.
	if err != nil && h.kind != KindAuthorizer {
		h.app.reportf(inv, nil, "function %s failed: %v", h.fn.name, err)
	}
	return out, err
}

// call is the innermost FunctionHandler: the function itself.
func (h *observed) call(ctx context.Context, inv *Invocation) ([]byte, error) {
	return h.invokeNext(ctx, inv.Payload)
}

// invokeNext runs the function. A panic in an event or pure function is
// logged with its stack trace, then goes on (on Lambda, aws-lambda-go
// reports it and the process ends; App.Invoke returns it as an error). Views
// and authorizers recover their own panics.
func (h *observed) invokeNext(ctx context.Context, payload []byte) ([]byte, error) {
	if h.kind == KindEvent || h.kind == KindPureLambda {
		defer func() {
			if p := recover(); p != nil {
				h.app.reportf(ctx, debug.Stack(), "panic in function %s: %v", h.fn.name, p)
				panic(p)
			}
		}()
	}
	return h.next.Invoke(ctx, payload)
}
