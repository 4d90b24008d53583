package cfn

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/gochalice/gochalice/framework/manifest"
)

// requestValidator is the name of the request validator the stage key
// api_gateway_request_validation declares.
const requestValidator = "body-and-params"

// swaggerRefPrefix is where Swagger 2.0 keeps models.
const swaggerRefPrefix = "#/definitions/"

// contractOperations adds a route's documentation and, for typed views, the
// body parameter and the 200 response schema to its Swagger operations;
// with request validation on, every operation names the validator.
func (b *builder) contractOperations(r manifest.Route, ops map[string]any) error {
	for _, v := range r.Views {
		op, _ := ops[swaggerMethods[strings.ToUpper(v.Method)]].(map[string]any)
		if op == nil {
			return fmt.Errorf("route %s: settings for method %s, which the route does not have", r.Path, v.Method)
		}
		if v.Summary != "" {
			op["summary"] = v.Summary
		}
		if v.Description != "" {
			op["description"] = v.Description
		}
		for _, q := range v.Query {
			params, _ := op["parameters"].([]any)
			op["parameters"] = append(params, map[string]any{"name": q.Name, "in": "query", "required": false, "type": "string"})
		}
		if !v.Typed {
			continue
		}
		for _, s := range []*manifest.Schema{v.Request, v.Response} {
			var err error
			s.Refs(func(name string) {
				if b.m.Models[name] == nil && err == nil {
					err = fmt.Errorf("route %s %s: the manifest has no model %q", v.Method, r.Path, name)
				}
			})
			if err != nil {
				return err
			}
		}
		if v.Request != nil {
			params, _ := op["parameters"].([]any)
			op["parameters"] = append(params, map[string]any{
				"in": "body", "name": "body", "required": true,
				"schema": v.Request.JSONSchema(swaggerRefPrefix),
			})
		}
		if !v.Response.IsAny() {
			op["responses"] = map[string]any{"200": map[string]any{
				"description": "200 response",
				"schema":      v.Response.JSONSchema(swaggerRefPrefix),
			}}
		}
	}
	if b.st.API.RequestValidation {
		for _, op := range ops {
			if op, ok := op.(map[string]any); ok && op["x-amazon-apigateway-integration"] != nil {
				if integ, _ := op["x-amazon-apigateway-integration"].(map[string]any); integ["type"] == "aws_proxy" {
					op["x-amazon-apigateway-request-validator"] = requestValidator
				}
			}
		}
	}
	return nil
}

// definitions returns the Swagger models: Empty, which untyped operations
// answer with, and every model the typed views use.
func (b *builder) definitions() map[string]any {
	defs := map[string]any{"Empty": map[string]any{"type": "object", "title": "Empty Schema"}}
	var roots []*manifest.Schema
	for _, r := range b.m.Routes {
		for _, v := range r.Views {
			roots = append(roots, v.Request, v.Response)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(b.m.ModelsUsedBy(roots...))) {
		if s := b.m.Models[name]; s != nil {
			defs[name] = s.JSONSchema(swaggerRefPrefix)
		}
	}
	return defs
}

// requestValidators is the x-amazon-apigateway-request-validators of an API
// with api_gateway_request_validation on.
func requestValidators() map[string]any {
	return map[string]any{requestValidator: map[string]any{
		"validateRequestBody":       true,
		"validateRequestParameters": true,
	}}
}
