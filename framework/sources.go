package framework

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework/manifest"
)

// Source is one event source of a function: a schedule, a topic, a queue, a
// bucket, an EventBridge pattern, a stream or a Cognito trigger. Build one
// with ScheduleSource, SNSSource, SQSSource, S3Source, EventBridgeSource,
// DynamoDBSource, KinesisSource or CognitoSource, and register it with
// App.EventHandler (several sources) or the App.On... shorthands (one).
type Source struct {
	event manifest.Event
	err   error
}

// EventHandler registers a function fed by one or more event sources.
// handler has any signature aws-lambda-go accepts and takes the matching
// aws-lambda-go events type (events.SQSEvent, events.S3Event, ...). One
// function may have several sources (Chalice allows one), for example a
// function run both every hour and on each message of a queue:
//
//	app.EventHandler("refresh", refresh,
//		framework.ScheduleSource(framework.Rate(1, framework.Hours)),
//		framework.SQSSource("refresh-requests"))
//
// On Lambda, an event that none of the sources would send is answered with
// an *EventShapeError instead of reaching the handler. A handler whose first
// result is events.SQSEventResponse, events.KinesisEventResponse or
// events.DynamoDBEventResponse reports partial batch failures: its SQS,
// Kinesis and DynamoDB sources get ReportBatchItemFailures.
func (a *App) EventHandler(name string, handler any, sources ...Source) {
	if len(sources) == 0 {
		a.errorf("function %q: no event source (use LambdaFunction for a function without one)", name)
		return
	}
	evs := make([]manifest.Event, 0, len(sources))
	ok := true
	for _, s := range sources {
		if s.err != nil {
			a.errorf("function %q: %v", name, s.err)
			ok = false
			continue
		}
		if s.event.Type == "" {
			a.errorf("function %q: a zero Source (build sources with framework.ScheduleSource, SQSSource, ...)", name)
			ok = false
			continue
		}
		evs = append(evs, s.event)
	}
	if !ok {
		return
	}
	a.registerEventFunction(name, handler, evs)
}

// registerEventFunction registers a function with its events, after the
// checks LambdaFunction makes.
func (a *App) registerEventFunction(name string, handler any, evs []manifest.Event) {
	if !a.checkNewFunction(name, handler, " (to give one function several event sources, pass them all to App.EventHandler)") {
		return
	}
	if reportsBatchFailures(handler) {
		for i := range evs {
			switch {
			case evs[i].SQS != nil:
				evs[i].SQS.ReportBatchItemFailures = true
			case evs[i].Stream != nil:
				evs[i].Stream.ReportBatchItemFailures = true
			}
		}
	}
	for _, ev := range evs {
		if ev.Cognito != nil && ev.Cognito.Pool != "" && !a.declaredPool(ev.Cognito.Pool) {
			a.errorf("function %q: user pool %q is not declared (declare it with App.UserPool before using it)", name, ev.Cognito.Pool)
			return
		}
		if ev.S3 != nil && ev.S3.Bucket != "" && !a.declaredBucket(ev.S3.Bucket) {
			a.errorf("function %q: bucket %q is not declared (declare it with App.Bucket before using it)", name, ev.S3.Bucket)
			return
		}
		if ev.SQS != nil && ev.SQS.Declared && !declared(a.sources.queues, ev.SQS.Queue) {
			a.errorf("function %q: queue %q is not declared in this app (declare it with App.Queue)", name, ev.SQS.Queue)
			return
		}
		if ev.SNS != nil && ev.SNS.Declared && !declared(a.sources.topics, ev.SNS.Topic) {
			a.errorf("function %q: topic %q is not declared in this app (declare it with App.Topic)", name, ev.SNS.Topic)
			return
		}
		if ev.Stream != nil && ev.Stream.Table != "" {
			t, ok := a.sources.tables[ev.Stream.Table]
			if !ok {
				a.errorf("function %q: table %q is not declared in this app (declare it with App.Table)", name, ev.Stream.Table)
				return
			}
			if t.Stream == "" {
				a.errorf("function %q: table %q has no stream (declare it with framework.TableStream(framework.NewAndOldImages))", name, ev.Stream.Table)
				return
			}
		}
	}
	a.functions[name] = &function{
		name:    name,
		kind:    manifest.KindLambda,
		handler: shapeChecked{name: name, events: evs, next: newDecodeChecked(name, handler)},
		events:  evs,
	}
}

