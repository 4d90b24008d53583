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
