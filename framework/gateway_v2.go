package framework

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework/manifest"
)

// This file emulates an HTTP API (API Gateway v2, payload format 2.0), which
// a stage with api_gateway_type "http" deploys. What differs from the REST
// emulation in gateway.go, as HTTP APIs behave:
//
//   - an unknown route (path or method) is 404 {"message":"Not Found"};
//   - CORS is the API's CorsConfiguration, answered by the API itself: a
//     preflight (OPTIONS with Origin and Access-Control-Request-Method) on
//     any path is 204 with the configured headers, and every answer to a
//     request with an allowed Origin carries Access-Control-Allow-Origin;
//   - there are no API keys (a build error on HTTP stages): none are checked;
//   - Cognito authorizers are JWT authorizers: a missing or invalid token
//     (signature with a JWKS, expiry, issuer, audience) is 401
//     {"message":"Unauthorized"}, a token without a route scope is 403
//     {"message":"Forbidden"}; the claims go to
//     requestContext.authorizer.jwt;
//   - built-in authorizers are Lambda authorizers with payload 2.0 and simple
//     responses: a missing identity source is 401, isAuthorized false is 403
//     {"message":"Forbidden"}, an error 500; the answer is cached for the TTL
//     per identity and route key; the context goes to
//     requestContext.authorizer.lambda;
//   - the integration timeout is 30 s (503 {"message":"Service
//     Unavailable"}); a function that exceeds its own shorter timeout fails,
//     which is 500 {"message":"Internal Server Error"}, as is any function
//     error or malformed response;
//   - bodies over 10 MB are 413 {"message":"Request Entity Too Large"};
//   - a body is base64-encoded unless its Content-Type is text (HTTP APIs
//     have no binary media types);
//   - a response without statusCode is 200 application/json with the
//     function's result as the body.

// HTTPIntegrationTimeout is an HTTP API's integration timeout.
const HTTPIntegrationTimeout = 30 * time.Second

// httpIntegrationTimeout is HTTPIntegrationTimeout, shortened by tests.
var httpIntegrationTimeout = HTTPIntegrationTimeout

var (
	v2NotFound     = gatewayError{http.StatusNotFound, "", "Not Found", "message"}
	v2Unauthorized = gatewayError{http.StatusUnauthorized, "", "Unauthorized", "message"}
	v2Forbidden    = gatewayError{http.StatusForbidden, "", "Forbidden", "message"}
	v2TooLarge     = gatewayError{http.StatusRequestEntityTooLarge, "", "Request Entity Too Large", "message"}
	v2Internal     = gatewayError{http.StatusInternalServerError, "", "Internal Server Error", "message"}
	v2Unavailable  = gatewayError{http.StatusServiceUnavailable, "", "Service Unavailable", "message"}
)

// failV2 writes one of an HTTP API's own error answers, with the CORS
// headers the API adds for an allowed origin.
func (g *gateway) failV2(w http.ResponseWriter, r *http.Request, e gatewayError) served {
	g.corsV2(w.Header(), r)
	w.Header().Set("Content-Type", contentTypeJSON)
	w.WriteHeader(e.status)
	b, _ := json.Marshal(map[string]string{e.key: e.message})
	w.Write(b)
	return served{status: e.status}
}

// serveV2 serves a request as an HTTP API does in front of the API
// function.
func (g *gateway) serveV2(w http.ResponseWriter, r *http.Request, body []byte) served {
	if len(body) > MaxPayloadBytes {
		return g.failV2(w, r, v2TooLarge)
	}
	method := strings.ToUpper(r.Method)
	if method == http.MethodOptions && g.httpCORS != nil && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != "" {
		return g.preflightV2(w, r)
	}
	rt, params := g.app.router.match(r.URL.Path)
	if rt == nil || rt.views[method] == nil {
		return g.failV2(w, r, v2NotFound)
	}
	v := rt.views[method]
	ev := g.eventV2(r, rt, params, body)
	if v.front.authorizer != "" {
		if ge, fn := g.authorizeV2(r.Context(), v, r, ev); ge != nil {
			s := g.failV2(w, r, *ge)
			s.function = fn
			return s
		}
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		return g.failV2(w, r, v2Internal)
	}
	out, err := g.invokeV2(r.Context(), manifest.APIHandlerName, payload)
	s := served{function: manifest.APIHandlerName}
	if err != nil {
		ge := v2Internal
		if errors.Is(err, errIntegrationTimeout) {
			ge = v2Unavailable
		} else {
			g.notice("%s %s: the API function failed: %v", r.Method, r.URL.Path, err)
		}
		s.status = g.failV2(w, r, ge).status
		return s
	}
	resp, err := decodeV2Response(out)
	if err != nil {
		g.notice("%s %s: %v", r.Method, r.URL.Path, err)
		s.status = g.failV2(w, r, v2Internal).status
		return s
	}
	g.corsV2(w.Header(), r)
	s.status = writeV2Response(w, resp)
	return s
}

