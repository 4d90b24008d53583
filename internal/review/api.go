package review

import (
	"regexp"
	"slices"
	"sort"
	"strings"
)

// apiTypes are the API resources whose routes the review reads.
var apiTypes = []string{"AWS::Serverless::Api", "AWS::ApiGateway::RestApi", "AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"}

// Implicit APIs SAM creates for events that name none.
const (
	implicitRestAPI = "ServerlessRestApi"
	implicitHTTPAPI = "ServerlessHttpApi"
)

// api is one API of a template.
type api struct {
	id   string
	kind string // REST, HTTP or WebSocket
	// authorizers maps an authorizer's name to its definition.
	authorizers map[string]any
	// defaultAuth, defaultKey and defaultCORS apply to routes from events.
	defaultAuth string
	defaultKey  bool
	defaultCORS string
	resource    *Resource // nil for SAM's implicit APIs
}

// route is one method on one path of an API.
type route struct {
	api, method, path string
	auth              []string // authorizer names (IAM for SigV4), sorted
	scopes            []string
	apiKey            bool
	cors              string // allowed origins, "" without CORS
	target            string // the integration: a function's logical ID or a URI
	def               map[string]any
}

func (r *route) public() bool { return len(r.auth) == 0 && !r.apiKey }

// apiModel is everything API-related in one template.
type apiModel struct {
	apis   map[string]*api
	routes map[string]*route // by api + " " + method + " " + path
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method"}

// functionInURI finds the function an aws_proxy integration URI invokes.
var functionInURI = regexp.MustCompile(`functions/\$\{([A-Za-z0-9]+)\.Arn\}`)

func integrationTarget(op map[string]any) string {
	integ := mapOf(op["x-amazon-apigateway-integration"])
	uri := integ["uri"]
	if uri == nil {
		if t, _ := integ["type"].(string); t != "" {
			return strings.ToLower(t)
		}
		return ""
	}
	if m := functionInURI.FindStringSubmatch(render(uri)); m != nil {
		return m[1]
	}
	if id := refTarget(uri); id != "" {
		return id
	}
	return show(uri)
}

// corsOrigin reads the allowed origin a mock OPTIONS method answers with.
func corsOrigin(op map[string]any) (string, bool) {
	integ := mapOf(op["x-amazon-apigateway-integration"])
	if t, _ := integ["type"].(string); strings.ToLower(t) != "mock" {
		return "", false
	}
	for _, resp := range mapOf(integ["responses"]) {
		params := mapOf(mapOf(resp)["responseParameters"])
		if v, ok := params["method.response.header.Access-Control-Allow-Origin"].(string); ok {
			return strings.Trim(v, "'"), true
		}
	}
	return "", true
}

// samCORS reads an Api's Cors or an HttpApi's CorsConfiguration.
func samCORS(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return strings.Trim(v, "'")
	case bool:
		if v {
			return "*"
		}
		return ""
	case map[string]any:
		if o, ok := v["AllowOrigin"]; ok {
			return strings.Trim(render(o), "'")
		}
		if o, ok := v["AllowOrigins"]; ok {
			origins := strs(o)
			for i := range origins {
				origins[i] = strings.Trim(origins[i], "'")
			}
			return strings.Join(origins, ", ")
		}
	}
	return show(v)
}

