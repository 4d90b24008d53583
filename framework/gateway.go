package framework

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework/manifest"
)

// Limits of API Gateway REST APIs that the emulation enforces.
const (
	// MaxPayloadBytes is API Gateway's request payload limit (10 MB).
	MaxPayloadBytes = 10 << 20
	// IntegrationTimeout is API Gateway's integration timeout: a function
	// configured with a longer timeout is still cut off after it.
	IntegrationTimeout = 29 * time.Second
	// defaultFunctionTimeout is the timeout of a function whose timeout is
	// not configured (the stages package's default).
	defaultFunctionTimeout = 60 * time.Second
)

// GatewayConfig configures the API Gateway emulation: what the deployed
// stage would hold. The zero value is what App.ServeHTTP uses: stage "api",
// no stage variables, any non-empty API key, Cognito tokens decoded without
// verification, 60 s function timeouts, the app invoked in-process.
type GatewayConfig struct {
	// Stage is the API Gateway stage name sent as requestContext.stage
	// (default "api", the template's).
	Stage string
	// StageVars are the stage variables sent with every request.
	StageVars map[string]string
	// APIKeys are the x-api-key values accepted on APIKeyRequired routes.
	// None means any non-empty key.
	APIKeys []string
	// JWKS is the JSON Web Key Set (the user pool's
	// /.well-known/jwks.json) that Cognito tokens are verified against
	// (RS256). Nil means tokens are decoded without verifying their
	// signature, which the gateway logs when it is created.
	JWKS []byte
	// Timeouts are the functions' configured timeouts by function name; a
	// function without one has 60 s. The API function is also cut off at
	// IntegrationTimeout; an exceeded timeout is answered with 504.
	Timeouts map[string]time.Duration
	// Invoke runs a function: event JSON in, result JSON out. Nil means
	// App.Invoke (the app in-process). Set it to send the same events to
	// another runtime, such as the bootstrap under the runtime emulator.
	Invoke func(ctx context.Context, function string, payload []byte) ([]byte, error)
	// HTTPAPI emulates an HTTP API (payload format 2.0), what a stage with
	// api_gateway_type "http" deploys, instead of a REST API (payload 1.0).
	// See docs/httpapi.md for what differs.
	HTTPAPI bool
	// Parameters are the stage's template parameter values (the config's
	// defaults): an HTTP API's JWT authorizer whose pool ARN or audience is
	// a parameter (ProviderARNParameter, AudienceParameter) reads it here.
	Parameters map[string]string
	// JWTIssuer is the issuer (iss) an HTTP API's JWT authorizers accept.
	// Empty means the issuer of the authorizer's user pool ARN, given
	// literally or as a parameter with a value in Parameters; otherwise the
	// issuer is not checked.
	JWTIssuer string
	// JWTAudience are the audiences (aud, or client_id of an access token)
	// an HTTP API's JWT authorizers accept. None means the authorizer's
	// own (framework.Audience, and AudienceParameter values in
	// Parameters); without any, the audience is not checked.
	JWTAudience []string
	// AccessLog, when set, receives one line per request: method, path,
	// status, duration and the function that answered. It also receives
	// the gateway's notices (unverified tokens, IAM authorization not
	// checked); without it they are WARN records of the app's logger (or
	// go to its ErrorLog when that is set).
	AccessLog *log.Logger
	// CognitoEndpoint, for LocalHandler only, is a local service speaking
	// Cognito's user pool API (such as moto): LocalHandler then serves each
	// declared pool's API at manifest.LocalCognitoPath + name, forwarding to
	// it and running the pool's triggers as Cognito does.
	CognitoEndpoint string
}

// gateway is the API Gateway emulation in front of one app.
type gateway struct {
	app       *App
	cfg       GatewayConfig
	jwks      map[string]*jwk
	jwksErr   error
	errOrigin map[string]string // CORS headers on the gateway's own errors
	httpCORS  *httpCORSConfig   // an HTTP API's CorsConfiguration

	mu    sync.Mutex
	cache map[string]authCacheEntry
}

