package cfn

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"

	"github.com/gochalice/gochalice/framework/manifest"
)

// serverlessFunction returns goformation's typed struct of the function
// resource with the logical ID id, for steps that change the properties it
// has.
func (b *builder) serverlessFunction(id string) (*serverless.Function, bool) {
	if f, ok := b.t.Resources[id].(*samFunction); ok {
		return f.Function, true
	}
	return nil, false
}

// samEventNames is the base of each SAM event's key in Events.
var samEventNames = map[string]string{
	manifest.EventSchedule:    "Schedule",
	manifest.EventSNS:         "SNS",
	manifest.EventSQS:         "SQS",
	manifest.EventS3:          "S3",
	manifest.EventEventBridge: "EventBridge",
	manifest.EventDynamoDB:    "DynamoDB",
	manifest.EventKinesis:     "Kinesis",
}

// eventState collects what the event sources add beyond each function's
// Events.
type eventState struct {
	poolIDs    map[string]string // user pool name → logical ID
	bucketIDs  map[string]string // bucket name → logical ID
	lambdaCfg  map[string]map[string]string
	queues     map[string][]any            // generated role ID → queue ARNs its functions read
	streams    map[string]map[string][]any // generated role ID → "dynamodb"/"kinesis" → stream ARNs
	webSockets map[string]string           // route → function name
	s3ByBucket map[string][]s3Use
}

type s3Use struct {
	function string
	ev       *manifest.S3Event
}

// eventSources adds everything the manifest's event sources need: the SAM
// Events of each function, the declared user pools and buckets, the invoke
// permissions and outputs for existing pools and buckets, the WebSocket API,
// and the role statements for reading queues and streams.
func (b *builder) eventSources() error {
	st := &eventState{
		poolIDs:    map[string]string{},
		bucketIDs:  map[string]string{},
		lambdaCfg:  map[string]map[string]string{},
		queues:     map[string][]any{},
		streams:    map[string]map[string][]any{},
		webSockets: map[string]string{},
		s3ByBucket: map[string][]s3Use{},
	}
	for _, p := range b.m.UserPools {
		id, err := b.resourceID("user pool", p.Name, userPoolSuffix)
		if err != nil {
			return err
		}
		st.poolIDs[p.Name] = id
		st.lambdaCfg[p.Name] = map[string]string{}
	}
	for _, bk := range b.m.Buckets {
		id, err := b.resourceID("bucket", bk.Name, bucketSuffix)
		if err != nil {
			return err
		}
		st.bucketIDs[bk.Name] = id
		if err := b.addResource(id, &retained{typ: "AWS::S3::Bucket", props: b.bucketProps(), remove: b.st.NoRetain}); err != nil {
			return err
		}
		if err := b.addOutput(id+"Name", fmt.Sprintf("Name of bucket %s", bk.Name), ref(id)); err != nil {
			return err
		}
		if err := b.addOutput(id+"Arn", fmt.Sprintf("ARN of bucket %s", bk.Name), getAtt(id, "Arn")); err != nil {
			return err
		}
	}
	for _, fn := range b.m.Functions {
		if len(fn.Events) == 0 {
			continue
		}
		if fn.Kind == manifest.KindAPI {
			return fmt.Errorf("function %q: the API function cannot have event sources", fn.Name)
		}
		evs, err := b.functionEvents(fn, st)
		if err != nil {
			return fmt.Errorf("function %q: %w", fn.Name, err)
		}
		if len(evs) == 0 {
			continue
		}
		f, ok := b.t.Resources[b.ids[fn.Name]].(*samFunction)
		if !ok {
			return fmt.Errorf("internal error: function %q is not a serverless function", fn.Name)
		}
		f.Events = evs
	}
	if err := checkS3Overlaps(st.s3ByBucket); err != nil {
		return err
	}
	for _, p := range b.m.UserPools {
		if err := b.userPool(p, st); err != nil {
			return err
		}
	}
	if err := b.webSocketAPI(st.webSockets); err != nil {
		return err
	}
	return b.eventRoleStatements(st)
}

