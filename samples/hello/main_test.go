package main

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// An app is tested in-process with App.Invoke: the same code path Lambda runs,
// with the event API Gateway would send.
func TestHello(t *testing.T) {
	app := newApp()
	ev := events.APIGatewayProxyRequest{
		Resource:       "/hello/{name}",
		Path:           "/hello/gopher",
		HTTPMethod:     "GET",
		PathParameters: map[string]string{"name": "gopher"},
	}
	payload, _ := json.Marshal(ev)
	out, err := app.Invoke(context.Background(), "api_handler", payload)
	if err != nil {
		t.Fatal(err)
	}
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Body != `{"hello":"gopher"}` {
		t.Errorf("GET /hello/gopher = %d %s", resp.StatusCode, resp.Body)
	}
}

func TestAddNumbers(t *testing.T) {
	out, err := newApp().Invoke(context.Background(), "add_numbers", []byte(`{"a":1,"b":2}`))
	if err != nil {
		t.Fatal(err)
	}
	var got AddOutput
	if err := json.Unmarshal(out, &got); err != nil || got.Sum != 3 {
		t.Errorf("add_numbers = %s (%v), want sum 3", out, err)
	}
}
