package framework

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/gochalice/gochalice/framework/manifest"
)

// Exit codes of Run.
const (
	exitOK          = 0
	exitInitFailed  = 1
	exitBadApp      = 2
	envRuntimeAPI   = "AWS_LAMBDA_RUNTIME_API"
	envHandler      = "_HANDLER"
	registrationPfx = "gochalice: "
)

// localModes runs the local and invoke modes; nil unless the binary was
// built with manifest.LocalBuildTag.
var localModes func(a *App, getenv func(string) string, stdout, stderr io.Writer) int

// Run is the app's only entry point; call it last in main. It does one of:
//
//   - manifest mode (GOCHALICE_MODE=manifest, set by chalice-package): print
//     the manifest as one line of JSON to standard output and exit 0, or print
//     every registration error to standard error and exit 2;
//   - local mode (GOCHALICE_MODE=local, set by chalice-package local): serve
//     the API Gateway emulation and the Lambda Invoke API over HTTP until
//     SIGINT or SIGTERM (see App.LocalHandler);
//   - invoke mode (GOCHALICE_MODE=invoke, set by chalice-package invoke): run
//     one function with the event on standard input and print its result;
//   - Lambda mode (AWS_LAMBDA_RUNTIME_API is set): serve the function named by
//     _HANDLER until Lambda stops the process. An unknown name fails the
//     function's init with a message naming the known ones;
//   - otherwise print a short usage message and exit 2.
//
// In Lambda mode the app's base logger (App.Logger, or the one
// AWS_LAMBDA_LOG_FORMAT and AWS_LAMBDA_LOG_LEVEL describe) becomes slog's
// default, so slog.Info and the standard log package write in the
// function's log format too.
//
// Run does not return.
func (a *App) Run() {
	h, code := a.start(os.Getenv, os.Stdout, os.Stderr)
	if h == nil {
		os.Exit(code)
	}
	slog.SetDefault(a.baseLogger())
	lambda.Start(h)
	os.Exit(exitInitFailed) // lambda.Start only returns if the runtime API fails
}

// start decides the run mode. It returns the handler to serve in Lambda mode,
// or a nil handler and the exit code.
func (a *App) start(getenv func(string) string, stdout, stderr io.Writer) (lambda.Handler, int) {
	switch {
	case getenv(manifest.EnvMode) == manifest.ModeManifest:
		m, err := a.Manifest()
		if err != nil {
			writeRegistrationErrors(stderr, err)
			return nil, exitBadApp
		}
		b, err := json.Marshal(m)
		if err != nil {
			fmt.Fprintf(stderr, "%sencoding the manifest: %v\n", registrationPfx, err)
			return nil, exitBadApp
		}
		fmt.Fprintf(stdout, "%s\n", b)
		return nil, exitOK
	case getenv(manifest.EnvMode) == manifest.ModeLocal || getenv(manifest.EnvMode) == manifest.ModeInvoke:
		if err := a.err(); err != nil {
			writeRegistrationErrors(stderr, err)
			return nil, exitBadApp
		}
		if localModes == nil {
			fmt.Fprintf(stderr, "%sthis binary was built without the local modes (build tag %s): run the app with chalice-package local or invoke\n", registrationPfx, manifest.LocalBuildTag)
			return nil, exitBadApp
		}
		return nil, localModes(a, getenv, stdout, stderr)
	case getenv(envRuntimeAPI) != "":
		if err := a.err(); err != nil {
			writeRegistrationErrors(stderr, err)
			return nil, exitInitFailed
		}
		name := getenv(envHandler)
		h, err := a.handler(name)
		if err != nil {
			fmt.Fprintf(stderr, "%s%v\n", registrationPfx, err)
			return nil, exitInitFailed
		}
		return h, exitOK
	default:
		fmt.Fprintf(stderr, `%s is a gochalice app: it runs on AWS Lambda, where _HANDLER names the function to serve.
Build and package it:   go tool chalice-package build DIR
                        (once: go get -tool github.com/gochalice/gochalice/cmd/chalice-package)
Run it locally:         go tool chalice-package local DIR
Test it in-process:     chalicetest.New(t, app) from a Go test (framework/chalicetest)
Functions: %s
`, a.Name, strings.Join(a.handlerNames(), ", "))
		return nil, exitBadApp
	}
}

func writeRegistrationErrors(w io.Writer, err error) {
	if re, ok := err.(*RegistrationError); ok {
		for _, e := range re.Errs {
			fmt.Fprintf(w, "%s%v\n", registrationPfx, e)
		}
		return
	}
	fmt.Fprintf(w, "%s%v\n", registrationPfx, err)
}

// handlerNames returns the names of every function, sorted.
func (a *App) handlerNames() []string {
	return slices.Sorted(maps.Keys(a.functions))
}

// handler returns the lambda.Handler serving the named function.
func (a *App) handler(name string) (lambda.Handler, error) {
	f, ok := a.functions[name]
	if !ok {
		known := strings.Join(a.handlerNames(), ", ")
		if name == "" {
			return nil, fmt.Errorf("no handler name: set _HANDLER (the function's Handler property) to one of: %s", known)
		}
		return nil, fmt.Errorf("unknown handler %q: this bootstrap serves %s", name, known)
	}
	return a.observed(f), nil
}

// Invoke runs one function in-process exactly as Lambda mode would: payload is
// the event JSON, the result is the response JSON. handler is "api_handler"
// for the routes or a registered function name. A panic in a standalone
// function is returned as an error (on Lambda it would end the process after
// reporting the invocation as failed).
func (a *App) Invoke(ctx context.Context, handler string, payload []byte) (out []byte, err error) {
	if err := a.checkedErr(); err != nil {
		return nil, err
	}
	return a.invoke(ctx, handler, payload)
}

// invoke is Invoke without the registration check, for callers that made
// it once (the gateway, the local modes).
func (a *App) invoke(ctx context.Context, handler string, payload []byte) (out []byte, err error) {
	h, err := a.handler(handler)
	if err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("function %q panicked: %v", handler, p)
		}
	}()
	return h.Invoke(ctx, payload)
}
