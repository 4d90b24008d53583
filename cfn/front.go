package cfn

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"
	"github.com/awslabs/goformation/v7/cloudformation/tags"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

// This file holds what API Gateway does in front of the API function:
// authorizers, CORS preflight, API keys and usage plans, content types,
// binary media types, and the stage's API settings (endpoint type, resource
// policy, compression, tracing, custom domain).

// Fixed logical IDs of the front door's resources.
const (
	idUsagePlan      = "APIUsagePlan"
	idAPIKey         = "APIKey"
	idUsagePlanKey   = "APIUsagePlanKey"
	idCustomDomain   = "ApiGatewayCustomDomain"
	idDomainMapping  = "ApiGatewayCustomDomainMapping"
	apiKeySecurity   = "api_key"
	defaultAuthTTL   = 300
	defaultTokenHdr  = "Authorization"
	stageRef         = idRestAPI + ".Stage" // SAM's reference to the Api's stage
	authorizerURIFmt = "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${%s.Arn}/invocations"
)

var (
	vpceID        = regexp.MustCompile(`^vpce-[0-9a-f]{8}([0-9a-f]{9})?$`)
	certARN       = regexp.MustCompile(`^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]+$`)
	userPoolARN   = regexp.MustCompile(`^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool/[\w-]+_[0-9a-zA-Z]+$`)
	alnumName     = regexp.MustCompile(`^[A-Za-z0-9]+$`)
	quotaPeriods  = []string{"DAY", "WEEK", "MONTH"}
	endpointTypes = []string{stages.EndpointEdge, stages.EndpointRegional, stages.EndpointPrivate}
)

// authorizerByName returns the manifest's authorizers by name, rejecting
// duplicates and built-in authorizers without their function.
func (b *builder) authorizerByName() (map[string]manifest.Authorizer, error) {
	out := make(map[string]manifest.Authorizer, len(b.m.Authorizers))
	fnKind := map[string]string{}
	for _, fn := range b.m.Functions {
		fnKind[fn.Name] = fn.Kind
	}
	for _, a := range b.m.Authorizers {
		if _, dup := out[a.Name]; dup {
			return nil, fmt.Errorf("authorizer %q is declared twice", a.Name)
		}
		if a.Name == apiKeySecurity {
			return nil, fmt.Errorf("authorizer %q: the name is reserved for API keys", a.Name)
		}
		switch a.Type {
		case manifest.AuthIAM, manifest.AuthCustom:
		case manifest.AuthCognito:
			if len(a.ProviderARNs)+len(a.ProviderARNParams)+len(a.ProviderPools) == 0 {
				return nil, fmt.Errorf("cognito authorizer %q has no user pool ARN", a.Name)
			}
			for _, p := range a.ProviderPools {
				if !slices.ContainsFunc(b.m.UserPools, func(up manifest.UserPool) bool { return up.Name == p }) {
					return nil, fmt.Errorf("cognito authorizer %q: user pool %q is not declared in the app", a.Name, p)
				}
			}
			for _, arn := range a.ProviderARNs {
				if !userPoolARN.MatchString(arn) {
					return nil, fmt.Errorf("cognito authorizer %q: %q is not a user pool ARN", a.Name, arn)
				}
			}
		case manifest.AuthBuiltin:
			if fnKind[a.Name] != manifest.KindAuthorizer {
				return nil, fmt.Errorf("built-in authorizer %q has no function of kind %q", a.Name, manifest.KindAuthorizer)
			}
		default:
			return nil, fmt.Errorf("authorizer %q has unknown type %q", a.Name, a.Type)
		}
		if a.Type == manifest.AuthCustom && a.URI == "" {
			return nil, fmt.Errorf("custom authorizer %q has no authorizer URI", a.Name)
		}
		out[a.Name] = a
	}
	for _, fn := range b.m.Functions {
		if fn.Kind == manifest.KindAuthorizer {
			if a, ok := out[fn.Name]; !ok || a.Type != manifest.AuthBuiltin {
				return nil, fmt.Errorf("function %q is an authorizer but the manifest declares no built-in authorizer of that name", fn.Name)
			}
		}
	}
	return out, nil
}