var batchResponseTypes = []reflect.Type{
	reflect.TypeFor[events.SQSEventResponse](),
	reflect.TypeFor[events.KinesisEventResponse](),
	reflect.TypeFor[events.DynamoDBEventResponse](),
}

// reportsBatchFailures reports whether a handler function returns a partial
// batch response.
func reportsBatchFailures(handler any) bool {
	t := reflect.TypeOf(handler)
	if t == nil || t.Kind() != reflect.Func || t.NumOut() != 2 {
		return false
	}
	out := t.Out(0)
	if out.Kind() == reflect.Pointer {
		out = out.Elem()
	}
	return slices.Contains(batchResponseTypes, out)
}

// sourceRegistry holds the resources an app declares for its sources.
type sourceRegistry struct {
	userPools map[string]manifest.UserPool // by name
	buckets   map[string]manifest.Bucket   // by name
	tables    map[string]manifest.Table    // by name
	queues    map[string]manifest.Queue    // by name
	topics    map[string]manifest.Topic    // by name
}

// manifestResources adds the declared resources to a manifest.
func (a *App) manifestResources(m *manifest.Manifest) {
	for _, p := range slices.Sorted(maps.Keys(a.sources.userPools)) {
		m.UserPools = append(m.UserPools, a.sources.userPools[p])
	}
	for _, b := range slices.Sorted(maps.Keys(a.sources.buckets)) {
		m.Buckets = append(m.Buckets, a.sources.buckets[b])
	}
	for _, t := range slices.Sorted(maps.Keys(a.sources.tables)) {
		m.Tables = append(m.Tables, a.sources.tables[t])
	}
	for _, q := range slices.Sorted(maps.Keys(a.sources.queues)) {
		m.Queues = append(m.Queues, a.sources.queues[q])
	}
	for _, t := range slices.Sorted(maps.Keys(a.sources.topics)) {
		m.Topics = append(m.Topics, a.sources.topics[t])
	}
}

func (a *App) declaredPool(name string) bool {
	_, ok := a.sources.userPools[name]
	return ok
}

func (a *App) declaredBucket(name string) bool {
	_, ok := a.sources.buckets[name]
	return ok
}

func declared[T any](registry map[string]T, name string) bool {
	_, ok := registry[name]
	return ok
}

// declare records a resource the template creates under a registered name,
// or a registration error for an invalid name or a second declaration.
func declare[T any](a *App, registry *map[string]T, kind, name string, spec T) {
	switch _, taken := (*registry)[name]; {
	case !isFunctionName(name):
		a.errorf("%s %q: invalid name (start with a letter; use letters, digits, '_' and '-'; at most 64 characters)", kind, name)
	case taken:
		a.errorf("%s %q: declared twice", kind, name)
	default:
		if *registry == nil {
			*registry = map[string]T{}
		}
		(*registry)[name] = spec
	}
}

// ---- schedules

// ScheduleOption configures a schedule.
type ScheduleOption func(*manifest.ScheduleEvent)

// ScheduleDescription sets a schedule rule's description.
func ScheduleDescription(d string) ScheduleOption {
	return func(e *manifest.ScheduleEvent) { e.Description = d }
}

// ScheduleDisabled creates a schedule rule disabled.
func ScheduleDisabled() ScheduleOption {
	return func(e *manifest.ScheduleEvent) { e.Disabled = true }
}

// ScheduleSource runs a function on a schedule built with Rate or Cron.
func ScheduleSource(expr ScheduleExpression, opts ...ScheduleOption) Source {
	if expr.err != nil {
		return Source{err: fmt.Errorf("schedule %w", expr.err)}
	}
	if expr.expr == "" {
		return Source{err: fmt.Errorf("empty schedule expression (build one with framework.Rate or framework.Cron)")}
	}
	e := &manifest.ScheduleEvent{Expression: expr.expr}
	for _, o := range opts {
		o(e)
	}
	if len(e.Description) > 512 {
		return Source{err: fmt.Errorf("schedule %s: the description has %d characters, at most 512 are allowed", e.Expression, len(e.Description))}
	}
	return Source{event: manifest.Event{Type: manifest.EventSchedule, Schedule: e}}
}

