package framework

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"sync"

	"github.com/aws/aws-lambda-go/events"
)

// The dispatch fast path for REST API proxy events (payload format 1.0).
//
// encoding/json decodes the whole event by reflection: every header twice
// (headers and multiValueHeaders), the whole requestContext, each string
// copied. The fast path reads the payload once with a validating scanner,
// keeps every string as a substring of one copy of the payload, decodes only
// what views see (method, resource, path parameters, query, headers, stage
// variables, body), and decodes the full events.APIGatewayProxyRequest only
// if the view asks for it (Request.Event, Claims, Principal,
// AuthorizerContext). For any input it cannot decode exactly as
// encoding/json would (see jsonScanner), it declines and the event takes
// the encoding/json path; a differential fuzz test (FuzzRESTFastPath) holds
// the two to the same results.

// restFields are the fields of events.APIGatewayProxyRequest, as
// encoding/json decodes them.
var restFields = []jsonField{
	restResource:    {name: "resource", kind: fieldString},
	restPath:        {name: "path", kind: fieldString},
	restMethod:      {name: "httpMethod", kind: fieldString},
	restHeaders:     {name: "headers", kind: fieldStringMap},
	restMultiHdrs:   {name: "multiValueHeaders", kind: fieldStringsMap},
	restQuery:       {name: "queryStringParameters", kind: fieldStringMap},
	restMultiQuery:  {name: "multiValueQueryStringParameters", kind: fieldStringsMap},
	restPathParams:  {name: "pathParameters", kind: fieldStringMap},
	restStageVars:   {name: "stageVariables", kind: fieldStringMap},
	restContext:     {name: "requestContext", kind: fieldStruct, sub: restContextFields},
	restBody:        {name: "body", kind: fieldString},
	restIsBase64Enc: {name: "isBase64Encoded", kind: fieldBool},
}

const (
	restResource = iota
	restPath
	restMethod
	restHeaders
	restMultiHdrs
	restQuery
	restMultiQuery
	restPathParams
	restStageVars
	restContext
	restBody
	restIsBase64Enc
)

// restContextFields are the fields of events.APIGatewayProxyRequestContext.
var restContextFields = []jsonField{
	{name: "accountId"}, {name: "resourceId"}, {name: "operationName"}, {name: "stage"},
	{name: "domainName"}, {name: "domainPrefix"}, {name: "requestId"}, {name: "extendedRequestId"},
	{name: "protocol"},
	{name: "identity", kind: fieldStruct, sub: identityFields},
	restContextResourcePath: {name: "resourcePath"},
	{name: "path"},
	{name: "authorizer", kind: fieldAnyMap},
	{name: "httpMethod"}, {name: "requestTime"},
	{name: "requestTimeEpoch", kind: fieldInt64},
	{name: "apiId"},
}

const restContextResourcePath = 10

// identityFields are the fields of events.APIGatewayRequestIdentity.
var identityFields = []jsonField{
	{name: "cognitoIdentityPoolId"}, {name: "accountId"}, {name: "cognitoIdentityId"},
	{name: "caller"}, {name: "apiKey"}, {name: "apiKeyId"}, {name: "accessKey"}, {name: "sourceIp"},
	{name: "cognitoAuthenticationType"}, {name: "cognitoAuthenticationProvider"},
	{name: "userArn"}, {name: "userAgent"}, {name: "user"},
	{name: "clientCert", kind: fieldStruct, sub: clientCertFields},
}

var clientCertFields = []jsonField{
	{name: "clientCertPem"}, {name: "issuerDN"}, {name: "serialNumber"}, {name: "subjectDN"},
	{name: "validity", kind: fieldStruct, sub: []jsonField{{name: "notAfter"}, {name: "notBefore"}}},
}

// restEvent is what the fast path reads from a REST proxy event. Maps are
// kept as the offsets of their values in raw (-1: absent or null) and
// decoded once the route is known.
type restEvent struct {
	raw             string
	resource        string
	method          string
	contextResource string
	body            string
	isBase64        bool
	maps            [restStageVars + 1]int // offsets, by field index
	entries         [restStageVars + 1]int // number of keys
	values          [restStageVars + 1]int // number of values (the []string maps)
}

