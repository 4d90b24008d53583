// Command compare prints the dispatch comparison of `make bench`: ns/op,
// B/op and allocs/op of gochalice, a bare aws-lambda-go handler and chi +
// aws-lambda-go-api-proxy on the browser event, and each one's time as a
// multiple of the bare handler's. The handlers run in turns, rounds times
// (-rounds), and the median round counts, so that all three see the same
// load on a shared machine.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/gochalice/gochalice/bench/dispatch"
)

func main() {
	rounds := flag.Int("rounds", 5, "rounds of the three benchmarks")
	event := flag.String("event", "../framework/testdata/browser_event.json", "the proxy event to dispatch")
	flag.Parse()
	payload, err := os.ReadFile(*event)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
	results := make([][]testing.BenchmarkResult, len(dispatch.Handlers))
	for range *rounds {
		for i, h := range dispatch.Handlers {
			handler := h.Handler()
			ctx := context.Background()
			results[i] = append(results[i], testing.Benchmark(func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := handler.Invoke(ctx, payload); err != nil {
						b.Fatal(err)
					}
				}
			}))
		}
	}
	medians := make([]testing.BenchmarkResult, len(results))
	for i, rs := range results {
		slices.SortFunc(rs, func(a, b testing.BenchmarkResult) int { return int(a.NsPerOp() - b.NsPerOp()) })
		medians[i] = rs[len(rs)/2]
	}
	bare := medians[1].NsPerOp()
	fmt.Printf("dispatch of %s (%d bytes), median of %d rounds\n", *event, len(payload), *rounds)
	fmt.Printf("%-20s %10s %8s %10s %8s\n", "handler", "ns/op", "B/op", "allocs/op", "× bare")
	for i, h := range dispatch.Handlers {
		m := medians[i]
		fmt.Printf("%-20s %10d %8d %10d %8.2f\n", h.Name, m.NsPerOp(), m.AllocedBytesPerOp(), m.AllocsPerOp(), float64(m.NsPerOp())/float64(bare))
	}
}