// Schedule registers a function run on a schedule; handler takes an
// events.EventBridgeEvent (or nothing):
//
//	app.Schedule("nightly", framework.Cron("0", "2", "*", "*", "?", "*"), nightly)
//	app.Schedule("every_5m", framework.Rate(5, framework.Minutes), poll, framework.ScheduleDescription("poll"))
func (a *App) Schedule(name string, expr ScheduleExpression, handler any, opts ...ScheduleOption) {
	a.EventHandler(name, handler, ScheduleSource(expr, opts...))
}

// ---- SNS

// SNSOption configures an SNS subscription.
type SNSOption func(*snsOptions)

type snsOptions struct{ filter any }

// SNSFilterPolicy sets the subscription's filter policy: a value that encodes
// as a JSON object, e.g. map[string]any{"color": []string{"red"}}.
func SNSFilterPolicy(policy any) SNSOption {
	return func(o *snsOptions) { o.filter = policy }
}

// SNSSource subscribes a function to a topic declared with App.Topic, or to
// an existing one (ExistingTopic: by name in the stack's account and region,
// or by ARN).
func SNSSource(t Topic, opts ...SNSOption) Source {
	e := &manifest.SNSEvent{Topic: t.name, Declared: true}
	topic := t.name
	if t.name == "" {
		topic = t.existing
		if !matchWithin(fifoName, topic, 1, 256) && !matchWithin(snsARN, topic, 1, 256) {
			return Source{err: fmt.Errorf("SNS topic %q is neither a topic name nor an SNS topic ARN", topic)}
		}
		e = &manifest.SNSEvent{Topic: topic}
	}
	var o snsOptions
	for _, opt := range opts {
		opt(&o)
	}
	if o.filter != nil {
		raw, err := jsonObject(o.filter)
		if err != nil {
			return Source{err: fmt.Errorf("SNS topic %s: filter policy: %w", topic, err)}
		}
		e.FilterPolicy = raw
	}
	return Source{event: manifest.Event{Type: manifest.EventSNS, SNS: e}}
}

// OnSNSMessage registers a function subscribed to a topic (App.Topic or
// ExistingTopic); handler takes an events.SNSEvent.
func (a *App) OnSNSMessage(name string, topic Topic, handler any, opts ...SNSOption) {
	a.EventHandler(name, handler, SNSSource(topic, opts...))
}

// jsonObject encodes v and checks that it is a non-empty JSON object.
func jsonObject(v any) (json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil || len(m) == 0 {
		return nil, fmt.Errorf("%s is not a non-empty JSON object", b)
	}
	return b, nil
}

// ---- SQS

// SQSOption configures a queue source.
type SQSOption func(*manifest.SQSEvent)

// SQSBatchSize sets the maximum number of messages per invocation (1 to 10000;
// above 10 a batching window is required).
func SQSBatchSize(n int) SQSOption { return func(e *manifest.SQSEvent) { e.BatchSize = n } }

// SQSBatchingWindow sets how many seconds (0 to 300) Lambda gathers messages
// before invoking.
func SQSBatchingWindow(seconds int) SQSOption {
	return func(e *manifest.SQSEvent) { e.MaxBatchingWindow = seconds }
}

// SQSMaxConcurrency caps the concurrent invocations the queue drives (2 to 1000).
func SQSMaxConcurrency(n int) SQSOption { return func(e *manifest.SQSEvent) { e.MaxConcurrency = n } }

