package e2e

import (
	"strings"
	"testing"

	"github.com/gochalice/gochalice/internal/rie"
)

// TestTodoOnTheEmulator sends typed views' requests to the todo sample's
// bootstrap under the emulator: a valid body is decoded into the view's
// type, and strict decoding and Validate answer 400 naming the problem.
func TestTodoOnTheEmulator(t *testing.T) {
	rie.Require(t)
	bootstrap, _ := buildSample(t, "todo")
	api := rie.Start(t, bootstrap, "api_handler")
	post := func(body string) apiRequest {
		return apiRequest{method: "POST", resource: "/todos", path: "/todos",
			headers: map[string][]string{"Content-Type": {"application/json"}}, body: []byte(body)}
	}
	tests := []struct {
		name   string
		req    apiRequest
		status int
		want   string
	}{
		{"typed create", post(`{"title":"milk","tags":["shop"]}`), 200, `"id":"1","title":"milk","done":false,"tags":["shop"]`},
		{"typed get", apiRequest{method: "GET", resource: "/todos/{id}", path: "/todos/1", params: map[string]string{"id": "1"}}, 200, `"title":"milk"`},
		{"unknown field", post(`{"title":"milk","colour":"red"}`), 400, `{"Code":"BadRequestError","Message":"unknown field \"colour\""}`},
		{"missing required field", post(`{"tags":[]}`), 400, `{"Code":"BadRequestError","Message":"missing required field \"title\""}`},
		{"trailing data", post(`{"title":"a"}{"title":"b"}`), 400, `unexpected data after the JSON value`},
		{"Validate", post(`{"title":" "}`), 400, `{"Code":"BadRequestError","Message":"title must not be blank"}`},
		{"not found", apiRequest{method: "GET", resource: "/todos/{id}", path: "/todos/9", params: map[string]string{"id": "9"}}, 404, `{"Code":"NotFoundError","Message":"no todo 9"}`},
	}
	for _, tt := range tests {
		resp := invokeProxy(t, api, tt.req.event())
		if resp.StatusCode != tt.status || !strings.Contains(resp.Body, tt.want) {
			t.Errorf("%s: %d %s, want %d containing %s", tt.name, resp.StatusCode, resp.Body, tt.status, tt.want)
		}
	}
}
