package framework

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// The dispatch fast path for HTTP API events (payload format 2.0), as
// fastevent.go is for REST proxy events: one validating pass over the
// payload, only what views see decoded, the full
// events.APIGatewayV2HTTPRequest decoded when a view asks for it
// (EventV2, Claims, Principal, AuthorizerContext), the response written
// without reflection. Anything else (a $default route key, an unknown route
// or method, input encoding/json would decode differently) takes apiv2.go's
// encoding/json path; FuzzHTTPAPIFastPath compares the two.

// v2Fields are the fields of events.APIGatewayV2HTTPRequest.
var v2Fields = []jsonField{
	v2Version:    {name: "version"},
	v2RouteKey:   {name: "routeKey"},
	v2RawPath:    {name: "rawPath"},
	v2RawQuery:   {name: "rawQueryString"},
	v2Cookies:    {name: "cookies", kind: fieldStrings},
	v2Headers:    {name: "headers", kind: fieldStringMap},
	v2Query:      {name: "queryStringParameters", kind: fieldStringMap},
	v2PathParams: {name: "pathParameters", kind: fieldStringMap},
	v2Context:    {name: "requestContext", kind: fieldStruct},
	v2StageVars:  {name: "stageVariables", kind: fieldStringMap},
	v2Body:       {name: "body"},
	v2IsBase64:   {name: "isBase64Encoded", kind: fieldBool},
}

const (
	v2Version = iota
	v2RouteKey
	v2RawPath
	v2RawQuery
	v2Cookies
	v2Headers
	v2Query
	v2PathParams
	v2Context
	v2StageVars
	v2Body
	v2IsBase64
)

// v2ContextFields are the fields of events.APIGatewayV2HTTPRequestContext.
var v2ContextFields = []jsonField{
	v2CtxRouteKey: {name: "routeKey"},
	{name: "accountId"}, {name: "stage"}, {name: "requestId"},
	{name: "authorizer", kind: fieldStruct, sub: []jsonField{
		{name: "jwt", kind: fieldStruct, sub: []jsonField{{name: "claims", kind: fieldStringMap}, {name: "scopes", kind: fieldStrings}}},
		{name: "lambda", kind: fieldAnyMap},
		{name: "iam", kind: fieldStruct, sub: []jsonField{
			{name: "accessKey"}, {name: "accountId"}, {name: "callerId"},
			{name: "cognitoIdentity", kind: fieldStruct, sub: []jsonField{{name: "amr", kind: fieldStrings}, {name: "identityId"}, {name: "identityPoolId"}}},
			{name: "principalOrgId"}, {name: "userArn"}, {name: "userId"},
		}},
	}},
	{name: "apiId"}, {name: "domainName"}, {name: "domainPrefix"}, {name: "time"},
	{name: "timeEpoch", kind: fieldInt64},
	v2CtxHTTP: {name: "http", kind: fieldStruct, sub: []jsonField{{name: "method"}, {name: "path"}, {name: "protocol"}, {name: "sourceIp"}, {name: "userAgent"}}},
	{name: "authentication", kind: fieldStruct, sub: []jsonField{{name: "clientCert", kind: fieldStruct, sub: clientCertFields}}},
}

const (
	v2CtxRouteKey = 0
	v2CtxHTTP     = 11
)

// v2Event is what the fast path reads from an HTTP API event.
type v2Event struct {
	raw          string
	routeKey     string // top level
	ctxRouteKey  string // requestContext.routeKey
	method       string // requestContext.http.method
	rawQuery     string
	body         string
	isBase64     bool
	cookies      int // offset of the cookies array, -1 if absent or null
	cookieCount  int
	maps         [v2StageVars + 1]int // offsets of the map fields, -1 if absent or null
	entries      [v2StageVars + 1]int
	headersFound bool
}

// decodeV2 reads an HTTP API event; false means encoding/json must.
func decodeV2(payload string) (*v2Event, bool) {
	ev := &v2Event{raw: payload, cookies: -1}
	for i := range ev.maps {
		ev.maps[i] = -1
	}
	d := &jsonScanner{s: payload}
	if d.peek() != '{' {
		return nil, false
	}
	var seen uint32
	ok := d.object(func(key string) bool {
		f := lookupField(v2Fields, key)
		if f < 0 {
			if foldsToField(v2Fields, key) {
				return d.fail()
			}
			return d.skip(1)
		}
		if seen&(1<<f) != 0 {
			return d.fail() // repeated: encoding/json merges; leave it to it
		}
		seen |= 1 << f
		switch v2Fields[f].kind {
		case fieldString:
			v, _, ok := d.stringField()
			switch f {
			case v2RouteKey:
				ev.routeKey = v
			case v2RawQuery:
				ev.rawQuery = v
			case v2Body:
				ev.body = v
			}
			return ok
		case fieldBool:
			v, _, ok := d.boolField()
			ev.isBase64 = v
			return ok
		case fieldStrings:
			if d.peek() == '[' {
				ev.cookies = d.i
			}
			n, ok := d.stringsField()
			ev.cookieCount = n
			return ok
		case fieldStruct:
			return d.v2Context(ev)
		default:
			if d.null() {
				return true
			}
			ev.maps[f] = d.i
			ev.entries[f], _ = d.countMap(false)
			return !d.bail
		}
	})
	if !ok || !d.end() {
		return nil, false
	}
	return ev, true
}

