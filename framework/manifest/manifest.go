// Package manifest defines the manifest: the one contract between an app built
// with the framework and the packager. The app prints it in manifest mode; the
// packager reads it and never looks at the app's source to learn what it holds.
//
// The package imports only the standard library, because it is compiled into
// every user's bootstrap.
package manifest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// SchemaVersion is the version of the manifest format written by this module.
// The packager refuses a manifest with a different version.
const SchemaVersion = 1

// EnvMode is the environment variable that selects the framework's run mode.
// When it is ModeManifest, App.Run prints the manifest and exits.
const EnvMode = "GOCHALICE_MODE"

// ModeManifest is the value of EnvMode that makes App.Run print the manifest.
const ModeManifest = "manifest"

// Local modes, set by `chalice-package local` and `chalice-package invoke`
// on a host build of the app.
const (
	// ModeLocal makes App.Run serve the API Gateway emulation and the
	// Lambda Invoke API on EnvLocalAddr, print ListeningPrefix and the
	// URL on standard output once listening, and stop on SIGINT or
	// SIGTERM.
	ModeLocal = "local"
	// ModeInvoke makes App.Run invoke the function named by EnvInvoke with
	// the event read from standard input, print the result JSON and exit
	// 0, or print the error JSON and exit ExitFunctionError.
	ModeInvoke = "invoke"
	// EnvLocalAddr is the address the local mode listens on (host:port;
	// port 0 picks a free one).
	EnvLocalAddr = "GOCHALICE_LOCAL_ADDR"
	// EnvLocalListener, when set, tells the local mode to serve on the
	// listening socket it inherited as file descriptor 3 instead of
	// listening on EnvLocalAddr: the packager owns the socket, so a new
	// build takes over without the socket ever closing.
	EnvLocalListener = "GOCHALICE_LOCAL_LISTENER"
	// EnvLocalConfig holds the LocalConfig JSON of both local modes.
	EnvLocalConfig = "GOCHALICE_LOCAL_CONFIG"
	// EnvInvoke names the function the invoke mode runs.
	EnvInvoke = "GOCHALICE_INVOKE"
	// ListeningPrefix starts the line the local mode prints once it
	// listens, followed by its base URL.
	ListeningPrefix = "gochalice: listening on "
	// LocalBuildTag is the build tag that compiles the local and invoke
	// modes into an app: the packager's host builds for them use it; a
	// Lambda bootstrap is built without, so it links neither the HTTP
	// server nor the gateway emulation.
	LocalBuildTag = "gochalice_local"
	// ExitFunctionError is the exit status of the invoke mode when the
	// function returned an error.
	ExitFunctionError = 3
)

// LocalConfig is the stage's settings the local modes apply, resolved by
// the packager from .chalice/config.*.
type LocalConfig struct {
	// Stage is the API Gateway stage name.
	Stage string `json:"stage,omitempty"`
	// StageVars are the API Gateway stage variables.
	StageVars map[string]string `json:"stageVars,omitempty"`
	// APIKeys are the accepted x-api-key values (none: any).
	APIKeys []string `json:"apiKeys,omitempty"`
	// JWKSFile is a JSON Web Key Set file Cognito tokens are verified
	// against.
	JWKSFile string `json:"jwksFile,omitempty"`
	// Timeouts are the functions' timeouts in seconds, by name; "*" is the
	// default.
	Timeouts map[string]int `json:"timeouts,omitempty"`
	// CognitoEndpoint is a local service speaking Cognito's user pool API
	// (e.g. moto): the local server emulates the declared pools' triggers
	// in front of it (LocalCognitoPath).
	CognitoEndpoint string `json:"cognitoEndpoint,omitempty"`
	// HTTPAPI is set when the stage deploys an HTTP API (payload format
	// 2.0), which the local mode then emulates.
	HTTPAPI bool `json:"httpAPI,omitempty"`
	// Parameters are the stage's template parameter values (the config's
	// defaults), which JWT authorizers' parameters resolve against.
	Parameters map[string]string `json:"parameters,omitempty"`
	// JWTIssuer and JWTAudience override what an HTTP API's JWT
	// authorizers accept.
	JWTIssuer   string   `json:"jwtIssuer,omitempty"`
	JWTAudience []string `json:"jwtAudience,omitempty"`
}

