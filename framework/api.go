package framework

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework/manifest"
)

// proxyEventWant is what the API function expects, for InvalidEventError.
const proxyEventWant = "an API Gateway REST proxy event (payload format 1.0)"

// apiHandler serves every route: it is the function named api_handler.
type apiHandler struct{ app *App }

// Invoke decodes an API Gateway REST proxy event (payload 1.0) or an HTTP
// API event (payload 2.0, see apiv2.go), runs the view and encodes its
// response in the event's format.
func (h apiHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if isV2Event(payload) {
		return h.invokeV2(ctx, payload)
	}
	if out, ok := h.app.serveREST(ctx, payload); ok {
		return out, nil // fastevent.go
	}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, invalidEvent(manifest.APIHandlerName, proxyEventWant, payload, err)
	}
	resp, err := h.app.serveEvent(ctx, &ev)
	if err != nil {
		return nil, err
	}
	return appendProxyResponse(nil, resp), nil
}

// serveEvent dispatches a proxy event on its resource pattern and method.
func (a *App) serveEvent(ctx context.Context, ev *events.APIGatewayProxyRequest) (*events.APIGatewayProxyResponse, error) {
	resource := ev.RequestContext.ResourcePath
	if resource == "" {
		resource = ev.Resource
	}
	if resource == "" || ev.HTTPMethod == "" {
		return nil, &InvalidEventError{Function: manifest.APIHandlerName, Want: proxyEventWant, Problem: "it has no resource or httpMethod"}
	}
	r := a.router.byPath[resource]
	if r == nil || len(r.views) == 0 {
		a.reportf(ctx, nil, "no route for resource %s (is the deployed template from the same build as the bootstrap?)", resource)
		return errorResponse(NotFound(fmt.Sprintf("No route for %s", resource)).(*Error), nil), nil
	}
	method := strings.ToUpper(ev.HTTPMethod)
	v := r.views[method]
	if v == nil {
		allow := strings.Join(r.methods(), ", ")
		e := MethodNotAllowed(fmt.Sprintf("Method %s is not allowed on %s; allowed: %s", method, resource, allow)).(*Error)
		return errorResponse(e, map[string]string{"Allow": allow}), nil
	}
	resp := a.serveView(ctx, v, ev, resource)
	v.addCORS(resp)
	return resp, nil
}

// serveView answers a request for one view: 415 for a content type it does
// not accept, 400 for an undecodable body, else what the view returns.
func (a *App) serveView(ctx context.Context, v *view, ev *events.APIGatewayProxyRequest, resource string) *events.APIGatewayProxyResponse {
	if e := v.unsupportedType(ev); e != nil {
		return errorResponse(e, nil)
	}
	req, err := newRequest(ctx, ev, resource)
	if err != nil {
		e, _ := asHTTPError(err)
		return errorResponse(e, nil)
	}
	return a.runView(v, req)
}

// runView calls a view and turns its result, error or panic into a response.
// A panic is logged with its stack trace and answered with a 500; the process
// keeps serving.
func (a *App) runView(v *view, req *Request) (resp *events.APIGatewayProxyResponse) {
	defer func() {
		if p := recover(); p != nil {
			a.reportf(req.Context(), debug.Stack(), "panic in %s %s (%s): %v", req.Method, req.Path, v.name, p)
			resp = errorResponse(internalError, nil)
		}
	}()
	result, err := a.callView(v, req)
	if err != nil {
		if e, ok := asHTTPError(err); ok {
			return errorResponse(e, nil)
		}
		a.reportf(req.Context(), nil, "%s %s (%s): %v", req.Method, req.Path, v.name, err)
		return errorResponse(internalError, nil)
	}
	resp, err = encodeResult(result, a.binaryTypes...)
	if err != nil {
		a.reportf(req.Context(), nil, "%s %s (%s): %v", req.Method, req.Path, v.name, err)
		return errorResponse(internalError, nil)
	}
	return resp
}
