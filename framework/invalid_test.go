package framework

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

type invalidTestInput struct {
	Name  string   `json:"name"`
	Count int      `json:"count"`
	Tags  []string `json:"tags,omitempty"`
	Skip  string   `json:"-"`
}

func TestInvalidEvent(t *testing.T) {
	app := New("invalid")
	app.Route("/", func(r *Request) (any, error) { return "ok", nil })
	app.LambdaFunction("typed", func(ctx context.Context, in invalidTestInput) (string, error) { return in.Name, nil })
	app.LambdaFunction("number", func(n float64) (float64, error) { return n * 2, nil })
	// A handler that returns a JSON error of its own: that is its result,
	// not an invalid event.
	app.LambdaFunction("own_error", func(in map[string]any) (any, error) {
		var x int
		return nil, json.Unmarshal([]byte(`"s"`), &x)
	})
	tests := []struct {
		fn, payload string
		want        string // the InvalidEventError's message; "" for none
	}{
		{"typed", `{"name":"a","count":2}`, ""},
		{"typed", `{"count":"two"}`, `function "typed" expects a JSON object with fields name, count, tags: field "count" is a string, not an integer`},
		{"typed", `{"count":1.5}`, `function "typed" expects a JSON object with fields name, count, tags: field "count" is a number 1.5, not an integer`},
		{"typed", `{"tags":"x"}`, `function "typed" expects a JSON object with fields name, count, tags: field "tags" is a string, not a JSON list`},
		{"typed", `{"name":`, `function "typed" expects a JSON object with fields name, count, tags: the payload is not valid JSON (it ends too early)`},
		{"typed", ``, `function "typed" expects a JSON object with fields name, count, tags: the payload is empty`},
		{"typed", `not json`, `function "typed" expects a JSON object with fields name, count, tags: the payload is not valid JSON ('o' in literal null (expecting 'u'), at byte 2)`},
		{"number", `{"a":1}`, `function "number" expects a number: the payload is an object, not a number`},
		{"number", `21`, ""},
		{"own_error", `{}`, ""},
		{"api_handler", `[]`, `function "api_handler" expects an API Gateway REST proxy event (payload format 1.0): the payload is a list, not a JSON object`},
		{"api_handler", `{}`, `function "api_handler" expects an API Gateway REST proxy event (payload format 1.0): it has no resource or httpMethod`},
	}
	for _, tc := range tests {
		t.Run(tc.fn+" "+tc.payload, func(t *testing.T) {
			_, err := app.Invoke(context.Background(), tc.fn, []byte(tc.payload))
			var ie *InvalidEventError
			switch {
			case tc.want == "" && errors.As(err, &ie):
				t.Fatalf("InvalidEventError %v for a payload the handler accepts", err)
			case tc.want == "":
				return
			case !errors.As(err, &ie):
				t.Fatalf("error %v (%T), want an *InvalidEventError", err, err)
			case err.Error() != tc.want:
				t.Errorf("error\n%s\nwant\n%s", err, tc.want)
			}
		})
	}
}