// LocalCognitoPath is the path prefix under which the local server serves a
// declared pool's Cognito API (LocalCognitoPath + pool name), with its
// triggers run as Cognito runs them.
const LocalCognitoPath = "/_gochalice/cognito/"

// Function kinds.
const (
	// KindAPI is the single function that serves every route of the REST API.
	KindAPI = "api"
	// KindLambda is a standalone function registered with App.LambdaFunction.
	KindLambda = "lambda"
)

// APIHandlerName is the handler name of the API function.
const APIHandlerName = "api_handler"

// Manifest describes everything an app registered.
type Manifest struct {
	// SchemaVersion is the manifest format version (SchemaVersion).
	SchemaVersion int `json:"schemaVersion"`
	// App is the app name given to framework.New.
	App string `json:"app"`
	// FrameworkVersion is the version of the framework the app was built with.
	FrameworkVersion string `json:"frameworkVersion"`
	// Functions lists every Lambda function the bootstrap serves, sorted by Name.
	// The API function (Kind KindAPI, Name APIHandlerName) is present only when
	// the app has routes.
	Functions []Function `json:"functions"`
	// Routes lists every route of the REST API, sorted by Path.
	Routes []Route `json:"routes,omitempty"`
	// Authorizers lists the API's authorizers, sorted by Name.
	Authorizers []Authorizer `json:"authorizers,omitempty"`
	// BinaryTypes are the app's binary media types beyond the defaults.
	BinaryTypes []string `json:"binaryTypes,omitempty"`
	// UserPools lists the Cognito user pools the app declares, sorted by Name.
	UserPools []UserPool `json:"userPools,omitempty"`
	// Buckets lists the S3 buckets the app declares, sorted by Name.
	Buckets []Bucket `json:"buckets,omitempty"`
	// Models are the JSON Schemas of the named Go types typed views use,
	// by model name, plus ErrorModel when the app has routes.
	Models map[string]*Schema `json:"models,omitempty"`
	// Tables lists the DynamoDB tables the app declares, sorted by Name.
	Tables []Table `json:"tables,omitempty"`
	// Queues lists the SQS queues the app declares, sorted by Name.
	Queues []Queue `json:"queues,omitempty"`
	// Topics lists the SNS topics the app declares, sorted by Name.
	Topics []Topic `json:"topics,omitempty"`
}

// Function is one Lambda function served by the bootstrap.
type Function struct {
	// Name is the registered name (snake_case or kebab-case by convention).
	Name string `json:"name"`
	// Handler is the value of the function's Handler property: Lambda passes it
	// to the bootstrap as _HANDLER. It equals Name.
	Handler string `json:"handler"`
	// Kind says what registered it: KindAPI or KindLambda.
	Kind string `json:"kind"`
	// Events are the function's event sources, in registration order.
	Events []Event `json:"events,omitempty"`
}

// Route is one resource path of the REST API and the methods it answers.
type Route struct {
	// Path is the resource pattern, e.g. /hello/{name} or /files/{proxy+}.
	Path string `json:"path"`
	// Methods are the upper-case HTTP methods, sorted.
	Methods []string `json:"methods"`
	// Params are the path captures in order of appearance, without braces or
	// the greedy "+" (e.g. ["name"]).
	Params []string `json:"params,omitempty"`
	// Views holds the settings of the methods that have any (authorizer,
	// API key, content types, CORS, operation ID, docs, schemas), sorted by
	// Method.
	Views []View `json:"views,omitempty"`
	// CORS is the CORS configuration shared by the path's CORS views, nil
	// when none has CORS.
	CORS *CORS `json:"cors,omitempty"`
}

// Parse decodes and checks a manifest.
func Parse(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if m.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("manifest: schema version %d, this packager reads version %d (rebuild the app against a matching gochalice)", m.SchemaVersion, SchemaVersion)
	}
	if m.App == "" {
		return nil, fmt.Errorf("manifest: empty app name")
	}
	return &m, nil
}

// HasAPI reports whether the app has a REST API (at least one route).
func (m *Manifest) HasAPI() bool { return len(m.Routes) > 0 }