// SQSSource reads a queue declared with App.Queue, or an existing one
// (ExistingQueue: by name in the stack's account and region, or by ARN).
// Without options Lambda's defaults apply (batches of 10, no window).
func SQSSource(q Queue, opts ...SQSOption) Source {
	queue := q.name
	e := &manifest.SQSEvent{Queue: queue, Declared: true}
	if q.name == "" {
		queue = q.existing
		if !matchWithin(fifoName, queue, 1, 80) && !matchWithin(sqsARN, queue, 1, 80) {
			return Source{err: fmt.Errorf("SQS queue %q is neither a queue name nor an SQS queue ARN", queue)}
		}
		e = &manifest.SQSEvent{Queue: queue}
	}
	for _, o := range opts {
		o(e)
	}
	switch {
	case e.BatchSize < 0 || e.BatchSize > 10000:
		return Source{err: fmt.Errorf("SQS queue %s: batch size %d is not from 1 to 10000", queue, e.BatchSize)}
	case e.BatchSize > 10 && e.MaxBatchingWindow < 1:
		return Source{err: fmt.Errorf("SQS queue %s: a batch size of %d (above 10) needs a batching window of at least 1 second", queue, e.BatchSize)}
	case e.MaxBatchingWindow < 0 || e.MaxBatchingWindow > 300:
		return Source{err: fmt.Errorf("SQS queue %s: batching window %d s is not from 0 to 300", queue, e.MaxBatchingWindow)}
	case e.MaxConcurrency != 0 && (e.MaxConcurrency < 2 || e.MaxConcurrency > 1000):
		return Source{err: fmt.Errorf("SQS queue %s: maximum concurrency %d is not from 2 to 1000", queue, e.MaxConcurrency)}
	}
	return Source{event: manifest.Event{Type: manifest.EventSQS, SQS: e}}
}

// OnSQSMessage registers a function that reads a queue (App.Queue or
// ExistingQueue); handler takes an events.SQSEvent and may return an
// events.SQSEventResponse to report partial batch failures.
func (a *App) OnSQSMessage(name string, queue Queue, handler any, opts ...SQSOption) {
	a.EventHandler(name, handler, SQSSource(queue, opts...))
}

// ---- S3

// Bucket is an S3 bucket: one declared in the app (App.Bucket), which the
// template creates, or an existing one (ExistingBucket).
type Bucket struct {
	name     string
	existing bool
}

// Bucket declares an S3 bucket that the template creates (its name is
// chosen by CloudFormation; name here is the source of its logical ID:
// uploads → UploadsBucket). Its name and ARN are stack outputs.
func (a *App) Bucket(name string) Bucket {
	declare(a, &a.sources.buckets, "bucket", name, manifest.Bucket{Name: name})
	return Bucket{name: name}
}

// ExistingBucket names a bucket outside the stack. CloudFormation cannot
// add a notification to a bucket it does not manage: the template grants S3
// the right to invoke the function and an output says which notification to
// configure on the bucket.
func ExistingBucket(name string) Bucket { return Bucket{name: name, existing: true} }

// S3Option configures an S3 source.
type S3Option func(*manifest.S3Event)

// S3Events sets the event types (default s3:ObjectCreated:*).
func S3Events(types ...string) S3Option {
	return func(e *manifest.S3Event) { e.Events = append(e.Events, types...) }
}

// S3Prefix filters the object keys by prefix.
func S3Prefix(p string) S3Option { return func(e *manifest.S3Event) { e.Prefix = p } }

// S3Suffix filters the object keys by suffix.
func S3Suffix(s string) S3Option { return func(e *manifest.S3Event) { e.Suffix = s } }

// S3Source receives a bucket's notifications.
func S3Source(bucket Bucket, opts ...S3Option) Source {
	e := &manifest.S3Event{}
	if bucket.existing {
		if !matchWithin(bucketName, bucket.name, 3, 63) {
			return Source{err: fmt.Errorf("S3 bucket %q: not a valid bucket name (3 to 63 lower-case letters, digits, '.' and '-')", bucket.name)}
		}
		e.ExistingBucket = bucket.name
	} else {
		if bucket.name == "" {
			return Source{err: fmt.Errorf("S3 source: a zero Bucket (use App.Bucket or framework.ExistingBucket)")}
		}
		e.Bucket = bucket.name
	}
	for _, o := range opts {
		o(e)
	}
	if len(e.Events) == 0 {
		e.Events = []string{"s3:ObjectCreated:*"}
	}
	for _, t := range e.Events {
		if !matches(s3EventType, t) {
			return Source{err: fmt.Errorf("S3 bucket %s: %q is not an S3 event type such as s3:ObjectCreated:*", bucket.name, t)}
		}
	}
	return Source{event: manifest.Event{Type: manifest.EventS3, S3: e}}
}

// OnS3Event registers a function that receives a bucket's notifications;
// handler takes an events.S3Event.
//
//	uploads := app.Bucket("uploads")
//	app.OnS3Event("thumbnail", uploads, thumbnail, framework.S3Prefix("images/"), framework.S3Suffix(".png"))
func (a *App) OnS3Event(name string, bucket Bucket, handler any, opts ...S3Option) {
	a.EventHandler(name, handler, S3Source(bucket, opts...))
}