// UserPoolLogicalID is the logical ID of the user pool an app declares
// under name (users → UsersUserPool), for resources that refer to it, such
// as a Cognito authorizer: {"Fn::GetAtt": [UserPoolLogicalID(name), "Arn"]}.
func UserPoolLogicalID(name string) string { return LogicalID(name) + userPoolSuffix }

// BucketLogicalID is the logical ID of the bucket an app declares under
// name (uploads → UploadsBucket).
func BucketLogicalID(name string) string { return LogicalID(name) + bucketSuffix }

const (
	userPoolSuffix = "UserPool"
	bucketSuffix   = "Bucket"
)

// resourceID gives a declared resource its logical ID, LogicalID(name) +
// suffix, and rejects one already taken.
func (b *builder) resourceID(what, name, suffix string) (string, error) {
	base := LogicalID(name)
	if base == "" {
		return "", fmt.Errorf("%s %q has no ASCII letters or digits to make a logical ID from", what, name)
	}
	id := base + suffix
	if _, taken := b.t.Resources[id]; taken {
		return "", fmt.Errorf("%s %q maps to logical ID %q, which %s already uses", what, name, id, b.owner(id))
	}
	if w, ok := reservedIDs[id]; ok {
		return "", fmt.Errorf("%s %q maps to logical ID %q, which is reserved for %s", what, name, id, w)
	}
	return id, nil
}

// owner names what holds a logical ID, for messages.
func (b *builder) owner(id string) string {
	if _, ok := b.t.Resources[id]; !ok {
		return "nothing"
	}
	for name, fid := range b.ids {
		if fid == id {
			return fmt.Sprintf("function %q", name)
		}
	}
	return "another resource"
}