// Event source types (Event.Type).
const (
	EventSchedule    = "schedule"
	EventSNS         = "sns"
	EventSQS         = "sqs"
	EventS3          = "s3"
	EventEventBridge = "eventbridge"
	EventDynamoDB    = "dynamodb"
	EventKinesis     = "kinesis"
	EventCognito     = "cognito"
	EventWebSocket   = "websocket"
)

// Event is one event source of a function. Type says which source it is; the
// field of that source is set and the others are nil.
type Event struct {
	// Type is one of the Event* constants.
	Type string `json:"type"`
	// Schedule is set for EventSchedule.
	Schedule *ScheduleEvent `json:"schedule,omitempty"`
	// SNS is set for EventSNS.
	SNS *SNSEvent `json:"sns,omitempty"`
	// SQS is set for EventSQS.
	SQS *SQSEvent `json:"sqs,omitempty"`
	// S3 is set for EventS3.
	S3 *S3Event `json:"s3,omitempty"`
	// EventBridge is set for EventEventBridge.
	EventBridge *EventBridgeEvent `json:"eventBridge,omitempty"`
	// Stream is set for EventDynamoDB and EventKinesis.
	Stream *StreamEvent `json:"stream,omitempty"`
	// Cognito is set for EventCognito.
	Cognito *CognitoEvent `json:"cognito,omitempty"`
	// WebSocket is set for EventWebSocket.
	WebSocket *WebSocketEvent `json:"webSocket,omitempty"`
}

// ScheduleEvent is an EventBridge schedule.
type ScheduleEvent struct {
	// Expression is a rate(...) or cron(...) expression, already validated.
	Expression string `json:"expression"`
	// Description is the rule's description, if any.
	Description string `json:"description,omitempty"`
	// Disabled creates the rule disabled.
	Disabled bool `json:"disabled,omitempty"`
}

// SNSEvent subscribes a function to a topic.
type SNSEvent struct {
	// Topic is a topic name (in the stack's account and region) or ARN,
	// or, with Declared, the registered name of a topic the app declares.
	Topic string `json:"topic"`
	// Declared says Topic names a topic declared with App.Topic.
	Declared bool `json:"declared,omitempty"`
	// FilterPolicy is the subscription's filter policy (a JSON object), if any.
	FilterPolicy json.RawMessage `json:"filterPolicy,omitempty"`
}

// SQSEvent reads a queue.
type SQSEvent struct {
	// Queue is a queue name (in the stack's account and region) or ARN,
	// or, with Declared, the registered name of a queue the app declares.
	Queue string `json:"queue"`
	// Declared says Queue names a queue declared with App.Queue.
	Declared bool `json:"declared,omitempty"`
	// BatchSize is the maximum number of messages per invocation (0: AWS default).
	BatchSize int `json:"batchSize,omitempty"`
	// MaxBatchingWindow is MaximumBatchingWindowInSeconds (0: none).
	MaxBatchingWindow int `json:"maxBatchingWindow,omitempty"`
	// MaxConcurrency is ScalingConfig.MaximumConcurrency (0: unset).
	MaxConcurrency int `json:"maxConcurrency,omitempty"`
	// ReportBatchItemFailures turns on partial batch responses.
	ReportBatchItemFailures bool `json:"reportBatchItemFailures,omitempty"`
}

// S3Event receives a bucket's notifications. Exactly one of Bucket (a
// bucket declared in the app) and ExistingBucket is set.
type S3Event struct {
	// Bucket is the name of a bucket declared with App.Bucket.
	Bucket string `json:"bucket,omitempty"`
	// ExistingBucket is the name of a bucket outside the stack.
	ExistingBucket string `json:"existingBucket,omitempty"`
	// Events are the S3 event types, e.g. s3:ObjectCreated:*.
	Events []string `json:"events"`
	// Prefix and Suffix filter the object keys.
	Prefix string `json:"prefix,omitempty"`
	// Suffix filters the object keys.
	Suffix string `json:"suffix,omitempty"`
}

// EventBridgeEvent is an EventBridge (CloudWatch Events) rule.
type EventBridgeEvent struct {
	// Pattern is the event pattern, a JSON object.
	Pattern json.RawMessage `json:"pattern"`
	// Bus is the event bus name or ARN; empty for the default bus.
	Bus string `json:"bus,omitempty"`
}

