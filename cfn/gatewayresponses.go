package cfn

import "github.com/gochalice/gochalice/framework/manifest"

// gatewayResponses returns the x-amazon-apigateway-gateway-responses of the
// Swagger document: when the app's CORS routes share one origin, API
// Gateway's own 4XX and 5XX answers (a missing or rejected token, a throttled
// call, an integration timeout) carry Access-Control-Allow-Origin too, so a
// browser shows the caller the real error instead of a CORS failure. It
// returns nil when no route has CORS, or when the routes' origins differ and
// no single header value fits them all.
func gatewayResponses(routes []manifest.Route) map[string]any {
	var origin *manifest.CORS
	for _, r := range routes {
		c := r.CORS
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
	params := map[string]any{
		"gatewayresponse.header.Access-Control-Allow-Origin": "'" + origin.AllowOrigin + "'",
	}
	if origin.AllowCredentials {
		params["gatewayresponse.header.Access-Control-Allow-Credentials"] = "'true'"
	}
	out := map[string]any{}
	for _, kind := range []string{"DEFAULT_4XX", "DEFAULT_5XX"} {
		out[kind] = map[string]any{"responseParameters": params}
	}
	return out
}
