package framework

import (
	"fmt"
	"os"
	"strings"

	"github.com/gochalice/gochalice/framework/manifest"
)

// A declared resource (App.Table, App.Queue, App.Topic, App.Bucket) is
// created by the template under a name CloudFormation chooses. Its handle
// holds only the registered name: at run time it reads the deployed name,
// ARN or URL from an environment variable (manifest.ResourceEnv) that the
// template sets on the functions that use the resource. The app's own code
// makes the AWS SDK calls.

// MissingResourceError is returned by a handle's Name, ARN or URL when the
// environment variable that carries the value is not set: in a test or a
// local run that did not set it, or in a function the packager's analysis
// found does not use the resource.
type MissingResourceError struct {
	// Kind is table, queue, topic or bucket.
	Kind string
	// Resource is the registered name.
	Resource string
	// Var is the environment variable that is not set.
	Var string
}

// Error implements error.
func (e *MissingResourceError) Error() string {
	return fmt.Sprintf("%s %q: environment variable %s is not set (the template sets it on the functions that use the %s; in tests and local runs set it, or use chalicetest)",
		e.Kind, e.Resource, e.Var, e.Kind)
}

// lookup reads attribute attr of a declared resource from its variable.
func lookup(kind, name, attr string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("a zero %s handle: declare the %s with App.%s%s", kind, kind, strings.ToUpper(kind[:1]), kind[1:])
	}
	v := manifest.ResourceEnv(kind, name, attr)
	if s := os.Getenv(v); s != "" {
		return s, nil
	}
	return "", &MissingResourceError{Kind: kind, Resource: name, Var: v}
}

// ---- DynamoDB tables

// AttrType is the type of a key attribute: S (string), N (number) or B
// (binary).
type AttrType string

// Key attribute types.
const (
	S AttrType = "S"
	N AttrType = "N"
	B AttrType = "B"
)

// StreamView says what a table's stream records hold.
type StreamView string

// Stream view types.
const (
	KeysOnly        StreamView = "KEYS_ONLY"
	NewImage        StreamView = "NEW_IMAGE"
	OldImage        StreamView = "OLD_IMAGE"
	NewAndOldImages StreamView = "NEW_AND_OLD_IMAGES"
)

// TableOption configures a table declared with App.Table: a Key
// (PartitionKey, SortKey), GlobalIndex, TTLAttribute or TableStream.
type TableOption interface {
	applyTable(*tableSpec)
}

type tableSpec struct {
	t    manifest.Table
	errs []string
}

// Key is a key attribute of a table or index, built with PartitionKey or
// SortKey; it is also a TableOption.
type Key struct {
	attr manifest.KeyAttribute
	sort bool
}

// PartitionKey is the partition (hash) key of a table or index.
func PartitionKey(name string, t AttrType) Key {
	return Key{attr: manifest.KeyAttribute{Name: name, Type: string(t)}}
}

// SortKey is the sort (range) key of a table or index.
func SortKey(name string, t AttrType) Key {
	return Key{attr: manifest.KeyAttribute{Name: name, Type: string(t)}, sort: true}
}

func (k Key) check() string {
	switch {
	case k.attr.Name == "" || len(k.attr.Name) > 255:
		return fmt.Sprintf("key attribute name %q is empty or longer than 255 bytes", k.attr.Name)
	case k.attr.Type != "S" && k.attr.Type != "N" && k.attr.Type != "B":
		return fmt.Sprintf("key attribute %s: type %q is not framework.S, N or B", k.attr.Name, k.attr.Type)
	}
	return ""
}

func (k Key) applyTable(s *tableSpec) {
	if msg := k.check(); msg != "" {
		s.errs = append(s.errs, msg)
		return
	}
	a := k.attr
	switch {
	case !k.sort && s.t.PartitionKey.Name != "":
		s.errs = append(s.errs, "two partition keys")
	case !k.sort:
		s.t.PartitionKey = a
	case s.t.SortKey != nil:
		s.errs = append(s.errs, "two sort keys")
	default:
		s.t.SortKey = &a
	}
}

type tableOptionFunc func(*tableSpec)

func (f tableOptionFunc) applyTable(s *tableSpec) { f(s) }