// StreamEvent reads a DynamoDB or Kinesis stream.
type StreamEvent struct {
	// Stream is the stream ARN (a Kinesis stream may be given by name), or,
	// with Table, "".
	Stream string `json:"stream,omitempty"`
	// Table is the registered name of a declared table whose stream the
	// function reads (DynamoDB only).
	Table string `json:"table,omitempty"`
	// BatchSize is the maximum number of records per invocation (0: 100).
	BatchSize int `json:"batchSize,omitempty"`
	// StartingPosition is LATEST (the default) or TRIM_HORIZON.
	StartingPosition string `json:"startingPosition"`
	// MaxBatchingWindow is MaximumBatchingWindowInSeconds (0: none).
	MaxBatchingWindow int `json:"maxBatchingWindow,omitempty"`
	// BisectOnError splits a failing batch in two and retries each half.
	BisectOnError bool `json:"bisectOnError,omitempty"`
	// MaxRetries is MaximumRetryAttempts; nil means AWS's default (retry
	// until the record expires).
	MaxRetries *int `json:"maxRetries,omitempty"`
	// ReportBatchItemFailures turns on partial batch responses.
	ReportBatchItemFailures bool `json:"reportBatchItemFailures,omitempty"`
}

// CognitoEvent attaches a function to a user pool trigger. Exactly one of
// Pool (declared with App.UserPool) and ExistingPoolARN is set.
type CognitoEvent struct {
	// Trigger is the LambdaConfig key, e.g. PreSignUp.
	Trigger string `json:"trigger"`
	// Pool is the name of a user pool declared in the app.
	Pool string `json:"pool,omitempty"`
	// ExistingPoolARN is the ARN of a user pool outside the stack.
	ExistingPoolARN string `json:"existingPoolArn,omitempty"`
}

// WebSocketEvent routes a WebSocket API route to a function.
type WebSocketEvent struct {
	// Route is $connect, $default or $disconnect.
	Route string `json:"route"`
}

// UserPool is a Cognito user pool declared in the app.
type UserPool struct {
	// Name is the registered name, the source of its logical ID.
	Name string `json:"name"`
	// EmailSignIn makes users sign in with their email address, verified
	// by Cognito.
	EmailSignIn bool `json:"emailSignIn,omitempty"`
	// AppClient adds an app client (no secret, SRP sign-in) for browser and
	// mobile front ends.
	AppClient bool `json:"appClient,omitempty"`
	// PasswordAuth lets the app client sign in with USER_PASSWORD_AUTH
	// (the password sent over TLS to Cognito), besides SRP.
	PasswordAuth bool `json:"passwordAuth,omitempty"`
}

// Bucket is an S3 bucket declared in the app.
type Bucket struct {
	// Name is the registered name, the source of its logical ID.
	Name string `json:"name"`
}

// Table is a DynamoDB table declared in the app (on-demand billing,
// point-in-time recovery on).
type Table struct {
	// Name is the registered name, the source of its logical ID.
	Name string `json:"name"`
	// PartitionKey is the table's hash key.
	PartitionKey KeyAttribute `json:"partitionKey"`
	// SortKey is the table's range key, nil for none.
	SortKey *KeyAttribute `json:"sortKey,omitempty"`
	// GlobalIndexes are the global secondary indexes, in declaration order.
	GlobalIndexes []Index `json:"globalIndexes,omitempty"`
	// TTLAttribute is the time-to-live attribute, "" for none.
	TTLAttribute string `json:"ttlAttribute,omitempty"`
	// Stream is the stream view type (NEW_IMAGE, OLD_IMAGE,
	// NEW_AND_OLD_IMAGES, KEYS_ONLY), "" for no stream.
	Stream string `json:"stream,omitempty"`
}

// KeyAttribute is a key attribute of a table or index.
type KeyAttribute struct {
	// Name is the attribute name.
	Name string `json:"name"`
	// Type is S, N or B.
	Type string `json:"type"`
}

// Index is a global secondary index (all attributes projected).
type Index struct {
	// Name is the index name.
	Name string `json:"name"`
	// PartitionKey is the index's hash key.
	PartitionKey KeyAttribute `json:"partitionKey"`
	// SortKey is the index's range key, nil for none.
	SortKey *KeyAttribute `json:"sortKey,omitempty"`
}

