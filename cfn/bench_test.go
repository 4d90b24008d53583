package cfn

import (
	"fmt"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
)

// manyRoutes is a manifest with n routes (half with a path capture, every
// fourth with two methods) and a standalone function.
func manyRoutes(n int) *manifest.Manifest {
	m := &manifest.Manifest{
		SchemaVersion:    manifest.SchemaVersion,
		App:              "big",
		FrameworkVersion: "0.1.0",
		Functions:        []manifest.Function{apiFunction(), lambdaFunction("worker")},
	}
	for i := range n {
		r := manifest.Route{Path: fmt.Sprintf("/r%04d", i), Methods: []string{"GET"}}
		if i%2 == 1 {
			r.Path += "/{id}"
			r.Params = []string{"id"}
		}
		if i%4 == 3 {
			r.Methods = []string{"GET", "POST"}
		}
		m.Routes = append(m.Routes, r)
	}
	return m
}

// BenchmarkTemplate1000Routes is the cfn step of a build alone (the
// template built from the manifest and written as YAML) for 1,000 routes.
func BenchmarkTemplate1000Routes(b *testing.B) {
	for _, format := range []string{"yaml", "json"} {
		b.Run(format, func(b *testing.B) {
			m, st := manyRoutes(1000), devStage()
			b.ReportAllocs()
			for b.Loop() {
				t, err := Build(m, st)
				if err != nil {
					b.Fatal(err)
				}
				out, err := Marshal(t, format)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(len(out)), "bytes")
			}
		})
	}
}