// decodeREST reads a REST proxy event. It returns false for anything
// encoding/json must decode: invalid JSON, a value of the wrong type, a
// field given twice or in another case, a string it cannot return as is.
func decodeREST(payload string) (*restEvent, bool) {
	ev := &restEvent{raw: payload}
	for i := range ev.maps {
		ev.maps[i] = -1
	}
	d := &jsonScanner{s: payload}
	if d.peek() != '{' {
		return nil, false
	}
	var seen uint32
	ok := d.object(func(key string) bool {
		f := lookupField(restFields, key)
		if f < 0 {
			if foldsToField(restFields, key) {
				return d.fail()
			}
			if key == "version" && d.peek() == '"' && strings.HasPrefix(d.s[d.i:], `"2.0"`) {
				return d.fail() // payload format 2.0 (HTTP APIs) is not this decoder's
			}
			return d.skip(1)
		}
		if seen&(1<<f) != 0 {
			return d.fail() // encoding/json merges repeated maps: leave it to it
		}
		seen |= 1 << f
		switch restFields[f].kind {
		case fieldString:
			v, _, ok := d.stringField()
			switch f {
			case restResource:
				ev.resource = v
			case restMethod:
				ev.method = v
			case restBody:
				ev.body = v
			}
			return ok
		case fieldBool:
			v, _, ok := d.boolField()
			ev.isBase64 = v
			return ok
		case fieldStruct:
			v, ok := d.validateStruct(restContextFields, restContextResourcePath, 1)
			ev.contextResource = v
			return ok
		default:
			if d.null() {
				return true
			}
			ev.maps[f] = d.i
			ev.entries[f], ev.values[f] = d.countMap(restFields[f].kind == fieldStringsMap)
			return !d.bail
		}
	})
	if !ok || !d.end() {
		return nil, false
	}
	return ev, true
}

// countMap validates a map[string]string (or, with multi, a
// map[string][]string) and counts its keys and values.
func (d *jsonScanner) countMap(multi bool) (entries, values int) {
	if d.peek() != '{' {
		d.fail()
		return 0, 0
	}
	d.object(func(string) bool {
		entries++
		if !multi {
			values++
			_, _, ok := d.stringField()
			return ok
		}
		if d.null() {
			return true
		}
		if d.peek() != '[' {
			return d.fail()
		}
		return d.array(func() bool {
			values++
			_, _, ok := d.stringField()
			return ok
		})
	})
	return entries, values
}

// eachString calls f with each key and value of the map[string]string at
// ev.maps[field] (null values as "").
func (ev *restEvent) eachString(field int, f func(k, v string) bool) bool {
	d := &jsonScanner{s: ev.raw, i: ev.maps[field]}
	return d.object(func(k string) bool {
		v, _, _ := d.stringField()
		return f(k, v)
	})
}

// eachStrings calls f with each key and values of the map[string][]string at
// ev.maps[field]; the values are cut from buf, which must hold them all.
func (ev *restEvent) eachStrings(field int, buf []string, f func(k string, vs []string) bool) bool {
	d := &jsonScanner{s: ev.raw, i: ev.maps[field]}
	return d.object(func(k string) bool {
		var vs []string
		if !d.null() {
			start := len(buf)
			d.array(func() bool {
				v, _, _ := d.stringField()
				buf = append(buf, v)
				return true
			})
			vs = buf[start:len(buf):len(buf)]
		}
		return f(k, vs)
	})
}

// stringMap decodes a map[string]string field: nil when absent or null.
func (ev *restEvent) stringMap(field int) (map[string]string, bool) {
	return stringMapAt(ev.raw, ev.maps[field], ev.entries[field])
}

// stringMapAt decodes the map[string]string of n keys at offset off of raw
// (nil for an offset of -1: absent or null). A key given twice declines.
func stringMapAt(raw string, off, n int) (map[string]string, bool) {
	if off < 0 {
		return nil, true
	}
	m := make(map[string]string, n)
	d := &jsonScanner{s: raw, i: off}
	ok := d.object(func(k string) bool {
		v, _, _ := d.stringField()
		if _, dup := m[k]; dup {
			return false
		}
		m[k] = v
		return true
	})
	return m, ok
}