// Queue is an SQS queue declared in the app.
type Queue struct {
	// Name is the registered name, the source of its logical ID.
	Name string `json:"name"`
	// FIFO makes it a FIFO queue (its dead-letter queue too).
	FIFO bool `json:"fifo,omitempty"`
	// VisibilityTimeout is in seconds (0: SQS's default of 30).
	VisibilityTimeout int `json:"visibilityTimeout,omitempty"`
	// MaxReceives, when positive, adds a dead-letter queue that receives a
	// message after that many failed receives.
	MaxReceives int `json:"maxReceives,omitempty"`
}

// Topic is an SNS topic declared in the app.
type Topic struct {
	// Name is the registered name, the source of its logical ID.
	Name string `json:"name"`
}

// Kinds of declared resources, as ResourceVar.Kind and in variable names.
const (
	ResourceTable  = "table"
	ResourceQueue  = "queue"
	ResourceTopic  = "topic"
	ResourceBucket = "bucket"
	// ResourceUserPool is a user pool declared with App.UserPool: its ID
	// and its app client's ID reach the functions that read them.
	ResourceUserPool = "userpool"
)

// Attributes of declared resources that reach functions as environment
// variables.
const (
	AttrName = "name"
	AttrARN  = "arn"
	AttrURL  = "url"
	// AttrID is a user pool's ID.
	AttrID = "id"
	// AttrClientID is the ID of a user pool's app client.
	AttrClientID = "client_id"
	// AttrEndpoint is a user pool's API endpoint for front ends; no
	// template sets it (chalice-package local does).
	AttrEndpoint = "endpoint"
)

// ResourceVar is one environment variable through which a function reads an
// attribute of a declared resource.
type ResourceVar struct {
	// Var is the variable's name, e.g. GOCHALICE_TABLE_USERS_NAME.
	Var string
	// Kind is ResourceTable, ResourceQueue, ResourceTopic, ResourceBucket or
	// ResourceUserPool.
	Kind string
	// Resource is the registered name of the resource.
	Resource string
	// Attr is AttrName, AttrARN, AttrURL, AttrID or AttrClientID.
	Attr string
}

// resourceAttrs lists the attributes each kind of resource exposes.
var resourceAttrs = map[string][]string{
	ResourceTable:  {AttrName, AttrARN},
	ResourceQueue:  {AttrName, AttrARN, AttrURL},
	ResourceTopic:  {AttrName, AttrARN},
	ResourceBucket: {AttrName, AttrARN},
}

// userPoolAttrs lists the attributes of a declared pool: its ID, and its
// app client's ID when it has one.
func userPoolAttrs(p UserPool) []string {
	if p.AppClient {
		return []string{AttrID, AttrClientID}
	}
	return []string{AttrID}
}

// ResourceEnv is the name of the environment variable that holds attribute
// attr of the declared resource of the given kind and registered name:
// GOCHALICE_<KIND>_<NAME>_<ATTR>, upper case, '-' becoming '_'. The
// template sets it on the functions that use the resource; the framework's
// handles read it.
func ResourceEnv(kind, name, attr string) string {
	up := func(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "-", "_")) }
	return "GOCHALICE_" + up(kind) + "_" + up(name) + "_" + up(attr)
}

// ResourceVars lists the variables of every declared resource, by kind,
// then name, then attribute.
func (m *Manifest) ResourceVars() []ResourceVar {
	var out []ResourceVar
	add := func(kind, name string) {
		for _, attr := range resourceAttrs[kind] {
			out = append(out, ResourceVar{Var: ResourceEnv(kind, name, attr), Kind: kind, Resource: name, Attr: attr})
		}
	}
	for _, b := range m.Buckets {
		add(ResourceBucket, b.Name)
	}
	for _, q := range m.Queues {
		add(ResourceQueue, q.Name)
	}
	for _, t := range m.Tables {
		add(ResourceTable, t.Name)
	}
	for _, t := range m.Topics {
		add(ResourceTopic, t.Name)
	}
	for _, p := range m.UserPools {
		for _, attr := range userPoolAttrs(p) {
			out = append(out, ResourceVar{Var: ResourceEnv(ResourceUserPool, p.Name, attr), Kind: ResourceUserPool, Resource: p.Name, Attr: attr})
		}
	}
	return out
}
