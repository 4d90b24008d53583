package framework

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// jsonStrings are strings that exercise every escape encoding/json writes.
var jsonStrings = []string{"", "plain", `q"b\s/`, "\b\f\n\r\t\x00\x1f\x7f", "<a href='x'>&amp;</a>",
	"é日本\U0001F600", "\xff\xfe bad \xc3", "\u2028\u2029", "\ufffd"}

func TestAppendProxyResponse(t *testing.T) {
	resps := []*events.APIGatewayProxyResponse{
		{},
		{StatusCode: 200, Headers: map[string]string{}, MultiValueHeaders: map[string][]string{}},
		{StatusCode: -1, Body: "x", IsBase64Encoded: true},
		{StatusCode: 201, MultiValueHeaders: map[string][]string{"Set-Cookie": {"a=1", "b=2"}, "X-Nil": nil, "X-Empty": {}}},
	}
	many := map[string]string{}
	for i := range 40 { // more keys than sortedKeys' stack buffer
		many[strings.Repeat("k", i%7)+string(rune('a'+i%26))+string(rune('A'+i/26))] = "v"
	}
	resps = append(resps, &events.APIGatewayProxyResponse{StatusCode: 200, Headers: many})
	for _, s := range jsonStrings {
		resps = append(resps, &events.APIGatewayProxyResponse{StatusCode: 404, Headers: map[string]string{s: s, "B": s}, Body: s,
			MultiValueHeaders: map[string][]string{s: {s, s}}})
	}
	for _, r := range resps {
		checkProxyResponse(t, r)
	}
}

func checkProxyResponse(t *testing.T, r *events.APIGatewayProxyResponse) {
	t.Helper()
	want, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if got := appendProxyResponse(nil, r); !bytes.Equal(got, want) {
		t.Errorf("appendProxyResponse\n got %s\nwant %s", got, want)
	}
}

// encodeJSONReflect is what encodeJSON does for any value: encoding/json
// without HTML escaping or a trailing newline.
func encodeJSONReflect(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func TestEncodeJSONStringMap(t *testing.T) {
	maps := []map[string]string{nil, {}}
	for _, s := range jsonStrings {
		maps = append(maps, map[string]string{s: s, "z": s, "a": s})
	}
	for _, m := range maps {
		got, err := encodeJSON(m)
		if err != nil {
			t.Fatal(err)
		}
		if want := encodeJSONReflect(t, m); got != want {
			t.Errorf("encodeJSON(%q)\n got %s\nwant %s", m, got, want)
		}
	}
}

func TestErrorResponseBody(t *testing.T) {
	for _, s := range jsonStrings {
		resp := errorResponse(&Error{StatusCode: 400, Code: s, Message: s + "<&>"}, nil)
		want := encodeJSONReflect(t, struct {
			Code    string `json:"Code"`
			Message string `json:"Message"`
		}{s, s + "<&>"})
		if resp.Body != want {
			t.Errorf("error body\n got %s\nwant %s", resp.Body, want)
		}
	}
}

func FuzzProxyResponseJSON(f *testing.F) {
	for _, s := range jsonStrings {
		f.Add(200, s, s, s, s, false)
	}
	f.Fuzz(func(t *testing.T, status int, k, v, body, mv string, b64 bool) {
		r := &events.APIGatewayProxyResponse{StatusCode: status, Headers: map[string]string{k: v, v: k}, Body: body, IsBase64Encoded: b64}
		if mv != "" {
			r.MultiValueHeaders = map[string][]string{k: {mv, v}, mv: nil}
		}
		checkProxyResponse(t, r)
		if got, want := string(appendStringMap(nil, r.Headers, false)), encodeJSONReflect(t, r.Headers); got != want {
			t.Errorf("appendStringMap\n got %s\nwant %s", got, want)
		}
	})
}
