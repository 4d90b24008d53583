package moto

import (
	"net/http"
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