// functionEvents builds one function's SAM Events and records what else its
// sources need.
func (b *builder) functionEvents(fn manifest.Function, st *eventState) (map[string]any, error) {
	fid := b.ids[fn.Name]
	evs := map[string]any{}
	count := map[string]int{}
	key := func(typ string) string {
		count[typ]++
		if count[typ] == 1 {
			return samEventNames[typ]
		}
		return fmt.Sprintf("%s%d", samEventNames[typ], count[typ])
	}
	for _, ev := range fn.Events {
		switch ev.Type {
		case manifest.EventSchedule:
			s := ev.Schedule
			if s == nil {
				return nil, fmt.Errorf("schedule event without settings")
			}
			props := map[string]any{"Schedule": s.Expression}
			if s.Description != "" {
				props["Description"] = s.Description
			}
			if s.Disabled {
				props["Enabled"] = false
			}
			evs[key(ev.Type)] = map[string]any{"Type": "Schedule", "Properties": props}
		case manifest.EventSNS:
			s := ev.SNS
			if s == nil {
				return nil, fmt.Errorf("SNS event without settings")
			}
			var topic any = arnOrSub(s.Topic, "sns", "${AWS::Region}:${AWS::AccountId}:")
			if s.Declared {
				topic = ref(ResourceLogicalID(manifest.ResourceTopic, s.Topic))
			}
			props := map[string]any{"Topic": topic}
			if len(s.FilterPolicy) > 0 {
				var fp any
				if err := json.Unmarshal(s.FilterPolicy, &fp); err != nil {
					return nil, fmt.Errorf("SNS topic %s: filter policy: %w", s.Topic, err)
				}
				props["FilterPolicy"] = fp
			}
			evs[key(ev.Type)] = map[string]any{"Type": "SNS", "Properties": props}
		case manifest.EventSQS:
			s := ev.SQS
			if s == nil {
				return nil, fmt.Errorf("SQS event without settings")
			}
			q := arnOrSub(s.Queue, "sqs", "${AWS::Region}:${AWS::AccountId}:")
			if s.Declared {
				q = getAtt(ResourceLogicalID(manifest.ResourceQueue, s.Queue), "Arn")
			}
			props := map[string]any{"Queue": q}
			if s.BatchSize > 0 {
				props["BatchSize"] = s.BatchSize
			}
			if s.MaxBatchingWindow > 0 {
				props["MaximumBatchingWindowInSeconds"] = s.MaxBatchingWindow
			}
			if s.MaxConcurrency > 0 {
				props["ScalingConfig"] = map[string]any{"MaximumConcurrency": s.MaxConcurrency}
			}
			if s.ReportBatchItemFailures {
				props["FunctionResponseTypes"] = []any{"ReportBatchItemFailures"}
			}
			if role, ok := b.generatedRole(fn.Name); ok {
				st.queues[role] = append(st.queues[role], q)
			}
			evs[key(ev.Type)] = map[string]any{"Type": "SQS", "Properties": props}
		case manifest.EventDynamoDB, manifest.EventKinesis:
			s := ev.Stream
			if s == nil {
				return nil, fmt.Errorf("%s event without settings", ev.Type)
			}
			stream := any(s.Stream)
			if s.Table != "" {
				stream = getAtt(ResourceLogicalID(manifest.ResourceTable, s.Table), "StreamArn")
			}
			typ := "DynamoDB"
			if ev.Type == manifest.EventKinesis {
				typ = "Kinesis"
				stream = arnOrSub(s.Stream, "kinesis", "${AWS::Region}:${AWS::AccountId}:stream/")
			}
			props := map[string]any{"Stream": stream, "StartingPosition": s.StartingPosition}
			if s.BatchSize > 0 {
				props["BatchSize"] = s.BatchSize
			}
			if s.MaxBatchingWindow > 0 {
				props["MaximumBatchingWindowInSeconds"] = s.MaxBatchingWindow
			}
			if s.BisectOnError {
				props["BisectBatchOnFunctionError"] = true
			}
			if s.MaxRetries != nil {
				props["MaximumRetryAttempts"] = *s.MaxRetries
			}
			if s.ReportBatchItemFailures {
				props["FunctionResponseTypes"] = []any{"ReportBatchItemFailures"}
			}
			if role, ok := b.generatedRole(fn.Name); ok {
				if st.streams[role] == nil {
					st.streams[role] = map[string][]any{}
				}
				st.streams[role][ev.Type] = append(st.streams[role][ev.Type], stream)
			}
			evs[key(ev.Type)] = map[string]any{"Type": typ, "Properties": props}
		case manifest.EventEventBridge:
			s := ev.EventBridge
			if s == nil {
				return nil, fmt.Errorf("EventBridge event without settings")
			}
			var pattern any
			if err := json.Unmarshal(s.Pattern, &pattern); err != nil {
				return nil, fmt.Errorf("EventBridge pattern: %w", err)
			}
			props := map[string]any{"Pattern": pattern}
			if s.Bus != "" {
				props["EventBusName"] = s.Bus
			}
			evs[key(ev.Type)] = map[string]any{"Type": "EventBridgeRule", "Properties": props}
		case manifest.EventS3:
			s := ev.S3
			if s == nil {
				return nil, fmt.Errorf("S3 event without settings")
			}
			if s.ExistingBucket != "" {
				if err := b.existingBucket(fn.Name, fid, s); err != nil {
					return nil, err
				}
				continue
			}
			bid, ok := st.bucketIDs[s.Bucket]
			if !ok {
				return nil, fmt.Errorf("bucket %q is not declared in the app", s.Bucket)
			}
			st.s3ByBucket[s.Bucket] = append(st.s3ByBucket[s.Bucket], s3Use{fn.Name, s})
			props := map[string]any{"Bucket": ref(bid), "Events": toAny(s.Events)}
			var rules []any
			if s.Prefix != "" {
				rules = append(rules, map[string]any{"Name": "prefix", "Value": s.Prefix})
			}
			if s.Suffix != "" {
				rules = append(rules, map[string]any{"Name": "suffix", "Value": s.Suffix})
			}
			if len(rules) > 0 {
				props["Filter"] = map[string]any{"S3Key": map[string]any{"Rules": rules}}
			}
			evs[key(ev.Type)] = map[string]any{"Type": "S3", "Properties": props}
		case manifest.EventCognito:
			if err := b.cognitoTrigger(fn.Name, fid, ev.Cognito, st); err != nil {
				return nil, err
			}
		case manifest.EventWebSocket:
			w := ev.WebSocket
			if w == nil || webSocketRoutes[w.Route] == "" {
				return nil, fmt.Errorf("WebSocket event without a known route ($connect, $default, $disconnect)")
			}
			if other, dup := st.webSockets[w.Route]; dup {
				return nil, fmt.Errorf("WebSocket route %s is already handled by function %q", w.Route, other)
			}
			st.webSockets[w.Route] = fn.Name
		default:
			return nil, fmt.Errorf("unknown event source type %q", ev.Type)
		}
	}
	return evs, nil
}