// frontOperations adds a route's view settings to its Swagger operations:
// consumes, security and, for CORS routes, the mock OPTIONS method.
func (b *builder) frontOperations(r manifest.Route, ops map[string]any, auths map[string]manifest.Authorizer) error {
	var corsMethods []string
	for _, v := range r.Views {
		key, ok := swaggerMethods[strings.ToUpper(v.Method)]
		op, found := ops[key].(map[string]any)
		if !ok || !found {
			return fmt.Errorf("route %s: settings for method %s, which the route does not have", r.Path, v.Method)
		}
		if len(v.ContentTypes) > 0 {
			op["consumes"] = strs(v.ContentTypes)
		}
		sec := map[string]any{}
		if v.APIKeyRequired {
			sec[apiKeySecurity] = []any{}
		}
		if v.Authorizer != "" {
			a, ok := auths[v.Authorizer]
			if !ok {
				return fmt.Errorf("route %s %s: unknown authorizer %q (declared: %s)", v.Method, r.Path, v.Authorizer, strings.Join(slices.Sorted(maps.Keys(auths)), ", "))
			}
			if len(v.Scopes) > 0 && a.Type != manifest.AuthCognito {
				return fmt.Errorf("route %s %s: scopes %q on authorizer %q of type %s; only Cognito authorizers have scopes", v.Method, r.Path, v.Scopes, a.Name, a.Type)
			}
			sec[a.Name] = strs(v.Scopes)
		}
		if len(sec) > 0 {
			op["security"] = []any{sec}
		}
		if v.CORS {
			if r.CORS == nil {
				return fmt.Errorf("route %s %s has CORS but the route has no CORS configuration", v.Method, r.Path)
			}
			corsMethods = append(corsMethods, strings.ToUpper(v.Method))
		}
	}
	if len(corsMethods) == 0 {
		return nil
	}
	if _, dup := ops["options"]; dup {
		return fmt.Errorf("route %s has both an OPTIONS view and CORS; API Gateway answers the preflight", r.Path)
	}
	ops["options"] = preflight(r.CORS, corsMethods)
	return nil
}

// preflight is the mock OPTIONS operation answering a CORS preflight, as
// Chalice emits it.
func preflight(c *manifest.CORS, methods []string) map[string]any {
	methods = append(slices.Clone(methods), "OPTIONS")
	slices.Sort(methods)
	hdrs := c.Headers()
	hdrs["Access-Control-Allow-Methods"] = strings.Join(methods, ",")
	params := map[string]any{}
	schema := map[string]any{}
	for k, v := range hdrs {
		params["method.response.header."+k] = "'" + v + "'"
		schema[k] = map[string]any{"type": "string"}
	}
	ok := emptyResponse()
	ok["headers"] = schema
	return map[string]any{
		"consumes":  []any{"application/json"},
		"produces":  []any{"application/json"},
		"responses": map[string]any{"200": ok},
		"x-amazon-apigateway-integration": map[string]any{
			"type":                "mock",
			"passthroughBehavior": "when_no_match",
			"contentHandling":     "CONVERT_TO_TEXT",
			"requestTemplates":    map[string]any{"application/json": `{"statusCode": 200}`},
			"responses": map[string]any{
				"default": map[string]any{"statusCode": "200", "responseParameters": params},
			},
		},
	}
}