// ---- EventBridge

// EventBridgeOption configures an EventBridge rule.
type EventBridgeOption func(*manifest.EventBridgeEvent)

// EventBus puts the rule on a custom event bus (name or ARN).
func EventBus(bus string) EventBridgeOption {
	return func(e *manifest.EventBridgeEvent) { e.Bus = bus }
}

// EventBridgeSource runs a function on the events matching pattern, a value
// that encodes as a JSON object (an EventBridge / CloudWatch Events pattern).
func EventBridgeSource(pattern any, opts ...EventBridgeOption) Source {
	raw, err := jsonObject(pattern)
	if err != nil {
		return Source{err: fmt.Errorf("EventBridge pattern: %w", err)}
	}
	e := &manifest.EventBridgeEvent{Pattern: raw}
	for _, o := range opts {
		o(e)
	}
	if e.Bus != "" && !matchWithin(busName, e.Bus, 1, 256) && !matchWithin(busARN, e.Bus, 1, 256) {
		return Source{err: fmt.Errorf("EventBridge bus %q is neither an event bus name nor an ARN", e.Bus)}
	}
	return Source{event: manifest.Event{Type: manifest.EventEventBridge, EventBridge: e}}
}

// OnEventBridge registers a function run on the EventBridge (CloudWatch
// Events) events matching pattern; handler takes an events.EventBridgeEvent.
//
//	app.OnEventBridge("on_ec2", map[string]any{"source": []string{"aws.ec2"}}, onEC2)
func (a *App) OnEventBridge(name string, pattern any, handler any, opts ...EventBridgeOption) {
	a.EventHandler(name, handler, EventBridgeSource(pattern, opts...))
}

// ---- streams

// StreamOption configures a DynamoDB or Kinesis stream source.
type StreamOption func(*manifest.StreamEvent)

// StreamBatchSize sets the maximum number of records per invocation (1 to 10000).
func StreamBatchSize(n int) StreamOption {
	return func(e *manifest.StreamEvent) { e.BatchSize = n }
}

// StreamStartingPosition sets where reading starts: "LATEST" (default) or "TRIM_HORIZON".
func StreamStartingPosition(p string) StreamOption {
	return func(e *manifest.StreamEvent) { e.StartingPosition = p }
}

// StreamBatchingWindow sets how many seconds (0 to 300) Lambda gathers records.
func StreamBatchingWindow(seconds int) StreamOption {
	return func(e *manifest.StreamEvent) { e.MaxBatchingWindow = seconds }
}

// StreamBisectOnError splits a failing batch in two and retries each half.
func StreamBisectOnError() StreamOption {
	return func(e *manifest.StreamEvent) { e.BisectOnError = true }
}

// StreamMaxRetries sets how many times a failing batch is retried (0 to 10000;
// -1 for until the record expires).
func StreamMaxRetries(n int) StreamOption {
	return func(e *manifest.StreamEvent) { e.MaxRetries = &n }
}

func streamSource(typ, stream string, opts []StreamOption) Source {
	return streamSourceOf(typ, stream, &manifest.StreamEvent{Stream: stream}, opts)
}

func streamSourceOf(typ, stream string, e *manifest.StreamEvent, opts []StreamOption) Source {
	for _, o := range opts {
		o(e)
	}
	if e.StartingPosition == "" {
		e.StartingPosition = "LATEST"
	}
	what := map[string]string{manifest.EventDynamoDB: "DynamoDB stream", manifest.EventKinesis: "Kinesis stream"}[typ]
	switch {
	case e.StartingPosition != "LATEST" && e.StartingPosition != "TRIM_HORIZON":
		return Source{err: fmt.Errorf("%s %s: starting position %q is not LATEST or TRIM_HORIZON", what, stream, e.StartingPosition)}
	case e.BatchSize < 0 || e.BatchSize > 10000:
		return Source{err: fmt.Errorf("%s %s: batch size %d is not from 1 to 10000", what, stream, e.BatchSize)}
	case e.MaxBatchingWindow < 0 || e.MaxBatchingWindow > 300:
		return Source{err: fmt.Errorf("%s %s: batching window %d s is not from 0 to 300", what, stream, e.MaxBatchingWindow)}
	case e.MaxRetries != nil && (*e.MaxRetries < -1 || *e.MaxRetries > 10000):
		return Source{err: fmt.Errorf("%s %s: maximum retries %d is not from -1 to 10000", what, stream, *e.MaxRetries)}
	}
	return Source{event: manifest.Event{Type: typ, Stream: e}}
}