// arnOrSub returns an ARN as is, or the ARN of a name in the stack's
// partition (and, per the middle part, region and account).
func arnOrSub(nameOrARN, service, middle string) any {
	if strings.HasPrefix(nameOrARN, "arn:") {
		return nameOrARN
	}
	return sub("arn:${AWS::Partition}:" + service + ":" + middle + nameOrARN)
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// existingBucket grants S3 the right to invoke the function for a bucket
// outside the stack, and adds an output saying which notification to
// configure: CloudFormation can only add notifications to buckets it creates.
func (b *builder) existingBucket(fnName, fid string, s *manifest.S3Event) error {
	pid := fid + "S3Permission" + LogicalID(s.ExistingBucket)
	if _, dup := b.t.Resources[pid]; dup {
		return fmt.Errorf("two S3 sources on bucket %s: list every event type in one S3Source", s.ExistingBucket)
	}
	perm := &lambda.Permission{
		Action:        "lambda:InvokeFunction",
		Principal:     "s3.amazonaws.com",
		FunctionName:  b.in.placeholder(getAtt(fid, "Arn")),
		SourceArn:     b.in.placeholderPtr(sub("arn:${AWS::Partition}:s3:::" + s.ExistingBucket)),
		SourceAccount: b.in.placeholderPtr(ref("AWS::AccountId")),
	}
	if err := b.addEventResource(pid, fmt.Sprintf("the S3 invoke permission of function %q", fnName), perm); err != nil {
		return err
	}
	filter := ""
	if s.Prefix != "" {
		filter += fmt.Sprintf(", prefix %q", s.Prefix)
	}
	if s.Suffix != "" {
		filter += fmt.Sprintf(", suffix %q", s.Suffix)
	}
	desc := fmt.Sprintf("Bucket %s is not in this stack: add an event notification on it (%s%s) with this function ARN as destination; the invoke permission is in the stack (function %s)",
		s.ExistingBucket, strings.Join(s.Events, ", "), filter, fnName)
	return b.addOutput(fid+"S3Notification"+LogicalID(s.ExistingBucket), desc, getAtt(fid, "Arn"))
}

// cognitoTrigger wires a trigger: into the LambdaConfig of a declared pool,
// or, for an existing pool, an invoke permission and an output saying which
// trigger to attach.
func (b *builder) cognitoTrigger(fnName, fid string, c *manifest.CognitoEvent, st *eventState) error {
	if c == nil || c.Trigger == "" {
		return fmt.Errorf("Cognito event without a trigger")
	}
	if !slices.Contains(cognitoTriggers, c.Trigger) {
		return fmt.Errorf("unknown Cognito trigger %q", c.Trigger)
	}
	pid := fid + c.Trigger + "Permission"
	perm := &lambda.Permission{
		Action:       "lambda:InvokeFunction",
		Principal:    "cognito-idp.amazonaws.com",
		FunctionName: b.in.placeholder(getAtt(fid, "Arn")),
	}
	if c.ExistingPoolARN != "" {
		perm.SourceArn = ptr(c.ExistingPoolARN)
		if err := b.addEventResource(pid, fmt.Sprintf("the Cognito invoke permission of function %q", fnName), perm); err != nil {
			return err
		}
		desc := fmt.Sprintf("User pool %s is not in this stack: attach this function ARN as its %s trigger (Cognito console, user pool, Extensions, Lambda triggers); the invoke permission is in the stack (function %s)", c.ExistingPoolARN, c.Trigger, fnName)
		return b.addOutput(fid+c.Trigger+"Trigger", desc, getAtt(fid, "Arn"))
	}
	cfg, ok := st.lambdaCfg[c.Pool]
	if !ok {
		return fmt.Errorf("user pool %q is not declared in the app", c.Pool)
	}
	if _, dup := cfg[c.Trigger]; dup {
		return fmt.Errorf("user pool %q already has a %s trigger", c.Pool, c.Trigger)
	}
	cfg[c.Trigger] = fid
	perm.SourceArn = b.in.placeholderPtr(getAtt(st.poolIDs[c.Pool], "Arn"))
	return b.addEventResource(pid, fmt.Sprintf("the Cognito invoke permission of function %q", fnName), perm)
}

// cognitoTriggers are the LambdaConfig keys the framework registers.
var cognitoTriggers = []string{"CreateAuthChallenge", "CustomMessage", "DefineAuthChallenge", "PostAuthentication", "PostConfirmation", "PreAuthentication", "PreSignUp", "PreTokenGeneration", "UserMigration", "VerifyAuthChallengeResponse"}

// userPool adds a declared user pool with its triggers and its outputs.
func (b *builder) userPool(p manifest.UserPool, st *eventState) error {
	name := p.Name
	id := st.poolIDs[name]
	pool := &poolResource{lambdaConfig: map[string]any{}, emailSignIn: p.EmailSignIn, remove: b.st.NoRetain}
	for trigger, fid := range st.lambdaCfg[name] {
		pool.lambdaConfig[trigger] = getAtt(fid, "Arn")
	}
	if err := b.addResource(id, pool); err != nil {
		return err
	}
	if err := b.addOutput(id+"Id", fmt.Sprintf("ID of user pool %s", name), ref(id)); err != nil {
		return err
	}
	if err := b.addOutput(id+"Arn", fmt.Sprintf("ARN of user pool %s (for a Cognito authorizer)", name), getAtt(id, "Arn")); err != nil {
		return err
	}
	if !p.AppClient {
		return nil
	}
	clientID := id + "Client"
	if _, taken := b.t.Resources[clientID]; taken {
		return fmt.Errorf("user pool %q: its app client's logical ID %q is already used", name, clientID)
	}
	flows := []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
	if p.PasswordAuth {
		flows = []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
	}
	if err := b.addResource(clientID, &rawResource{typ: "AWS::Cognito::UserPoolClient", props: map[string]any{
		"UserPoolId":                 ref(id),
		"GenerateSecret":             false,
		"ExplicitAuthFlows":          flows,
		"PreventUserExistenceErrors": "ENABLED",
	}}); err != nil {
		return err
	}
	return b.addOutput(clientID+"Id", fmt.Sprintf("ID of the app client of user pool %s (for the front end's sign-in)", name), ref(clientID))
}

// rawResource is a resource written from a property map, for properties
// that hold intrinsics where goformation's types want plain strings.
type rawResource struct {
	typ   string
	props map[string]any
}

// AWSCloudFormationType implements cloudformation.Resource.
func (r *rawResource) AWSCloudFormationType() string { return r.typ }

// MarshalJSON encodes the resource.
func (r *rawResource) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"Type": r.typ, "Properties": r.props})
}