// contentType finds the request's Content-Type as view.unsupportedType
// does: the headers' value, else the last of multiValueHeaders'. Two keys
// that differ only in case make that depend on map order: the fast path
// declines.
func (ev *restEvent) contentType() (string, bool) {
	ct, n := "", 0
	if ev.maps[restHeaders] >= 0 {
		ev.eachString(restHeaders, func(k, v string) bool {
			if strings.EqualFold(k, "Content-Type") {
				ct, n = v, n+1
			}
			return true
		})
	}
	if n > 1 {
		return "", false
	}
	if ct == "" && ev.maps[restMultiHdrs] >= 0 {
		n = 0
		d := &jsonScanner{s: ev.raw, i: ev.maps[restMultiHdrs]}
		d.object(func(k string) bool {
			match := strings.EqualFold(k, "Content-Type")
			if match {
				n++
			}
			if d.null() {
				return true
			}
			return d.array(func() bool {
				if v, _, _ := d.stringField(); match {
					ct = v
				}
				return true
			})
		})
		if n > 1 {
			return "", false
		}
	}
	if ct == "" {
		ct = contentTypeJSON
	}
	return ct, true
}

// headers builds Request.Headers as decodeHeaders does.
func (ev *restEvent) headers() (http.Header, bool) {
	h, ok := ev.valuesMap(restMultiHdrs, restHeaders, true)
	return http.Header(h), ok
}

// query builds Request.Query as decodeQuery does.
func (ev *restEvent) query() (url.Values, bool) {
	q, ok := ev.valuesMap(restMultiQuery, restQuery, false)
	return url.Values(q), ok
}

// valuesMap builds a map[string][]string from the multi-value field multi
// when it has keys, else from the single-value field single, with keys made
// canonical header keys when canonical. Keys that collide (once canonical)
// make the order of values depend on map order: the fast path declines.
func (ev *restEvent) valuesMap(multi, single int, canonical bool) (map[string][]string, bool) {
	m := make(map[string][]string, max(ev.entries[multi], ev.entries[single]))
	if ev.maps[multi] >= 0 && ev.entries[multi] > 0 {
		buf := make([]string, 0, ev.values[multi])
		ok := ev.eachStrings(multi, buf, func(k string, vs []string) bool {
			if canonical {
				k = canonicalHeaderKey(k)
			}
			if _, dup := m[k]; dup {
				return false
			}
			if len(vs) == 0 {
				vs = nil // append(nil, empty...) in decodeHeaders and decodeQuery
			}
			m[k] = vs
			return true
		})
		return m, ok
	}
	if ev.maps[single] < 0 {
		return m, true
	}
	buf := make([]string, ev.entries[single])
	i := 0
	ok := ev.eachString(single, func(k, v string) bool {
		if canonical {
			k = canonicalHeaderKey(k)
		}
		if _, dup := m[k]; dup {
			return false
		}
		buf[i] = v
		m[k] = buf[i : i+1 : i+1]
		i++
		return true
	})
	return m, ok
}

// serveREST is the fast path of apiHandler.Invoke. ok is false when the
// event must take the encoding/json path (then nothing has run).
func (a *App) serveREST(ctx context.Context, payload []byte) (out []byte, ok bool) {
	ev, ok := decodeREST(string(payload))
	if !ok {
		return nil, false
	}
	resource := ev.contextResource
	if resource == "" {
		resource = ev.resource
	}
	if resource == "" || ev.method == "" {
		return nil, false // the encoding/json path words the error
	}
	v := a.fastView(resource, upperMethod(ev.method))
	if v == nil {
		return nil, false
	}
	ct, ok := ev.contentType()
	if !ok {
		return nil, false
	}
	req, ok := ev.request(ctx, resource)
	if !ok {
		return nil, false
	}
	return appendProxyResponse(nil, a.runFast(v, req, ct, ev.body, ev.isBase64)), true
}

// fastView is the view of method on resource, nil when the fast paths
// must leave the event to the encoding/json path (which words the 403).
func (a *App) fastView(resource, method string) *view {
	r := a.router.byPath[resource]
	if r == nil {
		return nil
	}
	return r.views[method]
}

// runFast runs view v on req, all but whose body is decoded, as the
// encoding/json paths do: 415 for a Content-Type ct the view does not
// accept, 400 for a body that is not valid base64, then the view, and the
// route's CORS headers on whatever it answers.
func (a *App) runFast(v *view, req *Request, ct, body string, isBase64 bool) *events.APIGatewayProxyResponse {
	var resp *events.APIGatewayProxyResponse
	if e := v.unsupportedContentType(ct); e != nil {
		resp = errorResponse(e, nil)
	} else if b, err := decodeBody(body, isBase64); err != nil {
		e, _ := asHTTPError(err)
		resp = errorResponse(e, nil)
	} else {
		req.Body = b
		resp = a.runView(v, req)
	}
	v.addCORS(resp)
	return resp
}

