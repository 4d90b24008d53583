package framework

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework/manifest"
)

// defaultAuthTTL is API Gateway's default authorizer cache TTL.
const defaultAuthTTL = 300 * time.Second

// tokenHeader is the header that carries the authorizer's token.
func (au *authorizer) tokenHeader() string {
	if au.spec.Header == "" {
		return "Authorization"
	}
	return au.spec.Header
}

// ttl is how long the gateway caches the authorizer's answer (0: not at all).
func (au *authorizer) ttl() time.Duration {
	if au.spec.TTLSeconds == nil {
		return defaultAuthTTL
	}
	return time.Duration(*au.spec.TTLSeconds) * time.Second
}

// hasScope reports whether a token's scopes hold one of a route's.
func hasScope(route, token []string) bool {
	return slices.ContainsFunc(route, func(s string) bool { return slices.Contains(token, s) })
}

// authorize runs the view's authorizer as API Gateway would. It returns the
// gateway's error answer when the request is rejected (and the authorizer
// function's name, for the log), and otherwise fills
// ev.RequestContext.Authorizer.
func (g *gateway) authorize(ctx context.Context, v *view, r *http.Request, ev *events.APIGatewayProxyRequest) (*gatewayError, string) {
	au := g.app.authorizers[v.front.authorizer]
	switch au.spec.Type {
	case manifest.AuthBuiltin:
		return g.lambdaAuthorize(ctx, au, r, ev), au.spec.Name
	case manifest.AuthCognito:
		return g.cognitoAuthorize(au, v.front.scopes, r, ev), ""
	}
	// IAM and external custom authorizers pass through (see notices).
	return nil, ""
}

// lambdaAuthorize runs a built-in authorizer (TOKEN or REQUEST), caching its
// policy for the TTL, and evaluates the policy against the method ARN.
func (g *gateway) lambdaAuthorize(ctx context.Context, au *authorizer, r *http.Request, ev *events.APIGatewayProxyRequest) *gatewayError {
	s := au.spec
	arn := g.methodARN(ev.HTTPMethod, ev.Path)
	aev := authEvent{MethodArn: arn}
	var identity []string
	if s.RequestType == "request" {
		aev.Type = "REQUEST"
		for _, src := range s.IdentitySources {
			v := identityValue(src, r, ev)
			if v == "" {
				return &gwUnauthorized
			}
			identity = append(identity, v)
		}
		aev.Headers, aev.MultiValueHeaders = ev.Headers, ev.MultiValueHeaders
		aev.QueryStringParameters, aev.MultiValueQueryStringParameters = ev.QueryStringParameters, ev.MultiValueQueryStringParameters
		aev.PathParameters, aev.StageVariables = ev.PathParameters, ev.StageVariables
		aev.RequestContext = ev.RequestContext
	} else {
		aev.Type = "TOKEN"
		aev.AuthorizationToken = r.Header.Get(au.tokenHeader())
		if aev.AuthorizationToken == "" {
			return &gwUnauthorized
		}
		identity = []string{aev.AuthorizationToken}
	}
	key := s.Name + "\x00" + strings.Join(identity, "\x00")
	out, err := g.cachedAuth(key, au.ttl(), func() (*authOutput, error) {
		payload, err := json.Marshal(aev)
		if err != nil {
			return nil, err
		}
		res, err := g.invoke(ctx, s.Name, payload)
		if err != nil {
			return nil, err
		}
		var out authOutput
		if err := json.Unmarshal(res, &out); err != nil {
			return nil, fmt.Errorf("authorizer %s returned %s: %w", s.Name, res, err)
		}
		return &out, nil
	})
	if err != nil {
		if strings.Contains(err.Error(), "Unauthorized") {
			return &gwUnauthorized
		}
		g.notice("authorizer %s: %v", s.Name, err)
		return &errAuthFailed
	}
	switch evaluatePolicy(out.PolicyDocument, arn) {
	case policyDeny:
		return &errExplicitDeny
	case policyNone:
		return &errNotAllowed
	}
	ctxMap := map[string]any{"principalId": out.PrincipalID}
	for k, v := range out.Context {
		ctxMap[k] = stringify(v)
	}
	ev.RequestContext.Authorizer = ctxMap
	return nil
}

// cachedAuth returns the cached answer for key, or computes and caches it
// for ttl (0: no caching). Errors other than Unauthorized are not cached.
func (g *gateway) cachedAuth(key string, ttl time.Duration, compute func() (*authOutput, error)) (*authOutput, error) {
	now := time.Now()
	if ttl > 0 {
		g.mu.Lock()
		e, ok := g.cache[key]
		g.mu.Unlock()
		if ok && now.Before(e.expires) {
			return e.out, e.err
		}
	}
	out, err := compute()
	if ttl > 0 && (err == nil || strings.Contains(err.Error(), "Unauthorized")) {
		g.mu.Lock()
		g.cache[key] = authCacheEntry{out: out, err: err, expires: now.Add(ttl)}
		g.mu.Unlock()
	}
	return out, err
}

// identityValue reads an identity source expression from the request.
func identityValue(src string, r *http.Request, ev *events.APIGatewayProxyRequest) string {
	switch {
	case strings.HasPrefix(src, "method.request.header."):
		return r.Header.Get(strings.TrimPrefix(src, "method.request.header."))
	case strings.HasPrefix(src, "method.request.querystring."):
		return r.URL.Query().Get(strings.TrimPrefix(src, "method.request.querystring."))
	case strings.HasPrefix(src, "stageVariables."):
		return ev.StageVariables[strings.TrimPrefix(src, "stageVariables.")]
	case strings.HasPrefix(src, "context."):
		return "context"
	}
	return ""
}

