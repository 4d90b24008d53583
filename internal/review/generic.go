package review

import (
	"fmt"
	"sort"
	"strings"
)

// kind says how the review names a resource type and how much a change of
// such a resource weighs when no specific rule describes it.
type kind struct {
	noun    string
	concern Concern
	// levels of a resource added, removed and changed.
	added, removed, changed Level
	// data marks resources that hold data: tables, buckets, pools, queues...
	data bool
}

// kinds covers the resource types a serverless template commonly holds;
// other types are named by their type and reported under Other (or the
// concern of their service family).
var kinds = map[string]kind{
	"AWS::DynamoDB::Table":         {noun: "table", concern: Data, data: true},
	"AWS::DynamoDB::GlobalTable":   {noun: "global table", concern: Data, data: true},
	"AWS::Serverless::SimpleTable": {noun: "table", concern: Data, data: true},
	"AWS::S3::Bucket":              {noun: "bucket", concern: Data, data: true},
	"AWS::Cognito::UserPool":       {noun: "user pool", concern: Data, data: true},
	"AWS::SQS::Queue":              {noun: "queue", concern: Data, data: true},
	"AWS::SNS::Topic":              {noun: "topic", concern: Data, data: true},
	"AWS::Kinesis::Stream":         {noun: "stream", concern: Data, data: true},
	"AWS::Logs::LogGroup":          {noun: "log group", concern: Data, data: true},
	"AWS::SecretsManager::Secret":  {noun: "secret", concern: Data, data: true},
	"AWS::KMS::Key":                {noun: "KMS key", concern: Data, data: true},
	"AWS::EFS::FileSystem":         {noun: "file system", concern: Data, data: true},
	"AWS::RDS::DBCluster":          {noun: "database cluster", concern: Data, data: true},
	"AWS::RDS::DBInstance":         {noun: "database instance", concern: Data, data: true},

	"AWS::Serverless::Function": {noun: "function", concern: Functions, removed: Review, changed: Info},
	"AWS::Lambda::Function":     {noun: "function", concern: Functions, removed: Review, changed: Info},
	"AWS::Lambda::Permission":   {noun: "invoke permission", concern: Functions, changed: Review},
	"AWS::Lambda::Url":          {noun: "function URL", concern: API, added: Review, changed: Review},
	"AWS::Lambda::Alias":        {noun: "alias", concern: Functions},
	"AWS::Lambda::Version":      {noun: "version", concern: Functions},
	"AWS::Lambda::LayerVersion": {noun: "layer", concern: Functions},
	"AWS::Lambda::EventSourceMapping": {noun: "event source mapping", concern: Events,
		removed: Review, changed: Review},
	"AWS::Serverless::LayerVersion": {noun: "layer", concern: Functions},

	"AWS::Serverless::Api":                   {noun: "REST API", concern: API, removed: Review, changed: Review},
	"AWS::Serverless::HttpApi":               {noun: "HTTP API", concern: API, removed: Review, changed: Review},
	"AWS::ApiGateway::RestApi":               {noun: "REST API", concern: API, removed: Review, changed: Review},
	"AWS::ApiGatewayV2::Api":                 {noun: "API", concern: API, removed: Review, changed: Review},
	"AWS::ApiGateway::Stage":                 {noun: "stage", concern: API, removed: Review, changed: Review},
	"AWS::ApiGatewayV2::Stage":               {noun: "stage", concern: API, removed: Review, changed: Review},
	"AWS::ApiGateway::Deployment":            {noun: "deployment", concern: API},
	"AWS::ApiGatewayV2::Deployment":          {noun: "deployment", concern: API},
	"AWS::ApiGateway::DomainName":            {noun: "custom domain", concern: API, added: Review, removed: Review, changed: Review},
	"AWS::ApiGatewayV2::DomainName":          {noun: "custom domain", concern: API, added: Review, removed: Review, changed: Review},
	"AWS::ApiGateway::BasePathMapping":       {noun: "base path mapping", concern: API, added: Review, removed: Review, changed: Review},
	"AWS::ApiGatewayV2::ApiMapping":          {noun: "API mapping", concern: API, added: Review, removed: Review, changed: Review},
	"AWS::ApiGateway::UsagePlan":             {noun: "usage plan", concern: API, added: Review, removed: Review, changed: Review},
	"AWS::ApiGateway::UsagePlanKey":          {noun: "usage plan key", concern: API, removed: Review, changed: Review},
	"AWS::ApiGateway::ApiKey":                {noun: "API key", concern: API, removed: Review, changed: Review},
	"AWS::ApiGateway::Authorizer":            {noun: "authorizer", concern: API, removed: Review, changed: Review},
	"AWS::ApiGatewayV2::Authorizer":          {noun: "authorizer", concern: API, removed: Review, changed: Review},
	"AWS::ApiGateway::Method":                {noun: "method", concern: API, added: Review, removed: Review, changed: Review},
	"AWS::ApiGateway::GatewayResponse":       {noun: "gateway response", concern: API},
	"AWS::ApiGatewayV2::Integration":         {noun: "integration", concern: API, changed: Review},
	"AWS::ApiGatewayV2::Route":               {noun: "route", concern: API, removed: Review, changed: Review},
	"AWS::ApiGatewayV2::RouteResponse":       {noun: "route response", concern: API},
	"AWS::ApiGatewayV2::IntegrationResponse": {noun: "integration response", concern: API},

	"AWS::IAM::Role":          {noun: "role", concern: IAM, added: Review, changed: Review},
	"AWS::IAM::Policy":        {noun: "policy", concern: IAM, added: Review, changed: Review},
	"AWS::IAM::RolePolicy":    {noun: "role policy", concern: IAM, added: Review, changed: Review},
	"AWS::IAM::ManagedPolicy": {noun: "managed policy", concern: IAM, added: Review, changed: Review},

	"AWS::Events::Rule":            {noun: "event rule", concern: Events, removed: Review, changed: Review},
	"AWS::Scheduler::Schedule":     {noun: "schedule", concern: Events, removed: Review, changed: Review},
	"AWS::SNS::Subscription":       {noun: "subscription", concern: Events, removed: Review, changed: Review},
	"AWS::Pipes::Pipe":             {noun: "pipe", concern: Events, removed: Review, changed: Review},
	"AWS::Cognito::UserPoolClient": {noun: "user pool client", concern: Data, changed: Review},
}

