package review_test

import (
	"os"
	"testing"

	"github.com/gochalice/gochalice/internal/review"
)

// BenchmarkCompare reviews the stages fixture's dev template against its
// prod template (36 findings), parsing both each time, as the CLI does.
func BenchmarkCompare(b *testing.B) {
	oldData, err := os.ReadFile("../../golden/expected/stages/dev/template.yaml")
	if err != nil {
		b.Fatal(err)
	}
	newData, err := os.ReadFile("../../golden/expected/stages/prod/template.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(oldData) + len(newData)))
	b.ReportAllocs()
	for b.Loop() {
		old, err := review.Parse("dev", oldData)
		if err != nil {
			b.Fatal(err)
		}
		new, err := review.Parse("prod", newData)
		if err != nil {
			b.Fatal(err)
		}
		if rep := review.Compare(old, new); len(rep.Findings) == 0 {
			b.Fatal("no findings")
		}
	}
}
