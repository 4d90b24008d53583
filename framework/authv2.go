package framework

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/textproto"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// This file serves built-in authorizers as HTTP API Lambda authorizers
// (payload format 2.0, simple responses) and reads the HTTP API's
// authorizer results (JWT claims, Lambda context, IAM caller) for views.

// simpleAuthResponse is an HTTP API Lambda authorizer's simple response.
type simpleAuthResponse struct {
	IsAuthorized bool           `json:"isAuthorized"`
	Context      map[string]any `json:"context,omitempty"`
}

// authContextPrincipal is the key of the principal in a simple response's
// context: simple responses have no principalId of their own, and
// Request.Principal reads it back from there.
const authContextPrincipal = "principalId"

// invokeV2 answers an HTTP API authorizer event (payload format 2.0) with a
// simple response: isAuthorized when the answer allows the route the event
// names, and the answer's context plus the principal. An Unauthorized error
// is a denial (HTTP APIs answer 403; a missing identity source is their
// 401).
func (h authorizerHandler) invokeV2(ctx context.Context, payload []byte) ([]byte, error) {
	name := h.au.spec.Name
	var ev events.APIGatewayV2CustomAuthorizerV2Request
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, fmt.Errorf("authorizer %s: the event is not an HTTP API authorizer event (payload format 2.0): %w", name, err)
	}
	method, resource, ok := strings.Cut(ev.RouteKey, " ")
	if !ok {
		method, resource = ev.RequestContext.HTTP.Method, ev.RawPath
	}
	if method == "" || resource == "" {
		return nil, fmt.Errorf("authorizer %s: the event has no routeKey; expected an HTTP API authorizer event (payload format 2.0)", name)
	}
	req := &AuthRequest{
		Type:       "REQUEST",
		MethodARN:  ev.RouteArn,
		PathParams: ev.PathParameters,
		StageVars:  ev.StageVariables,
		ctx:        ctx,
	}
	if h.au.spec.RequestType != "request" {
		req.Type = "TOKEN"
		req.Token = headerValue(ev.Headers, strings.ToLower(h.au.tokenHeader()))
		if req.Token == "" && len(ev.IdentitySource) > 0 {
			req.Token = ev.IdentitySource[0]
		}
	}
	req.Headers = make(http.Header, len(ev.Headers))
	for k, v := range ev.Headers {
		ck := textproto.CanonicalMIMEHeaderKey(k)
		req.Headers[ck] = append(req.Headers[ck], v)
	}
	req.Query = decodeQueryV2(&events.APIGatewayV2HTTPRequest{RawQueryString: ev.RawQueryString, QueryStringParameters: ev.QueryStringParameters})
	resp, err := h.call(req)
	if errors.Is(err, errUnauthorized) {
		return json.Marshal(simpleAuthResponse{})
	}
	if err != nil {
		return nil, err
	}
	out := simpleAuthResponse{IsAuthorized: resp.allows(strings.ToUpper(method), resource)}
	if out.IsAuthorized {
		out.Context = maps.Clone(resp.Context)
		if out.Context == nil {
			out.Context = map[string]any{}
		}
		out.Context[authContextPrincipal] = resp.PrincipalID
	}
	return json.Marshal(out)
}

// allows reports whether the answer lets the caller invoke method on the
// resource pattern (e.g. GET /items/{id}).
func (r *AuthResponse) allows(method, resource string) bool {
	for _, rt := range r.Routes {
		if rt.Path != "*" && rt.Path != resource {
			continue
		}
		if len(rt.Methods) == 0 || slices.ContainsFunc(rt.Methods, func(m string) bool {
			return m == "*" || strings.EqualFold(m, method)
		}) {
			return true
		}
	}
	return false
}

// claimsV2 returns the JWT authorizer's claims of an HTTP API event.
func claimsV2(ev *events.APIGatewayV2HTTPRequest) map[string]any {
	a := ev.RequestContext.Authorizer
	if a == nil || a.JWT == nil || a.JWT.Claims == nil {
		return nil
	}
	out := make(map[string]any, len(a.JWT.Claims))
	for k, v := range a.JWT.Claims {
		out[k] = v
	}
	return out
}

// principalV2 returns the principal of an HTTP API event: the one a
// built-in authorizer put in its context, else the IAM caller's ARN.
func principalV2(ev *events.APIGatewayV2HTTPRequest) string {
	a := ev.RequestContext.Authorizer
	if a == nil {
		return ""
	}
	if p, ok := a.Lambda[authContextPrincipal].(string); ok && p != "" {
		return p
	}
	if a.IAM != nil {
		return a.IAM.UserARN
	}
	return ""
}