// errIntegrationTimeout is an invocation cut off at the HTTP API's
// integration timeout (rather than at the function's own timeout).
var errIntegrationTimeout = errors.New("the integration timed out")

// invokeV2 runs a function within its own timeout and the HTTP API's
// integration timeout; it reports which one ended it.
func (g *gateway) invokeV2(ctx context.Context, function string, payload []byte) ([]byte, error) {
	t := g.functionTimeout(function)
	integration := t >= httpIntegrationTimeout
	if integration {
		t = httpIntegrationTimeout
	}
	out, err := g.invokeWithin(ctx, function, payload, t)
	if integration && errors.Is(err, context.DeadlineExceeded) {
		return nil, errIntegrationTimeout
	}
	return out, err
}

// httpCORSConfig is the HTTP API's CorsConfiguration, from the app's CORS
// configuration (the template requires one for every route; should routes
// differ, the last path in sorted order wins here).
type httpCORSConfig struct {
	cors    *manifest.CORS
	methods string
}

func newHTTPCORS(a *App) *httpCORSConfig {
	var c *manifest.CORS
	methods := []string{http.MethodOptions}
	for _, path := range slices.Sorted(maps.Keys(a.router.byPath)) {
		rt := a.router.byPath[path]
		for _, m := range rt.methods() {
			if vc := rt.views[m].front.cors; vc != nil {
				c = vc
				methods = append(methods, m)
			}
		}
	}
	if c == nil {
		return nil
	}
	slices.Sort(methods)
	return &httpCORSConfig{cors: c, methods: strings.Join(slices.Compact(methods), ",")}
}

// allowed returns the Access-Control-Allow-Origin value for an Origin, or
// "" when the origin is not allowed.
func (c *httpCORSConfig) allowed(origin string) string {
	switch {
	case origin == "":
		return ""
	case c.cors.AllowOrigin == "*":
		return "*"
	case strings.EqualFold(c.cors.AllowOrigin, origin):
		return c.cors.AllowOrigin
	}
	return ""
}

// corsV2 adds the API's CORS headers to an answer to an allowed origin,
// replacing the function's own.
func (g *gateway) corsV2(h http.Header, r *http.Request) {
	if g.httpCORS == nil {
		return
	}
	o := g.httpCORS.allowed(r.Header.Get("Origin"))
	if o == "" {
		return
	}
	c := g.httpCORS.cors
	h.Del("Access-Control-Allow-Headers")
	h.Del("Access-Control-Allow-Methods")
	h.Del("Access-Control-Max-Age")
	h.Set("Access-Control-Allow-Origin", o)
	if len(c.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(c.ExposeHeaders, ","))
	} else {
		h.Del("Access-Control-Expose-Headers")
	}
	if c.AllowCredentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	} else {
		h.Del("Access-Control-Allow-Credentials")
	}
}

