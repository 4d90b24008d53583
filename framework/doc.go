// Package framework is the gochalice runtime: the small library an app imports
// to register routes and functions, compiled into the app's single Lambda
// bootstrap.
//
// An app registers everything on an App and hands control to App.Run:
//
//	func main() {
//		app := framework.New("hello")
//		app.Route("/", index)
//		app.Route("/hello/{name}", hello)
//		app.Route("/echo", echo, framework.Methods("POST", "PUT"))
//		app.LambdaFunction("add_numbers", addNumbers)
//		app.Run()
//	}
//
// Run has three modes. With GOCHALICE_MODE=manifest (set by chalice-package)
// it prints the manifest, the JSON description of what the app registered, and
// exits. On AWS Lambda (AWS_LAMBDA_RUNTIME_API is set) it serves the function
// named by _HANDLER: "api_handler" for every route, or a registered function
// name. Otherwise it prints a short usage message.
//
// TypedRoute registers a typed view, func(*Request, In) (Out, error): the body
// is decoded strictly into In, and the JSON Schemas of In and Out go into the
// manifest, from which chalice-package writes the template's models, an
// OpenAPI 3 document and typed clients.
//
// App.Invoke runs one function in-process exactly as Lambda mode would, which
// makes an app testable with plain go test.
//
// App.Use adds view middleware and App.UseFunctions middleware over every
// function's raw events. Each invocation has a *slog.Logger (Logger,
// Request.Logger) carrying its request ID, function name, cold-start flag and
// X-Ray trace ID, in the format and at the level Lambda's logging settings
// say; NewMetrics writes CloudWatch Embedded Metric Format records through
// it.
//
// The package imports only the standard library and aws-lambda-go, so that
// every bootstrap stays small and starts fast.
package framework
