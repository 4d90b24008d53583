package iamgen

import (
	"context"
	"testing"

	"github.com/gochalice/gochalice/internal/build"
)

// benchApps are the apps whose analysis time the README reports: a sample
// without AWS SDK calls, the users sample (DynamoDB, SQS) and the analysis
// fixture (the DynamoDB, S3 and SQS clients and the S3 upload manager).
var benchApps = []struct{ name, dir string }{
	{"hello", "../../samples/hello"},
	{"users", "../../samples/users"},
	{"testapp_dynamodb_s3_sqs", "testapp"},
}

// BenchmarkAnalyze is a cold analysis (no cache): what a build pays after a
// Go change.
func BenchmarkAnalyze(b *testing.B) {
	for _, app := range benchApps {
		m, err := build.Manifest(context.Background(), app.dir)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(app.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Analyze(context.Background(), app.dir, m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAnalyzeCached is a warm build's cost: hashing the module's Go
// files and reading the cached result.
func BenchmarkAnalyzeCached(b *testing.B) {
	b.Setenv(EnvCacheDir, b.TempDir())
	for _, app := range benchApps {
		m, err := build.Manifest(context.Background(), app.dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := AnalyzeCached(context.Background(), app.dir, m); err != nil {
			b.Fatal(err)
		}
		b.Run(app.name, func(b *testing.B) {
			for b.Loop() {
				if _, hit, err := AnalyzeCached(context.Background(), app.dir, m); err != nil || !hit {
					b.Fatalf("hit %v, err %v", hit, err)
				}
			}
		})
	}
}