// preflightV2 answers a CORS preflight as an HTTP API with a
// CorsConfiguration does, on any path: 204 and the configured headers
// (none for an origin that is not allowed).
func (g *gateway) preflightV2(w http.ResponseWriter, r *http.Request) served {
	h := w.Header()
	if o := g.httpCORS.allowed(r.Header.Get("Origin")); o != "" {
		c := g.httpCORS.cors
		g.corsV2(h, r)
		h.Set("Access-Control-Allow-Methods", g.httpCORS.methods)
		h.Set("Access-Control-Allow-Headers", strings.ToLower(strings.Join(c.AllowHeaderList(), ",")))
		if c.MaxAge > 0 {
			h.Set("Access-Control-Max-Age", fmt.Sprint(c.MaxAge))
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return served{status: http.StatusNoContent}
}

// eventV2 builds the payload 2.0 event an HTTP API sends for a request.
func (g *gateway) eventV2(r *http.Request, rt *route, params map[string]string, body []byte) *events.APIGatewayV2HTTPRequest {
	now := time.Now().UTC()
	method := strings.ToUpper(r.Method)
	path := r.URL.Path
	if g.cfg.Stage != "$default" {
		path = "/" + g.cfg.Stage + path // HTTP APIs keep a named stage in rawPath
	}
	routeKey := method + " " + rt.path
	ev := &events.APIGatewayV2HTTPRequest{
		Version:        payloadV2,
		RouteKey:       routeKey,
		RawPath:        path,
		RawQueryString: r.URL.RawQuery,
		PathParameters: params,
		StageVariables: maps.Clone(g.cfg.StageVars),
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     routeKey,
			AccountID:    localAccountID,
			Stage:        g.cfg.Stage,
			RequestID:    newRequestID(),
			APIID:        localAPIID,
			DomainName:   r.Host,
			DomainPrefix: strings.Split(r.Host, ".")[0],
			Time:         now.Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:    now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    method,
				Path:      path,
				Protocol:  r.Proto,
				SourceIP:  sourceIP(r),
				UserAgent: r.UserAgent(),
			},
		},
	}
	ev.Headers = make(map[string]string, len(r.Header)+1)
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		if lk == "cookie" {
			for _, line := range vs {
				for c := range strings.SplitSeq(line, ";") {
					if c = strings.TrimSpace(c); c != "" {
						ev.Cookies = append(ev.Cookies, c)
					}
				}
			}
			continue
		}
		ev.Headers[lk] = strings.Join(vs, ",")
	}
	if r.Host != "" {
		ev.Headers["host"] = r.Host
	}
	if r.ContentLength > 0 {
		ev.Headers["content-length"] = strconv.FormatInt(r.ContentLength, 10)
	}
	// What an HTTP API adds: the caller's address, scheme and port.
	ip := sourceIP(r)
	if xff := ev.Headers["x-forwarded-for"]; xff != "" {
		ip = xff + ", " + ip
	}
	ev.Headers["x-forwarded-for"] = ip
	proto, port := "http", "80"
	if r.TLS != nil {
		proto, port = "https", "443"
	}
	if _, p, err := net.SplitHostPort(r.Host); err == nil {
		port = p
	}
	ev.Headers["x-forwarded-proto"], ev.Headers["x-forwarded-port"] = proto, port
	if q, err := url.ParseQuery(r.URL.RawQuery); err == nil && len(q) > 0 {
		ev.QueryStringParameters = make(map[string]string, len(q))
		for k, vs := range q {
			ev.QueryStringParameters[k] = strings.Join(vs, ",")
		}
	}
	if len(body) > 0 {
		if isTextType(r.Header.Get("Content-Type")) {
			ev.Body = string(body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
	}
	return ev
}

// isTextType reports whether an HTTP API passes a body of this content
// type as text; it base64-encodes every other body.
func isTextType(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		mt == "application/json", strings.HasSuffix(mt, "+json"),
		mt == "application/xml", strings.HasSuffix(mt, "+xml"),
		mt == "application/javascript":
		return true
	}
	return false
}