type authCacheEntry struct {
	out     *authOutput
	err     error
	expires time.Time
}

// Gateway returns an http.Handler that does what API Gateway (REST API,
// payload format 1.0) does in front of the app's API function: it matches
// the resource (a literal segment before a capture, a greedy {proxy+} last),
// answers 403 Missing Authentication Token for an unknown path or method,
// answers CORS preflights as the template's mock integration does, checks API
// keys, runs authorizers, builds the proxy event, enforces the payload limit
// and the function's timeout, and writes the function's proxy response.
//
// With cfg.HTTPAPI it does what an HTTP API (payload format 2.0) does instead;
// gateway_v2.go lists what differs.
//
// Use it with the settings of a stage; App.ServeHTTP uses the defaults.
func Gateway(app *App, cfg GatewayConfig) http.Handler {
	g := &gateway{app: app, cfg: cfg, cache: map[string]authCacheEntry{}}
	if g.cfg.Stage == "" {
		g.cfg.Stage = "api"
	}
	if cfg.JWKS != nil {
		g.jwks, g.jwksErr = parseJWKS(cfg.JWKS)
	}
	if cfg.HTTPAPI {
		g.httpCORS = newHTTPCORS(app)
	} else {
		g.errOrigin = gatewayErrorCORS(app)
	}
	g.notices()
	return g
}

// ServeHTTP serves the app through the API Gateway emulation with the
// default settings (see Gateway and GatewayConfig).
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.gatewayOnce.Do(func() { a.gateway = Gateway(a, GatewayConfig{}) })
	a.gateway.ServeHTTP(w, r)
}

// notices logs what the emulation does not check the way AWS would.
func (g *gateway) notices() {
	for _, name := range slices.Sorted(maps.Keys(g.app.authorizers)) {
		au := g.app.authorizers[name]
		switch au.spec.Type {
		case manifest.AuthIAM:
			g.notice("authorizer %q (IAM): requests are NOT checked locally (no SigV4 verification); they pass through", name)
		case manifest.AuthCustom:
			g.notice("authorizer %q (custom, outside the app): it cannot run locally; requests pass through unchecked", name)
		case manifest.AuthCognito:
			switch {
			case g.jwksErr != nil:
				g.notice("authorizer %q (Cognito): the JWKS is unusable (%v): every token is rejected", name, g.jwksErr)
			case g.jwks == nil:
				g.notice("WARNING: authorizer %q (Cognito): no JWKS given, so tokens are decoded but their signatures are NOT verified", name)
			}
			if g.cfg.HTTPAPI {
				iss, aud := g.jwtIssuerAudience(au)
				if iss == "" {
					g.notice("authorizer %q (JWT): the issuer is not known locally (a pool declared in the app or given as a parameter): it is not checked; set it with GatewayConfig.JWTIssuer", name)
				}
				if len(aud) == 0 {
					g.notice("authorizer %q (JWT): the audience is not known locally (an app client created at deploy time): it is not checked; set it with GatewayConfig.JWTAudience", name)
				}
			}
		}
	}
}

func (g *gateway) notice(format string, args ...any) {
	if g.cfg.AccessLog != nil {
		g.cfg.AccessLog.Printf(format, args...)
		return
	}
	g.app.logf(format, args...)
}

// gatewayError is one of API Gateway's own answers.
type gatewayError struct {
	status  int
	kind    string // x-amzn-ErrorType
	message string
	key     string // "message" or "Message", as API Gateway spells it
}

