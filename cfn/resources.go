package cfn

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/gochalice/gochalice/framework/manifest"
)

// Logical ID suffixes of declared resources.
const (
	tableSuffix      = "Table"
	queueSuffix      = "Queue"
	deadLetterSuffix = "DeadLetterQueue"
	topicSuffix      = "Topic"
)

// resourceSuffixes maps a kind of declared resource to its logical ID
// suffix.
var resourceSuffixes = map[string]string{
	manifest.ResourceTable:    tableSuffix,
	manifest.ResourceQueue:    queueSuffix,
	manifest.ResourceTopic:    topicSuffix,
	manifest.ResourceBucket:   bucketSuffix,
	manifest.ResourceUserPool: userPoolSuffix,
}

// ResourceLogicalID is the logical ID of a declared resource of the given
// kind (manifest.Resource*): users → UsersTable, jobs → JobsQueue.
func ResourceLogicalID(kind, name string) string { return LogicalID(name) + resourceSuffixes[kind] }

// resourceAttr is the intrinsic that gives attribute attr
// (manifest.Attr*) of a declared resource.
func resourceAttr(kind, name, attr string) any {
	id := ResourceLogicalID(kind, name)
	switch kind + "/" + attr {
	case "table/name", "queue/url", "topic/arn", "bucket/name":
		return ref(id)
	case "userpool/id":
		return ref(id)
	case "userpool/client_id":
		return ref(id + "Client")
	case "queue/name":
		return getAtt(id, "QueueName")
	case "topic/name":
		return getAtt(id, "TopicName")
	}
	return getAtt(id, "Arn")
}

// retained is a resource holding data: kept when the stack is deleted or
// the resource replaced, unless the stage sets retain_data: false.
type retained struct {
	typ    string
	props  map[string]any
	remove bool // retain_data: false
}

// AWSCloudFormationType implements cloudformation.Resource.
func (r *retained) AWSCloudFormationType() string { return r.typ }

// MarshalJSON encodes the resource with its deletion and replacement
// policies.
func (r *retained) MarshalJSON() ([]byte, error) {
	policy := "Retain"
	if r.remove {
		policy = "Delete"
	}
	return json.Marshal(map[string]any{"Type": r.typ, "Properties": r.props, "DeletionPolicy": policy, "UpdateReplacePolicy": policy})
}

// resources adds the declared tables, queues and topics with their outputs
// (buckets and user pools come with the event sources).
func (b *builder) resources() error {
	for _, t := range b.m.Tables {
		if err := b.table(t); err != nil {
			return err
		}
	}
	for _, q := range b.m.Queues {
		if err := b.queue(q); err != nil {
			return err
		}
	}
	for _, t := range b.m.Topics {
		id, err := b.resourceID("topic", t.Name, topicSuffix)
		if err != nil {
			return err
		}
		if err := b.addResource(id, &rawResource{typ: "AWS::SNS::Topic", props: map[string]any{}}); err != nil {
			return err
		}
		if err := b.addOutputs(id, "topic "+t.Name, [][2]string{{"Arn", "Ref"}, {"Name", "TopicName"}}); err != nil {
			return err
		}
	}
	return nil
}

// addOutputs adds <id><suffix> outputs; each pair is the suffix and the
// attribute ("Ref" for the resource's Ref).
func (b *builder) addOutputs(id, what string, outs [][2]string) error {
	for _, o := range outs {
		var v any = getAtt(id, o[1])
		if o[1] == "Ref" {
			v = ref(id)
		}
		if err := b.addOutput(id+o[0], fmt.Sprintf("%s of %s", o[0], what), v); err != nil {
			return err
		}
	}
	return nil
}

func keyAttr(k manifest.KeyAttribute, typ string) map[string]any {
	return map[string]any{"AttributeName": k.Name, "KeyType": typ}
}

