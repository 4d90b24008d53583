// Package openapi describes an app's REST API as an OpenAPI 3.0 document,
// from its manifest and a resolved stage: every path and method, path and
// query parameters, request and response bodies (the typed views' JSON
// Schemas, untyped bodies as any JSON), the error bodies, the security
// schemes of the authorizers and API keys, and the stage's URL as a server
// template. It never calls AWS.
package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

// Version is the OpenAPI version of the documents this package writes.
const Version = "3.0.3"

// Formats are the accepted output formats.
var Formats = []string{"yaml", "json"}

// APIKeyScheme is the name of the security scheme of API keys.
const APIKeyScheme = "api_key"

// GreedyExtension marks a path parameter that captures the rest of the path
// (API Gateway's {name+}): clients send its slashes unescaped.
const GreedyExtension = "x-gochalice-greedy"

const refPrefix = "#/components/schemas/"

// Document returns the OpenAPI document of the app's REST API as a tree of
// maps and slices. A greedy capture /files/{path+} is written /files/{path},
// its parameter marked with GreedyExtension. An app without routes is an
// error.
func Document(m *manifest.Manifest, st stages.Stage) (map[string]any, error) {
	if !m.HasAPI() {
		return nil, fmt.Errorf("app %s has no routes: there is no REST API to describe", m.App)
	}
	auths := map[string]manifest.Authorizer{}
	for _, a := range m.Authorizers {
		auths[a.Name] = a
	}
	schemes := map[string]any{}
	paths := map[string]any{}
	var roots []*manifest.Schema
	for _, r := range m.Routes {
		views := map[string]manifest.View{}
		for _, v := range r.Views {
			views[strings.ToUpper(v.Method)] = v
		}
		item := map[string]any{}
		for _, method := range r.Methods {
			v, ok := views[strings.ToUpper(method)]
			if !ok {
				v = manifest.View{Method: method}
			}
			op, err := operation(r, v, auths, schemes)
			if err != nil {
				return nil, err
			}
			roots = append(roots, v.Request, v.Response)
			item[strings.ToLower(method)] = op
		}
		paths[strings.ReplaceAll(r.Path, "+}", "}")] = item
	}
	schemas := map[string]any{manifest.ErrorModel: errorModel(m).JSONSchema(refPrefix)}
	for name := range m.ModelsUsedBy(roots...) {
		s := m.Models[name]
		if s == nil {
			return nil, fmt.Errorf("the manifest has no model %q", name)
		}
		schemas[name] = s.JSONSchema(refPrefix)
	}
	components := map[string]any{"schemas": schemas}
	if len(schemes) > 0 {
		components["securitySchemes"] = schemes
	}
	return map[string]any{
		"openapi":    Version,
		"info":       map[string]any{"title": m.App, "version": "1.0"},
		"servers":    servers(st),
		"paths":      paths,
		"components": components,
	}, nil
}

// errorModel is the manifest's error body model, or the framework's fixed
// shape for a manifest that lacks it.
func errorModel(m *manifest.Manifest) *manifest.Schema {
	if s := m.Models[manifest.ErrorModel]; s != nil {
		return s
	}
	str := &manifest.Schema{Type: manifest.TypeString}
	return &manifest.Schema{Type: manifest.TypeObject, Properties: []manifest.Property{{Name: "Code", Schema: str}, {Name: "Message", Schema: str}}, Required: []string{"Code", "Message"}}
}

// bodyMethods are the methods whose untyped views are documented with a
// request body.
var bodyMethods = []string{"PATCH", "POST", "PUT"}

// operation builds one operation and adds the security schemes it uses.
func operation(r manifest.Route, v manifest.View, auths map[string]manifest.Authorizer, schemes map[string]any) (map[string]any, error) {
	op := map[string]any{}
	if v.OperationID != "" {
		op["operationId"] = v.OperationID
	}
	if v.Summary != "" {
		op["summary"] = v.Summary
	}
	if v.Description != "" {
		op["description"] = v.Description
	}
	var params []any
	for _, p := range r.Params {
		param := map[string]any{"name": p, "in": "path", "required": true, "schema": map[string]any{"type": "string"}}
		if strings.Contains(r.Path, "{"+p+"+}") {
			// OpenAPI paths have no greedy captures: API Gateway's {proxy+}
			// is written {proxy}, its value may hold slashes.
			param["description"] = "the rest of the path; it may contain /"
			param[GreedyExtension] = true
		}
		params = append(params, param)
	}
	for _, q := range v.Query {
		p := map[string]any{"name": q.Name, "in": "query", "required": false, "schema": map[string]any{"type": "string"}}
		if q.Description != "" {
			p["description"] = q.Description
		}
		params = append(params, p)
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	content := func(s *manifest.Schema, types ...string) map[string]any {
		if len(types) == 0 {
			types = []string{"application/json"}
		}
		c := map[string]any{}
		for _, t := range types {
			c[t] = map[string]any{"schema": s.JSONSchema(refPrefix)}
		}
		return c
	}
	switch {
	case v.Typed && v.Request != nil:
		op["requestBody"] = map[string]any{"required": true, "content": content(v.Request, v.ContentTypes...)}
	case !v.Typed && slices.Contains(bodyMethods, strings.ToUpper(v.Method)):
		op["requestBody"] = map[string]any{"content": content(nil, v.ContentTypes...)}
	}
	errorResponse := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": content(&manifest.Schema{Ref: manifest.ErrorModel})}
	}
	responses := map[string]any{
		"200":     map[string]any{"description": "200 response", "content": content(v.Response)},
		"default": errorResponse("An error: its status and Code say which"),
	}
	if v.Typed && v.Request != nil {
		responses["400"] = errorResponse("The body is not valid for the request schema")
	}
	var sec map[string]any
	if v.APIKeyRequired {
		schemes[APIKeyScheme] = map[string]any{"type": "apiKey", "in": "header", "name": "x-api-key"}
		sec = map[string]any{APIKeyScheme: []any{}}
	}
	if v.Authorizer != "" {
		a, ok := auths[v.Authorizer]
		if !ok {
			return nil, fmt.Errorf("route %s %s: unknown authorizer %q", v.Method, r.Path, v.Authorizer)
		}
		scheme, err := securityScheme(a)
		if err != nil {
			return nil, err
		}
		schemes[a.Name] = scheme
		if sec == nil {
			sec = map[string]any{}
		}
		scopes := make([]any, len(v.Scopes))
		for i, s := range v.Scopes {
			scopes[i] = s
		}
		sec[a.Name] = scopes
		responses["401"] = errorResponse("No credentials, or credentials the authorizer refuses")
	}
	if sec != nil {
		op["security"] = []any{sec}
		responses["403"] = map[string]any{"description": "Forbidden by API Gateway (missing API key or denied by the authorizer)"}
	}
	op["responses"] = responses
	return op, nil
}