var (
	errMissingToken = gatewayError{http.StatusForbidden, "MissingAuthenticationTokenException", "Missing Authentication Token", "message"}
	errForbidden    = gatewayError{http.StatusForbidden, "ForbiddenException", "Forbidden", "message"}
	gwUnauthorized  = gatewayError{http.StatusUnauthorized, "UnauthorizedException", "Unauthorized", "message"}
	errExplicitDeny = gatewayError{http.StatusForbidden, "AccessDeniedException", "User is not authorized to access this resource with an explicit deny", "Message"}
	errNotAllowed   = gatewayError{http.StatusForbidden, "AccessDeniedException", "User is not authorized to access this resource", "Message"}
	errTooLarge     = gatewayError{http.StatusRequestEntityTooLarge, "RequestTooLargeException", "Request Too Long", "message"}
	errTimeout      = gatewayError{http.StatusGatewayTimeout, "IntegrationTimeout", "Endpoint request timed out", "message"}
	errInternal     = gatewayError{http.StatusBadGateway, "InternalServerErrorException", "Internal server error", "message"}
	errAuthFailed   = gatewayError{http.StatusInternalServerError, "AuthorizerConfigurationException", "", "message"}
)

// served records what answered a request, for the access log.
type served struct {
	status   int
	function string
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	s := g.serve(w, r)
	if g.cfg.AccessLog != nil {
		fn := s.function
		if fn == "" {
			fn = "-"
		}
		g.cfg.AccessLog.Printf("%s %s %d %s %s", r.Method, r.URL.RequestURI(), s.status, time.Since(start).Round(10*time.Microsecond), fn)
	}
}

func (g *gateway) serve(w http.ResponseWriter, r *http.Request) served {
	if err := g.app.checkedErr(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return served{status: http.StatusInternalServerError}
	}
	var body []byte
	if r.Body != nil { // a client request given to ServeHTTP directly may have none
		var err error
		if body, err = io.ReadAll(io.LimitReader(r.Body, MaxPayloadBytes+1)); err != nil {
			return g.fail(w, errInternal)
		}
	}
	if g.cfg.HTTPAPI {
		return g.serveV2(w, r, body)
	}
	if len(body) > MaxPayloadBytes {
		return g.fail(w, errTooLarge)
	}
	rt, params := g.app.router.match(r.URL.Path)
	if rt == nil || len(rt.views) == 0 {
		return g.fail(w, errMissingToken)
	}
	method := strings.ToUpper(r.Method)
	v := rt.views[method]
	if v == nil {
		if method == http.MethodOptions {
			if c := routeCORS(rt); c != nil {
				return g.preflight(w, rt, c)
			}
		}
		return g.fail(w, errMissingToken)
	}
	ev := g.event(r, rt, params, body)
	if v.front.apiKeyRequired {
		key := r.Header.Get("X-Api-Key")
		if key == "" || len(g.cfg.APIKeys) > 0 && !slices.Contains(g.cfg.APIKeys, key) {
			return g.fail(w, errForbidden)
		}
		ev.RequestContext.Identity.APIKey = key
	}
	if v.front.authorizer != "" {
		if ge, fn := g.authorize(r.Context(), v, r, ev); ge != nil {
			s := g.fail(w, *ge)
			s.function = fn
			return s
		}
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		return g.fail(w, errInternal)
	}
	out, err := g.invoke(r.Context(), manifest.APIHandlerName, payload)
	if err != nil {
		ge := errInternal
		if errors.Is(err, context.DeadlineExceeded) {
			ge = errTimeout
		} else {
			g.notice("%s %s: the API function failed: %v", r.Method, r.URL.Path, err)
		}
		s := g.fail(w, ge)
		s.function = manifest.APIHandlerName
		return s
	}
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode == 0 {
		g.notice("%s %s: the API function returned a malformed proxy response: %s", r.Method, r.URL.Path, out)
		s := g.fail(w, errInternal)
		s.function = manifest.APIHandlerName
		return s
	}
	return served{status: writeProxyResponse(w, &resp), function: manifest.APIHandlerName}
}

// invoke runs a function with its configured timeout (the API function also
// within API Gateway's integration timeout). A timeout is reported as
// context.DeadlineExceeded, even when the function has not returned yet.
func (g *gateway) invoke(ctx context.Context, function string, payload []byte) ([]byte, error) {
	return g.invokeWithin(ctx, function, payload, g.timeout(function))
}

