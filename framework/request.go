package framework

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/textproto"
	"net/url"

	"github.com/aws/aws-lambda-go/events"
)

// Request is the HTTP request a view receives, decoded from the API Gateway
// proxy event.
type Request struct {
	// Method is the upper-case HTTP method.
	Method string
	// Path is the resource pattern the request matched, e.g. /hello/{name}
	// (as Chalice's current_request.path).
	Path string
	// PathParams are the values of the path captures, by capture name.
	PathParams map[string]string
	// Query holds every query string parameter with all its values.
	Query url.Values
	// Headers holds the request headers; look them up with Headers.Get, which
	// is case-insensitive.
	Headers http.Header
	// Body is the raw request body, already base64-decoded when API Gateway
	// encoded it.
	Body []byte
	// StageVars are the API Gateway stage variables.
	StageVars map[string]string

	ctx     context.Context
	event   *events.APIGatewayProxyRequest             // payload 1.0
	eventV2 *events.APIGatewayV2HTTPRequest            // payload 2.0
	lazy    *lazyEvent[events.APIGatewayProxyRequest]  // payload 1.0 from the fast path, instead of event
	lazyV2  *lazyEvent[events.APIGatewayV2HTTPRequest] // payload 2.0 from the fast path, instead of eventV2
}

// Context returns the invocation's context: it carries the Lambda deadline and
// the lambdacontext values.
func (r *Request) Context() context.Context {
	if r.ctx == nil {
		return context.Background()
	}
	return r.ctx
}

// PathParam returns the value of the named path capture, or "".
func (r *Request) PathParam(name string) string { return r.PathParams[name] }

// DecodeJSON decodes the body into v. An empty or malformed body is a
// BadRequest error ("Error Parsing JSON", as Chalice answers), so a view can
// return the error as is.
func (r *Request) DecodeJSON(v any) error {
	if len(r.Body) == 0 || json.Unmarshal(r.Body, v) != nil {
		return BadRequest("Error Parsing JSON")
	}
	return nil
}

// Event returns the API Gateway proxy event the request was decoded from, for
// anything Request does not expose (the request context, the source IP, the
// authorizer's claims), or nil when it came from an HTTP API event (see
// EventV2). Do not modify it.
func (r *Request) Event() *events.APIGatewayProxyRequest {
	if r.lazy != nil {
		return r.lazy.event()
	}
	return r.event
}

// newRequest decodes a proxy event. resource is the matched resource pattern.
func newRequest(ctx context.Context, ev *events.APIGatewayProxyRequest, resource string) (*Request, error) {
	r := &Request{
		Method:     ev.HTTPMethod,
		Path:       resource,
		PathParams: ev.PathParameters,
		StageVars:  ev.StageVariables,
		ctx:        ctx,
		event:      ev,
	}
	if r.PathParams == nil {
		r.PathParams = map[string]string{}
	}
	r.Headers = decodeHeaders(ev)
	r.Query = decodeQuery(ev)
	b, err := decodeBody(ev.Body, ev.IsBase64Encoded)
	if err != nil {
		return nil, err
	}
	r.Body = b
	return r, nil
}

// decodeBody returns the request body: base64-decoded if API Gateway encoded
// it, nil if empty.
func decodeBody(body string, isBase64 bool) ([]byte, error) {
	if isBase64 {
		b, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return nil, BadRequest("the request body is not valid base64")
		}
		return b, nil
	}
	if body != "" {
		return []byte(body), nil
	}
	return nil, nil
}

func decodeHeaders(ev *events.APIGatewayProxyRequest) http.Header {
	h := make(http.Header, max(len(ev.MultiValueHeaders), len(ev.Headers)))
	if len(ev.MultiValueHeaders) > 0 {
		for k, vs := range ev.MultiValueHeaders {
			ck := textproto.CanonicalMIMEHeaderKey(k)
			h[ck] = append(h[ck], vs...)
		}
		return h
	}
	for k, v := range ev.Headers {
		ck := textproto.CanonicalMIMEHeaderKey(k)
		h[ck] = append(h[ck], v)
	}
	return h
}

func decodeQuery(ev *events.APIGatewayProxyRequest) url.Values {
	q := make(url.Values, max(len(ev.MultiValueQueryStringParameters), len(ev.QueryStringParameters)))
	if len(ev.MultiValueQueryStringParameters) > 0 {
		for k, vs := range ev.MultiValueQueryStringParameters {
			q[k] = append(q[k], vs...)
		}
		return q
	}
	for k, v := range ev.QueryStringParameters {
		q[k] = append(q[k], v)
	}
	return q
}
