package review

import (
	"slices"
	"strings"
)

// apiSettings are the API properties the review names; the others are
// reported by the generic rules.
var apiSettings = []struct {
	at    path
	label string
}{
	{path{"StageName"}, "stage"},
	{path{"Domain"}, "custom domain"},
	{path{"MethodSettings"}, "method settings (throttling)"},
	{path{"DefaultRouteSettings"}, "default route settings (throttling)"},
	{path{"RouteSettings"}, "route settings (throttling)"},
	{path{"Auth", "UsagePlan"}, "usage plan"},
	{path{"Auth", "ResourcePolicy"}, "resource policy"},
	{path{"DisableExecuteApiEndpoint"}, "default execute-api endpoint disabled"},
}

// apis reports APIs, authorizers and routes added, removed and changed,
// and function URLs.
func (c *comparison) apis() {
	om, nm := models(c.old), models(c.new)
	multi := len(om.apis) > 1 || len(nm.apis) > 1
	prefix := func(apiID string) string {
		if multi {
			return apiID + " "
		}
		return ""
	}
	for _, id := range sortedKeys(om.apis, nm.apis) {
		o, n := om.apis[id], nm.apis[id]
		for _, r := range []*api{o, n} {
			if r != nil && r.resource != nil {
				c.claimed[id] = true
				c.explain(id, "Properties.Auth.Authorizers", "Properties.Auth.DefaultAuthorizer", "Properties.Auth.ApiKeyRequired",
					"Properties.Cors", "Properties.CorsConfiguration", "Properties.EndpointConfiguration",
					"Properties.DefinitionBody.paths", "Properties.DefinitionBody.securityDefinitions",
					"Properties.DefinitionBody.components.securitySchemes", "Properties.DefinitionBody.security",
					"Properties.DefinitionBody.x-amazon-apigateway-cors",
					"Properties.Body.paths", "Properties.Body.securityDefinitions", "Properties.Body.security")
				for _, s := range apiSettings {
					c.explainPath(id, append(path{"Properties"}, s.at...))
				}
			}
		}
		subj := o.orNew(n).kind + " API " + id
		switch {
		case o == nil:
			c.add(API, Info, subj, "added%s", apiSummary(n))
		case n == nil:
			c.add(API, Review, subj, "removed, with its routes")
		default:
			c.apiChanged(o, n, subj)
		}
		if o == nil || n == nil {
			continue
		}
		for _, name := range sortedKeys(o.authorizers, n.authorizers) {
			a, b := o.authorizers[name], n.authorizers[name]
			asubj := "authorizer " + prefix(id) + name
			switch {
			case a == nil:
				c.add(API, Info, asubj, "added (%s)", describeAuthorizer(b))
			case b == nil:
				c.add(API, Review, asubj, "removed (%s)", describeAuthorizer(a))
			default:
				var changes []string
				for _, p := range leafDiff(a, b, nil) {
					changes = append(changes, change("", p, get(a, p...), get(b, p...)))
				}
				if len(changes) > 0 {
					c.add(API, Review, asubj, "changed: %s", strings.Join(changes, "; "))
				}
			}
		}
	}
	for _, id := range c.unionIDs("AWS::Serverless::Function") {
		for _, t := range []*Template{c.old, c.new} {
			if r := t.Resources[id]; r != nil {
				for name, ev := range mapOf(r.Props["Events"]) {
					if typ, _ := mapOf(ev)["Type"].(string); slices.Contains(apiEventTypes, typ) {
						c.explainPath(id, path{"Properties", "Events", name})
					}
				}
			}
		}
	}
	for _, id := range c.unionIDs("AWS::ApiGatewayV2::Route") {
		c.claimed[id] = true
		c.explain(id, "Properties.RouteKey", "Properties.AuthorizationType", "Properties.AuthorizerId",
			"Properties.AuthorizationScopes", "Properties.ApiKeyRequired", "Properties.Target")
	}
	for _, key := range sortedKeys(om.routes, nm.routes) {
		o, n := om.routes[key], nm.routes[key]
		r := o.orNew(n)
		subj := prefix(r.api) + strings.TrimSpace(r.method+" "+r.path)
		if r.method == "" && !multi {
			subj = r.api + " " + r.path
		}
		switch {
		case o == nil:
			if n.public() && publicKind(nm.apis[n.api], n) {
				c.add(API, Risk, subj, "added, public: no authorizer and no API key")
			} else {
				c.add(API, Info, subj, "added (%s)", routeAuth(n))
			}
		case n == nil:
			if nm.apis[o.api] != nil {
				c.add(API, Review, subj, "removed")
			}
		default:
			c.routeChanged(o, n, subj)
		}
	}
	c.functionURLs()
}