// kindOf returns the kind of a resource type; unknown types are named by
// their type and reported under the concern of their service family.
func kindOf(typ string) kind {
	if k, ok := kinds[typ]; ok {
		return k
	}
	k := kind{noun: typ, concern: Other}
	switch {
	case strings.HasPrefix(typ, "AWS::ApiGateway"):
		k.concern = API
	case strings.HasPrefix(typ, "AWS::IAM::"):
		k.concern, k.added, k.changed = IAM, Review, Review
	case strings.HasPrefix(typ, "AWS::Lambda::"), strings.HasPrefix(typ, "AWS::Serverless::"):
		k.concern = Functions
	case strings.HasPrefix(typ, "AWS::Events::"), strings.HasPrefix(typ, "AWS::Scheduler::"), strings.HasPrefix(typ, "AWS::Pipes::"):
		k.concern = Events
	}
	return k
}

// subject names a resource: "table OrdersTable".
func subject(r *Resource) string {
	k := kindOf(r.Type)
	if k.noun == r.Type {
		return r.ID + " (" + r.Type + ")"
	}
	return k.noun + " " + r.ID
}

// pathConcerns moves changes of some properties to the concern they are
// about: a user pool's triggers and a bucket's notifications are events.
var pathConcerns = map[string]map[string]Concern{
	"AWS::Cognito::UserPool": {"LambdaConfig": Events},
	"AWS::S3::Bucket":        {"NotificationConfiguration": Events},
}

