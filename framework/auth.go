package framework

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework/manifest"
)

// reservedSecurityName is the security definition of API keys; no
// authorizer may take it.
const reservedSecurityName = "api_key"

// authorizer is one registered authorizer.
type authorizer struct {
	spec manifest.Authorizer
	fn   AuthorizerFunc // built-in authorizers only
}

// AuthorizerOption configures an authorizer. See TTL, Header,
// IdentitySources, ProviderARNs and ProviderARNParameter.
type AuthorizerOption func(*manifest.Authorizer)

// TTL sets how long API Gateway caches a custom or built-in authorizer's
// answer, in seconds (0 disables caching; default 300, at most 3600).
func TTL(seconds int) AuthorizerOption {
	return func(s *manifest.Authorizer) { s.TTLSeconds = &seconds }
}

// Header sets the request header that carries the token (default
// Authorization).
func Header(name string) AuthorizerOption {
	return func(s *manifest.Authorizer) { s.Header = name }
}

// IdentitySources makes a custom or built-in authorizer a REQUEST
// authorizer: it receives the whole request, and API Gateway calls it only
// when every source is present. Sources are API Gateway expressions such as
// method.request.header.X-Token or method.request.querystring.token.
func IdentitySources(sources ...string) AuthorizerOption {
	return func(s *manifest.Authorizer) {
		s.RequestType = "request"
		s.IdentitySources = append(s.IdentitySources, sources...)
	}
}

// ProviderARNs adds Cognito user pool ARNs to a Cognito authorizer.
func ProviderARNs(arns ...string) AuthorizerOption {
	return func(s *manifest.Authorizer) { s.ProviderARNs = append(s.ProviderARNs, arns...) }
}

// ProviderARNParameter adds a user pool ARN given at deploy time: the
// template gets a String parameter of that name and the authorizer a Ref to
// it.
func ProviderARNParameter(name string) AuthorizerOption {
	return func(s *manifest.Authorizer) { s.ProviderARNParams = append(s.ProviderARNParams, name) }
}

// Audience sets the app client IDs a Cognito authorizer accepts as the
// token's audience. An HTTP API stage turns a Cognito authorizer into a JWT
// authorizer, which needs them when the pool is given by ARN or parameter
// (a pool declared with App.UserPool and WithAppClient brings its own).
func Audience(clientIDs ...string) AuthorizerOption {
	return func(s *manifest.Authorizer) { s.Audience = append(s.Audience, clientIDs...) }
}

// AudienceParameter adds an app client ID given at deploy time to a
// Cognito authorizer's audience: an HTTP API stage's template gets a String
// parameter of that name and the JWT authorizer a Ref to it.
func AudienceParameter(name string) AuthorizerOption {
	return func(s *manifest.Authorizer) { s.AudienceParams = append(s.AudienceParams, name) }
}

// ProviderPool makes a Cognito authorizer trust a user pool: one declared
// in the app with App.UserPool (the template refers to the pool it creates)
// or an ExistingUserPool (its ARN is used as is).
//
//	users := app.UserPool("users")
//	app.CognitoAuthorizer("signed_in", framework.ProviderPool(users))
func ProviderPool(pool UserPool) AuthorizerOption {
	return func(s *manifest.Authorizer) {
		if pool.Name() != "" {
			s.ProviderPools = append(s.ProviderPools, pool.Name())
			return
		}
		s.ProviderARNs = append(s.ProviderARNs, pool.ARN())
	}
}

// IAMAuthorizer registers an IAM (SigV4) authorizer: callers sign requests
// with AWS credentials.
func (a *App) IAMAuthorizer(name string) {
	a.addAuthorizer(&authorizer{spec: manifest.Authorizer{Name: name, Type: manifest.AuthIAM}}, nil)
}

// CognitoAuthorizer registers a Cognito user pool authorizer. Give the pool
// ARNs with ProviderARNs or ProviderARNParameter; Header changes the token
// header. Routes may require scopes (WithAuthorizer(name, scopes...)).
//
//	app.CognitoAuthorizer("users", framework.ProviderARNs("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123"))
func (a *App) CognitoAuthorizer(name string, opts ...AuthorizerOption) {
	a.addAuthorizer(&authorizer{spec: manifest.Authorizer{Name: name, Type: manifest.AuthCognito}}, opts)
}