// invokeWithin runs a function (GatewayConfig.Invoke, else the app) cut off
// after timeout.
func (g *gateway) invokeWithin(ctx context.Context, function string, payload []byte, timeout time.Duration) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	invoke := g.cfg.Invoke
	if invoke == nil {
		invoke = g.app.invoke
	}
	return invokeWithin(ctx, invoke, function, payload)
}

// timeout is the REST API's timeout for a function: its own, the API
// function's cut at IntegrationTimeout.
func (g *gateway) timeout(function string) time.Duration {
	t := g.functionTimeout(function)
	if function == manifest.APIHandlerName && t > IntegrationTimeout {
		t = IntegrationTimeout
	}
	return t
}

// functionTimeout is a function's configured timeout, or the default.
func (g *gateway) functionTimeout(function string) time.Duration {
	t, ok := g.cfg.Timeouts[function]
	if !ok || t <= 0 {
		return defaultFunctionTimeout
	}
	return t
}

// fail writes one of API Gateway's own error answers.
func (g *gateway) fail(w http.ResponseWriter, e gatewayError) served {
	h := w.Header()
	for k, v := range g.errOrigin {
		h.Set(k, v)
	}
	h.Set("Content-Type", contentTypeJSON)
	h.Set("X-Amzn-Errortype", e.kind)
	w.WriteHeader(e.status)
	var msg any = e.message
	if e.message == "" {
		msg = nil
	}
	b, _ := json.Marshal(map[string]any{e.key: msg})
	w.Write(b)
	return served{status: e.status}
}

// routeCORS returns the CORS configuration of a route, nil without CORS.
func routeCORS(rt *route) *manifest.CORS {
	for _, m := range rt.methods() {
		if c := rt.views[m].front.cors; c != nil {
			return c
		}
	}
	return nil
}

// preflight answers OPTIONS on a CORS route as the template's mock
// integration does: 200, the route's CORS headers and
// Access-Control-Allow-Methods listing the CORS methods and OPTIONS.
func (g *gateway) preflight(w http.ResponseWriter, rt *route, c *manifest.CORS) served {
	methods := []string{http.MethodOptions}
	for _, m := range rt.methods() {
		if rt.views[m].front.cors != nil {
			methods = append(methods, m)
		}
	}
	slices.Sort(methods)
	h := w.Header()
	for k, v := range c.Headers() {
		h.Set(k, v)
	}
	h.Set("Access-Control-Allow-Methods", strings.Join(methods, ","))
	h.Set("Content-Type", contentTypeJSON)
	w.WriteHeader(http.StatusOK)
	return served{status: http.StatusOK}
}

// gatewayErrorCORS returns the headers the template's gateway responses add
// to API Gateway's own 4XX and 5XX answers: the CORS origin, when every CORS
// route shares one.
func gatewayErrorCORS(a *App) map[string]string {
	var origin *manifest.CORS
	for _, rt := range a.router.byPath {
		c := routeCORS(rt)
		if c == nil {
			continue
		}
		if origin != nil && (origin.AllowOrigin != c.AllowOrigin || origin.AllowCredentials != c.AllowCredentials) {
			return nil
		}
		origin = c
	}
	if origin == nil {
		return nil
	}
	h := map[string]string{"Access-Control-Allow-Origin": origin.AllowOrigin}
	if origin.AllowCredentials {
		h["Access-Control-Allow-Credentials"] = "true"
	}
	return h
}

