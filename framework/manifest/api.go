package manifest

import (
	"slices"
	"strconv"
	"strings"
)

// KindAuthorizer is a built-in authorizer registered with App.Authorizer: its
// own function, invoked by API Gateway before the routes it protects.
const KindAuthorizer = "authorizer"

// Authorizer types.
const (
	// AuthIAM is SigV4 (AWS_IAM) authorization.
	AuthIAM = "iam"
	// AuthCognito is a Cognito user pool authorizer.
	AuthCognito = "cognito"
	// AuthCustom is a Lambda authorizer given by its invocation URI.
	AuthCustom = "custom"
	// AuthBuiltin is an authorizer function written in the app.
	AuthBuiltin = "builtin"
)

// Authorizer is one authorizer of the REST API.
type Authorizer struct {
	// Name is the registered name: the security definition's key and, for
	// AuthBuiltin, the function's name.
	Name string `json:"name"`
	// Type is AuthIAM, AuthCognito, AuthCustom or AuthBuiltin.
	Type string `json:"type"`
	// ProviderARNs are the user pool ARNs of a Cognito authorizer, given
	// literally.
	ProviderARNs []string `json:"providerARNs,omitempty"`
	// ProviderARNParams name template parameters that hold user pool ARNs of a
	// Cognito authorizer (emitted as Ref).
	ProviderARNParams []string `json:"providerARNParams,omitempty"`
	// URI is the authorizerUri of a custom authorizer.
	URI string `json:"uri,omitempty"`
	// Header is the header carrying the token (default Authorization).
	Header string `json:"header,omitempty"`
	// RequestType is "token" (the default) or "request" for custom and
	// built-in authorizers.
	RequestType string `json:"requestType,omitempty"`
	// IdentitySources are the identity sources of a request authorizer, e.g.
	// method.request.header.X-Token.
	IdentitySources []string `json:"identitySources,omitempty"`
	// TTLSeconds is the result cache TTL of custom and built-in authorizers;
	// nil means 300.
	TTLSeconds *int `json:"ttlSeconds,omitempty"`
	// ProviderPools name user pools declared in the app (manifest UserPools)
	// whose ARNs a Cognito authorizer trusts: emitted as Fn::GetAtt of the
	// pool's Arn.
	ProviderPools []string `json:"providerPools,omitempty"`
	// Audience are the app client IDs a Cognito authorizer accepts as the
	// token's audience: what an HTTP API's JWT authorizer checks. A
	// declared pool's own app client is added by the packager.
	Audience []string `json:"audience,omitempty"`
	// AudienceParams name template parameters that hold app client IDs of
	// the audience (emitted as Ref on HTTP API stages).
	AudienceParams []string `json:"audienceParams,omitempty"`
}

// View is the API Gateway settings of one method of a route.
type View struct {
	// Method is the upper-case HTTP method.
	Method string `json:"method"`
	// Authorizer names the authorizer protecting the method, "" for none.
	Authorizer string `json:"authorizer,omitempty"`
	// Scopes are the OAuth scopes a Cognito authorizer requires.
	Scopes []string `json:"scopes,omitempty"`
	// APIKeyRequired says the method needs an x-api-key header.
	APIKeyRequired bool `json:"apiKeyRequired,omitempty"`
	// ContentTypes are the accepted request content types; empty means
	// application/json.
	ContentTypes []string `json:"contentTypes,omitempty"`
	// CORS says the method answers with the route's CORS headers.
	CORS bool `json:"cors,omitempty"`

	// OperationID names the operation in OpenAPI and generated clients:
	// the Go function name of the view when it is a named function, unique
	// in the app.
	OperationID string `json:"operationId,omitempty"`
	// Summary and Description document the method (framework.Doc).
	Summary string `json:"summary,omitempty"`
	// Description is the long form of Summary.
	Description string `json:"description,omitempty"`
	// Query are the query string parameters the method documents
	// (framework.QueryParam), in registration order; all are optional
	// strings.
	Query []QueryParam `json:"query,omitempty"`
	// Typed says the view was registered with framework.TypedRoute: Request
	// and Response are its body schemas.
	Typed bool `json:"typed,omitempty"`
	// Request is the schema of a typed view's request body; nil when it
	// takes none (framework.NoBody).
	Request *Schema `json:"request,omitempty"`
	// Response is the schema of a typed view's 200 response body.
	Response *Schema `json:"response,omitempty"`
}

// CORS is a route's CORS configuration.
type CORS struct {
	// AllowOrigin is Access-Control-Allow-Origin (default "*").
	AllowOrigin string `json:"allowOrigin"`
	// AllowHeaders are headers allowed beyond the standard ones.
	AllowHeaders []string `json:"allowHeaders,omitempty"`
	// ExposeHeaders is Access-Control-Expose-Headers.
	ExposeHeaders []string `json:"exposeHeaders,omitempty"`
	// MaxAge is Access-Control-Max-Age in seconds, 0 for none.
	MaxAge int `json:"maxAge,omitempty"`
	// AllowCredentials is Access-Control-Allow-Credentials.
	AllowCredentials bool `json:"allowCredentials,omitempty"`
}

// StandardCORSHeaders are always in Access-Control-Allow-Headers, as in
// Chalice.
var StandardCORSHeaders = []string{"Authorization", "Content-Type", "X-Amz-Date", "X-Amz-Security-Token", "X-Api-Key"}

// AllowHeaderList returns the configured allowed headers plus
// StandardCORSHeaders, without case-insensitive duplicates, sorted.
func (c *CORS) AllowHeaderList() []string {
	seen := map[string]bool{}
	var out []string
	for _, h := range append(slices.Clone(StandardCORSHeaders), c.AllowHeaders...) {
		k := strings.ToLower(h)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, h)
	}
	slices.Sort(out)
	return out
}

// Headers returns the headers a CORS view adds to its responses (every one
// but Access-Control-Allow-Methods, which only the preflight answer has).
func (c *CORS) Headers() map[string]string {
	h := map[string]string{
		"Access-Control-Allow-Origin":  c.AllowOrigin,
		"Access-Control-Allow-Headers": strings.Join(c.AllowHeaderList(), ","),
	}
	if len(c.ExposeHeaders) > 0 {
		h["Access-Control-Expose-Headers"] = strings.Join(c.ExposeHeaders, ",")
	}
	if c.MaxAge > 0 {
		h["Access-Control-Max-Age"] = strconv.Itoa(c.MaxAge)
	}
	if c.AllowCredentials {
		h["Access-Control-Allow-Credentials"] = "true"
	}
	return h
}

// QueryParam is a documented query string parameter.
type QueryParam struct {
	// Name is the parameter name.
	Name string `json:"name"`
	// Description documents it.
	Description string `json:"description,omitempty"`
}