// securityDefinitions returns the Swagger security definitions of the
// authorizers and, when a route requires one, of API keys.
func (b *builder) securityDefinitions(auths map[string]manifest.Authorizer) (map[string]any, error) {
	defs := map[string]any{}
	for _, r := range b.m.Routes {
		for _, v := range r.Views {
			if v.APIKeyRequired {
				defs[apiKeySecurity] = map[string]any{"type": "apiKey", "name": "x-api-key", "in": "header"}
			}
		}
	}
	for name, a := range auths {
		header := a.Header
		if header == "" {
			header = defaultTokenHdr
		}
		def := map[string]any{"in": "header", "type": "apiKey", "name": header}
		switch a.Type {
		case manifest.AuthIAM:
			def["x-amazon-apigateway-authtype"] = "awsSigv4"
		case manifest.AuthCognito:
			arns := strs(a.ProviderARNs)
			for _, p := range a.ProviderARNParams {
				arns = append(arns, ref(p))
			}
			for _, p := range a.ProviderPools {
				arns = append(arns, getAtt(UserPoolLogicalID(p), "Arn"))
			}
			def["x-amazon-apigateway-authtype"] = "cognito_user_pools"
			def["x-amazon-apigateway-authorizer"] = map[string]any{"type": "cognito_user_pools", "providerARNs": arns}
		case manifest.AuthCustom, manifest.AuthBuiltin:
			ttl := defaultAuthTTL
			if a.TTLSeconds != nil {
				ttl = *a.TTLSeconds
			}
			if ttl < 0 || ttl > 3600 {
				return nil, fmt.Errorf("authorizer %q: TTL %d is outside 0–3600 seconds", name, ttl)
			}
			var uri any = a.URI
			if a.Type == manifest.AuthBuiltin {
				uri = sub(fmt.Sprintf(authorizerURIFmt, b.ids[a.Name]))
			}
			az := map[string]any{"type": "token", "authorizerUri": uri, "authorizerResultTtlInSeconds": ttl}
			if a.RequestType == "request" {
				az["type"] = "request"
				az["identitySource"] = strings.Join(a.IdentitySources, ", ")
			}
			def["x-amazon-apigateway-authtype"] = "custom"
			def["x-amazon-apigateway-authorizer"] = az
		}
		defs[name] = def
	}
	return defs, nil
}

// binaryTypes is Chalice's default list followed by the app's own types.
func (b *builder) binaryTypes() []any {
	out := strs(binaryMediaTypes)
	for _, t := range b.m.BinaryTypes {
		if !slices.Contains(binaryMediaTypes, t) {
			out = append(out, t)
		}
	}
	return out
}

// apiSettings applies the stage's API settings to the Api resource and the
// Swagger document.
func (b *builder) apiSettings(api *serverless.Api, doc map[string]any) error {
	s := b.st.API
	typ := s.EndpointType
	if typ == "" {
		typ = stages.EndpointEdge
	}
	if !slices.Contains(endpointTypes, typ) {
		return fmt.Errorf("api_gateway_endpoint_type %q: want one of %s", typ, strings.Join(endpointTypes, ", "))
	}
	api.EndpointConfiguration = &serverless.Api_EndpointConfiguration{Type: ptr(typ)}
	switch {
	case typ == stages.EndpointPrivate && len(s.EndpointVPCEs) == 0:
		return fmt.Errorf("api_gateway_endpoint_type PRIVATE needs api_gateway_endpoint_vpce (the VPC endpoint ids that may call the API)")
	case typ != stages.EndpointPrivate && len(s.EndpointVPCEs) > 0:
		return fmt.Errorf("api_gateway_endpoint_vpce is set but api_gateway_endpoint_type is %s; VPC endpoints apply to PRIVATE APIs only", typ)
	}
	for _, id := range s.EndpointVPCEs {
		if !vpceID.MatchString(id) {
			return fmt.Errorf("api_gateway_endpoint_vpce: %q is not a VPC endpoint id (vpce- and 8 or 17 hex digits)", id)
		}
	}
	if len(s.EndpointVPCEs) > 0 {
		api.EndpointConfiguration.VpcEndpointIds = slices.Clone(s.EndpointVPCEs)
	}
	if s.Policy != nil {
		doc["x-amazon-apigateway-policy"] = s.Policy
	}
	if n := s.MinimumCompressionSize; n != nil {
		if *n < 0 || *n > 10485760 {
			return fmt.Errorf("minimum_compression_size %d: want 0 to 10485760 bytes", *n)
		}
		api.MinimumCompressionSize = ptr(*n)
	}
	if s.XRay {
		api.TracingEnabled = ptr(true)
	}
	if th := s.Throttle; th != nil {
		ms := map[string]any{"ResourcePath": "/*", "HttpMethod": "*"}
		if th.RateLimit > 0 {
			ms["ThrottlingRateLimit"] = th.RateLimit
		}
		if th.BurstLimit > 0 {
			ms["ThrottlingBurstLimit"] = th.BurstLimit
		}
		api.MethodSettings = []any{ms}
	}
	if al := s.AccessLog; al != nil {
		dest, err := b.accessLogDestination(al)
		if err != nil {
			return err
		}
		api.AccessLogSetting = &serverless.Api_AccessLogSetting{DestinationArn: b.in.placeholderPtr(dest), Format: ptr(accessLogFormat(al, false))}
	}
	return nil
}