// securityScheme describes how a client authenticates with an authorizer:
// every kind reads a header.
func securityScheme(a manifest.Authorizer) (map[string]any, error) {
	header := a.Header
	if header == "" {
		header = "Authorization"
	}
	var desc string
	switch a.Type {
	case manifest.AuthIAM:
		desc = "AWS Signature Version 4 (AWS_IAM authorization)"
		header = "Authorization"
	case manifest.AuthCognito:
		desc = "An ID or access token of the Cognito user pool"
	case manifest.AuthCustom, manifest.AuthBuiltin:
		desc = "A token checked by the Lambda authorizer " + a.Name
		if a.RequestType == "request" {
			for _, src := range a.IdentitySources {
				if h, ok := strings.CutPrefix(src, "method.request.header."); ok {
					header = h
					break
				}
			}
		}
	default:
		return nil, fmt.Errorf("authorizer %q: unknown type %q", a.Name, a.Type)
	}
	return map[string]any{"type": "apiKey", "in": "header", "name": header, "description": desc}, nil
}

// servers returns the stage's URL: its custom domain, or the execute-api
// URL with the API id and region as variables (the stack's EndpointURL
// output gives the real one).
func servers(st stages.Stage) []any {
	if d := st.API.CustomDomain; d != nil {
		url := "https://" + d.DomainName
		if d.BasePath != "" {
			url += "/" + d.BasePath
		}
		return []any{map[string]any{"url": url, "description": "stage " + st.Name + " (custom domain)"}}
	}
	stage := st.APIGatewayStage
	if stage == "" {
		stage = stages.DefaultAPIStage
	}
	apiResource, idVar := "RestAPI", "restApiId"
	if st.API.HTTP() {
		apiResource, idVar = "HttpAPI", "apiId"
	}
	return []any{map[string]any{
		"url":         "https://{" + idVar + "}.execute-api.{region}.amazonaws.com/" + stage,
		"description": "stage " + st.Name + " (the stack's EndpointURL output)",
		"variables": map[string]any{
			idVar:    map[string]any{"default": idVar, "description": "the id of the stack's " + apiResource},
			"region": map[string]any{"default": "us-east-1", "description": "the stack's region"},
		},
	}}
}

// Encode writes a document as JSON (two-space indent, sorted keys) or YAML
// (OpenAPI's usual key order first, then sorted).
func Encode(doc map[string]any, format string) ([]byte, error) {
	switch format {
	case "json":
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	case "yaml":
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(node(doc)); err != nil {
			return nil, err
		}
		if err := enc.Close(); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("unknown format %q (want one of: %s)", format, strings.Join(Formats, ", "))
}

// keyOrder puts the keys OpenAPI readers expect first; other keys follow
// sorted.
var keyOrder = []string{
	"openapi", "info", "servers", "paths", "components",
	"operationId", "summary", "name", "in", "required", "title", "version", "url", "default",
	"description", "parameters", "requestBody", "responses", "security", "variables", "schema", "content", "type", "format",
}

func node(v any) *yaml.Node {
	switch v := v.(type) {
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode}
		keys := slices.Sorted(maps.Keys(v))
		slices.SortStableFunc(keys, func(a, b string) int {
			ia, ib := slices.Index(keyOrder, a), slices.Index(keyOrder, b)
			switch {
			case ia >= 0 && ib >= 0:
				return ia - ib
			case ia >= 0:
				return -1
			case ib >= 0:
				return 1
			}
			return 0
		})
		for _, k := range keys {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, node(v[k]))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range v {
			n.Content = append(n.Content, node(e))
		}
		return n
	}
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		panic(fmt.Sprintf("openapi: a scalar %T does not encode: %v", v, err)) // the tree holds only JSON scalars
	}
	return &n
}