// table adds an AWS::DynamoDB::Table: on-demand, point-in-time recovery,
// encryption, retained.
func (b *builder) table(t manifest.Table) error {
	id, err := b.resourceID("table", t.Name, tableSuffix)
	if err != nil {
		return err
	}
	types := map[string]string{}
	var attrs []any
	addAttr := func(k manifest.KeyAttribute) error {
		if prev, ok := types[k.Name]; ok {
			if prev != k.Type {
				return fmt.Errorf("table %q: attribute %s is a key of type %s and of type %s", t.Name, k.Name, prev, k.Type)
			}
			return nil
		}
		types[k.Name] = k.Type
		attrs = append(attrs, map[string]any{"AttributeName": k.Name, "AttributeType": k.Type})
		return nil
	}
	keys := func(pk manifest.KeyAttribute, sk *manifest.KeyAttribute) ([]any, error) {
		if err := addAttr(pk); err != nil {
			return nil, err
		}
		ks := []any{keyAttr(pk, "HASH")}
		if sk != nil {
			if err := addAttr(*sk); err != nil {
				return nil, err
			}
			ks = append(ks, keyAttr(*sk, "RANGE"))
		}
		return ks, nil
	}
	schema, err := keys(t.PartitionKey, t.SortKey)
	if err != nil {
		return err
	}
	props := map[string]any{
		"BillingMode":                      "PAY_PER_REQUEST",
		"KeySchema":                        schema,
		"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
		"SSESpecification":                 map[string]any{"SSEEnabled": true},
	}
	var gsis []any
	seen := map[string]bool{}
	for _, ix := range t.GlobalIndexes {
		if seen[ix.Name] {
			return fmt.Errorf("table %q: index %s declared twice", t.Name, ix.Name)
		}
		seen[ix.Name] = true
		ks, err := keys(ix.PartitionKey, ix.SortKey)
		if err != nil {
			return err
		}
		gsis = append(gsis, map[string]any{"IndexName": ix.Name, "KeySchema": ks, "Projection": map[string]any{"ProjectionType": "ALL"}})
	}
	if len(gsis) > 0 {
		props["GlobalSecondaryIndexes"] = gsis
	}
	props["AttributeDefinitions"] = attrs
	if t.TTLAttribute != "" {
		props["TimeToLiveSpecification"] = map[string]any{"AttributeName": t.TTLAttribute, "Enabled": true}
	}
	if t.Stream != "" {
		props["StreamSpecification"] = map[string]any{"StreamViewType": t.Stream}
	}
	if err := b.addResource(id, &retained{typ: "AWS::DynamoDB::Table", props: props, remove: b.st.NoRetain}); err != nil {
		return err
	}
	outs := [][2]string{{"Name", "Ref"}, {"Arn", "Arn"}}
	if t.Stream != "" {
		outs = append(outs, [2]string{"StreamArn", "StreamArn"})
	}
	return b.addOutputs(id, "table "+t.Name, outs)
}