func stringify(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

type policyResult int

const (
	policyNone policyResult = iota
	policyAllow
	policyDeny
)

// evaluatePolicy evaluates an authorizer's policy for execute-api:Invoke on
// arn: an explicit Deny wins, then any Allow.
func evaluatePolicy(doc policyDocument, arn string) policyResult {
	res := policyNone
	for _, st := range doc.Statement {
		if !slices.ContainsFunc(st.Action, func(a string) bool { return wildMatch(strings.ToLower(a), "execute-api:invoke") }) {
			continue
		}
		if !slices.ContainsFunc(st.Resource, func(p string) bool { return wildMatch(p, arn) }) {
			continue
		}
		switch st.Effect {
		case "Deny":
			return policyDeny
		case "Allow":
			res = policyAllow
		}
	}
	return res
}

// wildMatch matches s against an IAM pattern where * is any run of
// characters (including /) and ? one character.
func wildMatch(pattern, s string) bool {
	if !strings.ContainsAny(pattern, "*?") {
		return pattern == s
	}
	return globMatch(pattern, s)
}

func globMatch(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			if p == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if globMatch(p, s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			p, s = p[1:], s[1:]
		default:
			if s == "" || p[0] != s[0] {
				return false
			}
			p, s = p[1:], s[1:]
		}
	}
	return s == ""
}

// UnmarshalJSON accepts Action and Resource as a string or a list, as IAM
// does.
func (st *policyStatement) UnmarshalJSON(b []byte) error {
	var raw struct {
		Action   json.RawMessage `json:"Action"`
		Effect   string          `json:"Effect"`
		Resource json.RawMessage `json:"Resource"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	st.Effect = raw.Effect
	var err error
	if st.Action, err = stringOrList(raw.Action); err != nil {
		return fmt.Errorf("Action: %w", err)
	}
	if st.Resource, err = stringOrList(raw.Resource); err != nil {
		return fmt.Errorf("Resource: %w", err)
	}
	return nil
}

func stringOrList(b json.RawMessage) ([]string, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		return []string{s}, nil
	}
	var l []string
	err := json.Unmarshal(b, &l)
	return l, err
}

// cognitoAuthorize checks a Cognito user pool token: present, well formed,
// not expired, signed by a key of the JWKS when one is given, and holding
// one of the route's scopes when it has some. The claims go to
// requestContext.authorizer.claims.
func (g *gateway) cognitoAuthorize(au *authorizer, scopes []string, r *http.Request, ev *events.APIGatewayProxyRequest) *gatewayError {
	tok := r.Header.Get(au.tokenHeader())
	if tok == "" {
		return &gwUnauthorized
	}
	tok = strings.TrimPrefix(tok, "Bearer ")
	claims, err := g.verifyJWT(tok)
	if err != nil {
		g.notice("authorizer %s: token rejected: %v", au.spec.Name, err)
		return &gwUnauthorized
	}
	if len(scopes) > 0 {
		have := strings.Fields(stringify(claims["scope"]))
		if !hasScope(scopes, have) {
			return &gwUnauthorized
		}
	}
	str := make(map[string]any, len(claims))
	for k, v := range claims {
		str[k] = stringify(v)
	}
	ev.RequestContext.Authorizer = map[string]any{"claims": str}
	return nil
}

// verifyJWT decodes a JWT, checks its expiry and, with a JWKS, its RS256
// signature, and returns its claims.
func (g *gateway) verifyJWT(tok string) (map[string]any, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a JWT (want three dot-separated parts)")
	}
	var hdr struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	if err := decodeSegment(parts[0], &hdr); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	var claims map[string]any
	if err := decodeSegment(parts[1], &claims); err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	if exp, ok := claims["exp"].(float64); ok && time.Now().Unix() >= int64(exp) {
		return nil, errors.New("the token has expired")
	}
	if g.jwksErr != nil {
		return nil, fmt.Errorf("the JWKS is unusable: %w", g.jwksErr)
	}
	if g.jwks == nil {
		return claims, nil
	}
	if hdr.Alg != "RS256" {
		return nil, fmt.Errorf("algorithm %q: only RS256 is accepted", hdr.Alg)
	}
	key := g.jwks[hdr.Kid]
	if key == nil {
		return nil, fmt.Errorf("no key %q in the JWKS", hdr.Kid)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, fmt.Errorf("signature: %w", err)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(key.pub, crypto.SHA256, sum[:], sig); err != nil {
		return nil, errors.New("the signature does not verify against the JWKS")
	}
	return claims, nil
}

func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// jwk is one RSA key of a JWKS.
type jwk struct{ pub *rsa.PublicKey }

// parseJWKS reads the RSA keys of a JSON Web Key Set, by key id.
func parseJWKS(data []byte) (map[string]*jwk, error) {
	var set struct {
		Keys []struct {
			Kty string `json:"kty"`
			Kid string `json:"kid"`
			N   string `json:"n"`
			E   string `json:"e"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("not a JSON Web Key Set: %w", err)
	}
	keys := map[string]*jwk{}
	for _, k := range set.Keys {
		if k.Kty != "RSA" {
			continue
		}
		n, err := base64.RawURLEncoding.DecodeString(k.N)
		if err != nil {
			return nil, fmt.Errorf("key %q: modulus: %w", k.Kid, err)
		}
		e, err := base64.RawURLEncoding.DecodeString(k.E)
		if err != nil {
			return nil, fmt.Errorf("key %q: exponent: %w", k.Kid, err)
		}
		keys[k.Kid] = &jwk{pub: &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}}
	}
	if len(keys) == 0 {
		return nil, errors.New("the JWKS has no RSA key")
	}
	return keys, nil
}
