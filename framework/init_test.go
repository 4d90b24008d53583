package framework

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestPackageInitIsCheap guards the cold start: the framework's package
// initialisation runs in every new Lambda process, so it must not compile
// patterns or build tables. It counts allocations (deterministic), not time.
func TestPackageInitIsCheap(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "hello")
	if out, err := exec.Command("go", "build", "-o", bin, "../samples/hello").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, _ := cmd.CombinedOutput() // usage mode exits 2; the trace is printed first
	m := regexp.MustCompile(`init github\.com/gochalice/gochalice/framework @\S+ ms, \S+ ms clock, (\d+) bytes, (\d+) allocs`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no init trace for the framework in:\n%s", out)
	}
	bytes, _ := strconv.Atoi(string(m[1]))
	allocs, _ := strconv.Atoi(string(m[2]))
	const maxAllocs, maxBytes = 200, 16 << 10
	if allocs > maxAllocs || bytes > maxBytes {
		t.Errorf("framework package init allocates %d objects, %d bytes; want at most %d and %d (build tables on first use)", allocs, bytes, maxAllocs, maxBytes)
	}
}
