package framework

import (
	"fmt"
	"maps"
	"mime"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework/manifest"
)

// viewSettings are what API Gateway does in front of one view: the options
// given to Route besides Methods.
type viewSettings struct {
	authorizer     string
	scopes         []string
	apiKeyRequired bool
	contentTypes   []string // nil: application/json
	cors           *manifest.CORS

	// Derived once at registration for the per-request path.
	acceptedTypes []string          // parsed media types of contentTypes
	corsHeaders   map[string]string // cors.Headers()
}

// WithAuthorizer protects a route with the named authorizer, registered with
// App.Authorizer, App.IAMAuthorizer, App.CognitoAuthorizer or
// App.CustomAuthorizer (before or after the route). scopes are the OAuth
// scopes a Cognito authorizer requires; they are an error with any other
// kind.
//
//	app.Route("/me", me, framework.WithAuthorizer("users", "profile/read"))
func WithAuthorizer(name string, scopes ...string) RouteOption {
	return func(o *routeOptions) {
		o.front.authorizer = name
		o.front.scopes = append(o.front.scopes, scopes...)
	}
}

// APIKeyRequired makes API Gateway require an x-api-key header on the route.
// The stage's usage_plan can create the usage plan and a key.
func APIKeyRequired() RouteOption {
	return func(o *routeOptions) { o.front.apiKeyRequired = true }
}

// ContentTypes sets the request content types a route accepts (default
// application/json). A request with another Content-Type is answered with
// 415 UnsupportedMediaType, as Chalice does; a request without one counts
// as application/json. A type may be a wildcard such as image/* or */*.
func ContentTypes(types ...string) RouteOption {
	return func(o *routeOptions) { o.front.contentTypes = append(o.front.contentTypes, types...) }
}

// CORSConfig is the CORS configuration of a route.
type CORSConfig struct {
	// AllowOrigin is Access-Control-Allow-Origin; "" means "*".
	AllowOrigin string
	// AllowHeaders are allowed request headers besides the standard ones
	// (Authorization, Content-Type, X-Amz-Date, X-Amz-Security-Token,
	// X-Api-Key).
	AllowHeaders []string
	// ExposeHeaders is Access-Control-Expose-Headers.
	ExposeHeaders []string
	// MaxAge is Access-Control-Max-Age in seconds; 0 sends none.
	MaxAge int
	// AllowCredentials sends Access-Control-Allow-Credentials: true. It
	// requires an AllowOrigin other than "*".
	AllowCredentials bool
}

// CORS enables CORS on a route with the given configuration: the template
// answers the preflight (a mock OPTIONS method) and every response of the
// route carries the CORS headers, unless the view set them itself. Every
// view of one path with CORS must use the same configuration.
func CORS(cfg CORSConfig) RouteOption {
	return func(o *routeOptions) {
		c := &manifest.CORS{
			AllowOrigin:      cfg.AllowOrigin,
			AllowHeaders:     slices.Clone(cfg.AllowHeaders),
			ExposeHeaders:    slices.Clone(cfg.ExposeHeaders),
			MaxAge:           cfg.MaxAge,
			AllowCredentials: cfg.AllowCredentials,
		}
		if c.AllowOrigin == "" {
			c.AllowOrigin = "*"
		}
		o.front.cors = c
	}
}

// WithCORS enables CORS on a route with the defaults: any origin and the
// standard headers.
func WithCORS() RouteOption { return CORS(CORSConfig{}) }

// BinaryTypes adds media types that API Gateway treats as binary, besides
// BinaryMediaTypes: they go into the template's
// x-amazon-apigateway-binary-media-types, and a []byte response body of one
// of these types is sent base64-encoded.
func (a *App) BinaryTypes(types ...string) {
	for _, t := range types {
		mt, _, err := mime.ParseMediaType(t)
		if err != nil || !strings.Contains(mt, "/") {
			a.errorf("binary type %q: not a media type such as application/pdf", t)
			continue
		}
		if !slices.Contains(a.binaryTypes, mt) && !slices.Contains(BinaryMediaTypes, mt) {
			a.binaryTypes = append(a.binaryTypes, mt)
		}
	}
}

