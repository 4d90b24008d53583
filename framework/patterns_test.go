package framework

import (
	"regexp"
	"strings"
	"testing"
)

// allPatterns are the framework's patterns, for the compile-cost benchmark.
var allPatterns = []*pattern{
	snsName, snsARN, sqsName, sqsARN, bucketName, s3EventType, busName, busARN,
	dynamoStreamARN, kinesisName, kinesisARN, userPoolARN, captureRE,
}

// BenchmarkCompilePatterns is what a cold start pays, at most, to compile
// every pattern the registrations may use (each compiles once per process,
// on first use).
func BenchmarkCompilePatterns(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range allPatterns {
			regexp.MustCompile(p.src)
		}
	}
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
