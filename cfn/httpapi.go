package cfn

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/apigatewayv2"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

// This file builds a stage whose api_gateway_type is "http": an
// AWS::Serverless::HttpApi (payload format 2.0) instead of the REST API,
// the API function's HttpApi events, JWT, Lambda and IAM authorizers, the
// native CORS configuration, throttling, access logs and the custom domain
// (AWS::ApiGatewayV2::DomainName and ApiMapping). What HTTP APIs lack is a
// build error naming the feature, the stage and the config line or route.
//
// The HttpApi is written from a property map (rawResource): goformation's
// HttpApi type spells AccessLogSettings as AccessLogSetting and has no
// EnableIamAuthorizer, and its Auth.Authorizers is untyped anyway.

// httpStageRef is SAM's reference to the stage it generates for the HTTP
// API: a Ref to it makes a resource wait for the stage.
const httpStageRef = idHTTPAPI + ".Stage"

// httpEndpointURL is the invoke URL of the HTTP API's stage.
const httpEndpointURL = "https://${" + idHTTPAPI + "}.execute-api.${AWS::Region}.${AWS::URLSuffix}/%s/"

// authorizerFunctionARN extracts the function ARN of a custom authorizer's
// invocation URI.
var authorizerFunctionARN = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/(arn:[^/]+)/invocations$`)

// cognitoPoolID splits a user pool ARN into region and pool ID.
var cognitoPoolID = regexp.MustCompile(`^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):\d{12}:userpool/([\w-]+_[0-9a-zA-Z]+)$`)

// httpAPI adds the HTTP API and the API function's HttpApi events.
func (b *builder) httpAPI() error {
	auths, err := b.authorizerByName()
	if err != nil {
		return err
	}
	cors, corsErr := b.httpCORS()
	if err := errors.Join(b.httpUnsupported(), corsErr); err != nil {
		return err
	}
	props := map[string]any{"StageName": b.apiStage()}
	authz, err := b.httpAuthorizers(auths)
	if err != nil {
		return err
	}
	if len(authz) > 0 {
		props["Auth"] = authz
	}
	if cors != nil {
		props["CorsConfiguration"] = cors
	}
	if th := b.st.API.Throttle; th != nil {
		rs := map[string]any{}
		if th.RateLimit > 0 {
			rs["ThrottlingRateLimit"] = th.RateLimit
		}
		if th.BurstLimit > 0 {
			rs["ThrottlingBurstLimit"] = th.BurstLimit
		}
		props["DefaultRouteSettings"] = rs
	}
	if al := b.st.API.AccessLog; al != nil {
		dest, err := b.accessLogDestination(al)
		if err != nil {
			return err
		}
		props["AccessLogSettings"] = map[string]any{"DestinationArn": dest, "Format": accessLogFormat(al, true)}
	}
	if err := b.addResource(idHTTPAPI, &rawResource{typ: "AWS::Serverless::HttpApi", props: props}); err != nil {
		return err
	}
	return b.httpEvents(auths)
}

// restAccessLogFormat is the REST API's default access log format: the
// HTTP API's, with the resource path in place of the route key.
var restAccessLogFormat = strings.Replace(stages.DefaultAccessLogFormat, `"routeKey":"$context.routeKey"`, `"resourcePath":"$context.resourcePath"`, 1)

// accessLogFormat is the configured format, else the default of the API
// type.
func accessLogFormat(al *stages.AccessLog, http bool) string {
	switch {
	case al.Format != "":
		return al.Format
	case http:
		return stages.DefaultAccessLogFormat
	}
	return restAccessLogFormat
}

// httpUnsupported reports every feature the stage or the app asks for that
// HTTP APIs do not have, each naming the feature and where it was asked.
func (b *builder) httpUnsupported() error {
	a := b.st.API
	stage := fmt.Sprintf("stage %q sets api_gateway_type \"http\"", b.st.Name)
	if w := a.Where["api_gateway_type"]; w != "" {
		stage += " at " + w
	}
	var errs []error
	cfg := func(key, what, hint string) {
		w := a.Where[key]
		if w == "" {
			w = key
		}
		msg := fmt.Sprintf("%s: %s is not available on HTTP APIs (%s)", w, what, stage)
		if hint != "" {
			msg += "; " + hint
		}
		errs = append(errs, errors.New(msg))
	}
	if a.UsagePlan != nil {
		cfg("usage_plan", "usage_plan (API keys and usage plans)", "use api_gateway_throttle for throttling")
	}
	if a.EndpointType == stages.EndpointPrivate {
		cfg("api_gateway_endpoint_type", "a PRIVATE endpoint", "HTTP APIs are regional and public")
	} else if a.EndpointType == stages.EndpointEdge {
		cfg("api_gateway_endpoint_type", "an EDGE endpoint", "HTTP APIs are regional; drop the key or use REGIONAL")
	}
	if len(a.EndpointVPCEs) > 0 {
		cfg("api_gateway_endpoint_vpce", "api_gateway_endpoint_vpce (private endpoints)", "")
	}
	if a.Policy != nil {
		cfg("api_gateway_policy_file", "api_gateway_policy_file (resource policies)", "protect routes with an authorizer instead")
	}
	if a.MinimumCompressionSize != nil {
		cfg("minimum_compression_size", "minimum_compression_size (payload compression)", "")
	}
	if a.XRay {
		cfg("xray", "X-Ray tracing of the API stage", "trace the functions with xray under lambda_functions.<name> (e.g. api_handler) instead")
	}
	if a.RequestValidation {
		cfg("api_gateway_request_validation", "api_gateway_request_validation (request validators)", "typed views still refuse bad bodies in the function")
	}
	if d := a.CustomDomain; d != nil && d.TLSVersion == "TLS_1_0" {
		cfg("api_gateway_custom_domain", "tls_version TLS_1_0", "HTTP API custom domains use TLS_1_2")
	}
	for _, r := range b.m.Routes {
		for _, v := range r.Views {
			if v.APIKeyRequired {
				errs = append(errs, fmt.Errorf("route %s %s: API keys (APIKeyRequired) are not available on HTTP APIs (%s)", v.Method, r.Path, stage))
			}
		}
	}
	return errors.Join(errs...)
}

// httpAuthorizers builds the HttpApi's Auth: JWT authorizers for Cognito,
// Lambda authorizers (payload 2.0 and simple responses for built-in ones,
// 1.0 and IAM policies for custom ones) and the IAM authorizer.
func (b *builder) httpAuthorizers(auths map[string]manifest.Authorizer) (map[string]any, error) {
	defs := map[string]any{}
	iam := false
	owners := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(auths)) {
		a := auths[name]
		key := httpAuthorizerKey(name)
		if other, dup := owners[key]; dup && a.Type != manifest.AuthIAM {
			return nil, fmt.Errorf("authorizers %q and %q both map to the HTTP API authorizer name %q; rename one", other, name, key)
		}
		owners[key] = name
		header := a.Header
		if header == "" {
			header = defaultTokenHdr
		}
		switch a.Type {
		case manifest.AuthIAM:
			iam = true
		case manifest.AuthCognito:
			def, err := b.jwtAuthorizer(a, header)
			if err != nil {
				return nil, err
			}
			defs[key] = def
		case manifest.AuthBuiltin, manifest.AuthCustom:
			ttl := defaultAuthTTL
			if a.TTLSeconds != nil {
				ttl = *a.TTLSeconds
			}
			if ttl < 0 || ttl > 3600 {
				return nil, fmt.Errorf("authorizer %q: TTL %d is outside 0–3600 seconds", name, ttl)
			}
			identity, err := httpIdentity(a, header)
			if err != nil {
				return nil, err
			}
			def := map[string]any{"EnableFunctionDefaultPermissions": true}
			if a.Type == manifest.AuthBuiltin {
				def["FunctionArn"] = getAtt(b.ids[a.Name], "Arn")
				def["AuthorizerPayloadFormatVersion"] = "2.0"
				def["EnableSimpleResponses"] = true
				if ttl > 0 {
					// A simple response is cached per identity, for every
					// route: the route key in the identity keeps an answer
					// for one route from serving another.
					identity["Context"] = []any{"routeKey"}
				}
			} else {
				m := authorizerFunctionARN.FindStringSubmatch(a.URI)
				if m == nil {
					return nil, fmt.Errorf("custom authorizer %q: URI %q is not a Lambda invocation URI (arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations), which an HTTP API needs", name, a.URI)
				}
				def["FunctionArn"] = m[1]
				def["AuthorizerPayloadFormatVersion"] = "1.0"
			}
			identity["ReauthorizeEvery"] = ttl
			def["Identity"] = identity
			defs[key] = def
		}
	}
	out := map[string]any{}
	if len(defs) > 0 {
		out["Authorizers"] = defs
	}
	if iam {
		out["EnableIamAuthorizer"] = true
	}
	return out, nil
}

// httpAuthorizerKey is an authorizer's name in the HTTP API: its logical ID
// form (token_auth → TokenAuth), as SAM builds logical IDs from it.
func httpAuthorizerKey(name string) string { return LogicalID(name) }

// httpIdentity maps an authorizer's identity sources to a SAM Lambda
// authorizer's Identity: the token header, or the REST expressions
// method.request.header.X, method.request.querystring.X, stageVariables.X
// and context.X.
func httpIdentity(a manifest.Authorizer, header string) (map[string]any, error) {
	if a.RequestType != "request" {
		return map[string]any{"Headers": []any{header}}, nil
	}
	groups := map[string][]any{}
	for _, src := range a.IdentitySources {
		key, name := "", ""
		for prefix, k := range map[string]string{
			"method.request.header.":      "Headers",
			"method.request.querystring.": "QueryStrings",
			"stageVariables.":             "StageVariables",
			"context.":                    "Context",
		} {
			if n, ok := strings.CutPrefix(src, prefix); ok {
				key, name = k, n
			}
		}
		if key == "" || name == "" {
			return nil, fmt.Errorf("authorizer %q: identity source %q has no HTTP API equivalent (use method.request.header.NAME, method.request.querystring.NAME, stageVariables.NAME or context.NAME)", a.Name, src)
		}
		groups[key] = append(groups[key], name)
	}
	out := map[string]any{}
	for k, v := range groups {
		out[k] = v
	}
	return out, nil
}

// jwtAuthorizer turns a Cognito authorizer into a JWT authorizer: the
// issuer is the user pool's URL, the audience its app clients.
func (b *builder) jwtAuthorizer(a manifest.Authorizer, header string) (map[string]any, error) {
	var issuers []any
	audience := strs(a.Audience)
	for _, p := range a.AudienceParams {
		audience = append(audience, ref(p))
	}
	for _, arn := range a.ProviderARNs {
		m := cognitoPoolID.FindStringSubmatch(arn)
		if m == nil {
			return nil, fmt.Errorf("cognito authorizer %q: %q is not a user pool ARN", a.Name, arn)
		}
		issuers = append(issuers, fmt.Sprintf("https://cognito-idp.%s.amazonaws.com/%s", m[1], m[2]))
	}
	for _, p := range a.ProviderARNParams {
		issuers = append(issuers, map[string]any{"Fn::Join": []any{"", []any{
			"https://cognito-idp.",
			map[string]any{"Fn::Select": []any{3, map[string]any{"Fn::Split": []any{":", ref(p)}}}},
			".amazonaws.com/",
			map[string]any{"Fn::Select": []any{1, map[string]any{"Fn::Split": []any{"/", ref(p)}}}},
		}}})
	}
	for _, p := range a.ProviderPools {
		id := UserPoolLogicalID(p)
		issuers = append(issuers, sub("https://cognito-idp.${AWS::Region}.amazonaws.com/${"+id+"}"))
		i := slices.IndexFunc(b.m.UserPools, func(up manifest.UserPool) bool { return up.Name == p })
		if i >= 0 && b.m.UserPools[i].AppClient {
			audience = append(audience, ref(id+"Client"))
		}
	}
	stage := fmt.Sprintf("stage %q is an HTTP API", b.st.Name)
	if len(issuers) != 1 {
		return nil, fmt.Errorf("cognito authorizer %q has %d user pools but a JWT authorizer (%s) trusts one issuer: give one pool", a.Name, len(issuers), stage)
	}
	if len(audience) == 0 {
		return nil, fmt.Errorf("cognito authorizer %q has no audience, which its JWT authorizer (%s) requires: give the app client IDs with framework.Audience or framework.AudienceParameter, or a pool declared with framework.WithAppClient", a.Name, stage)
	}
	return map[string]any{
		"IdentitySource":   "$request.header." + header,
		"JwtConfiguration": map[string]any{"issuer": issuers[0], "audience": audience},
	}, nil
}

// httpCORS is the HTTP API's CorsConfiguration: the app's one CORS
// configuration, which HTTP APIs apply to every route. Two routes with
// different configurations are an error naming both.
func (b *builder) httpCORS() (map[string]any, error) {
	var c *manifest.CORS
	owner := ""
	var methods []string
	for _, r := range b.m.Routes {
		if r.CORS == nil {
			continue
		}
		if c == nil {
			c, owner = r.CORS, r.Path
		} else if !corsEqual(c, r.CORS) {
			return nil, fmt.Errorf("routes %s and %s have different CORS configurations; an HTTP API (stage %q) has one for every route: give them the same", owner, r.Path, b.st.Name)
		}
		for _, v := range r.Views {
			if v.CORS {
				methods = append(methods, strings.ToUpper(v.Method))
			}
		}
	}
	if c == nil {
		return nil, nil
	}
	methods = append(methods, "OPTIONS")
	slices.Sort(methods)
	out := map[string]any{
		"AllowOrigins": []any{c.AllowOrigin},
		"AllowHeaders": strs(c.AllowHeaderList()),
		"AllowMethods": strs(slices.Compact(methods)),
	}
	if len(c.ExposeHeaders) > 0 {
		out["ExposeHeaders"] = strs(c.ExposeHeaders)
	}
	if c.MaxAge > 0 {
		out["MaxAge"] = c.MaxAge
	}
	if c.AllowCredentials {
		out["AllowCredentials"] = true
	}
	return out, nil
}

func corsEqual(a, b *manifest.CORS) bool {
	return a.AllowOrigin == b.AllowOrigin && slices.Equal(a.AllowHeaderList(), b.AllowHeaderList()) &&
		slices.Equal(a.ExposeHeaders, b.ExposeHeaders) && a.MaxAge == b.MaxAge && a.AllowCredentials == b.AllowCredentials
}

// httpEvents gives the API function one HttpApi event per route and
// method, with the view's authorizer.
func (b *builder) httpEvents(auths map[string]manifest.Authorizer) error {
	f, ok := b.serverlessFunction(idAPIHandler)
	if !ok {
		return fmt.Errorf("internal error: the API function is not a serverless function")
	}
	f.Events = map[string]serverless.Function_EventSource{}
	for _, r := range b.m.Routes {
		if _, err := operations(r); err != nil { // the same path and method checks as REST
			return err
		}
		views := map[string]manifest.View{}
		for _, v := range r.Views {
			views[strings.ToUpper(v.Method)] = v
		}
		for _, m := range r.Methods {
			m = strings.ToUpper(m)
			ev := &serverless.Function_HttpApiEvent{
				ApiId:                b.in.placeholderPtr(ref(idHTTPAPI)),
				Method:               ptr(m),
				Path:                 ptr(r.Path),
				PayloadFormatVersion: ptr("2.0"),
			}
			if v, ok := views[m]; ok && v.Authorizer != "" {
				a, ok := auths[v.Authorizer]
				if !ok {
					return fmt.Errorf("route %s %s: unknown authorizer %q (declared: %s)", m, r.Path, v.Authorizer, strings.Join(slices.Sorted(maps.Keys(auths)), ", "))
				}
				if len(v.Scopes) > 0 && a.Type != manifest.AuthCognito {
					return fmt.Errorf("route %s %s: scopes %q on authorizer %q of type %s; only Cognito authorizers have scopes", m, r.Path, v.Scopes, a.Name, a.Type)
				}
				auth := &serverless.Function_HttpApiFunctionAuth{Authorizer: ptr(httpAuthorizerKey(a.Name)), AuthorizationScopes: slices.Clone(v.Scopes)}
				if a.Type == manifest.AuthIAM {
					auth.Authorizer = ptr("AWS_IAM")
				}
				ev.Auth = auth
			}
			name := httpEventName(m, r.Path)
			for i := 2; ; i++ {
				if _, taken := f.Events[name]; !taken {
					break
				}
				name = fmt.Sprintf("%s%d", httpEventName(m, r.Path), i)
			}
			f.Events[name] = serverless.Function_EventSource{
				Type:       "HttpApi",
				Properties: &serverless.Function_Properties{HttpApiEvent: ev},
			}
		}
	}
	return nil
}

// httpEventName names a route's event: GET /hello/{name} → GetHelloName.
func httpEventName(method, path string) string {
	name := LogicalID(strings.ToLower(method) + "_" + strings.ReplaceAll(path, "/", "_"))
	if path == "/" {
		name += "Root"
	}
	return name
}

// httpCustomDomain adds api_gateway_custom_domain for an HTTP API: a
// regional AWS::ApiGatewayV2::DomainName and an ApiMapping to the stage SAM
// generates, referenced through HttpAPI.Stage so the mapping waits for it.
func (b *builder) httpCustomDomain() error {
	d := b.st.API.CustomDomain
	if d == nil {
		return nil
	}
	if !certARN.MatchString(d.CertificateARN) {
		return fmt.Errorf("api_gateway_custom_domain %s: certificate_arn %q is not an ACM certificate ARN", d.DomainName, d.CertificateARN)
	}
	dn := &apigatewayv2.DomainName{
		DomainName: d.DomainName,
		DomainNameConfigurations: []apigatewayv2.DomainName_DomainNameConfiguration{{
			CertificateArn: ptr(d.CertificateARN),
			EndpointType:   ptr(stages.EndpointRegional),
			SecurityPolicy: ptr("TLS_1_2"),
		}},
		Tags: maps.Clone(d.Tags),
	}
	if err := b.addFixed(idCustomDomain, dn, "the custom domain"); err != nil {
		return err
	}
	m := &apigatewayv2.ApiMapping{
		ApiId:      b.in.placeholder(ref(idHTTPAPI)),
		DomainName: b.in.placeholder(ref(idCustomDomain)),
		Stage:      b.in.placeholder(ref(httpStageRef)),
	}
	base := strings.Trim(d.BasePath, "/")
	if base != "" {
		m.ApiMappingKey = ptr(base)
	}
	if err := b.addFixed(idDomainMapping, m, "the custom domain's API mapping"); err != nil {
		return err
	}
	return b.customDomainOutputs(d.DomainName, "RegionalDomainName", "RegionalHostedZoneId", base)
}

// httpOutputs are the HTTP API's outputs, in place of the REST API's.
func (b *builder) httpOutputs() error {
	return b.addOutputList([]output{
		{"HttpAPIId", "ID of the HTTP API", ref(idHTTPAPI)},
		{"APIHandlerName", "Name of the API handler function", ref(idAPIHandler)},
		{"APIHandlerArn", "ARN of the API handler function", getAtt(idAPIHandler, "Arn")},
		{"EndpointURL", "URL of the HTTP API's stage", sub(fmt.Sprintf(httpEndpointURL, b.apiStage()))},
	})
}

// httpAudienceParameter declares the String parameter holding an app client
// ID of a JWT authorizer's audience, unless the config declares it.
func (b *builder) httpAudienceParameter(authorizer, p string) error {
	if !alnumName.MatchString(p) {
		return fmt.Errorf("cognito authorizer %q: parameter name %q must be alphanumeric", authorizer, p)
	}
	if _, taken := b.t.Resources[p]; taken {
		return fmt.Errorf("cognito authorizer %q: parameter %q has the logical ID of a resource", authorizer, p)
	}
	if b.st.HasParameter(p) {
		return nil
	}
	if _, done := b.t.Parameters[p]; done {
		return nil
	}
	b.t.Parameters[p] = cloudformation.Parameter{
		Type:           "String",
		Description:    ptr(fmt.Sprintf("ID of a Cognito app client in the audience of authorizer %s", authorizer)),
		AllowedPattern: ptr(`[\w+]+`),
	}
	return nil
}