// CustomAuthorizer registers a Lambda authorizer that lives outside the app,
// given by its API Gateway invocation URI
// (arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations).
// Options: TTL, Header, IdentitySources.
func (a *App) CustomAuthorizer(name, uri string, opts ...AuthorizerOption) {
	au := &authorizer{spec: manifest.Authorizer{Name: name, Type: manifest.AuthCustom, URI: uri}}
	if uri == "" {
		a.errorf("authorizer %q: empty authorizer URI", name)
	}
	a.addAuthorizer(au, opts)
}

// AuthorizerFunc is a built-in authorizer: it inspects the token (or the
// request) and answers with a policy built by Allow, AllowRoutes or Deny.
// Returning Unauthorized(...) makes API Gateway answer 401; any other error
// makes it answer 500.
type AuthorizerFunc func(*AuthRequest) (*AuthResponse, error)

// Authorizer registers a built-in authorizer written in the app. It becomes
// its own Lambda function (handler name = name) served by the same
// bootstrap, with the permission API Gateway needs to invoke it. Options:
// TTL, Header, IdentitySources.
//
//	app.Authorizer("token", func(r *framework.AuthRequest) (*framework.AuthResponse, error) {
//		if r.Token != "allow" {
//			return framework.Deny("anonymous"), nil
//		}
//		return framework.Allow("user-1", "/private", "/private/{id}"), nil
//	})
func (a *App) Authorizer(name string, fn AuthorizerFunc, opts ...AuthorizerOption) {
	if fn == nil {
		a.errorf("authorizer %q: the function is nil", name)
		return
	}
	a.addAuthorizer(&authorizer{spec: manifest.Authorizer{Name: name, Type: manifest.AuthBuiltin}, fn: fn}, opts)
}

func (a *App) addAuthorizer(au *authorizer, opts []AuthorizerOption) {
	for _, opt := range opts {
		opt(&au.spec)
	}
	s := &au.spec
	if !isFunctionName(s.Name) || s.Name == reservedSecurityName {
		a.errorf("authorizer %q: invalid name (start with a letter; use letters, digits, '_' and '-'; not %q)", s.Name, reservedSecurityName)
		return
	}
	if _, dup := a.authorizers[s.Name]; dup {
		a.errorf("authorizer %q: registered twice", s.Name)
		return
	}
	ok := true
	bad := func(format string, args ...any) {
		a.errorf("authorizer %q (%s): "+format, append([]any{s.Name, s.Type}, args...)...)
		ok = false
	}
	lambdaKind := s.Type == manifest.AuthCustom || s.Type == manifest.AuthBuiltin
	if s.TTLSeconds != nil && (!lambdaKind || *s.TTLSeconds < 0 || *s.TTLSeconds > 3600) {
		bad("TTL %d: only custom and built-in authorizers have a TTL, from 0 to 3600 seconds", *s.TTLSeconds)
	}
	if len(s.IdentitySources) > 0 && !lambdaKind {
		bad("identity sources apply to custom and built-in authorizers only")
	}
	if s.Header != "" && s.Type == manifest.AuthIAM {
		bad("an IAM authorizer always reads the Authorization header")
	}
	if s.RequestType == "request" && s.Header != "" {
		bad("Header and IdentitySources exclude each other (a request authorizer lists its sources)")
	}
	if s.Type == manifest.AuthCognito {
		if len(s.ProviderARNs)+len(s.ProviderARNParams)+len(s.ProviderPools) == 0 {
			bad("no user pool: give ProviderPool, ProviderARNs or ProviderARNParameter")
		}
		for _, p := range s.ProviderPools {
			if !a.declaredPool(p) {
				bad("user pool %q is not declared in the app (declare it with app.UserPool)", p)
			}
		}
		for _, arn := range s.ProviderARNs {
			if !matches(userPoolARN, arn) {
				bad("%q is not a Cognito user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)", arn)
			}
		}
		for _, p := range s.ProviderARNParams {
			if !isAlnum(p) {
				bad("parameter name %q must be alphanumeric", p)
			}
		}
	} else if len(s.ProviderARNs)+len(s.ProviderARNParams)+len(s.ProviderPools) > 0 {
		bad("provider ARNs apply to Cognito authorizers only")
	}
	for _, p := range s.AudienceParams {
		if !isAlnum(p) {
			bad("parameter name %q must be alphanumeric", p)
		}
	}
	if len(s.Audience)+len(s.AudienceParams) > 0 && s.Type != manifest.AuthCognito {
		bad("an audience applies to Cognito authorizers only")
	}
	for _, id := range s.Audience {
		if !isAlnum(id) {
			bad("audience %q is not an app client ID (letters and digits)", id)
		}
	}
	if s.Type == manifest.AuthBuiltin {
		if _, taken := a.functions[s.Name]; taken {
			bad("the name is already a function; a built-in authorizer is its own function")
		}
	}
	if !ok {
		return
	}
	if a.authorizers == nil {
		a.authorizers = map[string]*authorizer{}
	}
	a.authorizers[s.Name] = au
	if s.Type == manifest.AuthBuiltin {
		a.functions[s.Name] = &function{name: s.Name, kind: manifest.KindAuthorizer, handler: authorizerHandler{a, au}}
	}
}

