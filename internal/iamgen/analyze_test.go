package iamgen

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/gochalice/gochalice/cfn"
	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/build"
)

// testapp is analysed once for every test of this package.
var testapp struct {
	once sync.Once
	m    *manifest.Manifest
	acc  *cfn.Access
	err  error
}

func analyzeTestapp(t *testing.T) *cfn.Access {
	t.Helper()
	testapp.once.Do(func() {
		testapp.m, testapp.err = build.Manifest(context.Background(), "testapp")
		if testapp.err == nil {
			testapp.acc, testapp.err = Analyze(context.Background(), "testapp", testapp.m)
		}
	})
	if testapp.err != nil {
		t.Fatal(testapp.err)
	}
	return testapp.acc
}

// describe renders a function's calls as "site op actions on targets".
func describe(fa *cfn.FunctionAccess) string {
	var lines []string
	for _, c := range fa.Calls {
		var ts []string
		for _, tg := range c.Targets {
			d := tg.Kind + ":" + tg.Name
			if tg.Declared {
				d += "(declared)"
			}
			ts = append(ts, d)
		}
		if len(ts) == 0 {
			ts = []string{"*"}
		}
		extra := ""
		if c.Index {
			extra += " +index"
		}
		if c.Object {
			extra += " objects"
		}
		site := c.Site[strings.LastIndex(c.Site, "/")+1:]
		lines = append(lines, fmt.Sprintf("%s %s.%s %s on %s%s", site, c.Service, c.Op, strings.Join(c.Actions, ","), strings.Join(ts, ","), extra))
	}
	return strings.Join(lines, "\n")
}

func TestAnalysis(t *testing.T) {
	acc := analyzeTestapp(t)
	tests := []struct {
		function string
		want     string // one line per call, see describe
		uses     string
	}{
		{"direct", "main.go:70 dynamodb.PutItem dynamodb:PutItem on table:orders(declared)", "orders"},
		{"helper", "store.go:27 dynamodb.GetItem dynamodb:GetItem on table:users(declared)", "users"},
		{"iface", "main.go:82 dynamodb.GetItem dynamodb:GetItem on table:users(declared)", "users"},
		{"goroutine", "main.go:90 sqs.SendMessage sqs:SendMessage on queue:jobs(declared)", "jobs"},
		{"closure", "main.go:99 s3.DeleteObject s3:DeleteObject on bucket:uploads(declared) objects", "uploads"},
		{"method_value", "main.go:106 s3.ListObjectsV2 s3:ListBucket on bucket:uploads(declared)", "uploads"},
		{"paginator", "main.go:114 dynamodb.Scan dynamodb:Scan on table:users(declared)", "users"},
		{"upload", "main.go:125 s3.PutObject s3:AbortMultipartUpload,s3:PutObject on bucket:uploads(declared) objects", "uploads"},
		{"shared_a", "main.go:134 dynamodb.DeleteItem dynamodb:DeleteItem on table:orders(declared)", "orders"},
		{"shared_b", "main.go:134 dynamodb.DeleteItem dynamodb:DeleteItem on table:orders(declared)", "orders"},
		{"nothing", "", ""},
		{"dynamic", "main.go:148 dynamodb.UpdateItem dynamodb:UpdateItem on *", ""},
		{"constant", "main.go:153 dynamodb.DescribeTable dynamodb:DescribeTable on table:legacy-accounts", ""},
		{"index", "main.go:159 dynamodb.Query dynamodb:Query on table:users(declared) +index", "users"},
		{"waiter", "main.go:174 dynamodb.DescribeTable dynamodb:DescribeTable on table:users(declared)", "users"},
		{"api_handler", "main.go:168 sqs.SendMessage sqs:SendMessage on queue:jobs(declared)\nmain.go:188 dynamodb.GetItem dynamodb:GetItem on table:orders(declared)", "jobs,orders"},
	}
	for _, tt := range tests {
		t.Run(tt.function, func(t *testing.T) {
			fa := acc.Functions[tt.function]
			if fa == nil {
				t.Fatalf("no result for %s", tt.function)
			}
			if !fa.Complete {
				t.Errorf("%s: the analysis could not tell its code", tt.function)
			}
			if got := describe(fa); got != tt.want {
				t.Errorf("calls =\n%s\nwant\n%s", got, tt.want)
			}
			var uses []string
			for _, u := range fa.Uses {
				uses = append(uses, u.Name)
			}
			if got := strings.Join(uses, ","); got != tt.uses {
				t.Errorf("uses = %q, want %q", got, tt.uses)
			}
		})
	}
	// A function whose handler the analysis cannot follow gets every call
	// of the app, and every resource.
	if fa := acc.Functions["opaque"]; fa == nil || fa.Complete || len(fa.Calls) < 10 || len(fa.Uses) != 4 {
		t.Errorf("opaque: %+v, want incomplete with every call and resource", fa)
	}
	// The call of the unreachable function is granted to no function the
	// analysis can follow.
	for name, fa := range acc.Functions {
		if !fa.Complete {
			continue
		}
		for _, c := range fa.Calls {
			if c.Op == "DeleteTable" {
				t.Errorf("function %s was granted the unreachable DeleteTable call (%s)", name, c.Site)
			}
		}
	}
}
