package framework

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// proxyEvent builds an API Gateway REST proxy event (payload 1.0) the way API
// Gateway sends it for resource pattern and concrete path.
func proxyEvent(method, resource string, params map[string]string) *events.APIGatewayProxyRequest {
	return &events.APIGatewayProxyRequest{
		Resource:       resource,
		Path:           resource,
		HTTPMethod:     method,
		PathParameters: params,
		RequestContext: events.APIGatewayProxyRequestContext{ResourcePath: resource, HTTPMethod: method, Stage: "api"},
	}
}

// invokeAPI sends ev to the app's api_handler through Invoke and decodes the
// proxy response.
func invokeAPI(t testing.TB, app *App, ev *events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	t.Helper()
	resp, _ := invokeEvent[events.APIGatewayProxyResponse](t, app, ev)
	return resp
}

// invokeEvent sends ev, JSON-encoded, to the app's api_handler through
// Invoke, and returns the answer decoded as an R and as it came.
func invokeEvent[R any](t testing.TB, app *App, ev any) (R, []byte) {
	t.Helper()
	var resp R
	payload, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	out, err := app.Invoke(context.Background(), "api_handler", payload)
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("decoding response %s: %v", out, err)
	}
	return resp, out
}

// captureLog points the app's error log at a buffer.
func captureLog(app *App) *bytes.Buffer {
	var buf bytes.Buffer
	app.ErrorLog = log.New(&buf, "", 0)
	return &buf
}

func ok(r *Request) (any, error) { return "ok", nil }

// echoJSON answers the JSON body it is sent.
func echoJSON(r *Request) (any, error) {
	var v any
	if err := r.DecodeJSON(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// slowHandler is apiHandler without the fast path: encoding/json decodes
// the event, as it did before fastevent.go.
type slowHandler struct{ app *App }

func (h slowHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	resp, err := h.app.serveEvent(ctx, &ev)
	if err != nil {
		return nil, err
	}
	return json.Marshal(resp)
}

// discardLog drops what an app logs.
var discardLog = log.New(io.Discard, "", 0)
