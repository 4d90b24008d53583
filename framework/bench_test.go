package framework

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
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

// browserEvent is GET /hello/gopher as API Gateway delivers it for a browser
// (1.7 KB: headers, multiValueHeaders, requestContext).
func browserEvent(tb testing.TB) []byte {
	payload, err := os.ReadFile("testdata/browser_event.json")
	if err != nil {
		tb.Fatal(err)
	}
	return payload
}

func benchApp() *App {
	app := New("bench")
	app.Route("/", ok)
	app.Route("/users/{id}", ok)
	app.Route("/hello/{name}", func(r *Request) (any, error) {
		return map[string]string{"hello": r.PathParam("name")}, nil
	})
	return app
}

// lambdaHandler is the handler Lambda mode serves: Run checks the
// registrations once at init.
func lambdaHandler(b *testing.B, app *App) lambda.Handler {
	h, err := app.handler("api_handler")
	if err != nil || app.err() != nil {
		b.Fatal(err, app.err())
	}
	return h
}

func runBench(b *testing.B, h lambda.Handler, payload []byte) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Invoke(ctx, payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDispatch sends a small proxy event with one path parameter
// through the framework: decode, route, view, encode.
func BenchmarkDispatch(b *testing.B) {
	runBench(b, lambdaHandler(b, benchApp()), benchEvent(b))
}

// BenchmarkDispatchBrowser is BenchmarkDispatch with the event a browser's
// request produces.
func BenchmarkDispatchBrowser(b *testing.B) {
	runBench(b, lambdaHandler(b, benchApp()), browserEvent(b))
}

// BenchmarkDispatchBrowserJSON is BenchmarkDispatchBrowser on the
// encoding/json path the fast path falls back to.
func BenchmarkDispatchBrowserJSON(b *testing.B) {
	runBench(b, slowHandler{benchApp()}, browserEvent(b))
}

// BenchmarkInvokeBrowser is BenchmarkDispatchBrowser through the public
// App.Invoke (tests, the test client, local mode).
func BenchmarkInvokeBrowser(b *testing.B) {
	app := benchApp()
	payload := browserEvent(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := app.Invoke(ctx, "api_handler", payload); err != nil {
			b.Fatal(err)
		}
	}
}

// bareHandler is the floor: a plain aws-lambda-go handler doing the same
// work.
func bareHandler() lambda.Handler {
	return lambda.NewHandler(func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		body, err := json.Marshal(map[string]string{"hello": ev.PathParameters["name"]})
		if err != nil {
			return events.APIGatewayProxyResponse{}, err
		}
		return events.APIGatewayProxyResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: string(body)}, nil
	})
}

// BenchmarkBareLambda is the floor on the small event.
func BenchmarkBareLambda(b *testing.B) { runBench(b, bareHandler(), benchEvent(b)) }

// BenchmarkBareLambdaBrowser is the floor on the browser's event.
func BenchmarkBareLambdaBrowser(b *testing.B) { runBench(b, bareHandler(), browserEvent(b)) }

// benchEventV2 is benchEvent's request as an HTTP API event (payload 2.0).
func benchEventV2(b *testing.B) []byte {
	ev := events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       "GET /hello/{name}",
		RawPath:        "/hello/gopher",
		Headers:        map[string]string{"accept": "application/json", "user-agent": "bench", "host": "example.com"},
		PathParameters: map[string]string{"name": "gopher"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: "GET /hello/{name}", Stage: "api",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: "/hello/gopher"},
		},
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		b.Fatal(err)
	}
	return payload
}

// BenchmarkDispatchV2 is BenchmarkDispatch with the same request sent as an
// HTTP API event (payload 2.0).
func BenchmarkDispatchV2(b *testing.B) {
	runBench(b, lambdaHandler(b, benchApp()), benchEventV2(b))
}

// BenchmarkGateway sends GET /hello/gopher through the API Gateway
// emulation in-process: matching, the proxy event, dispatch, the response.
// BenchmarkGatewayHTTPAPI does the same through the HTTP API emulation.
func BenchmarkGateway(b *testing.B) { benchGateway(b, GatewayConfig{}) }

// BenchmarkGatewayHTTPAPI is BenchmarkGateway with payload 2.0.
func BenchmarkGatewayHTTPAPI(b *testing.B) { benchGateway(b, GatewayConfig{HTTPAPI: true}) }

func benchGateway(b *testing.B, cfg GatewayConfig) {
	app := New("bench")
	app.Route("/", ok)
	app.Route("/users/{id}", ok)
	app.Route("/hello/{name}", func(r *Request) (any, error) {
		return map[string]string{"hello": r.PathParam("name")}, nil
	})
	h := Gateway(app, cfg)
	req := httptest.NewRequest("GET", "/hello/gopher", nil)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "bench")
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkIsV2Event is the cost the payload-version check adds to every
// 1.0 event: a scan of its top level that finds no "version".
func BenchmarkIsV2Event(b *testing.B) {
	payload := benchEvent(b)
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		if isV2Event(payload) {
			b.Fatal("a 1.0 event taken for 2.0")
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

type benchIn struct {
	Name  string   `json:"name"`
	Count int      `json:"count"`
	Tags  []string `json:"tags,omitempty"`
}

type benchOut struct {
	Hello string `json:"hello"`
	Count int    `json:"count"`
}

// BenchmarkDispatchBody compares an untyped view that decodes its body with
// Request.DecodeJSON to a typed view (TypedRoute) that gets the same body
// decoded strictly (unknown and required fields checked), on one POST.
func BenchmarkDispatchBody(b *testing.B) {
	app := New("bench")
	app.Route("/untyped", func(r *Request) (any, error) {
		var in benchIn
		if err := r.DecodeJSON(&in); err != nil {
			return nil, err
		}
		return benchOut{Hello: in.Name, Count: in.Count}, nil
	}, Methods("POST"))
	TypedRoute(app, "/typed", func(r *Request, in benchIn) (benchOut, error) {
		return benchOut{Hello: in.Name, Count: in.Count}, nil
	}, Methods("POST"))
	h, err := app.handler("api_handler")
	if err != nil || app.err() != nil {
		b.Fatal(err, app.err())
	}
	for _, path := range []string{"/untyped", "/typed"} {
		ev := proxyEvent("POST", path, nil)
		ev.Headers = map[string]string{"Content-Type": "application/json", "User-Agent": "bench", "Host": "example.com"}
		ev.Body = `{"name":"gopher","count":3,"tags":["a","b"]}`
		payload, err := json.Marshal(ev)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(path[1:], func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				out, err := h.Invoke(ctx, payload)
				if err != nil || !bytes.Contains(out, []byte(`"statusCode":200`)) {
					b.Fatal(string(out), err)
				}
			}
		})
	}
}