func isAlnum(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return !isASCIILetterOrDigit(r) }) < 0
}

func isASCIILetterOrDigit(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// authorizerErrors checks the routes' authorizers once everything is
// registered: an unknown name, or scopes on anything but a Cognito
// authorizer.
func (a *App) authorizerErrors() []error {
	var errs []error
	for _, path := range slices.Sorted(maps.Keys(a.router.byPath)) {
		r := a.router.byPath[path]
		for _, m := range r.methods() {
			s := r.views[m].front
			if s.authorizer == "" {
				if len(s.scopes) > 0 {
					errs = append(errs, fmt.Errorf("route %s %s: scopes without an authorizer", m, path))
				}
				continue
			}
			au, ok := a.authorizers[s.authorizer]
			if !ok {
				known := slices.Sorted(maps.Keys(a.authorizers))
				errs = append(errs, fmt.Errorf("route %s %s: unknown authorizer %q (registered: %s)", m, path, s.authorizer, strings.Join(known, ", ")))
				continue
			}
			if len(s.scopes) > 0 && au.spec.Type != manifest.AuthCognito {
				errs = append(errs, fmt.Errorf("route %s %s: scopes %q given for authorizer %q, which is %s; only Cognito authorizers have scopes", m, path, s.scopes, s.authorizer, au.spec.Type))
			}
		}
	}
	return errs
}

// AuthRequest is what a built-in authorizer receives.
type AuthRequest struct {
	// Type is "TOKEN" or "REQUEST".
	Type string
	// Token is the value of the token header (TOKEN authorizers).
	Token string
	// MethodARN is the ARN of the method being called:
	// arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/PATH.
	MethodARN string
	// Headers, Query, PathParams and StageVars are the request's (REQUEST
	// authorizers).
	Headers    http.Header
	Query      url.Values
	PathParams map[string]string
	StageVars  map[string]string

	ctx context.Context
}

// Context returns the invocation's context.
func (r *AuthRequest) Context() context.Context {
	if r.ctx == nil {
		return context.Background()
	}
	return r.ctx
}

// AuthRoute is a route an authorizer allows: a resource pattern such as
// /items/{id} and its methods (none means every method).
type AuthRoute struct {
	Path    string
	Methods []string
}

// AuthResponse is a built-in authorizer's answer, turned into an IAM policy
// for API Gateway.
type AuthResponse struct {
	// PrincipalID identifies the caller; views read it with
	// Request.Principal.
	PrincipalID string
	// Routes are the routes the caller may invoke. None means deny.
	Routes []AuthRoute
	// Context is passed to the views (Request.AuthorizerContext). Values
	// must be strings, numbers or booleans.
	Context map[string]any
}

// Allow returns an answer that lets principalID call every method of the
// given resource patterns (e.g. "/items/{id}"; "*" for every route).
func Allow(principalID string, routes ...string) *AuthResponse {
	r := &AuthResponse{PrincipalID: principalID}
	for _, p := range routes {
		r.Routes = append(r.Routes, AuthRoute{Path: p})
	}
	return r
}

// AllowRoutes returns an answer that lets principalID call the given routes
// and methods.
func AllowRoutes(principalID string, routes ...AuthRoute) *AuthResponse {
	return &AuthResponse{PrincipalID: principalID, Routes: routes}
}

// Deny returns an answer that denies principalID every route: API Gateway
// answers 403.
func Deny(principalID string) *AuthResponse { return &AuthResponse{PrincipalID: principalID} }

// authEvent holds both authorizer event shapes (TOKEN and REQUEST).
type authEvent struct {
	Type                            string                               `json:"type"`
	AuthorizationToken              string                               `json:"authorizationToken"`
	MethodArn                       string                               `json:"methodArn"`
	Headers                         map[string]string                    `json:"headers"`
	MultiValueHeaders               map[string][]string                  `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string                    `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string                  `json:"multiValueQueryStringParameters"`
	PathParameters                  map[string]string                    `json:"pathParameters"`
	StageVariables                  map[string]string                    `json:"stageVariables"`
	RequestContext                  events.APIGatewayProxyRequestContext `json:"requestContext"`
}

// authorizerHandler serves a built-in authorizer's function.
type authorizerHandler struct {
	app *App
	au  *authorizer
}

// policyDocument is the IAM policy an authorizer returns.
type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Action   []string `json:"Action"`
	Effect   string   `json:"Effect"`
	Resource []string `json:"Resource"`
}