// poolResource is an AWS::Cognito::UserPool whose LambdaConfig holds
// intrinsics (goformation types its entries as *string).
type poolResource struct {
	lambdaConfig map[string]any
	emailSignIn  bool
	remove       bool // retain_data: false
}

// AWSCloudFormationType implements cloudformation.Resource.
func (*poolResource) AWSCloudFormationType() string { return "AWS::Cognito::UserPool" }

// MarshalJSON encodes the pool as a template resource.
func (p *poolResource) MarshalJSON() ([]byte, error) {
	props := map[string]any{}
	if len(p.lambdaConfig) > 0 {
		props["LambdaConfig"] = p.lambdaConfig
	}
	if p.emailSignIn {
		props["UsernameAttributes"] = []string{"email"}
		props["AutoVerifiedAttributes"] = []string{"email"}
	}
	return (&retained{typ: p.AWSCloudFormationType(), props: props, remove: p.remove}).MarshalJSON()
}

// checkS3Overlaps rejects two notifications on one declared bucket that S3
// would refuse as overlapping (same event types, overlapping key filters).
func checkS3Overlaps(byBucket map[string][]s3Use) error {
	for _, bucket := range slices.Sorted(maps.Keys(byBucket)) {
		uses := byBucket[bucket]
		for i := range uses {
			for j := i + 1; j < len(uses); j++ {
				x, y := uses[i], uses[j]
				if eventsOverlap(x.ev.Events, y.ev.Events) &&
					(strings.HasPrefix(x.ev.Prefix, y.ev.Prefix) || strings.HasPrefix(y.ev.Prefix, x.ev.Prefix)) &&
					(strings.HasSuffix(x.ev.Suffix, y.ev.Suffix) || strings.HasSuffix(y.ev.Suffix, x.ev.Suffix)) {
					return fmt.Errorf("bucket %q: the S3 sources of functions %q and %q overlap (same event types and key filters), which S3 rejects: give them disjoint prefixes or suffixes", bucket, x.function, y.function)
				}
			}
		}
	}
	return nil
}