// idAccessLogGroup is the log group the template creates for the API
// stage's access log when api_gateway_access_log names no destination_arn.
const idAccessLogGroup = "APIAccessLogGroup"

// accessLogDestination is the access log's destination: the configured log
// group ARN, or the ARN of a log group the template creates, with the
// configured retention (stages.DefaultAccessLogRetention by default).
func (b *builder) accessLogDestination(al *stages.AccessLog) (any, error) {
	if al.DestinationARN != "" {
		return al.DestinationARN, nil
	}
	days := al.RetentionInDays
	if days == 0 {
		days = stages.DefaultAccessLogRetention
	}
	if err := b.addFixed(idAccessLogGroup, &logs.LogGroup{RetentionInDays: ptr(days)}, "the API's access log group"); err != nil {
		return nil, err
	}
	return getAtt(idAccessLogGroup, "Arn"), nil
}

// front adds the resources around the API: parameters of Cognito
// authorizers, built-in authorizers' invoke permissions, the usage plan and
// API key, and the custom domain.
func (b *builder) front() error {
	if !b.m.HasAPI() {
		if b.st.API.UsagePlan != nil || b.st.API.CustomDomain != nil {
			return fmt.Errorf("the stage configures a usage plan or custom domain but the app has no routes")
		}
		return nil
	}
	for _, a := range b.m.Authorizers {
		for _, p := range a.ProviderARNParams {
			if !alnumName.MatchString(p) {
				return fmt.Errorf("cognito authorizer %q: parameter name %q must be alphanumeric", a.Name, p)
			}
			if _, taken := b.t.Resources[p]; taken {
				return fmt.Errorf("cognito authorizer %q: parameter %q has the logical ID of a resource", a.Name, p)
			}
			if b.st.HasParameter(p) {
				continue // declared in the config, with its per-stage default
			}
			b.t.Parameters[p] = cloudformation.Parameter{
				Type:           "String",
				Description:    ptr(fmt.Sprintf("ARN of a Cognito user pool for authorizer %s", a.Name)),
				AllowedPattern: ptr(`arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[\w-]+_[0-9a-zA-Z]+`),
			}
		}
		if b.st.API.HTTP() {
			// Only a JWT authorizer uses the audience; a REST stage leaves
			// the parameters out (an unused parameter is a lint warning).
			for _, p := range a.AudienceParams {
				if err := b.httpAudienceParameter(a.Name, p); err != nil {
					return err
				}
			}
		}
		if a.Type != manifest.AuthBuiltin || b.st.API.HTTP() {
			continue // an HTTP API's Lambda authorizer gets its permission from SAM
		}
		id := b.ids[a.Name]
		perm := &lambda.Permission{
			Action:       "lambda:InvokeFunction",
			Principal:    "apigateway.amazonaws.com",
			FunctionName: b.in.placeholder(getAtt(id, "Arn")),
			SourceArn:    b.in.placeholderPtr(sub(invokeSourceARN)),
		}
		if err := b.addFixed(id+"InvokePermission", perm, "the invoke permission of authorizer "+a.Name); err != nil {
			return err
		}
	}
	if b.st.API.HTTP() {
		return b.httpCustomDomain()
	}
	if err := b.usagePlan(); err != nil {
		return err
	}
	return b.customDomain()
}