// DynamoDBSource reads the stream of a table declared with App.Table (with
// TableStream), or of an existing table (ExistingTableStream).
func DynamoDBSource(table Table, opts ...StreamOption) Source {
	if table.name != "" {
		return streamSourceOf(manifest.EventDynamoDB, "table "+table.name, &manifest.StreamEvent{Table: table.name}, opts)
	}
	streamARN := table.streamARN
	if !matchWithin(dynamoStreamARN, streamARN, 3, 255) {
		return Source{err: fmt.Errorf("DynamoDB stream %q is not a stream ARN (arn:aws:dynamodb:REGION:ACCOUNT:table/TABLE/stream/LABEL)", streamARN)}
	}
	return streamSource(manifest.EventDynamoDB, streamARN, opts)
}

// OnDynamoDBRecord registers a function that reads a table's stream
// (App.Table with TableStream, or ExistingTableStream); handler takes an
// events.DynamoDBEvent and may return an events.DynamoDBEventResponse to
// report partial batch failures.
func (a *App) OnDynamoDBRecord(name string, table Table, handler any, opts ...StreamOption) {
	a.EventHandler(name, handler, DynamoDBSource(table, opts...))
}

// KinesisSource reads a Kinesis stream given by name (in the stack's account
// and region) or ARN.
func KinesisSource(stream string, opts ...StreamOption) Source {
	if !matchWithin(kinesisName, stream, 1, 128) && !matchWithin(kinesisARN, stream, 1, 128) {
		return Source{err: fmt.Errorf("Kinesis stream %q is neither a stream name nor a Kinesis stream ARN", stream)}
	}
	return streamSource(manifest.EventKinesis, stream, opts)
}

// OnKinesisRecord registers a function that reads a Kinesis stream; handler
// takes an events.KinesisEvent and may return an events.KinesisEventResponse
// to report partial batch failures.
func (a *App) OnKinesisRecord(name, stream string, handler any, opts ...StreamOption) {
	a.EventHandler(name, handler, KinesisSource(stream, opts...))
}

// ---- Cognito

// CognitoTrigger is a user pool trigger: the key of the pool's LambdaConfig.
type CognitoTrigger string

// The Cognito user pool triggers. (The custom SMS and email sender triggers
// need a KMS key and are not supported.)
const (
	PreSignUp                   CognitoTrigger = "PreSignUp"
	PostConfirmation            CognitoTrigger = "PostConfirmation"
	PreAuthentication           CognitoTrigger = "PreAuthentication"
	PostAuthentication          CognitoTrigger = "PostAuthentication"
	PreTokenGeneration          CognitoTrigger = "PreTokenGeneration"
	CustomMessage               CognitoTrigger = "CustomMessage"
	DefineAuthChallenge         CognitoTrigger = "DefineAuthChallenge"
	CreateAuthChallenge         CognitoTrigger = "CreateAuthChallenge"
	VerifyAuthChallengeResponse CognitoTrigger = "VerifyAuthChallengeResponse"
	UserMigration               CognitoTrigger = "UserMigration"
)

// triggerSources maps each trigger to the prefix of the triggerSource values
// Cognito sends it.
var triggerSources = map[CognitoTrigger]string{
	PreSignUp:                   "PreSignUp_",
	PostConfirmation:            "PostConfirmation_",
	PreAuthentication:           "PreAuthentication_",
	PostAuthentication:          "PostAuthentication_",
	PreTokenGeneration:          "TokenGeneration_",
	CustomMessage:               "CustomMessage_",
	DefineAuthChallenge:         "DefineAuthChallenge_",
	CreateAuthChallenge:         "CreateAuthChallenge_",
	VerifyAuthChallengeResponse: "VerifyAuthChallengeResponse_",
	UserMigration:               "UserMigration_",
}