// decodeV2Response reads a function's payload 2.0 response. A JSON object
// with a statusCode is the structured form; any other valid JSON is the
// simplified form: 200, application/json, the result as the body.
func decodeV2Response(out []byte) (*events.APIGatewayV2HTTPResponse, error) {
	if !json.Valid(out) {
		return nil, fmt.Errorf("the API function returned invalid JSON: %.200s", out)
	}
	var probe struct {
		StatusCode *int `json:"statusCode"`
	}
	if json.Unmarshal(out, &probe) != nil || probe.StatusCode == nil {
		return &events.APIGatewayV2HTTPResponse{
			StatusCode: http.StatusOK,
			Headers:    map[string]string{"Content-Type": contentTypeJSON},
			Body:       string(out),
		}, nil
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode < 100 || resp.StatusCode > 599 {
		return nil, fmt.Errorf("the API function returned a malformed payload 2.0 response: %.200s", out)
	}
	return &resp, nil
}

// writeV2Response writes a payload 2.0 response: headers, cookies as
// Set-Cookie, a base64 body decoded. It returns the status written.
func writeV2Response(w http.ResponseWriter, resp *events.APIGatewayV2HTTPResponse) int {
	h := w.Header()
	addHeaderValues(h, resp.MultiValueHeaders)
	for k, v := range resp.Headers {
		h.Set(k, v)
	}
	for _, c := range resp.Cookies {
		h.Add("Set-Cookie", c)
	}
	return writeFunctionBody(w, resp.StatusCode, resp.Body, resp.IsBase64Encoded)
}

// authorizeV2 runs the view's authorizer as an HTTP API would. It returns
// the API's error answer when the request is rejected (and the authorizer
// function's name, for the log), and otherwise fills
// ev.RequestContext.Authorizer.
func (g *gateway) authorizeV2(ctx context.Context, v *view, r *http.Request, ev *events.APIGatewayV2HTTPRequest) (*gatewayError, string) {
	au := g.app.authorizers[v.front.authorizer]
	switch au.spec.Type {
	case manifest.AuthBuiltin:
		return g.lambdaAuthorizeV2(ctx, au, r, ev), au.spec.Name
	case manifest.AuthCognito:
		return g.jwtAuthorize(au, v.front.scopes, r, ev), ""
	}
	return nil, "" // IAM and external authorizers pass through (see notices)
}

// lambdaAuthorizeV2 runs a built-in authorizer as a Lambda authorizer with
// payload 2.0 and simple responses, cached for the TTL per identity and
// route key.
func (g *gateway) lambdaAuthorizeV2(ctx context.Context, au *authorizer, r *http.Request, ev *events.APIGatewayV2HTTPRequest) *gatewayError {
	s := au.spec
	var identity []string
	if s.RequestType == "request" {
		for _, src := range s.IdentitySources {
			v := identityValueV2(src, r, ev)
			if v == "" {
				return &v2Unauthorized
			}
			identity = append(identity, v)
		}
	} else {
		tok := ev.Headers[strings.ToLower(au.tokenHeader())]
		if tok == "" {
			return &v2Unauthorized
		}
		identity = []string{tok}
	}
	aev := events.APIGatewayV2CustomAuthorizerV2Request{
		Version:               payloadV2,
		Type:                  "REQUEST",
		RouteArn:              g.methodARN(ev.RequestContext.HTTP.Method, strings.TrimPrefix(ev.RawPath, "/"+g.cfg.Stage)),
		IdentitySource:        identity,
		RouteKey:              ev.RouteKey,
		RawPath:               ev.RawPath,
		RawQueryString:        ev.RawQueryString,
		Cookies:               ev.Cookies,
		Headers:               ev.Headers,
		QueryStringParameters: ev.QueryStringParameters,
		RequestContext:        ev.RequestContext,
		PathParameters:        ev.PathParameters,
		StageVariables:        ev.StageVariables,
	}
	key := s.Name + "\x00" + ev.RouteKey + "\x00" + strings.Join(identity, "\x00")
	out, err := g.cachedAuth(key, au.ttl(), func() (*authOutput, error) {
		payload, err := json.Marshal(aev)
		if err != nil {
			return nil, err
		}
		res, err := g.invokeV2(ctx, s.Name, payload)
		if err != nil {
			return nil, err
		}
		var sr simpleAuthResponse
		if err := json.Unmarshal(res, &sr); err != nil {
			return nil, fmt.Errorf("authorizer %s returned %s, not a simple response: %w", s.Name, res, err)
		}
		return &authOutput{Context: sr.Context, isAuthorized: sr.IsAuthorized}, nil
	})
	if err != nil {
		g.notice("authorizer %s: %v", s.Name, err)
		return &v2Internal
	}
	if !out.isAuthorized {
		return &v2Forbidden
	}
	ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{Lambda: maps.Clone(out.Context)}
	return nil
}

// identityValueV2 reads an identity source (in the REST form the manifest
// holds) from the request, as the HTTP API's mapped source would.
func identityValueV2(src string, r *http.Request, ev *events.APIGatewayV2HTTPRequest) string {
	switch {
	case strings.HasPrefix(src, "method.request.header."):
		return ev.Headers[strings.ToLower(strings.TrimPrefix(src, "method.request.header."))]
	case strings.HasPrefix(src, "method.request.querystring."):
		return ev.QueryStringParameters[strings.TrimPrefix(src, "method.request.querystring.")]
	case strings.HasPrefix(src, "stageVariables."):
		return ev.StageVariables[strings.TrimPrefix(src, "stageVariables.")]
	case strings.HasPrefix(src, "context."):
		return "context"
	}
	return ""
}

// poolIssuer returns the issuer URL of a user pool ARN
// (arn:PARTITION:cognito-idp:REGION:ACCOUNT:userpool/ID), "" for anything
// else.
func poolIssuer(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) != 6 || parts[2] != "cognito-idp" || parts[3] == "" {
		return ""
	}
	id, ok := strings.CutPrefix(parts[5], "userpool/")
	if !ok || id == "" {
		return ""
	}
	return "https://cognito-idp." + parts[3] + ".amazonaws.com/" + id
}