func models(t *Template) *apiModel {
	m := &apiModel{apis: map[string]*api{}, routes: map[string]*route{}}
	for _, id := range t.ids(apiTypes...) {
		r := t.Resources[id]
		a := &api{id: id, kind: "REST", authorizers: map[string]any{}, resource: r}
		switch r.Type {
		case "AWS::Serverless::HttpApi":
			a.kind = "HTTP"
		case "AWS::ApiGatewayV2::Api":
			a.kind = "HTTP"
			if pt, _ := r.Props["ProtocolType"].(string); pt == "WEBSOCKET" {
				a.kind = "WebSocket"
			}
		}
		auth := mapOf(r.Props["Auth"])
		for name, def := range mapOf(auth["Authorizers"]) {
			a.authorizers[name] = def
		}
		a.defaultAuth, _ = auth["DefaultAuthorizer"].(string)
		a.defaultKey = render(auth["ApiKeyRequired"]) == "true"
		a.defaultCORS = samCORS(r.Props["Cors"])
		if r.Type == "AWS::Serverless::HttpApi" {
			a.defaultCORS = samCORS(r.Props["CorsConfiguration"])
		}
		m.apis[id] = a
		body := mapOf(r.Props["DefinitionBody"])
		if body == nil {
			body = mapOf(r.Props["Body"])
		}
		m.readDefinition(a, body)
	}
	for _, id := range t.ids("AWS::Serverless::Function") {
		for _, ev := range mapOf(t.Resources[id].Props["Events"]) {
			m.readEvent(t, id, mapOf(ev))
		}
	}
	for _, id := range t.ids("AWS::ApiGatewayV2::Route") {
		p := t.Resources[id].Props
		apiID := refTarget(p["ApiId"])
		key, _ := p["RouteKey"].(string)
		method, path, found := strings.Cut(key, " ")
		if !found {
			method, path = "", key
		}
		rt := &route{api: apiID, method: method, path: path, target: show(p["Target"])}
		if tid := targetIntegration(p["Target"]); tid != "" {
			rt.target = integrationFunction(t, tid)
		}
		switch at, _ := p["AuthorizationType"].(string); at {
		case "", "NONE":
		case "AWS_IAM":
			rt.auth = []string{"IAM"}
		default:
			name := refTarget(p["AuthorizerId"])
			if name == "" {
				name = at
			}
			rt.auth = []string{name}
		}
		rt.scopes = strs(p["AuthorizationScopes"])
		rt.apiKey = render(p["ApiKeyRequired"]) == "true"
		m.routes[routeKey(rt)] = rt
	}
	return m
}

// targetIntegration reads "integrations/${X}" targets.
func targetIntegration(v any) string {
	s := render(v)
	if i := strings.Index(s, "integrations/${"); i >= 0 {
		rest := s[i+len("integrations/${"):]
		if j := strings.Index(rest, "}"); j >= 0 {
			return rest[:j]
		}
	}
	if j, ok := mapOf(v)["Fn::Join"].([]any); ok && len(j) == 2 {
		for _, e := range listOf(j[1]) {
			if id := refTarget(e); id != "" {
				return id
			}
		}
	}
	return ""
}

// integrationFunction names the function an ApiGatewayV2 integration
// invokes, or the integration's ID.
func integrationFunction(t *Template, id string) string {
	if r := t.Resources[id]; r != nil {
		if m := functionInURI.FindStringSubmatch(render(r.Props["IntegrationUri"])); m != nil {
			return m[1]
		}
	}
	return id
}

func routeKey(r *route) string { return r.api + " " + r.method + " " + r.path }

// readDefinition reads the routes and authorizers of a Swagger 2.0 or
// OpenAPI 3 definition.
func (m *apiModel) readDefinition(a *api, body map[string]any) {
	if body == nil {
		return
	}
	schemes := mapOf(body["securityDefinitions"])
	if schemes == nil {
		schemes = mapOf(get(body, "components", "securitySchemes"))
	}
	apiKeys := map[string]bool{}
	for name, def := range schemes {
		d := mapOf(def)
		if d["type"] == "apiKey" && d["x-amazon-apigateway-authtype"] == nil && strings.EqualFold(render(d["name"]), "x-api-key") {
			apiKeys[name] = true
			continue
		}
		a.authorizers[name] = def
	}
	if c := mapOf(body["x-amazon-apigateway-cors"]); c != nil {
		a.defaultCORS = strings.Join(strs(c["allowOrigins"]), ", ")
	}
	cors := map[string]string{}
	for p, ops := range mapOf(body["paths"]) {
		for method, op := range mapOf(ops) {
			opm := mapOf(op)
			if !slices.Contains(httpMethods, method) || opm == nil {
				continue
			}
			if method == "options" {
				if origin, ok := corsOrigin(opm); ok {
					cors[p] = origin
					continue
				}
			}
			rt := &route{api: a.id, method: strings.ToUpper(method), path: p, def: opm, target: integrationTarget(opm)}
			if method == "x-amazon-apigateway-any-method" {
				rt.method = "ANY"
			}
			sec, ok := opm["security"]
			if !ok {
				sec = body["security"]
			}
			for _, req := range listOf(sec) {
				for name, scopes := range mapOf(req) {
					if apiKeys[name] {
						rt.apiKey = true
						continue
					}
					if d := mapOf(a.authorizers[name]); d["x-amazon-apigateway-authtype"] == "awsSigv4" {
						name = "IAM"
					}
					rt.auth = append(rt.auth, name)
					rt.scopes = append(rt.scopes, strs(scopes)...)
				}
			}
			m.routes[routeKey(rt)] = rt
		}
	}
	for _, rt := range m.routes {
		if rt.api == a.id {
			rt.cors = a.defaultCORS
			if origin, ok := cors[rt.path]; ok {
				rt.cors = origin
			}
			sort.Strings(rt.auth)
			rt.auth = slices.Compact(rt.auth)
			sort.Strings(rt.scopes)
			rt.scopes = slices.Compact(rt.scopes)
		}
	}
}