// event builds the proxy event API Gateway sends for a request.
func (g *gateway) event(r *http.Request, rt *route, params map[string]string, body []byte) *events.APIGatewayProxyRequest {
	now := time.Now().UTC()
	ev := &events.APIGatewayProxyRequest{
		Resource:       rt.path,
		Path:           r.URL.Path,
		HTTPMethod:     strings.ToUpper(r.Method),
		PathParameters: params,
		StageVariables: maps.Clone(g.cfg.StageVars),
		RequestContext: events.APIGatewayProxyRequestContext{
			AccountID:        localAccountID,
			ResourceID:       resourceID(rt.path),
			Stage:            g.cfg.Stage,
			RequestID:        newRequestID(),
			ResourcePath:     rt.path,
			HTTPMethod:       strings.ToUpper(r.Method),
			APIID:            localAPIID,
			Path:             "/" + g.cfg.Stage + r.URL.Path,
			Protocol:         r.Proto,
			DomainName:       r.Host,
			RequestTime:      now.Format("02/Jan/2006:15:04:05 -0700"),
			RequestTimeEpoch: now.UnixMilli(),
			Identity: events.APIGatewayRequestIdentity{
				SourceIP:  sourceIP(r),
				UserAgent: r.UserAgent(),
			},
		},
	}
	if len(r.Header) > 0 {
		ev.Headers = make(map[string]string, len(r.Header))
		ev.MultiValueHeaders = make(map[string][]string, len(r.Header))
		for k, vs := range r.Header {
			ev.Headers[k] = vs[len(vs)-1]
			ev.MultiValueHeaders[k] = slices.Clone(vs)
		}
		if r.Host != "" {
			ev.Headers["Host"] = r.Host
			ev.MultiValueHeaders["Host"] = []string{r.Host}
		}
	}
	if q := r.URL.Query(); len(q) > 0 {
		ev.QueryStringParameters = make(map[string]string, len(q))
		ev.MultiValueQueryStringParameters = make(map[string][]string, len(q))
		for k, vs := range q {
			ev.QueryStringParameters[k] = vs[len(vs)-1]
			ev.MultiValueQueryStringParameters[k] = slices.Clone(vs)
		}
	}
	if len(body) > 0 {
		if isBinaryType(r.Header.Get("Content-Type"), g.app.binaryTypes...) {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		} else {
			ev.Body = string(body)
		}
	}
	return ev
}

// The account and API id of the emulated API, in method ARNs and the request
// context.
const (
	localAccountID = "123456789012"
	localAPIID     = "local"
	localRegion    = "us-east-1"
)

func resourceID(path string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(path); i++ {
		h = (h ^ uint32(path[i])) * 16777619
	}
	return strconv.FormatUint(uint64(h%(36*36*36*36*36*36)), 36)
}

func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	s := hex.EncodeToString(b[:])
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil || host == "" {
		return "127.0.0.1"
	}
	return host
}

// writeProxyResponse writes a function's proxy response as API Gateway does:
// headers and multi-value headers merged, a base64 body decoded, JSON as
// the default Content-Type. It returns the status written.
func writeProxyResponse(w http.ResponseWriter, resp *events.APIGatewayProxyResponse) int {
	h := w.Header()
	addHeaderValues(h, resp.MultiValueHeaders)
	for k, v := range resp.Headers {
		if _, ok := h[http.CanonicalHeaderKey(k)]; !ok {
			h.Set(k, v)
		}
	}
	return writeFunctionBody(w, resp.StatusCode, resp.Body, resp.IsBase64Encoded)
}

// addHeaderValues adds a response's multi-value headers to h.
func addHeaderValues(h http.Header, multi map[string][]string) {
	for k, vs := range multi {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
}

// writeFunctionBody ends an answer from the API function, whichever the
// API type: JSON as the default Content-Type, a base64 body decoded (kept
// as is when it is not valid base64), its Content-Length, the status. It
// returns the status.
func writeFunctionBody(w http.ResponseWriter, status int, body string, isBase64 bool) int {
	h := w.Header()
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", contentTypeJSON)
	}
	b := []byte(body)
	if isBase64 {
		if d, err := base64.StdEncoding.DecodeString(body); err == nil {
			b = d
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
	return status
}

// methodARN is the ARN of a method of the emulated API, as authorizers
// receive it.
func (g *gateway) methodARN(method, path string) string {
	return fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/%s/%s/%s", localRegion, localAccountID, localAPIID, g.cfg.Stage, method, strings.TrimPrefix(path, "/"))
}