// jwtIssuerAudience returns the issuer and audience a JWT authorizer
// checks: the gateway's configuration, else what the manifest's authorizer
// gives (a pool ARN and app client IDs, literal or as parameters with a
// value in GatewayConfig.Parameters). Empty means not checked.
func (g *gateway) jwtIssuerAudience(au *authorizer) (string, []string) {
	iss, aud := g.cfg.JWTIssuer, g.cfg.JWTAudience
	if iss == "" {
		arns := slices.Clone(au.spec.ProviderARNs)
		for _, p := range au.spec.ProviderARNParams {
			if v := g.cfg.Parameters[p]; v != "" {
				arns = append(arns, v)
			}
		}
		if len(arns) == 1 {
			iss = poolIssuer(arns[0])
		}
	}
	if len(aud) == 0 {
		aud = slices.Clone(au.spec.Audience)
		for _, p := range au.spec.AudienceParams {
			if v := g.cfg.Parameters[p]; v != "" {
				aud = append(aud, v)
			}
		}
	}
	return iss, aud
}

// jwtAuthorize checks a token as an HTTP API's JWT authorizer does:
// present, well formed, not expired, signed by a key of the JWKS when one
// is given, from the issuer and for the audience when they are known (401
// otherwise), and holding one of the route's scopes (403 otherwise).
func (g *gateway) jwtAuthorize(au *authorizer, scopes []string, r *http.Request, ev *events.APIGatewayV2HTTPRequest) *gatewayError {
	tok := r.Header.Get(au.tokenHeader())
	if tok == "" {
		return &v2Unauthorized
	}
	if len(tok) > 7 && strings.EqualFold(tok[:7], "Bearer ") {
		tok = tok[7:]
	}
	claims, err := g.verifyJWT(tok)
	if err == nil {
		iss, aud := g.jwtIssuerAudience(au)
		err = checkIssuerAudience(claims, iss, aud)
	}
	if err != nil {
		g.notice("authorizer %s: token rejected: %v", au.spec.Name, err)
		return &v2Unauthorized
	}
	have := strings.Fields(stringify(claims["scope"]))
	if len(scopes) > 0 && !hasScope(scopes, have) {
		return &v2Forbidden
	}
	str := make(map[string]string, len(claims))
	for k, v := range claims {
		str[k] = stringify(v)
	}
	ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: str, Scopes: have},
	}
	return nil
}

// checkIssuerAudience checks the iss claim against iss and the aud claim
// (or, in a Cognito access token, client_id) against aud, when given.
func checkIssuerAudience(claims map[string]any, iss string, aud []string) error {
	if iss != "" && claims["iss"] != iss {
		return fmt.Errorf("issuer %v, want %s", claims["iss"], iss)
	}
	if len(aud) == 0 {
		return nil
	}
	var got []string
	switch a := claims["aud"].(type) {
	case string:
		got = []string{a}
	case []any:
		for _, x := range a {
			got = append(got, stringify(x))
		}
	}
	if c, ok := claims["client_id"].(string); ok {
		got = append(got, c)
	}
	if !slices.ContainsFunc(got, func(s string) bool { return slices.Contains(aud, s) }) {
		return fmt.Errorf("audience %v, want one of %v", got, aud)
	}
	return nil
}
