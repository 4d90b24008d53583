package framework

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// This file serves HTTP API (API Gateway v2) events, payload format 2.0, for
// the same views as REST proxy events (payload 1.0). The payload version is
// read from each event (its top-level "version"), never from configuration,
// so one bootstrap serves a REST stage and an HTTP stage alike.

// payloadV2 is the version field of a payload format 2.0 event.
const payloadV2 = "2.0"

// isV2Event reports whether payload is a JSON object whose top-level
// "version" is "2.0". It scans the top level only, without allocating: a
// header or body that mentions a version does not count.
func isV2Event(payload []byte) bool {
	if !bytes.Contains(payload, versionKey) {
		return false // a REST proxy event: no "version" anywhere
	}
	v, ok := topLevelString(payload, "version")
	return ok && v == payloadV2
}

var versionKey = []byte(`"version"`)

// topLevelString returns the value of key in the top-level JSON object of
// data when it is a string without escapes. It returns false when data is
// not an object, the key is absent or its value is not such a string.
func topLevelString(data []byte, key string) (string, bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return "", false
	}
	i++
	for {
		i = skipSpace(data, i)
		if i >= len(data) || data[i] != '"' {
			return "", false
		}
		kEnd := skipString(data, i)
		if kEnd < 0 {
			return "", false
		}
		k := data[i+1 : kEnd-1]
		i = skipSpace(data, kEnd)
		if i >= len(data) || data[i] != ':' {
			return "", false
		}
		i = skipSpace(data, i+1)
		vStart := i
		i = skipValue(data, i)
		if i < 0 {
			return "", false
		}
		if string(k) == key {
			v := data[vStart:i]
			if len(v) < 2 || v[0] != '"' || strings.IndexByte(string(v[1:len(v)-1]), '\\') >= 0 {
				return "", false
			}
			return string(v[1 : len(v)-1]), true
		}
		i = skipSpace(data, i)
		if i >= len(data) || data[i] != ',' {
			return "", false
		}
		i++
	}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at data[i] ('"'),
// or -1 when it is unterminated.
func skipString(data []byte, i int) int {
	for j := i + 1; j < len(data); {
		k := bytes.IndexByte(data[j:], '"')
		if k < 0 {
			return -1
		}
		q := j + k
		n := 0 // backslashes right before the quote
		for n < q-i-1 && data[q-1-n] == '\\' {
			n++
		}
		if n%2 == 0 {
			return q + 1
		}
		j = q + 1
	}
	return -1
}

// skipValue returns the index after the JSON value starting at data[i], or
// -1 when it is malformed. Scalars are skipped to the next delimiter;
// json.Unmarshal validates them afterwards.
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return -1
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				j = skipString(data, j)
				if j < 0 {
					return -1
				}
				j--
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(data) && data[j] != ',' && data[j] != '}' && data[j] != ']' && data[j] != ' ' && data[j] != '\n' && data[j] != '\r' && data[j] != '\t' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// invokeV2 serves an HTTP API event (payload format 2.0).
func (h apiHandler) invokeV2(ctx context.Context, payload []byte) ([]byte, error) {
	if out, ok := h.app.serveHTTPAPI(ctx, payload); ok {
		return out, nil // fastevent2.go
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, fmt.Errorf("api_handler: the event is not an API Gateway HTTP API event (payload format 2.0): %w", err)
	}
	resp, err := h.app.serveEventV2(ctx, &ev)
	if err != nil {
		return nil, err
	}
	return appendV2Response(nil, toV2Response(resp)), nil
}

// serveEventV2 dispatches an HTTP API event on its route key: the method of
// requestContext.http and the resource pattern of "METHOD /path/{capture}".
// A $default route key falls back to matching rawPath.
func (a *App) serveEventV2(ctx context.Context, ev *events.APIGatewayV2HTTPRequest) (*events.APIGatewayProxyResponse, error) {
	method := strings.ToUpper(ev.RequestContext.HTTP.Method)
	routeKey := ev.RouteKey
	if routeKey == "" {
		routeKey = ev.RequestContext.RouteKey
	}
	if method == "" || routeKey == "" {
		return nil, fmt.Errorf("api_handler: the event has no routeKey or requestContext.http.method; expected an API Gateway HTTP API event (payload format 2.0)")
	}
	var r *route
	resource := ""
	params := ev.PathParameters
	if _, p, ok := strings.Cut(routeKey, " "); ok {
		resource = p
		r = a.router.byPath[resource]
	} else {
		path := ev.RawPath
		if path == "" {
			path = ev.RequestContext.HTTP.Path
		}
		r, params = a.router.match(path)
		resource = path
		if r != nil {
			resource = r.path
		}
	}
	if r == nil || len(r.views) == 0 {
		a.reportf(ctx, nil, "no route for route key %s (is the deployed template from the same build as the bootstrap?)", routeKey)
		return errorResponse(NotFound(fmt.Sprintf("No route for %s", resource)).(*Error), nil), nil
	}
	v := r.views[method]
	if v == nil {
		allow := strings.Join(r.methods(), ", ")
		e := MethodNotAllowed(fmt.Sprintf("Method %s is not allowed on %s; allowed: %s", method, resource, allow)).(*Error)
		return errorResponse(e, map[string]string{"Allow": allow}), nil
	}
	var resp *events.APIGatewayProxyResponse
	if e := v.unsupportedContentType(headerValue(ev.Headers, "content-type")); e != nil {
		resp = errorResponse(e, nil)
	} else if req, err := newRequestV2(ctx, ev, method, resource, params); err != nil {
		e, _ := asHTTPError(err)
		resp = errorResponse(e, nil)
	} else {
		resp = a.runView(v, req)
	}
	v.addCORS(resp)
	return resp, nil
}