// queue adds an AWS::SQS::Queue (and its dead-letter queue), retained.
func (b *builder) queue(q manifest.Queue) error {
	id, err := b.resourceID("queue", q.Name, queueSuffix)
	if err != nil {
		return err
	}
	props := map[string]any{"SqsManagedSseEnabled": true}
	if q.FIFO {
		props["FifoQueue"] = true
	}
	// A queue a function reads must stay hidden at least as long as the
	// function runs; SAM refuses a shorter visibility timeout at deploy.
	readers, longest := b.queueReaders(q.Name)
	switch {
	case q.VisibilityTimeout > 0 && q.VisibilityTimeout < longest:
		return fmt.Errorf("queue %q: visibility timeout %d s is shorter than the %d s timeout of function %s, which reads it: raise it to at least %d s (AWS recommends 6 times the timeout)",
			q.Name, q.VisibilityTimeout, longest, readers, longest)
	case q.VisibilityTimeout > 0:
		props["VisibilityTimeout"] = q.VisibilityTimeout
	case longest > 0:
		props["VisibilityTimeout"] = min(6*longest, 43200)
	}
	if q.MaxReceives > 0 {
		dlq := LogicalID(q.Name) + deadLetterSuffix
		if _, taken := b.t.Resources[dlq]; taken {
			return fmt.Errorf("queue %q: its dead-letter queue's logical ID %q is already used by %s", q.Name, dlq, b.owner(dlq))
		}
		dprops := map[string]any{"SqsManagedSseEnabled": true, "MessageRetentionPeriod": 1209600}
		if q.FIFO {
			dprops["FifoQueue"] = true
		}
		if err := b.addResource(dlq, &retained{typ: "AWS::SQS::Queue", props: dprops, remove: b.st.NoRetain}); err != nil {
			return err
		}
		props["RedrivePolicy"] = map[string]any{"deadLetterTargetArn": getAtt(dlq, "Arn"), "maxReceiveCount": q.MaxReceives}
		if err := b.addOutputs(dlq, "the dead-letter queue of queue "+q.Name, [][2]string{{"Url", "Ref"}, {"Arn", "Arn"}}); err != nil {
			return err
		}
	}
	if err := b.addResource(id, &retained{typ: "AWS::SQS::Queue", props: props, remove: b.st.NoRetain}); err != nil {
		return err
	}
	return b.addOutputs(id, "queue "+q.Name, [][2]string{{"Url", "Ref"}, {"Arn", "Arn"}, {"Name", "QueueName"}})
}

// queueReaders returns the function with the longest timeout among those
// that read the declared queue, and that timeout (0 when none reads it).
func (b *builder) queueReaders(queue string) (string, int) {
	name, longest := "", 0
	for _, fn := range b.m.Functions {
		for _, ev := range fn.Events {
			if ev.SQS != nil && ev.SQS.Declared && ev.SQS.Queue == queue {
				if t := b.timeout(fn.Name); t > longest {
					name, longest = fn.Name, t
				}
			}
		}
	}
	return name, longest
}

// bucketProps are the properties of a declared bucket: public access
// blocked, encryption and versioning stated.
func (b *builder) bucketProps() map[string]any {
	versioning := "Suspended"
	if b.st.BucketVersioning {
		versioning = "Enabled"
	}
	return map[string]any{
		"PublicAccessBlockConfiguration": map[string]any{
			"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
		},
		"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{
			map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}},
		}},
		"VersioningConfiguration": map[string]any{"Status": versioning},
		"OwnershipControls":       map[string]any{"Rules": []any{map[string]any{"ObjectOwnership": "BucketOwnerEnforced"}}},
	}
}

// resourceEnv returns the resource variables of one function: those of the
// declared resources its code uses (every declared resource without an
// analysis, or when the analysis could not tell).
func (b *builder) resourceEnv(fn string) map[string]any {
	used := map[manifest.ResourceVar]bool{}
	vars := b.m.ResourceVars()
	fa := b.access(fn)
	for _, v := range vars {
		if v.Kind == manifest.ResourceUserPool && b.triggerOf(fn, v.Resource) {
			continue // a cycle: the pool's LambdaConfig needs the function first
		}
		if fa == nil || !fa.Complete || slices.ContainsFunc(fa.Uses, func(t Target) bool {
			return t.Declared && t.Kind == v.Kind && t.Name == v.Resource && (t.Attr == "" || t.Attr == v.Attr)
		}) {
			used[v] = true
		}
	}
	env := map[string]any{}
	for v := range used {
		env[v.Var] = resourceAttr(v.Kind, v.Resource, v.Attr)
	}
	return env
}

// triggerOf reports whether function fn is a trigger of the declared pool.
func (b *builder) triggerOf(fn, pool string) bool {
	for _, f := range b.m.Functions {
		if f.Name != fn {
			continue
		}
		for _, ev := range f.Events {
			if ev.Cognito != nil && ev.Cognito.Pool == pool {
				return true
			}
		}
	}
	return false
}

// access returns what the analysis found for a function, nil without one.
func (b *builder) access(fn string) *FunctionAccess {
	if b.acc == nil {
		return nil
	}
	return b.acc.Functions[fn]
}
