package stages

// Endpoint types of a REST API (api_gateway_endpoint_type).
const (
	EndpointEdge     = "EDGE"
	EndpointRegional = "REGIONAL"
	EndpointPrivate  = "PRIVATE"
)

// API types of a stage (api_gateway_type).
const (
	// APITypeREST is an API Gateway REST API (AWS::Serverless::Api), the
	// default, as Chalice emits.
	APITypeREST = "rest"
	// APITypeHTTP is an API Gateway HTTP API (AWS::Serverless::HttpApi,
	// payload format 2.0).
	APITypeHTTP = "http"
)

// APITypes lists the accepted values of api_gateway_type.
var APITypes = []string{APITypeREST, APITypeHTTP}

// APIConfig holds the REST API settings of a stage: Chalice's api_gateway_*
// keys, minimum_compression_size, the stage-level xray flag, and gochalice's
// usage_plan.
type APIConfig struct {
	// Type is api_gateway_type: APITypeREST or APITypeHTTP. Empty means
	// REST.
	Type string
	// Throttle is api_gateway_throttle, the stage's default throttling, nil
	// when not set.
	Throttle *Throttle
	// AccessLog is api_gateway_access_log, nil when not set.
	AccessLog *AccessLog
	// Where maps each API key the stage's value came from (api_gateway_*,
	// minimum_compression_size, usage_plan, xray) to its position,
	// "file:line:col: path", for build errors about it.
	Where map[string]string
	// EndpointType is EDGE (the default, as Chalice), REGIONAL or PRIVATE
	// (api_gateway_endpoint_type). Empty means EDGE.
	EndpointType string
	// EndpointVPCEs are the VPC endpoint ids of a PRIVATE API
	// (api_gateway_endpoint_vpce: a string or a list in the config).
	EndpointVPCEs []string
	// Policy is the resource policy document read from
	// api_gateway_policy_file (a path relative to APP_DIR/.chalice), nil
	// when not set.
	Policy map[string]any
	// MinimumCompressionSize is minimum_compression_size in bytes
	// (0–10485760), nil when not set.
	MinimumCompressionSize *int
	// XRay is the stage's xray flag: it also turns on tracing of the API
	// stage (TracingEnabled), which Chalice forgets.
	XRay bool
	// CustomDomain is api_gateway_custom_domain, nil when not set.
	CustomDomain *CustomDomain
	// UsagePlan is usage_plan (a gochalice extension; Chalice creates no
	// usage plan: #420), nil when not set.
	UsagePlan *UsagePlan
	// RequestValidation is api_gateway_request_validation (a gochalice
	// extension): API Gateway checks request bodies against the typed views'
	// models, and required path parameters, before invoking the function.
	RequestValidation bool
}

// DefaultAccessLogRetention is the retention, in days, of the access log
// group gochalice creates when api_gateway_access_log names no
// destination_arn and no retention_in_days.
const DefaultAccessLogRetention = 30

// CustomDomain is api_gateway_custom_domain, with Chalice's keys.
type CustomDomain struct {
	// DomainName is domain_name, e.g. api.example.com.
	DomainName string
	// CertificateARN is certificate_arn (an ACM certificate).
	CertificateARN string
	// BasePath is url_prefix: the base path mapping, "" for the root.
	BasePath string
	// TLSVersion is tls_version: TLS_1_0 or TLS_1_2 (the default).
	TLSVersion string
	// Tags are the domain's tags.
	Tags map[string]string
}

// UsagePlan is the config's usage_plan: a usage plan for the API keys of
// routes that require one, and optionally a key.
type UsagePlan struct {
	// ThrottleRateLimit is throttle.rate_limit (requests per second), 0 for
	// none.
	ThrottleRateLimit float64
	// ThrottleBurstLimit is throttle.burst_limit, 0 for none.
	ThrottleBurstLimit int
	// QuotaLimit is quota.limit (requests per period), 0 for none.
	QuotaLimit int
	// QuotaPeriod is quota.period: DAY, WEEK or MONTH.
	QuotaPeriod string
	// CreateAPIKey is create_api_key: also create an API key in the plan.
	CreateAPIKey bool
}

// HTTP reports whether the stage's API is an HTTP API.
func (c APIConfig) HTTP() bool { return c.Type == APITypeHTTP }

// Throttle is api_gateway_throttle: the default rate and burst limits of
// every route of the stage.
type Throttle struct {
	// RateLimit is rate_limit, requests per second; 0 for none.
	RateLimit float64
	// BurstLimit is burst_limit; 0 for none.
	BurstLimit int
}

// AccessLog is api_gateway_access_log: where and how the API stage logs
// each request.
type AccessLog struct {
	// DestinationARN is destination_arn, a CloudWatch Logs log group ARN;
	// "" makes the template create a log group of its own for the logs.
	DestinationARN string
	// Format is format, the access log line with $context variables; empty
	// means DefaultAccessLogFormat.
	Format string
	// RetentionInDays is retention_in_days, the retention of the log group
	// the template creates (without DestinationARN); 0 means
	// DefaultAccessLogRetention.
	RetentionInDays int
}

// DefaultAccessLogFormat is the access log format when
// api_gateway_access_log gives none: one JSON object per request.
const DefaultAccessLogFormat = `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","path":"$context.path","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","integrationLatency":"$context.integrationLatency"}`