func (a *api) orNew(b *api) *api {
	if a != nil {
		return a
	}
	return b
}

func (r *route) orNew(b *route) *route {
	if r != nil {
		return r
	}
	return b
}

// publicKind reports whether a route without auth is reachable by anyone:
// WebSocket routes other than $connect need a connection first.
func publicKind(a *api, r *route) bool {
	return a == nil || a.kind != "WebSocket" || r.path == "$connect"
}

func routeAuth(r *route) string {
	var parts []string
	if len(r.auth) > 0 {
		parts = append(parts, "authorizer "+strings.Join(r.auth, ", "))
	}
	if len(r.scopes) > 0 {
		parts = append(parts, "scopes "+strings.Join(r.scopes, ", "))
	}
	if r.apiKey {
		parts = append(parts, "API key")
	}
	if len(parts) == 0 {
		return "public"
	}
	return strings.Join(parts, ", ")
}

func apiSummary(a *api) string {
	if a.resource == nil {
		return " (implicit, from function events)"
	}
	var parts []string
	if s, ok := scalar(a.resource.Props["StageName"]); ok {
		parts = append(parts, "stage "+s)
	}
	if e := endpointType(a.resource.Props["EndpointConfiguration"]); e != "" {
		parts = append(parts, "endpoint "+e)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// describeAuthorizer summarizes an authorizer definition (a Swagger
// security scheme or a SAM Auth.Authorizers entry).
func describeAuthorizer(def any) string {
	d := mapOf(def)
	if x := mapOf(d["x-amazon-apigateway-authorizer"]); x != nil {
		t := render(x["type"])
		switch {
		case x["providerARNs"] != nil:
			return t + " " + strings.Join(strs(x["providerARNs"]), ", ")
		case x["authorizerUri"] != nil:
			return t + " authorizer " + integrationTarget(map[string]any{"x-amazon-apigateway-integration": map[string]any{"uri": x["authorizerUri"]}})
		case x["jwtConfiguration"] != nil:
			return "jwt " + compact(x["jwtConfiguration"])
		}
		return t
	}
	if t, ok := d["x-amazon-apigateway-authtype"]; ok {
		return render(t)
	}
	for _, k := range []string{"UserPoolArn", "FunctionArn", "JwtConfiguration"} {
		if v, ok := d[k]; ok {
			return strings.ToLower(k[:1]) + k[1:] + " " + show(v)
		}
	}
	return show(def)
}

func (c *comparison) apiChanged(o, n *api, subj string) {
	if o.resource == nil || n.resource == nil {
		return
	}
	op, np := o.resource.Props, n.resource.Props
	oe, ne := endpointType(op["EndpointConfiguration"]), endpointType(np["EndpointConfiguration"])
	if oe != ne {
		level := Review
		if oe == "PRIVATE" {
			level = Risk
		}
		c.add(API, level, subj, "endpoint type %s → %s", orDefault(oe), orDefault(ne))
	}
	for _, s := range apiSettings {
		a, b := get(op, s.at...), get(np, s.at...)
		if equal(a, b) {
			continue
		}
		if as, ok := scalar(a); ok || a == nil {
			if bs, ok := scalar(b); ok || b == nil {
				if a == nil {
					as = "none"
				}
				if b == nil {
					bs = "none"
				}
				c.add(API, Review, subj, "%s %s → %s", s.label, as, bs)
				continue
			}
		}
		var changes []string
		for _, p := range leafDiff(a, b, nil) {
			changes = append(changes, change("", p, get(a, p...), get(b, p...)))
		}
		c.add(API, Review, subj, "%s changed: %s", s.label, strings.Join(changes, "; "))
	}
}

func orDefault(s string) string {
	if s == "" {
		return "default"
	}
	return s
}

func (c *comparison) routeChanged(o, n *route, subj string) {
	switch {
	case len(o.auth) > 0 && len(n.auth) == 0 && !n.apiKey:
		c.add(API, Risk, subj, "authorizer %s removed: the route is now public", strings.Join(o.auth, ", "))
	case len(o.auth) > 0 && len(n.auth) == 0:
		c.add(API, Risk, subj, "authorizer %s removed: only the API key protects the route", strings.Join(o.auth, ", "))
	case len(o.auth) == 0 && len(n.auth) > 0:
		c.add(API, Review, subj, "authorizer %s added", strings.Join(n.auth, ", "))
	case !slices.Equal(o.auth, n.auth):
		c.add(API, Review, subj, "authorizer %s → %s", strings.Join(o.auth, ", "), strings.Join(n.auth, ", "))
	}
	if len(n.auth) > 0 {
		added, removed := setDiff(o.scopes, n.scopes)
		if len(removed) > 0 {
			c.add(API, Risk, subj, "%s no longer required: %s", plural(len(removed), "scope"), strings.Join(removed, ", "))
		}
		if len(added) > 0 {
			c.add(API, Review, subj, "now requires %s %s", plural(len(added), "scope"), strings.Join(added, ", "))
		}
	}
	switch {
	case o.apiKey && !n.apiKey && len(n.auth) == 0:
		c.add(API, Risk, subj, "API key no longer required: the route is now public")
	case o.apiKey && !n.apiKey:
		c.add(API, Risk, subj, "API key no longer required")
	case !o.apiKey && n.apiKey:
		c.add(API, Review, subj, "API key now required")
	}
	if o.cors != n.cors {
		switch {
		case n.cors == "":
			c.add(API, Info, subj, "CORS removed (was origin %s)", o.cors)
		case n.cors == "*" || strings.Contains(n.cors, "*"):
			c.add(API, Risk, subj, "CORS origin %s → %s: any site can call it from a browser", orNone(o.cors), n.cors)
		default:
			c.add(API, Review, subj, "CORS origin %s → %s", orNone(o.cors), n.cors)
		}
	}
	if o.target != n.target {
		c.add(API, Review, subj, "integration %s → %s", orNone(o.target), orNone(n.target))
	}
	if o.def != nil && n.def != nil {
		var keys []string
		for _, p := range leafDiff(o.def, n.def, nil) {
			if p[0] == "security" || (p[0] == "x-amazon-apigateway-integration" && len(p) > 1 && p[1] == "uri") {
				continue
			}
			keys = append(keys, p.String())
		}
		if len(keys) > 0 {
			c.add(API, Info, subj, "definition changed: %s", strings.Join(keys, ", "))
		}
	}
}

// functionURLs reports function URLs (SAM FunctionUrlConfig and
// AWS::Lambda::Url) added, removed or changed; one without auth is a
// public endpoint.
func (c *comparison) functionURLs() {
	type url struct{ auth, cors string }
	read := func(t *Template) map[string]url {
		out := map[string]url{}
		for _, id := range t.ids("AWS::Serverless::Function") {
			if cfg := mapOf(t.Resources[id].Props["FunctionUrlConfig"]); cfg != nil {
				out["function "+id] = url{auth: render(cfg["AuthType"]), cors: samCORS(get(cfg, "Cors", "AllowOrigins"))}
			}
		}
		for _, id := range t.ids("AWS::Lambda::Url") {
			p := t.Resources[id].Props
			out["function URL "+id] = url{auth: render(p["AuthType"]), cors: samCORS(get(p, "Cors", "AllowOrigins"))}
		}
		return out
	}
	for _, id := range c.unionIDs("AWS::Serverless::Function") {
		c.explain(id, "Properties.FunctionUrlConfig")
	}
	for _, id := range c.unionIDs("AWS::Lambda::Url") {
		c.claimed[id] = true
		c.explain(id, "Properties.AuthType", "Properties.Cors.AllowOrigins")
	}
	ou, nu := read(c.old), read(c.new)
	for _, subj := range sortedKeys(ou, nu) {
		o, ook := ou[subj]
		n, nok := nu[subj]
		switch {
		case !ook && n.auth == "NONE":
			c.add(API, Risk, subj, "function URL added, public: AuthType NONE")
		case !ook:
			c.add(API, Review, subj, "function URL added (AuthType %s)", n.auth)
		case !nok:
			c.add(API, Review, subj, "function URL removed")
		default:
			if o.auth != n.auth {
				level := Review
				if n.auth == "NONE" {
					level = Risk
				}
				c.add(API, level, subj, "function URL AuthType %s → %s", o.auth, n.auth)
			}
			if o.cors != n.cors {
				level := Review
				if strings.Contains(n.cors, "*") {
					level = Risk
				}
				c.add(API, level, subj, "function URL CORS origins %s → %s", orNone(o.cors), orNone(n.cors))
			}
		}
	}
}