// readEvent reads one Api or HttpApi event of a SAM function.
func (m *apiModel) readEvent(t *Template, fn string, ev map[string]any) {
	typ, _ := ev["Type"].(string)
	if typ != "Api" && typ != "HttpApi" {
		return
	}
	p := mapOf(ev["Properties"])
	apiID, kind := refTarget(p["RestApiId"]), "REST"
	if typ == "HttpApi" {
		apiID, kind = refTarget(p["ApiId"]), "HTTP"
	}
	if apiID == "" {
		apiID = implicitRestAPI
		if typ == "HttpApi" {
			apiID = implicitHTTPAPI
		}
	}
	a := m.apis[apiID]
	if a == nil {
		// SAM's implicit API takes its settings from Globals.
		a = &api{id: apiID, kind: kind, authorizers: map[string]any{}}
		g := mapOf(t.globals["Api"])
		if typ == "HttpApi" {
			g = mapOf(t.globals["HttpApi"])
		}
		auth := mapOf(g["Auth"])
		for name, def := range mapOf(auth["Authorizers"]) {
			a.authorizers[name] = def
		}
		a.defaultAuth, _ = auth["DefaultAuthorizer"].(string)
		a.defaultKey = render(auth["ApiKeyRequired"]) == "true"
		a.defaultCORS = samCORS(g["Cors"])
		if typ == "HttpApi" {
			a.defaultCORS = samCORS(g["CorsConfiguration"])
		}
		m.apis[apiID] = a
	}
	method, _ := p["Method"].(string)
	path, _ := p["Path"].(string)
	method = strings.ToUpper(method)
	if typ == "HttpApi" && method == "" && path == "" {
		method, path = "ANY", "$default"
	}
	rt := m.routes[apiID+" "+method+" "+path]
	if rt == nil {
		rt = &route{api: apiID, method: method, path: path, cors: a.defaultCORS}
		m.routes[routeKey(rt)] = rt
	}
	rt.target = fn
	auth := mapOf(p["Auth"])
	name, set := auth["Authorizer"].(string)
	if !set {
		name = a.defaultAuth
	}
	switch name {
	case "", "NONE":
		if set {
			rt.auth = nil
		}
	case "AWS_IAM":
		rt.auth = []string{"IAM"}
	default:
		rt.auth = []string{name}
	}
	if s, ok := auth["AuthorizationScopes"]; ok {
		rt.scopes = strs(s)
	}
	if k, ok := auth["ApiKeyRequired"]; ok {
		rt.apiKey = render(k) == "true"
	} else if a.defaultKey {
		rt.apiKey = true
	}
}

// endpointType reads an EndpointConfiguration (a string or {Type} or
// {Types}); "" when absent (EDGE for REST APIs).
func endpointType(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		if t, ok := v["Type"]; ok {
			return render(t)
		}
		if t, ok := v["Types"]; ok {
			return strings.Join(strs(t), ", ")
		}
	}
	return ""
}

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

// sortedKeys returns the keys of two maps, sorted, without duplicates.
func sortedKeys[V any](a, b map[string]V) []string {
	var out []string
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		out = append(out, k)
	}
	sort.Strings(out)
	return slices.Compact(out)
}