// addFixed adds a resource with a fixed logical ID, naming the function whose
// ID collides with it.
func (b *builder) addFixed(id string, r cloudformation.Resource, what string) error {
	for name, fid := range b.ids {
		if fid == id {
			return fmt.Errorf("function %q maps to logical ID %q, which %s needs; rename the function", name, id, what)
		}
	}
	return b.addResource(id, r)
}

// usagePlan adds the stage's usage plan, wired to the API's stage, and
// optionally an API key in it.
func (b *builder) usagePlan() error {
	u := b.st.API.UsagePlan
	if u == nil {
		return nil
	}
	switch {
	case u.ThrottleRateLimit < 0 || u.ThrottleBurstLimit < 0 || u.QuotaLimit < 0:
		return fmt.Errorf("usage_plan: throttle and quota limits must not be negative")
	case u.QuotaLimit > 0 && !slices.Contains(quotaPeriods, u.QuotaPeriod):
		return fmt.Errorf("usage_plan: quota.period %q: want one of %s", u.QuotaPeriod, strings.Join(quotaPeriods, ", "))
	case u.QuotaLimit == 0 && u.QuotaPeriod != "":
		return fmt.Errorf("usage_plan: quota.period %s without quota.limit", u.QuotaPeriod)
	}
	plan := &apigateway.UsagePlan{
		ApiStages: []apigateway.UsagePlan_ApiStage{{
			ApiId: b.in.placeholderPtr(ref(idRestAPI)),
			// A Ref to SAM's RestAPI.Stage makes the plan depend on the stage
			// SAM generates, so it is created after the stage exists.
			Stage: b.in.placeholderPtr(ref(stageRef)),
		}},
		Description: ptr(fmt.Sprintf("Usage plan of %s, stage %s", b.m.App, b.st.Name)),
	}
	if u.ThrottleRateLimit > 0 || u.ThrottleBurstLimit > 0 {
		plan.Throttle = &apigateway.UsagePlan_ThrottleSettings{}
		if u.ThrottleRateLimit > 0 {
			plan.Throttle.RateLimit = ptr(u.ThrottleRateLimit)
		}
		if u.ThrottleBurstLimit > 0 {
			plan.Throttle.BurstLimit = ptr(u.ThrottleBurstLimit)
		}
	}
	if u.QuotaLimit > 0 {
		plan.Quota = &apigateway.UsagePlan_QuotaSettings{Limit: ptr(u.QuotaLimit), Period: ptr(u.QuotaPeriod)}
	}
	if err := b.addFixed(idUsagePlan, plan, "the usage plan"); err != nil {
		return err
	}
	if err := b.addOutput("UsagePlanId", "ID of the API's usage plan", ref(idUsagePlan)); err != nil {
		return err
	}
	if !u.CreateAPIKey {
		return nil
	}
	key := &apigateway.ApiKey{
		Enabled:     ptr(true),
		Description: ptr(fmt.Sprintf("API key of %s, stage %s", b.m.App, b.st.Name)),
	}
	if err := b.addFixed(idAPIKey, key, "the API key"); err != nil {
		return err
	}
	planKey := &apigateway.UsagePlanKey{
		KeyId:       b.in.placeholder(ref(idAPIKey)),
		KeyType:     "API_KEY",
		UsagePlanId: b.in.placeholder(ref(idUsagePlan)),
	}
	if err := b.addFixed(idUsagePlanKey, planKey, "the usage plan's key"); err != nil {
		return err
	}
	return b.addOutput("APIKeyId", "ID of the API key (read its value with aws apigateway get-api-key --include-value)", ref(idAPIKey))
}

