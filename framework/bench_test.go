package framework

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

func benchEvent(b *testing.B) []byte {
	ev := proxyEvent("GET", "/hello/{name}", map[string]string{"name": "gopher"})
	ev.Path = "/hello/gopher"
	ev.Headers = map[string]string{"Accept": "application/json", "User-Agent": "bench", "Host": "example.com"}
	ev.MultiValueHeaders = map[string][]string{"Accept": {"application/json"}, "User-Agent": {"bench"}, "Host": {"example.com"}}
	payload, err := json.Marshal(ev)
	if err != nil {
		b.Fatal(err)
	}
	return payload
}

// BenchmarkDispatch sends a proxy event with one path parameter through the
// framework: decode, route, view, encode.
func BenchmarkDispatch(b *testing.B) {
	app := New("bench")
	app.Route("/", ok)
	app.Route("/users/{id}", ok)
	app.Route("/hello/{name}", func(r *Request) (any, error) {
		return map[string]string{"hello": r.PathParam("name")}, nil
	})
	payload := benchEvent(b)
	ctx := context.Background()
	// The handler Lambda mode serves: Run checks the registrations once at
	// init, so unlike App.Invoke it does not re-check them per event.
	h, err := app.handler("api_handler")
	if err != nil || app.err() != nil {
		b.Fatal(err, app.err())
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareLambda is the floor: a plain aws-lambda-go handler doing the
// same work on the same event.
func BenchmarkBareLambda(b *testing.B) {
	h := lambda.NewHandler(func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		body, err := json.Marshal(map[string]string{"hello": ev.PathParameters["name"]})
		if err != nil {
			return events.APIGatewayProxyResponse{}, err
		}
		return events.APIGatewayProxyResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: string(body)}, nil
	})
	payload := benchEvent(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDispatchObserved is BenchmarkDispatch with one view middleware,
// one function middleware and a view that logs one JSON record (to
// io.Discard): the cost of the observability features when used.
func BenchmarkDispatchObserved(b *testing.B) {
	app := New("bench")
	app.Logger = slog.New(NewLogHandler(io.Discard, "JSON", ""))
	app.Use(func(next Handler) Handler {
		return func(r *Request) (any, error) { return next(r) }
	})
	app.UseFunctions(func(next FunctionHandler) FunctionHandler {
		return func(ctx context.Context, inv *Invocation) ([]byte, error) { return next(ctx, inv) }
	})
	app.Route("/hello/{name}", func(r *Request) (any, error) {
		r.Logger().Info("hello", "name", r.PathParam("name"))
		return map[string]string{"hello": r.PathParam("name")}, nil
	})
	payload := benchEvent(b)
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "bench"})
	h, err := app.handler("api_handler")
	if err != nil || app.err() != nil {
		b.Fatal(err, app.err())
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}