// request builds the view's Request, all but its body.
func (ev *restEvent) request(ctx context.Context, resource string) (*Request, bool) {
	fr := &struct {
		req  Request
		lazy lazyEvent[events.APIGatewayProxyRequest]
	}{}
	fr.lazy.raw = ev.raw
	r := &fr.req
	*r = Request{Method: ev.method, Path: resource, ctx: ctx, lazy: &fr.lazy}
	var ok bool
	if r.PathParams, ok = ev.stringMap(restPathParams); !ok {
		return nil, false
	}
	if r.PathParams == nil {
		r.PathParams = map[string]string{}
	}
	if r.StageVars, ok = ev.stringMap(restStageVars); !ok {
		return nil, false
	}
	if r.Headers, ok = ev.headers(); !ok {
		return nil, false
	}
	if r.Query, ok = ev.query(); !ok {
		return nil, false
	}
	return r, true
}

// upperMethod is strings.ToUpper without an allocation for the usual
// upper-case method.
func upperMethod(m string) string {
	for i := 0; i < len(m); i++ {
		if c := m[i]; c >= 'a' && c <= 'z' || c >= 0x80 {
			return strings.ToUpper(m)
		}
	}
	return m
}

// lazyEvent decodes the full event (an events.APIGatewayProxyRequest or
// events.APIGatewayV2HTTPRequest) with encoding/json the first time a view
// asks for it.
type lazyEvent[T any] struct {
	once sync.Once
	raw  string
	ev   *T
}

func (l *lazyEvent[T]) event() *T {
	l.once.Do(func() {
		l.ev = new(T)
		// The fast path accepted the payload, so encoding/json decodes it.
		if err := json.Unmarshal([]byte(l.raw), l.ev); err != nil {
			panic(fmt.Sprintf("gochalice: the fast path accepted an event encoding/json rejects: %v", err))
		}
	})
	return l.ev
}

// canonicalHeaderKey is textproto.CanonicalMIMEHeaderKey, without an
// allocation for the headers browsers and API Gateway send in lower or
// mixed case.
func canonicalHeaderKey(k string) string {
	if len(k) > 0 && len(k) <= 40 {
		var buf [40]byte
		upper := true
		for i := 0; i < len(k); i++ {
			c := k[i]
			if c >= 0x80 || c == ' ' {
				return textproto.CanonicalMIMEHeaderKey(k)
			}
			if upper && c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			} else if !upper && c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
			upper = c == '-'
		}
		if c, ok := commonHeaders[string(buf[:len(k)])]; ok {
			return c
		}
	}
	return textproto.CanonicalMIMEHeaderKey(k)
}

// commonHeaders are canonical header names, interned.
var commonHeaders = func() map[string]string {
	m := map[string]string{}
	for _, h := range []string{
		"Accept", "Accept-Encoding", "Accept-Language", "Authorization", "Cache-Control",
		"Cloudfront-Forwarded-Proto", "Cloudfront-Is-Desktop-Viewer", "Cloudfront-Is-Mobile-Viewer",
		"Cloudfront-Is-Smarttv-Viewer", "Cloudfront-Is-Tablet-Viewer", "Cloudfront-Viewer-Asn",
		"Cloudfront-Viewer-Country", "Connection", "Content-Length", "Content-Type", "Cookie",
		"Dnt", "Host", "If-Modified-Since", "If-None-Match", "Origin", "Pragma", "Priority", "Referer",
		"Sec-Ch-Ua", "Sec-Ch-Ua-Mobile", "Sec-Ch-Ua-Platform", "Sec-Fetch-Dest", "Sec-Fetch-Mode",
		"Sec-Fetch-Site", "Sec-Fetch-User", "Upgrade-Insecure-Requests", "User-Agent", "Via",
		"X-Amz-Cf-Id", "X-Amz-Date", "X-Amz-Security-Token", "X-Amzn-Trace-Id", "X-Api-Key",
		"X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto", "X-Requested-With",
	} {
		m[h] = h
	}
	return m
}()
