// Package dispatch holds the three handlers the dispatch benchmarks compare,
// each answering GET /hello/{name} with {"hello": name}: a gochalice app, a
// bare aws-lambda-go handler (the floor), and chi behind
// aws-lambda-go-api-proxy. They live in this nested module so that chi and
// the proxy stay out of gochalice's go.mod.
package dispatch

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	chiadapter "github.com/awslabs/aws-lambda-go-api-proxy/chi"
	"github.com/go-chi/chi/v5"

	"github.com/gochalice/gochalice/framework"
)

// Framework returns the gochalice app's api_handler, as App.Invoke runs it
// (what Lambda mode serves, with the same cost per event).
func Framework() lambda.Handler {
	app := framework.New("bench")
	app.Route("/", func(r *framework.Request) (any, error) { return "ok", nil })
	app.Route("/users/{id}", func(r *framework.Request) (any, error) { return "ok", nil })
	app.Route("/hello/{name}", func(r *framework.Request) (any, error) {
		return map[string]string{"hello": r.PathParam("name")}, nil
	})
	return invoker{app}
}

type invoker struct{ app *framework.App }

func (h invoker) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return h.app.Invoke(ctx, "api_handler", payload)
}

// Bare is a plain aws-lambda-go handler doing the same work: the floor.
func Bare() lambda.Handler {
	return lambda.NewHandler(func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		body, err := json.Marshal(map[string]string{"hello": ev.PathParameters["name"]})
		if err != nil {
			return events.APIGatewayProxyResponse{}, err
		}
		return events.APIGatewayProxyResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: string(body)}, nil
	})
}

// Chi is a chi router behind aws-lambda-go-api-proxy, the usual way to run
// a net/http router on Lambda.
func Chi() lambda.Handler {
	r := chi.NewRouter()
	r.Get("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	r.Get("/users/{id}", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	r.Get("/hello/{name}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"hello": chi.URLParam(r, "name")})
	})
	adapter := chiadapter.New(r)
	return lambda.NewHandler(func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return adapter.ProxyWithContext(ctx, ev)
	})
}

// Handlers are the three, in the order the comparison prints them.
var Handlers = []struct {
	Name    string
	Handler func() lambda.Handler
}{
	{"gochalice", Framework},
	{"bare aws-lambda-go", Bare},
	{"chi + api-proxy", Chi},
}
