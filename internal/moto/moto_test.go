package moto

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The server answers while the test runs and is gone once it ends.
func TestStartStop(t *testing.T) {
	var url string
	t.Run("server", func(t *testing.T) {
		s := Start(t)
		url = s.URL
		resp, err := http.Get(s.URL + "/moto-api/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if s.Env()["AWS_ENDPOINT_URL"] != s.URL {
			t.Errorf("Env points at %q, want %q", s.Env()["AWS_ENDPOINT_URL"], s.URL)
		}
	})
	if url == "" {
		return // skipped
	}
	client := &http.Client{Timeout: time.Second}
	if resp, err := client.Get(url + "/moto-api/"); err == nil {
		resp.Body.Close()
		t.Errorf("%s still answers after the test ended", url)
	}
}

// TestStartWithATakenPort checks that a port another process took between
// FreePort and the server's bind costs a retry, not the test.
func TestStartWithATakenPort(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	_, busy, _ := net.SplitHostPort(taken.Addr().String())
	first := true
	saved := pickPort
	t.Cleanup(func() { pickPort = saved })
	pickPort = func(t testing.TB) string {
		if first {
			first = false
			return busy
		}
		return saved(t)
	}
	s := Start(t)
	if strings.HasSuffix(s.URL, ":"+busy) {
		t.Fatalf("server on the taken port %s", busy)
	}
	resp, err := http.Get(s.URL + "/moto-api/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}