// GlobalIndex adds a global secondary index (all attributes projected) with
// a partition key and an optional sort key:
//
//	framework.GlobalIndex("by_email", framework.PartitionKey("email", framework.S))
func GlobalIndex(name string, keys ...Key) TableOption {
	return tableOptionFunc(func(s *tableSpec) {
		ix := manifest.Index{Name: name}
		if name == "" || len(name) < 3 || len(name) > 255 {
			s.errs = append(s.errs, fmt.Sprintf("index name %q is not 3 to 255 characters", name))
			return
		}
		for _, k := range keys {
			if msg := k.check(); msg != "" {
				s.errs = append(s.errs, "index "+name+": "+msg)
				return
			}
			a := k.attr
			switch {
			case !k.sort && ix.PartitionKey.Name == "":
				ix.PartitionKey = a
			case k.sort && ix.SortKey == nil:
				ix.SortKey = &a
			default:
				s.errs = append(s.errs, "index "+name+": one partition key and at most one sort key")
				return
			}
		}
		if ix.PartitionKey.Name == "" {
			s.errs = append(s.errs, "index "+name+": no partition key")
			return
		}
		s.t.GlobalIndexes = append(s.t.GlobalIndexes, ix)
	})
}

// TTLAttribute names the attribute holding each item's expiry time (Unix
// seconds); DynamoDB deletes expired items.
func TTLAttribute(name string) TableOption {
	return tableOptionFunc(func(s *tableSpec) { s.t.TTLAttribute = name })
}

// TableStream turns on the table's stream, read with App.OnDynamoDBRecord.
func TableStream(view StreamView) TableOption {
	return tableOptionFunc(func(s *tableSpec) {
		switch view {
		case KeysOnly, NewImage, OldImage, NewAndOldImages:
			s.t.Stream = string(view)
		default:
			s.errs = append(s.errs, fmt.Sprintf("stream view %q is not framework.KeysOnly, NewImage, OldImage or NewAndOldImages", view))
		}
	})
}

// Table is a DynamoDB table: one declared in the app (App.Table), or an
// existing table's stream (ExistingTableStream) for OnDynamoDBRecord.
type Table struct {
	name      string
	streamARN string
}

// Table declares a DynamoDB table that the template creates, with
// on-demand billing and point-in-time recovery; name is the source of its
// logical ID (users → UsersTable). A partition key is required:
//
//	users := app.Table("users", framework.PartitionKey("username", framework.S),
//		framework.GlobalIndex("by_email", framework.PartitionKey("email", framework.S)))
//
// At run time users.Name() is the deployed table's name.
func (a *App) Table(name string, opts ...TableOption) Table {
	s := &tableSpec{t: manifest.Table{Name: name}}
	for _, o := range opts {
		if o != nil {
			o.applyTable(s)
		}
	}
	if s.t.PartitionKey.Name == "" {
		s.errs = append(s.errs, "no partition key (pass framework.PartitionKey(name, type))")
	}
	if len(s.errs) > 0 {
		a.errorf("table %q: %s", name, strings.Join(s.errs, "; "))
		return Table{name: name}
	}
	declare(a, &a.sources.tables, "table", name, s.t)
	return Table{name: name}
}

// ExistingTableStream names the stream of a table outside the stack by its
// ARN, for App.OnDynamoDBRecord.
func ExistingTableStream(streamARN string) Table { return Table{streamARN: streamARN} }

// Name returns the deployed name of a declared table, read from the
// environment (see MissingResourceError).
func (t Table) Name() (string, error) {
	return lookup(manifest.ResourceTable, t.name, manifest.AttrName)
}

// ARN returns the ARN of a declared table.
func (t Table) ARN() (string, error) { return lookup(manifest.ResourceTable, t.name, manifest.AttrARN) }

// ---- SQS queues

// QueueOption configures a queue declared with App.Queue.
type QueueOption func(*manifest.Queue)

// VisibilityTimeout sets how many seconds (0 to 43200) a received message
// stays hidden from other consumers. A queue read by a function should have
// at least the function's timeout.
func VisibilityTimeout(seconds int) QueueOption {
	return func(q *manifest.Queue) { q.VisibilityTimeout = seconds }
}

// DeadLetter adds a dead-letter queue that receives a message after
// maxReceives (1 to 1000) failed receives.
func DeadLetter(maxReceives int) QueueOption {
	return func(q *manifest.Queue) { q.MaxReceives = maxReceives }
}

// FIFO makes a FIFO queue (exactly-once, ordered per message group).
func FIFO() QueueOption { return func(q *manifest.Queue) { q.FIFO = true } }

// Queue is an SQS queue: one declared in the app (App.Queue) or an
// existing one (ExistingQueue).
type Queue struct {
	name     string
	existing string
}

