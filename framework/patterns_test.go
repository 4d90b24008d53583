package framework

import (
	"regexp"
	"strings"
	"testing"
)

// The regular expressions the hand-written matchers of patterns.go replaced
// (the framework's registrations used them until the bootstrap had to lose
// regexp's weight). The matchers must accept exactly what these match, with
// the same submatch.
var (
	userPoolARNRE     = regexp.MustCompile(`^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[\w-]+_[0-9a-zA-Z]+$`)
	captureRE         = regexp.MustCompile(`\{[^}]+\}`)
	snsNameRE         = regexp.MustCompile(`^([A-Za-z0-9_-]+(?:\.fifo)?)$`)
	snsARNRE          = regexp.MustCompile(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:([A-Za-z0-9_-]+(?:\.fifo)?)$`)
	sqsNameRE         = regexp.MustCompile(`^([A-Za-z0-9_-]+(?:\.fifo)?)$`)
	sqsARNRE          = regexp.MustCompile(`^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:([A-Za-z0-9_-]+(?:\.fifo)?)$`)
	bucketNameRE      = regexp.MustCompile(`^([a-z0-9][a-z0-9.-]*[a-z0-9])$`)
	s3EventTypeRE     = regexp.MustCompile(`^s3:[A-Za-z]+(:[A-Za-z]+|:\*)?$`)
	busNameRE         = regexp.MustCompile(`^([A-Za-z0-9._/-]+)$`)
	busARNRE          = regexp.MustCompile(`^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/([A-Za-z0-9._/-]+)$`)
	dynamoStreamARNRE = regexp.MustCompile(`^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/([A-Za-z0-9_.-]+)/stream/[0-9A-Za-z:.-]+$`)
	kinesisNameRE     = regexp.MustCompile(`^([A-Za-z0-9_.-]+)$`)
	kinesisARNRE      = regexp.MustCompile(`^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/([A-Za-z0-9_.-]+)$`)
)

// oldPattern is a regular expression a matcher replaced and the submatch of
// it the matcher returns (0 for the whole match).
type oldPattern struct {
	re    *regexp.Regexp
	group int
}

// matcherSpecs maps each matcher to the patterns it replaced (SNS topic and
// SQS queue names had two copies of one pattern).
var matcherSpecs = map[string]struct {
	match func(string) (string, bool)
	old   []oldPattern
}{
	"userPoolARN":     {userPoolARN, []oldPattern{{userPoolARNRE, 0}}},
	"fifoName":        {fifoName, []oldPattern{{snsNameRE, 1}, {sqsNameRE, 1}}},
	"snsARN":          {snsARN, []oldPattern{{snsARNRE, 1}}},
	"sqsARN":          {sqsARN, []oldPattern{{sqsARNRE, 1}}},
	"bucketName":      {bucketName, []oldPattern{{bucketNameRE, 1}}},
	"s3EventType":     {s3EventType, []oldPattern{{s3EventTypeRE, 0}}},
	"busName":         {busName, []oldPattern{{busNameRE, 1}}},
	"busARN":          {busARN, []oldPattern{{busARNRE, 1}}},
	"dynamoStreamARN": {dynamoStreamARN, []oldPattern{{dynamoStreamARNRE, 1}}},
	"kinesisName":     {kinesisName, []oldPattern{{kinesisNameRE, 1}}},
	"kinesisARN":      {kinesisARN, []oldPattern{{kinesisARNRE, 1}}},
}

const acct = "123456789012"

// matcherCases are the table: a matcher, an input, and the submatch it
// returns (ok false: rejected).
var matcherCases = []struct {
	matcher, in, want string
	ok                bool
}{
	{"userPoolARN", "arn:aws:cognito-idp:us-east-1:" + acct + ":userpool/us-east-1_AbC123", "arn:aws:cognito-idp:us-east-1:" + acct + ":userpool/us-east-1_AbC123", true},
	{"userPoolARN", "arn:aws-us-gov:cognito-idp:us-gov-west-1:" + acct + ":userpool/a_b", "arn:aws-us-gov:cognito-idp:us-gov-west-1:" + acct + ":userpool/a_b", true},
	{"userPoolARN", "arn:aws:cognito-idp:us-east-1:" + acct + ":userpool/a__b", "arn:aws:cognito-idp:us-east-1:" + acct + ":userpool/a__b", true},
	{"userPoolARN", "arn:aws:cognito-idp:us-east-1:" + acct + ":userpool/_b", "", false},
	{"userPoolARN", "arn:aws:cognito-idp:us-east-1:" + acct + ":userpool/a_", "", false},
	{"userPoolARN", "arn:aws:cognito-idp:us-east-1:" + acct + ":userpool/a_b-c", "", false},
	{"userPoolARN", "arn:aws:cognito-idp:us-east-1:" + acct + ":userpool/a-b_c", "arn:aws:cognito-idp:us-east-1:" + acct + ":userpool/a-b_c", true},
	{"userPoolARN", "arn:aws:cognito-idp:us-east-1:" + acct + ":userpool/ab", "", false},
	{"userPoolARN", "arn:aws:cognito-idp:us-east-1:12345678901:userpool/a_b", "", false},
	{"userPoolARN", "arn:aws:cognito-idp:us-east-1:1234567890123:userpool/a_b", "", false},
	{"userPoolARN", "arn:aws:cognito-idp::" + acct + ":userpool/a_b", "", false},
	{"userPoolARN", "arn:aws:cognito-idp:US-EAST-1:" + acct + ":userpool/a_b", "", false},
	{"userPoolARN", "arn:awsX:cognito-idp:us-east-1:" + acct + ":userpool/a_b", "", false},
	{"userPoolARN", "arn:aws:cognito-id:us-east-1:" + acct + ":userpool/a_b", "", false},
	{"userPoolARN", "arn:aws:cognito-idp:us-east-1:" + acct + ":userpool/a_b\n", "", false},
	{"userPoolARN", "arn:aws:cognito-idp:us-east-1:" + acct + ":userpool/a_\xff", "", false},
	{"userPoolARN", "xarn:aws:cognito-idp:us-east-1:" + acct + ":userpool/a_b", "", false},

	{"fifoName", "orders", "orders", true},
	{"fifoName", "orders.fifo", "orders.fifo", true},
	{"fifoName", "a_b-C9", "a_b-C9", true},
	{"fifoName", ".fifo", "", false},
	{"fifoName", "a.fifo.fifo", "", false},
	{"fifoName", "a.FIFO", "", false},
	{"fifoName", "a.b", "", false},
	{"fifoName", "fifo", "fifo", true},
	{"fifoName", "", "", false},
	{"fifoName", "a b", "", false},

	{"snsARN", "arn:aws:sns:us-east-1:" + acct + ":orders.fifo", "orders.fifo", true},
	{"snsARN", "arn:aws-cn:sns:cn-north-1:" + acct + ":t", "t", true},
	{"snsARN", "arn:aws:sns:us-east-1:" + acct + ":", "", false},
	{"snsARN", "arn:aws:sns:us-east-1:" + acct + ":a:b", "", false},
	{"snsARN", "arn:aws:sqs:us-east-1:" + acct + ":orders", "", false},
	{"sqsARN", "arn:aws:sqs:us-east-1:" + acct + ":orders", "orders", true},
	{"sqsARN", "arn:aws:sqs:eu-west-3:" + acct + ":a-b_c.fifo", "a-b_c.fifo", true},
	{"sqsARN", "arn:aws:sqs:eu-west-3:" + acct + "0:a", "", false},

	{"bucketName", "my-bucket.logs", "my-bucket.logs", true},
	{"bucketName", "ab", "ab", true},
	{"bucketName", "a", "", false},
	{"bucketName", "-ab", "", false},
	{"bucketName", "ab.", "", false},
	{"bucketName", "a..b", "a..b", true},
	{"bucketName", "aBc", "", false},
	{"bucketName", "a_c", "", false},

	{"s3EventType", "s3:ObjectCreated:*", "s3:ObjectCreated:*", true},
	{"s3EventType", "s3:ObjectCreated:Put", "s3:ObjectCreated:Put", true},
	{"s3EventType", "s3:ReducedRedundancyLostObject", "s3:ReducedRedundancyLostObject", true},
	{"s3EventType", "s3:ObjectCreated:", "", false},
	{"s3EventType", "s3:ObjectCreated:**", "", false},
	{"s3EventType", "s3:ObjectCreated:Put:*", "", false},
	{"s3EventType", "s3:*", "", false},
	{"s3EventType", "s3:", "", false},
	{"s3EventType", "S3:ObjectCreated:*", "", false},
	{"s3EventType", "s3:Object1", "", false},

	{"busName", "orders/v1.bus-x_y", "orders/v1.bus-x_y", true},
	{"busName", "a:b", "", false},
	{"busName", "", "", false},
	{"busARN", "arn:aws:events:us-east-1:" + acct + ":event-bus/orders", "orders", true},
	{"busARN", "arn:aws:events:us-east-1:" + acct + ":event-bus/a/b", "a/b", true},
	{"busARN", "arn:aws:events:us-east-1:" + acct + ":event-bus/", "", false},
	{"busARN", "arn:aws:events:us-east-1:" + acct + ":rule/orders", "", false},

	{"dynamoStreamARN", "arn:aws:dynamodb:us-east-1:" + acct + ":table/orders/stream/2026-11-01T00:00:00.000", "orders", true},
	{"dynamoStreamARN", "arn:aws:dynamodb:us-east-1:" + acct + ":table/a.b_c-d/stream/x", "a.b_c-d", true},
	{"dynamoStreamARN", "arn:aws:dynamodb:us-east-1:" + acct + ":table/orders/stream/", "", false},
	{"dynamoStreamARN", "arn:aws:dynamodb:us-east-1:" + acct + ":table/orders", "", false},
	{"dynamoStreamARN", "arn:aws:dynamodb:us-east-1:" + acct + ":table//stream/x", "", false},
	{"dynamoStreamARN", "arn:aws:dynamodb:us-east-1:" + acct + ":table/a/b/stream/x", "", false},
	{"dynamoStreamARN", "arn:aws:dynamodb:us-east-1:" + acct + ":table/a/stream/x/y", "", false},
	{"dynamoStreamARN", "arn:aws:dynamodb:us-east-1:" + acct + ":table/a/streams/x", "", false},

	{"kinesisName", "clicks.v2_a-b", "clicks.v2_a-b", true},
	{"kinesisName", "a/b", "", false},
	{"kinesisARN", "arn:aws:kinesis:us-east-1:" + acct + ":stream/clicks", "clicks", true},
	{"kinesisARN", "arn:aws:kinesis:us-east-1:" + acct + ":stream/a/b", "", false},
	{"kinesisARN", "arn:aws:kinesis:us-east-1:" + acct + ":stream/", "", false},
	{"kinesisARN", "arn:aws:kinesis:us-east-1:" + acct + ":streams/a", "", false},
}

// TestMatchers checks each matcher, and the pattern it replaced, on the table.
func TestMatchers(t *testing.T) {
	for _, tt := range matcherCases {
		spec, found := matcherSpecs[tt.matcher]
		if !found {
			t.Fatalf("no matcher %s", tt.matcher)
		}
		got, ok := spec.match(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s(%q) = %q, %v; want %q, %v", tt.matcher, tt.in, got, ok, tt.want, tt.ok)
		}
		for _, old := range spec.old {
			if m := old.re.FindStringSubmatch(tt.in); (m != nil) != tt.ok || m != nil && m[old.group] != tt.want {
				t.Errorf("table: %s on %q gives %q, not %q, %v", old.re, tt.in, m, tt.want, tt.ok)
			}
		}
	}
}

// TestMatchersOneEditAway compares each matcher with the patterns it
// replaced on every string one byte away from its table's inputs (each byte
// replaced, deleted, or another inserted before it), where a class that
// differs by one byte would show.
func TestMatchersOneEditAway(t *testing.T) {
	for _, tt := range matcherCases {
		spec := matcherSpecs[tt.matcher]
		oneEditAway(tt.in, func(s string) {
			got, ok := spec.match(s)
			for _, old := range spec.old {
				if m := old.re.FindStringSubmatch(s); (m != nil) != ok || m != nil && m[old.group] != got {
					t.Errorf("%s(%q) = %q, %v; %s gives %q", tt.matcher, s, got, ok, old.re, m)
				}
			}
		})
	}
	for _, tt := range captureCases {
		oneEditAway(tt.in, func(s string) {
			if got, old := replaceCaptures(s), captureRE.ReplaceAllString(s, "*"); got != old {
				t.Errorf("replaceCaptures(%q) = %q; the pattern gives %q", s, got, old)
			}
		})
	}
}

// oneEditAway calls f with every string one byte edit away from s.
func oneEditAway(s string, f func(string)) {
	buf := make([]byte, 0, len(s)+1)
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			f(s[:i] + s[i+1:])
		}
		for c := range 256 {
			buf = append(append(append(buf[:0], s[:i]...), byte(c)), s[i:]...)
			f(string(buf))
			if i < len(s) {
				buf = append(append(append(buf[:0], s[:i]...), byte(c)), s[i+1:]...)
				f(string(buf))
			}
		}
	}
}

// fuzzMatcher compares a matcher with the patterns it replaced, seeded with
// the table's inputs.
func fuzzMatcher(f *testing.F, name string) {
	spec := matcherSpecs[name]
	for _, tt := range matcherCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := spec.match(s)
		for _, old := range spec.old {
			m := old.re.FindStringSubmatch(s)
			if (m != nil) != ok || m != nil && m[old.group] != got {
				t.Fatalf("%s(%q) = %q, %v; %s gives %q", name, s, got, ok, old.re, m)
			}
		}
	})
}

func FuzzUserPoolARN(f *testing.F)     { fuzzMatcher(f, "userPoolARN") }
func FuzzFIFOName(f *testing.F)        { fuzzMatcher(f, "fifoName") }
func FuzzSNSARN(f *testing.F)          { fuzzMatcher(f, "snsARN") }
func FuzzSQSARN(f *testing.F)          { fuzzMatcher(f, "sqsARN") }
func FuzzBucketName(f *testing.F)      { fuzzMatcher(f, "bucketName") }
func FuzzS3EventType(f *testing.F)     { fuzzMatcher(f, "s3EventType") }
func FuzzBusName(f *testing.F)         { fuzzMatcher(f, "busName") }
func FuzzBusARN(f *testing.F)          { fuzzMatcher(f, "busARN") }
func FuzzDynamoStreamARN(f *testing.F) { fuzzMatcher(f, "dynamoStreamARN") }
func FuzzKinesisName(f *testing.F)     { fuzzMatcher(f, "kinesisName") }
func FuzzKinesisARN(f *testing.F)      { fuzzMatcher(f, "kinesisARN") }

// captureCases are the table of replaceCaptures, the `\{[^}]+\}` pattern
// replaced by "*" in an authorizer's routes.
var captureCases = []struct{ in, want string }{
	{"/items/{id}", "/items/*"},
	{"/a/{x}/b/{y}", "/a/*/b/*"},
	{"/files/{proxy+}", "/files/*"},
	{"/plain", "/plain"},
	{"", ""},
	{"{}", "{}"},
	{"{}{a}", "{}*"},
	{"{{a}", "*"},
	{"{a}}", "*}"},
	{"{a", "{a"},
	{"{a{b}", "*"},
	{"}{a}{", "}*{"},
	{"{\n}", "*"},
	{"{\xff}x", "*x"},
	{"/é/{ü}", "/é/*"},
}

func TestReplaceCaptures(t *testing.T) {
	for _, tt := range captureCases {
		if got := replaceCaptures(tt.in); got != tt.want {
			t.Errorf("replaceCaptures(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if old := captureRE.ReplaceAllString(tt.in, "*"); old != tt.want {
			t.Errorf("table: the pattern gives %q for %q, not %q", old, tt.in, tt.want)
		}
	}
}

func FuzzCaptures(f *testing.F) {
	for _, tt := range captureCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, old := replaceCaptures(s), captureRE.ReplaceAllString(s, "*"); got != old {
			t.Fatalf("replaceCaptures(%q) = %q; the pattern gives %q", s, got, old)
		}
	})
}

func TestPatternLengthLimits(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
		err  func() error
	}{
		{"topic of 256", true, func() error { return SNSSource(ExistingTopic(strings.Repeat("t", 256))).err }},
		{"topic of 257", false, func() error { return SNSSource(ExistingTopic(strings.Repeat("t", 257))).err }},
		{"fifo topic ARN", true, func() error { return SNSSource(ExistingTopic("arn:aws:sns:us-east-1:123456789012:orders.fifo")).err }},
		{"queue of 80", true, func() error { return SQSSource(ExistingQueue(strings.Repeat("q", 80))).err }},
		{"queue of 81", false, func() error { return SQSSource(ExistingQueue(strings.Repeat("q", 81))).err }},
		{"queue ARN of 81", false, func() error {
			return SQSSource(ExistingQueue("arn:aws:sqs:us-east-1:123456789012:" + strings.Repeat("q", 81))).err
		}},
		{"bucket of 63", true, func() error { return S3Source(ExistingBucket(strings.Repeat("b", 63))).err }},
		{"bucket of 64", false, func() error { return S3Source(ExistingBucket(strings.Repeat("b", 64))).err }},
		{"bucket of 2", false, func() error { return S3Source(ExistingBucket("bb")).err }},
		{"stream of 128", true, func() error { return KinesisSource(strings.Repeat("k", 128)).err }},
		{"stream of 129", false, func() error { return KinesisSource(strings.Repeat("k", 129)).err }},
		{"table of 2", false, func() error {
			return DynamoDBSource(ExistingTableStream("arn:aws:dynamodb:us-east-1:123456789012:table/ab/stream/2026-11-01T00:00:00.000")).err
		}},
		{"table of 3", true, func() error {
			return DynamoDBSource(ExistingTableStream("arn:aws:dynamodb:us-east-1:123456789012:table/abc/stream/2026-11-01T00:00:00.000")).err
		}},
		{"bus of 257", false, func() error {
			return EventBridgeSource(map[string]any{"source": []string{"x"}}, EventBus(strings.Repeat("e", 257))).err
		}},
		{"bus ARN", true, func() error {
			return EventBridgeSource(map[string]any{"source": []string{"x"}}, EventBus("arn:aws:events:us-east-1:123456789012:event-bus/orders")).err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.err(); (err == nil) != tt.ok {
				t.Errorf("error = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