// v2Context reads requestContext, keeping its routeKey and http.method.
func (d *jsonScanner) v2Context(ev *v2Event) bool {
	if d.null() {
		return true
	}
	if d.peek() != '{' {
		return d.fail()
	}
	var seen uint32
	return d.object(func(key string) bool {
		f := lookupField(v2ContextFields, key)
		if f < 0 {
			if foldsToField(v2ContextFields, key) {
				return d.fail()
			}
			return d.skip(2)
		}
		if f == v2CtxRouteKey || f == v2CtxHTTP {
			if seen&(1<<f) != 0 {
				return d.fail()
			}
			seen |= 1 << f
		}
		switch f {
		case v2CtxRouteKey:
			v, _, ok := d.stringField()
			ev.ctxRouteKey = v
			return ok
		case v2CtxHTTP:
			v, ok := d.validateStruct(v2ContextFields[f].sub, 0, 2)
			ev.method = v
			return ok
		}
		_, _, ok := d.field(v2ContextFields[f], 1)
		return ok
	})
}

// serveHTTPAPI is the fast path of apiHandler.invokeV2. ok is false when
// the event must take the encoding/json path (then nothing has run).
func (a *App) serveHTTPAPI(ctx context.Context, payload []byte) (out []byte, ok bool) {
	ev, ok := decodeV2(string(payload))
	if !ok {
		return nil, false
	}
	method := upperMethod(ev.method)
	routeKey := ev.routeKey
	if routeKey == "" {
		routeKey = ev.ctxRouteKey
	}
	_, resource, isRoute := strings.Cut(routeKey, " ")
	if method == "" || !isRoute {
		return nil, false // no route key, or $default: apiv2.go
	}
	v := a.fastView(resource, method)
	if v == nil {
		return nil, false
	}
	req, ct, ok := ev.request(ctx, method, resource)
	if !ok {
		return nil, false
	}
	return appendV2Response(nil, toV2Response(a.runFast(v, req, ct, ev.body, ev.isBase64))), true
}

// request builds the view's Request but its body, and returns the
// Content-Type as headerValue finds it. Header keys that collide once
// canonical, or that match Content-Type only case-insensitively more than
// once, make the encoding/json path depend on map order: declined.
func (ev *v2Event) request(ctx context.Context, method, resource string) (*Request, string, bool) {
	fr := &struct {
		req  Request
		lazy lazyEvent[events.APIGatewayV2HTTPRequest]
	}{}
	fr.lazy.raw = ev.raw
	r := &fr.req
	*r = Request{Method: method, Path: resource, ctx: ctx, lazyV2: &fr.lazy}
	var ok bool
	if r.PathParams, ok = ev.stringMap(v2PathParams); !ok {
		return nil, "", false
	}
	if r.PathParams == nil {
		r.PathParams = map[string]string{}
	}
	if r.StageVars, ok = ev.stringMap(v2StageVars); !ok {
		return nil, "", false
	}
	r.Headers = make(http.Header, ev.entries[v2Headers]+1)
	ct, exact, folded := "", false, 0
	if ev.maps[v2Headers] >= 0 {
		buf := make([]string, ev.entries[v2Headers])
		i := 0
		d := &jsonScanner{s: ev.raw, i: ev.maps[v2Headers]}
		ok = d.object(func(k string) bool {
			v, _, _ := d.stringField()
			ck := canonicalHeaderKey(k)
			if _, dup := r.Headers[ck]; dup {
				return false
			}
			buf[i] = v
			r.Headers[ck] = buf[i : i+1 : i+1]
			i++
			switch {
			case k == "content-type":
				ct, exact = v, true
			case !exact && strings.EqualFold(k, "content-type"):
				ct, folded = v, folded+1
			}
			return true
		})
		if !ok || !exact && folded > 1 {
			return nil, "", false
		}
	}
	if ev.cookieCount > 0 {
		var b strings.Builder
		d := &jsonScanner{s: ev.raw, i: ev.cookies}
		n := 0
		d.array(func() bool {
			v, _, _ := d.stringField()
			if n > 0 {
				b.WriteString("; ")
			}
			b.WriteString(v)
			n++
			return true
		})
		r.Headers["Cookie"] = []string{b.String()}
	}
	r.Query = ev.query()
	return r, ct, true
}

// stringMap decodes a map[string]string field: nil when absent or null.
func (ev *v2Event) stringMap(field int) (map[string]string, bool) {
	return stringMapAt(ev.raw, ev.maps[field], ev.entries[field])
}

// query is decodeQueryV2.
func (ev *v2Event) query() url.Values {
	if ev.rawQuery != "" {
		if q, err := url.ParseQuery(ev.rawQuery); err == nil {
			return q
		}
	}
	q := make(url.Values, ev.entries[v2Query])
	if ev.maps[v2Query] >= 0 {
		d := &jsonScanner{s: ev.raw, i: ev.maps[v2Query]}
		d.object(func(k string) bool {
			v, _, _ := d.stringField()
			q[k] = []string{v}
			return true
		})
	}
	return q
}

// appendV2Response appends resp as json.Marshal encodes it.
func appendV2Response(dst []byte, resp *events.APIGatewayV2HTTPResponse) []byte {
	if dst == nil {
		dst = make([]byte, 0, 96+len(resp.Body)+len(resp.Body)/8)
	}
	dst = appendResponseFields(dst, resp.StatusCode, resp.Headers, resp.MultiValueHeaders, resp.Body, resp.IsBase64Encoded)
	dst = append(dst, `,"cookies":`...)
	if resp.Cookies == nil {
		dst = append(dst, "null"...)
	} else {
		dst = appendStrings(dst, resp.Cookies)
	}
	return append(dst, '}')
}