// Queue declares an SQS queue that the template creates (and its
// dead-letter queue with DeadLetter); name is the source of its logical ID
// (jobs → JobsQueue). At run time jobs.URL() is the queue's URL.
func (a *App) Queue(name string, opts ...QueueOption) Queue {
	q := manifest.Queue{Name: name}
	for _, o := range opts {
		o(&q)
	}
	switch {
	case q.VisibilityTimeout < 0 || q.VisibilityTimeout > 43200:
		a.errorf("queue %q: visibility timeout %d s is not from 0 to 43200", name, q.VisibilityTimeout)
	case q.MaxReceives < 0 || q.MaxReceives > 1000:
		a.errorf("queue %q: dead-letter max receives %d is not from 1 to 1000", name, q.MaxReceives)
	default:
		declare(a, &a.sources.queues, "queue", name, q)
	}
	return Queue{name: name}
}

// ExistingQueue names a queue outside the stack by name (in the stack's
// account and region) or ARN.
func ExistingQueue(nameOrARN string) Queue { return Queue{existing: nameOrARN} }

// Name returns the deployed name of a declared queue, or the name of an
// existing one.
func (q Queue) Name() (string, error) {
	if q.existing != "" {
		return lastPart(q.existing), nil
	}
	return lookup(manifest.ResourceQueue, q.name, manifest.AttrName)
}

// ARN returns the ARN of a declared queue, or of an existing one given by
// ARN.
func (q Queue) ARN() (string, error) {
	if q.existing != "" {
		return existingARN("queue", q.existing)
	}
	return lookup(manifest.ResourceQueue, q.name, manifest.AttrARN)
}

// URL returns the URL of a declared queue (what SendMessage takes), or of
// an existing one given by ARN.
func (q Queue) URL() (string, error) {
	if q.existing != "" {
		p := strings.Split(q.existing, ":")
		if len(p) != 6 {
			return "", fmt.Errorf("queue %q: its URL needs its ARN (framework.ExistingQueue(arn))", q.existing)
		}
		return "https://sqs." + p[3] + ".amazonaws.com/" + p[4] + "/" + p[5], nil
	}
	return lookup(manifest.ResourceQueue, q.name, manifest.AttrURL)
}

func lastPart(nameOrARN string) string { return nameOrARN[strings.LastIndex(nameOrARN, ":")+1:] }

func existingARN(kind, nameOrARN string) (string, error) {
	if strings.HasPrefix(nameOrARN, "arn:") {
		return nameOrARN, nil
	}
	return "", fmt.Errorf("%s %q: given by name; give its ARN to read its ARN", kind, nameOrARN)
}

// ---- SNS topics

// Topic is an SNS topic: one declared in the app (App.Topic) or an existing
// one (ExistingTopic).
type Topic struct {
	name     string
	existing string
}

// Topic declares an SNS topic that the template creates; name is the source
// of its logical ID (alerts → AlertsTopic). At run time alerts.ARN() is what
// Publish takes.
func (a *App) Topic(name string) Topic {
	declare(a, &a.sources.topics, "topic", name, manifest.Topic{Name: name})
	return Topic{name: name}
}

// ExistingTopic names a topic outside the stack by name (in the stack's
// account and region) or ARN.
func ExistingTopic(nameOrARN string) Topic { return Topic{existing: nameOrARN} }

// Name returns the deployed name of a declared topic, or the name of an
// existing one.
func (t Topic) Name() (string, error) {
	if t.existing != "" {
		return lastPart(t.existing), nil
	}
	return lookup(manifest.ResourceTopic, t.name, manifest.AttrName)
}

// ARN returns the ARN of a declared topic, or of an existing one given by
// ARN.
func (t Topic) ARN() (string, error) {
	if t.existing != "" {
		return existingARN("topic", t.existing)
	}
	return lookup(manifest.ResourceTopic, t.name, manifest.AttrARN)
}

// ---- S3 buckets (declared in sources.go)

// Name returns the deployed name of a declared bucket (read from the
// environment), or the name of an existing one.
func (b Bucket) Name() (string, error) {
	if b.existing {
		return b.name, nil
	}
	return lookup(manifest.ResourceBucket, b.name, manifest.AttrName)
}

// ARN returns the ARN of a declared bucket, read from the environment.
func (b Bucket) ARN() (string, error) {
	if b.existing {
		return "arn:aws:s3:::" + b.name, nil
	}
	return lookup(manifest.ResourceBucket, b.name, manifest.AttrARN)
}