// headerValue looks a header up case-insensitively in an event's headers.
func headerValue(h map[string]string, name string) string {
	if v, ok := h[name]; ok {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// newRequestV2 decodes an HTTP API event. API Gateway sends header names in
// lower case and joins repeated headers with commas; they are kept as one
// value each (splitting on commas would break dates and quoted values). The
// query comes from rawQueryString, which keeps repeated keys apart and
// commas inside values intact. Cookies come as their own list and are
// restored as one Cookie header.
func newRequestV2(ctx context.Context, ev *events.APIGatewayV2HTTPRequest, method, resource string, params map[string]string) (*Request, error) {
	r := &Request{
		Method:     method,
		Path:       resource,
		PathParams: params,
		StageVars:  ev.StageVariables,
		ctx:        ctx,
		eventV2:    ev,
	}
	if r.PathParams == nil {
		r.PathParams = map[string]string{}
	}
	r.Headers = make(http.Header, len(ev.Headers)+1)
	for k, v := range ev.Headers {
		ck := textproto.CanonicalMIMEHeaderKey(k)
		r.Headers[ck] = append(r.Headers[ck], v)
	}
	if len(ev.Cookies) > 0 {
		r.Headers["Cookie"] = []string{strings.Join(ev.Cookies, "; ")}
	}
	r.Query = decodeQueryV2(ev)
	if ev.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(ev.Body)
		if err != nil {
			return nil, BadRequest("the request body is not valid base64")
		}
		r.Body = b
	} else if ev.Body != "" {
		r.Body = []byte(ev.Body)
	}
	return r, nil
}

// decodeQueryV2 parses rawQueryString; without one (a hand-made event) it
// takes queryStringParameters, one value per key, unsplit: API Gateway
// joins repeated keys there with commas, which cannot be told apart from a
// comma inside a value.
func decodeQueryV2(ev *events.APIGatewayV2HTTPRequest) url.Values {
	if ev.RawQueryString != "" {
		if q, err := url.ParseQuery(ev.RawQueryString); err == nil {
			return q
		}
	}
	q := make(url.Values, len(ev.QueryStringParameters))
	for k, v := range ev.QueryStringParameters {
		q[k] = []string{v}
	}
	return q
}

// toV2Response turns a view's response into the payload 2.0 response:
// Set-Cookie values go to cookies, other multi-value headers are joined
// with commas (the 2.0 format has no multiValueHeaders).
func toV2Response(r *events.APIGatewayProxyResponse) *events.APIGatewayV2HTTPResponse {
	out := &events.APIGatewayV2HTTPResponse{
		StatusCode:      r.StatusCode,
		Headers:         r.Headers,
		Body:            r.Body,
		IsBase64Encoded: r.IsBase64Encoded,
	}
	if out.Headers == nil {
		out.Headers = map[string]string{}
	}
	for k, v := range out.Headers {
		if strings.EqualFold(k, "Set-Cookie") {
			out.Cookies = append(out.Cookies, v)
			delete(out.Headers, k)
		}
	}
	for k, vs := range r.MultiValueHeaders {
		if strings.EqualFold(k, "Set-Cookie") {
			out.Cookies = append(out.Cookies, vs...)
			continue
		}
		if len(vs) == 0 {
			continue
		}
		joined := strings.Join(vs, ",")
		if cur, ok := out.Headers[k]; ok {
			joined = cur + "," + joined
		}
		out.Headers[k] = joined
	}
	return out
}

// EventV2 returns the HTTP API event (payload format 2.0) the request was
// decoded from, or nil when it came from a REST proxy event (see Event). Do
// not modify it.
func (r *Request) EventV2() *events.APIGatewayV2HTTPRequest {
	if r.lazyV2 != nil {
		return r.lazyV2.event()
	}
	return r.eventV2
}

// Cookies parses the request's Cookie header: the cookies of either payload
// format (2.0 sends them as their own list).
func (r *Request) Cookies() []*http.Cookie {
	var out []*http.Cookie
	for _, line := range r.Headers.Values("Cookie") {
		cs, err := http.ParseCookie(line)
		if err != nil {
			continue
		}
		out = append(out, cs...)
	}
	return out
}