// UserPool is a Cognito user pool: one declared in the app (App.UserPool),
// which the template creates with its triggers, or an existing one
// (ExistingUserPool).
type UserPool struct {
	name string
	arn  string
}

// UserPool declares a Cognito user pool that the template creates, with
// every trigger registered on it in its LambdaConfig. name is the source of
// its logical ID (users → UsersUserPool); the pool's ID and ARN are stack
// outputs.
//
// Options: SignInWithEmail, WithAppClient.
func (a *App) UserPool(name string, opts ...UserPoolOption) UserPool {
	spec := manifest.UserPool{Name: name}
	for _, opt := range opts {
		opt(&spec)
	}
	declare(a, &a.sources.userPools, "user pool", name, spec)
	return UserPool{name: name}
}

// UserPoolOption configures a user pool declared with App.UserPool.
type UserPoolOption func(*manifest.UserPool)

// SignInWithEmail makes users sign up and sign in with their email address,
// which Cognito verifies (UsernameAttributes and AutoVerifiedAttributes
// email).
func SignInWithEmail() UserPoolOption {
	return func(p *manifest.UserPool) { p.EmailSignIn = true }
}

// WithAppClient adds an app client to the pool, for a browser or mobile
// front end: no client secret, SRP and refresh-token sign-in. Its ID is the
// stack output <Pool>ClientId, and UserPool.ClientID at run time.
func WithAppClient() UserPoolOption {
	return func(p *manifest.UserPool) { p.AppClient = true }
}

// PasswordSignIn adds an app client (as WithAppClient) that also accepts
// USER_PASSWORD_AUTH: InitiateAuth with the user name and password, sent
// over TLS to Cognito. A page that calls Cognito's JSON API with fetch, and
// no SRP library, signs in this way.
func PasswordSignIn() UserPoolOption {
	return func(p *manifest.UserPool) { p.AppClient, p.PasswordAuth = true, true }
}

// Name returns the registered name of a pool declared with App.UserPool, or
// "" for an existing pool. A Cognito authorizer can refer to a declared pool
// by this name (its template ARN is the pool's Arn attribute).
func (p UserPool) Name() string { return p.name }

// ARN returns the ARN of an existing pool, or "" for a declared one.
func (p UserPool) ARN() string { return p.arn }

// ID returns the ID of the pool (us-east-1_AbCdEf123): for a declared pool
// from the variable GOCHALICE_USERPOOL_<NAME>_ID, which the template sets on
// the functions whose code calls ID (a *MissingResourceError where it is
// not set); for an existing pool, from its ARN. A trigger of the pool cannot
// be given its ID (CloudFormation would see a cycle): its event carries it.
func (p UserPool) ID() (string, error) {
	if p.arn != "" {
		return p.arn[strings.LastIndex(p.arn, "/")+1:], nil
	}
	return lookup(manifest.ResourceUserPool, p.name, manifest.AttrID)
}

// ClientID returns the ID of the app client of a pool declared with
// WithAppClient or PasswordSignIn, from GOCHALICE_USERPOOL_<NAME>_CLIENT_ID,
// set as ID's variable is.
func (p UserPool) ClientID() (string, error) {
	if p.arn != "" {
		return "", fmt.Errorf("user pool %s is not declared in the app: its app clients are not known", p.arn)
	}
	return lookup(manifest.ResourceUserPool, p.name, manifest.AttrClientID)
}

// Endpoint returns the URL of the Cognito user pool API that a front end
// calls (sign-up, sign-in): GOCHALICE_USERPOOL_<NAME>_ENDPOINT when set
// (chalice-package local sets it to its emulation of the pool's triggers),
// else https://cognito-idp.REGION.amazonaws.com/ for the function's region.
func (p UserPool) Endpoint() string {
	if p.name != "" {
		if v := os.Getenv(manifest.ResourceEnv(manifest.ResourceUserPool, p.name, manifest.AttrEndpoint)); v != "" {
			return v
		}
	}
	region := os.Getenv("AWS_REGION")
	if p.arn != "" {
		if parts := strings.Split(p.arn, ":"); len(parts) > 3 {
			region = parts[3]
		}
	}
	if region == "" {
		region = "us-east-1"
	}
	return "https://cognito-idp." + region + ".amazonaws.com/"
}