// customDomain adds api_gateway_custom_domain: the domain name and a base
// path mapping to the API's stage. The mapping refers to the stage through
// SAM's RestAPI.Stage, so it depends on it and deploys (Chalice #1735).
func (b *builder) customDomain() error {
	d := b.st.API.CustomDomain
	if d == nil {
		return nil
	}
	if d.DomainName == "" {
		return fmt.Errorf("api_gateway_custom_domain: domain_name is empty")
	}
	tls, err := domainSecurity("api_gateway_custom_domain "+d.DomainName, d.CertificateARN, d.TLSVersion)
	if err != nil {
		return err
	}
	typ := b.st.API.EndpointType
	if typ == "" {
		typ = stages.EndpointEdge
	}
	dn := &apigateway.DomainName{
		DomainName:            ptr(d.DomainName),
		SecurityPolicy:        ptr(tls),
		EndpointConfiguration: &apigateway.DomainName_EndpointConfiguration{Types: []string{typ}},
	}
	alias, zone := "DistributionDomainName", "DistributionHostedZoneId"
	switch typ {
	case stages.EndpointEdge:
		dn.CertificateArn = ptr(d.CertificateARN)
	case stages.EndpointRegional:
		dn.RegionalCertificateArn = ptr(d.CertificateARN)
		alias, zone = "RegionalDomainName", "RegionalHostedZoneId"
	default:
		return fmt.Errorf("api_gateway_custom_domain %s: a %s API cannot have this kind of custom domain; use EDGE or REGIONAL", d.DomainName, typ)
	}
	for _, k := range slices.Sorted(maps.Keys(d.Tags)) {
		dn.Tags = append(dn.Tags, tags.Tag{Key: k, Value: d.Tags[k]})
	}
	if err := b.addFixed(idCustomDomain, dn, "the custom domain"); err != nil {
		return err
	}
	m := &apigateway.BasePathMapping{
		DomainName: b.in.placeholder(ref(idCustomDomain)),
		RestApiId:  b.in.placeholderPtr(ref(idRestAPI)),
		Stage:      b.in.placeholderPtr(ref(stageRef)),
	}
	base := strings.Trim(d.BasePath, "/")
	if base != "" {
		m.BasePath = ptr(base)
	}
	if err := b.addFixed(idDomainMapping, m, "the custom domain's base path mapping"); err != nil {
		return err
	}
	return b.customDomainOutputs(d.DomainName, alias, zone, base)
}

// customDomainOutputs adds the outputs of the API's custom domain (REST or
// HTTP): the DNS alias target, the domain name resource's attributes alias
// and zone, and the API's URL there, under base path base.
func (b *builder) customDomainOutputs(domain, alias, zone, base string) error {
	return b.addOutputList([]output{
		{"AliasDomainName", "Target of the DNS alias (CNAME or Route 53 alias) for " + domain, getAtt(idCustomDomain, alias)},
		{"HostedZoneId", "Hosted zone ID of the alias target", getAtt(idCustomDomain, zone)},
		{"CustomDomainURL", "URL of the API on the custom domain", "https://" + domain + "/" + base},
	})
}

// domainSecurity checks a custom domain's certificate ARN and TLS version
// and returns its SecurityPolicy (TLS_1_2 unless TLS_1_0 is asked for);
// what names the domain in errors.
func domainSecurity(what, certificateARN, tlsVersion string) (string, error) {
	if !certARN.MatchString(certificateARN) {
		return "", fmt.Errorf("%s: certificate_arn %q is not an ACM certificate ARN", what, certificateARN)
	}
	tls := tlsVersion
	if tls == "" {
		tls = "TLS_1_2"
	}
	if tls != "TLS_1_0" && tls != "TLS_1_2" {
		return "", fmt.Errorf("%s: tls_version %q: want TLS_1_0 or TLS_1_2", what, tlsVersion)
	}
	return tls, nil
}