// secretish reports whether values at p of a resource of type typ must
// not be printed.
func secretish(typ string, p path) bool {
	switch typ {
	case "AWS::ApiGateway::ApiKey", "AWS::SecretsManager::Secret", "AWS::SSM::Parameter":
		return true
	}
	s := strings.ToLower(p.String())
	for _, w := range []string{"secret", "password", "token", "variables", "credential", "privatekey"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// maxLeftovers caps the property changes listed per resource.
const maxLeftovers = 8

// leftovers reports, for every resource, what no specific rule described:
// resources added or removed that no rule claimed, and each changed
// property path not explained.
func (c *comparison) leftovers() {
	for _, id := range c.unionIDs() {
		o, n := c.pair(id)
		switch {
		case o == nil:
			if !c.claimed[id] {
				k := kindOf(n.Type)
				if publicPermission(n) {
					c.add(k.concern, Risk, subject(n), "added%s: anyone can invoke the function", describe(n))
					break
				}
				c.add(k.concern, k.added, subject(n), "added%s", describe(n))
			}
		case n == nil:
			if !c.claimed[id] {
				k := kindOf(o.Type)
				c.add(k.concern, k.removed, subject(o), "removed")
			}
		case o.Type != n.Type:
			// Reported by the data rules as a replacement.
		default:
			c.changedPaths(o, n)
		}
	}
	c.sections()
}

// publicPermission reports an invoke permission for any principal without
// a source to limit it.
func publicPermission(r *Resource) bool {
	if r.Type != "AWS::Lambda::Permission" || render(r.Props["Principal"]) != "*" {
		return false
	}
	for _, k := range []string{"SourceArn", "SourceAccount", "PrincipalOrgID"} {
		if r.Props[k] != nil {
			return false
		}
	}
	return render(r.Props["FunctionUrlAuthType"]) != "AWS_IAM"
}

// changedPaths reports the unexplained property changes of one resource.
func (c *comparison) changedPaths(o, n *Resource) {
	k := kindOf(n.Type)
	byConcern := map[Concern][]string{}
	for _, p := range leafDiff(o.Raw, n.Raw, nil) {
		if c.isExplained(n.ID, p) {
			continue
		}
		concern := k.concern
		if len(p) > 1 && p[0] == "Properties" {
			if pc, ok := pathConcerns[n.Type][p[1]]; ok {
				concern = pc
			}
		}
		byConcern[concern] = append(byConcern[concern], change(n.Type, p, get(o.Raw, p...), get(n.Raw, p...)))
	}
	for concern, changes := range byConcern {
		if len(changes) > maxLeftovers {
			more := len(changes) - maxLeftovers + 1
			changes = append(changes[:maxLeftovers-1], fmt.Sprintf("%d more %s", more, plural(more, "change")))
		}
		c.add(concern, k.changed, subject(n), "%s", strings.Join(changes, "; "))
	}
}

// change describes one changed path: "Throttle.RateLimit 50 → 100", or
// "Tags changed" when the values are not short scalars or are secret.
func change(typ string, p path, old, new any) string {
	name := strings.TrimPrefix(p.String(), "Properties.")
	lead := ""
	if name != "" {
		lead = name + " "
	}
	if secretish(typ, p) {
		return lead + "changed (value not shown)"
	}
	switch {
	case old == nil && name != "":
		return lead + "set to " + show(new)
	case new == nil && name != "":
		return lead + "removed (was " + show(old) + ")"
	}
	return lead + show(old) + " → " + show(new)
}

// describe adds a short note on an added resource of a generic kind.
func describe(r *Resource) string {
	var parts []string
	for _, k := range []string{"DomainName", "Principal", "ScheduleExpression", "StageName", "AuthType", "RouteKey"} {
		if s, ok := scalar(r.Props[k]); ok {
			parts = append(parts, strings.ToLower(k[:1])+k[1:]+" "+s)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// sections reports changes of the top-level sections other than
// Resources, Parameters and Outputs (Conditions, Mappings, Transform,
// Description, ...).
func (c *comparison) sections() {
	keys := map[string]bool{}
	for k := range c.old.Other {
		keys[k] = true
	}
	for k := range c.new.Other {
		keys[k] = true
	}
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		for _, p := range leafDiff(c.old.Other[k], c.new.Other[k], path{k}) {
			c.add(Other, Info, "template", "%s", change("", p, get(c.old.Other, p...), get(c.new.Other, p...)))
		}
	}
}
