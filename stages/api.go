package stages

// Endpoint types of a REST API (api_gateway_endpoint_type).
const (
	EndpointEdge     = "EDGE"
	EndpointRegional = "REGIONAL"
	EndpointPrivate  = "PRIVATE"
)

// APIConfig holds the REST API settings of a stage: Chalice's api_gateway_*
// keys, minimum_compression_size, the stage-level xray flag, and gochalice's
// usage_plan.
type APIConfig struct {
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
	// AccessLogs is api_gateway_access_logs (a gochalice extension), nil
	// when not set: the REST API stage's access logs, sent to a log group of
	// their own.
	AccessLogs *AccessLogs
}

// DefaultAccessLogRetention is the retention, in days, of the access log
// group when api_gateway_access_logs sets none.
const DefaultAccessLogRetention = 30

// AccessLogs is api_gateway_access_logs: {"format": ..., "retention_in_days": ...}.
type AccessLogs struct {
	// Format is the access log line format ($context variables); "" for
	// gochalice's default JSON line.
	Format string
	// RetentionInDays is the log group's retention; 0 means
	// DefaultAccessLogRetention.
	RetentionInDays int
}

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