// ExistingUserPool names a user pool outside the stack by its ARN.
// CloudFormation cannot change its triggers: the template grants Cognito the
// right to invoke the function and an output says which trigger to attach.
func ExistingUserPool(arn string) UserPool { return UserPool{arn: arn} }

// CognitoSource attaches a function to a user pool trigger.
func CognitoSource(pool UserPool, trigger CognitoTrigger) Source {
	if _, ok := triggerSources[trigger]; !ok {
		return Source{err: fmt.Errorf("unknown Cognito trigger %q (want one of the framework.PreSignUp, PostConfirmation, ... constants)", string(trigger))}
	}
	e := &manifest.CognitoEvent{Trigger: string(trigger)}
	switch {
	case pool.arn != "":
		if !matches(userPoolARN, pool.arn) {
			return Source{err: fmt.Errorf("Cognito trigger %s: %q is not a user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/REGION_ID)", trigger, pool.arn)}
		}
		e.ExistingPoolARN = pool.arn
	case pool.name != "":
		e.Pool = pool.name
	default:
		return Source{err: fmt.Errorf("Cognito trigger %s: a zero UserPool (use App.UserPool or framework.ExistingUserPool)", trigger)}
	}
	return Source{event: manifest.Event{Type: manifest.EventCognito, Cognito: e}}
}

// OnCognitoTrigger registers a function as a user pool trigger; handler
// takes the matching aws-lambda-go type (events.CognitoEventUserPoolsPreSignup
// for PreSignUp, ...) and returns it, changed as the trigger allows:
//
//	users := app.UserPool("users")
//	app.OnCognitoTrigger("auto_confirm", users, framework.PreSignUp,
//		func(ctx context.Context, ev events.CognitoEventUserPoolsPreSignup) (events.CognitoEventUserPoolsPreSignup, error) {
//			ev.Response.AutoConfirmUser = true
//			return ev, nil
//		})
func (a *App) OnCognitoTrigger(name string, pool UserPool, trigger CognitoTrigger, handler any) {
	a.EventHandler(name, handler, CognitoSource(pool, trigger))
}

// ---- WebSockets

// The handler names (and function names) of the WebSocket handlers.
const (
	WebSocketConnectName    = "websocket_connect"
	WebSocketMessageName    = "websocket_message"
	WebSocketDisconnectName = "websocket_disconnect"
)

// OnWebSocketConnect registers the handler of the WebSocket API's $connect
// route, the function websocket_connect; handler takes an
// events.APIGatewayWebsocketProxyRequest and returns an
// events.APIGatewayProxyResponse (a status other than 2xx refuses the
// connection).
func (a *App) OnWebSocketConnect(handler any) {
	a.webSocket(WebSocketConnectName, "$connect", handler)
}

// OnWebSocketMessage registers the handler of the WebSocket API's $default
// route (every message), the function websocket_message. Answer a client
// with a WebSocketClient.
func (a *App) OnWebSocketMessage(handler any) {
	a.webSocket(WebSocketMessageName, "$default", handler)
}

// OnWebSocketDisconnect registers the handler of the WebSocket API's
// $disconnect route, the function websocket_disconnect.
func (a *App) OnWebSocketDisconnect(handler any) {
	a.webSocket(WebSocketDisconnectName, "$disconnect", handler)
}

func (a *App) webSocket(name, route string, handler any) {
	a.registerEventFunction(name, handler, []manifest.Event{{Type: manifest.EventWebSocket, WebSocket: &manifest.WebSocketEvent{Route: route}}})
}

// describeSource names an event source for messages.
func describeSource(ev manifest.Event) string {
	switch ev.Type {
	case manifest.EventSchedule:
		return "schedule"
	case manifest.EventSNS:
		return "SNS"
	case manifest.EventSQS:
		return "SQS"
	case manifest.EventS3:
		return "S3"
	case manifest.EventEventBridge:
		return "EventBridge"
	case manifest.EventDynamoDB:
		return "DynamoDB stream"
	case manifest.EventKinesis:
		return "Kinesis"
	case manifest.EventCognito:
		return "Cognito " + ev.Cognito.Trigger
	case manifest.EventWebSocket:
		return "WebSocket " + strings.TrimPrefix(ev.WebSocket.Route, "$")
	}
	return ev.Type
}