func eventsOverlap(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y || strings.HasSuffix(x, ":*") && strings.HasPrefix(y, strings.TrimSuffix(x, "*")) || strings.HasSuffix(y, ":*") && strings.HasPrefix(x, strings.TrimSuffix(y, "*")) {
				return true
			}
		}
	}
	return false
}

// eventRoleStatements gives each role that gochalice generates what its
// functions' event sources need: reading queues and streams, and posting to
// WebSocket connections (on DefaultRole). Roles the user supplies
// (iam_role_arn) or writes (policy files) are used as they are, as in
// Chalice.
func (b *builder) eventRoleStatements(st *eventState) error {
	perRole := map[string][]any{}
	for role, queues := range st.queues {
		perRole[role] = append(perRole[role], map[string]any{
			"Effect":   "Allow",
			"Action":   []any{"sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"},
			"Resource": queues,
		})
	}
	for role, byType := range st.streams {
		if s := byType[manifest.EventDynamoDB]; len(s) > 0 {
			perRole[role] = append(perRole[role], map[string]any{
				"Effect":   "Allow",
				"Action":   []any{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"},
				"Resource": s,
			})
		}
		if s := byType[manifest.EventKinesis]; len(s) > 0 {
			perRole[role] = append(perRole[role], map[string]any{
				"Effect":   "Allow",
				"Action":   []any{"kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:ListStreams", "kinesis:SubscribeToShard"},
				"Resource": s,
			})
		}
	}
	for _, route := range slices.Sorted(maps.Keys(st.webSockets)) {
		if role, ok := b.generatedRole(st.webSockets[route]); ok {
			perRole[role] = append(perRole[role], map[string]any{
				"Effect":   "Allow",
				"Action":   "execute-api:ManageConnections",
				"Resource": sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + idWebSocketAPI + "}/*"),
			})
		}
	}
	for _, id := range slices.Sorted(maps.Keys(perRole)) {
		role, ok := b.t.Resources[id].(*iam.Role)
		if !ok || len(role.Policies) == 0 {
			return fmt.Errorf("internal error: role %s has no policy to extend", id)
		}
		if doc, ok := role.Policies[0].PolicyDocument.(map[string]any); ok && doc["Statement"] == nil {
			doc["Statement"] = []any{}
		}
		doc, ok := role.Policies[0].PolicyDocument.(map[string]any)
		if !ok {
			return fmt.Errorf("internal error: the policy document of %s is a %T", id, role.Policies[0].PolicyDocument)
		}
		list, _ := doc["Statement"].([]any)
		doc["Statement"] = append(list, perRole[id]...)
	}
	return nil
}

// addEventResource adds a resource that an event source needs, with a clear
// error when a function's logical ID already took its ID.
func (b *builder) addEventResource(id, what string, r cloudformation.Resource) error {
	if _, taken := b.t.Resources[id]; taken {
		return fmt.Errorf("%s needs logical ID %q, which %s already uses: rename that function", what, id, b.owner(id))
	}
	return b.addResource(id, r)
}