// setFront checks a view's settings against the views already on its route
// and attaches them to the view. It records registration errors.
func (a *App) setFront(path string, r *route, v *view, methods []string, s viewSettings) {
	for _, ct := range s.contentTypes {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || !strings.Contains(ct, "/") {
			a.errorf("route %s: content type %q is not a media type such as application/json", path, ct)
			continue
		}
		s.acceptedTypes = append(s.acceptedTypes, mt)
	}
	if len(s.contentTypes) == 0 {
		s.acceptedTypes = []string{contentTypeJSON}
	}
	if s.cors != nil {
		s.corsHeaders = s.cors.Headers()
	}
	if c := s.cors; c != nil {
		if c.AllowCredentials && c.AllowOrigin == "*" {
			a.errorf("route %s: CORS allow-credentials with origin \"*\" is rejected by browsers; set AllowOrigin to the caller's origin", path)
		}
		if slices.Contains(methods, "OPTIONS") {
			a.errorf("route %s: an OPTIONS view cannot have CORS: API Gateway answers the CORS preflight itself", path)
		}
		for _, m := range r.methods() {
			other := r.views[m]
			if other.front.cors != nil && !reflect.DeepEqual(other.front.cors, c) {
				a.errorf("route %s: %s (%s) and %s (%s) have different CORS configurations; every view of one path must share one", path, strings.Join(methods, ","), v.name, m, other.name)
				break
			}
		}
		if _, ok := r.views["OPTIONS"]; ok {
			a.errorf("route %s: the path has an OPTIONS view, so CORS cannot answer the preflight", path)
		}
	}
	v.front = s
}

// unsupportedType answers 415 when the request's Content-Type is not one the
// view accepts, and nil otherwise.
func (v *view) unsupportedType(ev *events.APIGatewayProxyRequest) *Error {
	ct := ""
	for k, val := range ev.Headers {
		if strings.EqualFold(k, "Content-Type") {
			ct = val
		}
	}
	if ct == "" {
		for k, vals := range ev.MultiValueHeaders {
			if strings.EqualFold(k, "Content-Type") && len(vals) > 0 {
				ct = vals[len(vals)-1]
			}
		}
	}
	return v.unsupportedContentType(ct)
}

// unsupportedContentType answers 415 when ct, the request's Content-Type
// ("" for none, which counts as application/json), is not one the view
// accepts, and nil otherwise.
func (v *view) unsupportedContentType(ct string) *Error {
	if ct == "" {
		ct = contentTypeJSON
	}
	if matchesContentType(ct, v.front.acceptedTypes) {
		return nil
	}
	return UnsupportedMediaType(fmt.Sprintf("Unsupported media type: %s", ct)).(*Error)
}

// matchesContentType reports whether the media type of ct is one of
// accepted, which may hold type/* and */* wildcards.
func matchesContentType(ct string, accepted []string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	typ, _, _ := strings.Cut(mt, "/")
	for _, am := range accepted {
		if am == mt || am == "*/*" || am == typ+"/*" {
			return true
		}
	}
	return false
}

// addCORS adds the view's CORS headers to a response, never replacing a
// header the view set.
func (v *view) addCORS(resp *events.APIGatewayProxyResponse) {
	if v.front.corsHeaders == nil || resp == nil {
		return
	}
	if resp.Headers == nil {
		resp.Headers = map[string]string{}
	}
	for k, val := range v.front.corsHeaders {
		if hasHeader(resp, k) {
			continue
		}
		resp.Headers[k] = val
	}
}

func hasHeader(resp *events.APIGatewayProxyResponse, name string) bool {
	for k := range resp.Headers {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	for k := range resp.MultiValueHeaders {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// frontManifest adds the routes' view settings, the authorizers and the
// binary types to a manifest.
func (a *App) frontManifest(m *manifest.Manifest) {
	opIDs := a.operationIDs()
	for i := range m.Routes {
		r := a.router.byPath[m.Routes[i].Path]
		for _, meth := range r.methods() {
			s := r.views[meth].front
			if s.cors != nil {
				m.Routes[i].CORS = s.cors
			}
			v := manifest.View{
				Method:         meth,
				Authorizer:     s.authorizer,
				Scopes:         slices.Clone(s.scopes),
				APIKeyRequired: s.apiKeyRequired,
				ContentTypes:   slices.Clone(s.contentTypes),
				CORS:           s.cors != nil,
				OperationID:    opIDs[meth+" "+r.path],
			}
			r.views[meth].contract.describe(&v)
			m.Routes[i].Views = append(m.Routes[i].Views, v)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(a.authorizers)) {
		m.Authorizers = append(m.Authorizers, a.authorizers[name].spec)
	}
	m.BinaryTypes = slices.Clone(a.binaryTypes)
}