type authOutput struct {
	PrincipalID    string         `json:"principalId"`
	PolicyDocument policyDocument `json:"policyDocument"`
	Context        map[string]any `json:"context,omitempty"`
	// isAuthorized is a simple response's answer, as the HTTP API
	// emulation caches it (not part of the REST answer).
	isAuthorized bool
}

// Invoke decodes an authorizer event, runs the authorizer function and
// encodes its policy.
func (h authorizerHandler) Invoke(ctx context.Context, payload []byte) (out []byte, err error) {
	name := h.au.spec.Name
	if isV2Event(payload) {
		return h.invokeV2(ctx, payload)
	}
	var ev authEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, invalidEvent(name, "an API Gateway authorizer event (TOKEN or REQUEST)", payload, err)
	}
	base, err := methodARNBase(ev.MethodArn)
	if err != nil {
		return nil, &InvalidEventError{Function: name, Want: "an API Gateway authorizer event (TOKEN or REQUEST)", Problem: err.Error()}
	}
	req := &AuthRequest{
		Type:       ev.Type,
		Token:      ev.AuthorizationToken,
		MethodARN:  ev.MethodArn,
		PathParams: ev.PathParameters,
		StageVars:  ev.StageVariables,
		ctx:        ctx,
	}
	proxy := &events.APIGatewayProxyRequest{Headers: ev.Headers, MultiValueHeaders: ev.MultiValueHeaders,
		QueryStringParameters: ev.QueryStringParameters, MultiValueQueryStringParameters: ev.MultiValueQueryStringParameters}
	req.Headers = decodeHeaders(proxy)
	req.Query = decodeQuery(proxy)
	resp, err := h.call(req)
	if err != nil {
		return nil, err
	}
	return json.Marshal(resp.output(base))
}

