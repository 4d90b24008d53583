package cfn

import (
	"fmt"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

// binaryMediaTypes is Chalice's default list of binary media types, in its
// order.
var binaryMediaTypes = []string{
	"application/octet-stream", "application/x-tar", "application/zip",
	"audio/basic", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/wav", "audio/webm",
	"image/png", "image/jpg", "image/jpeg", "image/gif",
	"video/ogg", "video/mpeg", "video/webm",
}

// swaggerMethods maps the HTTP methods a route may answer to their Swagger
// operation keys.
var swaggerMethods = map[string]string{
	"GET": "get", "POST": "post", "PUT": "put", "DELETE": "delete",
	"PATCH": "patch", "HEAD": "head", "OPTIONS": "options",
	"ANY": "x-amazon-apigateway-any-method",
}

const (
	endpointType = "EDGE"
	// integrationURI is the aws_proxy integration of every operation: the API
	// handler function.
	integrationURI = "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${" + idAPIHandler + ".Arn}/invocations"
	// invokeSourceARN lets every stage, method and path of the API invoke the
	// API handler.
	invokeSourceARN = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + idRestAPI + "}/*"
)

// apiStage is the REST API's stage name.
func (b *builder) apiStage() string {
	if b.st.APIGatewayStage == "" {
		return stages.DefaultAPIStage
	}
	return b.st.APIGatewayStage
}

// api adds the REST API and the permission for it to invoke the API handler,
// when the app has routes.
func (b *builder) api() error {
	if !b.m.HasAPI() {
		return nil
	}
	if b.st.API.HTTP() {
		return b.httpAPI()
	}
	body, err := b.swagger()
	if err != nil {
		return err
	}
	restAPI := &serverless.Api{
		StageName:             b.apiStage(),
		EndpointConfiguration: &serverless.Api_EndpointConfiguration{Type: ptr(endpointType)},
		DefinitionBody:        body,
	}
	if err := b.apiSettings(restAPI, body); err != nil {
		return err
	}
	if err := b.addResource(idRestAPI, restAPI); err != nil {
		return err
	}
	perm := &lambda.Permission{
		Action:       "lambda:InvokeFunction",
		Principal:    "apigateway.amazonaws.com",
		FunctionName: b.in.placeholder(ref(idAPIHandler)),
		SourceArn:    b.in.placeholderPtr(sub(invokeSourceARN)),
	}
	return b.addResource(idInvokePermission, perm)
}

// swagger builds the API's Swagger 2.0 definition in Chalice's shape.
func (b *builder) swagger() (map[string]any, error) {
	auths, err := b.authorizerByName()
	if err != nil {
		return nil, err
	}
	paths := map[string]any{}
	for _, r := range b.m.Routes {
		ops, err := operations(r)
		if err != nil {
			return nil, err
		}
		if err := b.frontOperations(r, ops, auths); err != nil {
			return nil, err
		}
		if err := b.contractOperations(r, ops); err != nil {
			return nil, err
		}
		item, _ := paths[r.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[r.Path] = item
		}
		for key, op := range ops {
			if _, dup := item[key]; dup {
				return nil, fmt.Errorf("route %s: method %s is registered twice", r.Path, strings.ToUpper(key))
			}
			item[key] = op
		}
	}
	doc := map[string]any{
		"swagger": "2.0",
		"info": map[string]any{
			"version": "1.0",
			"title":   b.m.App,
		},
		"schemes":                                []any{"https"},
		"paths":                                  paths,
		"definitions":                            b.definitions(),
		"x-amazon-apigateway-binary-media-types": b.binaryTypes(),
	}
	if b.st.API.RequestValidation {
		doc["x-amazon-apigateway-request-validators"] = requestValidators()
	}
	if gr := gatewayResponses(b.m.Routes); gr != nil {
		doc["x-amazon-apigateway-gateway-responses"] = gr
	}
	defs, err := b.securityDefinitions(auths)
	if err != nil {
		return nil, err
	}
	if len(defs) > 0 {
		doc["securityDefinitions"] = defs
	}
	return doc, nil
}

// operations returns the Swagger operations of one route, keyed by
// lower-case method.
func operations(r manifest.Route) (map[string]any, error) {
	captures, err := pathCaptures(r.Path)
	if err != nil {
		return nil, err
	}
	if !slices.Equal(captures, r.Params) {
		return nil, fmt.Errorf("route %s: the manifest lists path parameters %q but the path has %q", r.Path, r.Params, captures)
	}
	if len(r.Methods) == 0 {
		return nil, fmt.Errorf("route %s has no methods", r.Path)
	}
	ops := make(map[string]any, len(r.Methods))
	for _, m := range r.Methods {
		key, ok := swaggerMethods[strings.ToUpper(m)]
		if !ok {
			return nil, fmt.Errorf("route %s: unsupported method %q", r.Path, m)
		}
		if _, dup := ops[key]; dup {
			return nil, fmt.Errorf("route %s: method %s is registered twice", r.Path, strings.ToUpper(m))
		}
		op := map[string]any{
			"consumes":  []any{"application/json"},
			"produces":  []any{"application/json"},
			"responses": map[string]any{"200": emptyResponse()},
			"x-amazon-apigateway-integration": map[string]any{
				"type":                "aws_proxy",
				"httpMethod":          "POST",
				"passthroughBehavior": "when_no_match",
				"contentHandling":     "CONVERT_TO_TEXT",
				"responses":           map[string]any{"default": map[string]any{"statusCode": "200"}},
				"uri":                 sub(integrationURI),
			},
		}
		if len(captures) > 0 {
			params := make([]any, len(captures))
			for i, name := range captures {
				params[i] = map[string]any{"name": name, "in": "path", "required": true, "type": "string"}
			}
			op["parameters"] = params
		}
		ops[key] = op
	}
	return ops, nil
}

// pathCaptures returns the names of the captures of a resource path, in
// order, without braces or the greedy "+": /files/{proxy+} → [proxy].
func pathCaptures(path string) ([]string, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("route %q: the path must start with /", path)
	}
	var names []string
	for seg := range strings.SplitSeq(path[1:], "/") {
		if !strings.ContainsAny(seg, "{}") {
			continue
		}
		name, ok := strings.CutPrefix(seg, "{")
		if ok {
			name, ok = strings.CutSuffix(name, "}")
		}
		name = strings.TrimSuffix(name, "+")
		if !ok || name == "" || strings.ContainsAny(name, "{}+") {
			return nil, fmt.Errorf("route %s: segment %q is not a capture like {name} or {name+}", path, seg)
		}
		names = append(names, name)
	}
	return names, nil
}

// strs converts a string slice to the []any that a generic tree holds.
func strs(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// emptyResponse is the 200 response every operation declares, as Chalice's
// Swagger does: its body is the Empty schema.
func emptyResponse() map[string]any {
	return map[string]any{
		"description": "200 response",
		"schema":      map[string]any{"$ref": "#/definitions/Empty"},
	}
}