// call runs the authorizer function. An Unauthorized error becomes the
// error "Unauthorized" (API Gateway's 401), any other error, a nil answer
// or a panic a logged failure.
func (h authorizerHandler) call(req *AuthRequest) (resp *AuthResponse, err error) {
	name := h.au.spec.Name
	defer func() {
		if p := recover(); p != nil {
			h.app.reportf(req.Context(), debug.Stack(), "panic in authorizer %s: %v", name, p)
			resp, err = nil, fmt.Errorf("authorizer %s failed", name)
		}
	}()
	resp, err = h.au.fn(req)
	if err != nil {
		if e, ok := asHTTPError(err); ok && e.StatusCode == http.StatusUnauthorized {
			return nil, errUnauthorized
		}
		h.app.reportf(req.Context(), nil, "authorizer %s: %v", name, err)
		return nil, fmt.Errorf("authorizer %s failed", name)
	}
	if resp == nil {
		h.app.reportf(req.Context(), nil, "authorizer %s returned a nil *AuthResponse", name)
		return nil, fmt.Errorf("authorizer %s failed", name)
	}
	return resp, nil
}

// errUnauthorized is the error message API Gateway turns into a 401.
var errUnauthorized = errors.New("Unauthorized")

// output builds the policy: Allow on the routes' method ARNs, or Deny on
// everything when there are none.
func (r *AuthResponse) output(base string) authOutput {
	st := policyStatement{Action: []string{"execute-api:Invoke"}, Effect: "Allow"}
	for _, rt := range r.Routes {
		path := strings.TrimPrefix(replaceCaptures(rt.Path), "/")
		methods := rt.Methods
		if len(methods) == 0 {
			methods = []string{"*"}
		}
		for _, m := range methods {
			st.Resource = append(st.Resource, fmt.Sprintf("%s/%s/%s", base, strings.ToUpper(m), path))
		}
	}
	if len(st.Resource) == 0 {
		st.Effect = "Deny"
		st.Resource = []string{base + "/*/*"}
	}
	return authOutput{
		PrincipalID:    r.PrincipalID,
		PolicyDocument: policyDocument{Version: "2012-10-17", Statement: []policyStatement{st}},
		Context:        r.Context,
	}
}

// methodARNBase returns arn:...:API_ID/STAGE of a method ARN.
func methodARNBase(arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "execute-api" {
		return "", fmt.Errorf("methodArn %q is not an execute-api method ARN", arn)
	}
	segs := strings.SplitN(parts[5], "/", 3)
	if len(segs) < 2 || segs[0] == "" || segs[1] == "" {
		return "", fmt.Errorf("methodArn %q has no API id and stage", arn)
	}
	return strings.Join(parts[:5], ":") + ":" + segs[0] + "/" + segs[1], nil
}

// Claims returns the Cognito user pool claims of the caller (a REST API's
// Cognito authorizer, or an HTTP API's JWT authorizer), or nil when the
// route has none.
func (r *Request) Claims() map[string]any {
	if ev2 := r.EventV2(); ev2 != nil {
		return claimsV2(ev2)
	}
	ev := r.Event()
	if ev == nil {
		return nil
	}
	c, _ := ev.RequestContext.Authorizer["claims"].(map[string]any)
	return c
}

// Principal returns the caller's principal: the principalId a custom or
// built-in authorizer returned, else the IAM caller's ARN (IAM
// authorization), else "".
func (r *Request) Principal() string {
	if ev2 := r.EventV2(); ev2 != nil {
		return principalV2(ev2)
	}
	ev := r.Event()
	if ev == nil {
		return ""
	}
	if p, ok := ev.RequestContext.Authorizer["principalId"].(string); ok && p != "" {
		return p
	}
	return ev.RequestContext.Identity.UserArn
}

// AuthorizerContext returns the context a custom or built-in authorizer
// returned (AuthResponse.Context), without principalId and claims, or nil.
func (r *Request) AuthorizerContext() map[string]any {
	var ctx map[string]any
	ev2 := r.EventV2()
	switch {
	case ev2 != nil && ev2.RequestContext.Authorizer != nil:
		ctx = ev2.RequestContext.Authorizer.Lambda
	case ev2 == nil && r.Event() != nil:
		ctx = r.Event().RequestContext.Authorizer
	}
	if len(ctx) == 0 {
		return nil
	}
	out := map[string]any{}
	for k, v := range ctx {
		switch k {
		case "principalId", "claims", "integrationLatency":
			continue
		}
		out[k] = v
	}
	return out
}
