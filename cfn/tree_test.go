package cfn

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// roundTrip is what plainTree must equal: v through encoding/json and back.
func roundTrip(t *testing.T, v any) any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := decodeJSONTree(raw)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPlainTreeEqualsJSONRoundTrip(t *testing.T) {
	type op struct {
		Summary string `json:"summary,omitempty"`
		N       int    `json:"n"`
	}
	tests := []struct {
		name string
		v    any
	}{
		{"nil", nil},
		{"string", "GET /r0001"},
		{"escapes", "<a href=\"x\">&</a>\u2028\t\x01"},
		{"invalid UTF-8", "a\xffb"},
		{"invalid UTF-8 key", map[string]any{"k\xfe": "v"}},
		{"invalid UTF-8 deep", map[string]any{"a": []any{"ok", "\xc3"}}},
		{"bool", true},
		{"int", 42},
		{"negative int64", int64(-7)},
		{"float", 1.5},
		{"float integral", 3.0},
		{"uint", uint8(9)},
		{"nil map", map[string]any(nil)},
		{"empty map", map[string]any{}},
		{"nil slice", []any(nil)},
		{"empty slice", []any{}},
		{"nil string slice", []string(nil)},
		{"string slice", []string{"a", "b"}},
		{"nil string map", map[string]string(nil)},
		{"string map", map[string]string{"Content-Type": "text/html"}},
		{"struct", op{N: 3}},
		{"struct inside", map[string]any{"get": op{Summary: "s", N: 1}}},
		{"pointer", &op{N: 2}},
		{"bytes", []byte("hi")},
		{"swagger", manyRoutesSwagger(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := plainTree(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			if want := roundTrip(t, tt.v); !reflect.DeepEqual(got, want) {
				t.Errorf("plainTree(%#v)\n got %#v\nwant %#v", tt.v, got, want)
			}
		})
	}
}

// manyRoutesSwagger is the Swagger definition of a 40-route app.
func manyRoutesSwagger(t *testing.T) any {
	t.Helper()
	b := &builder{m: manyRoutes(40), st: devStage(), in: &intrinsics{}}
	body, err := b.swagger()
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func TestPlainTreeSharesNothing(t *testing.T) {
	inner := map[string]any{"k": "v"}
	list := []any{"a"}
	v := map[string]any{"m": inner, "l": list}
	got, err := plainTree(v)
	if err != nil {
		t.Fatal(err)
	}
	g := got.(map[string]any)
	g["m"].(map[string]any)["k"] = "changed"
	g["l"].([]any)[0] = "changed"
	if inner["k"] != "v" || list[0] != "a" {
		t.Errorf("changing plainTree's copy changed the original: %v %v", inner, list)
	}
}

// TestMarshalKeepsTemplate: writing a template twice, in either format,
// gives the same bytes (the DefinitionBody taken out for encoding is put back
// and the template is not changed).
func TestMarshalKeepsTemplate(t *testing.T) {
	tmpl, err := Build(manyRoutes(8), devStage())
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"yaml", "json", "yaml"} {
		first, err := Marshal(tmpl, format)
		if err != nil {
			t.Fatal(err)
		}
		second, err := Marshal(tmpl, format)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Errorf("%s: second Marshal differs from the first", format)
		}
		if !bytes.Contains(first, []byte("/r0007/{id}")) {
			t.Errorf("%s: the template lacks the route /r0007/{id}", format)
		}
	}
}

// jsonStringByEncoder is s as encoding/json writes it without HTML escaping.
func jsonStringByEncoder(t testing.TB, s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func checkAppendJSONString(t testing.TB, s string) {
	var buf bytes.Buffer
	if err := appendJSONString(&buf, s); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), jsonStringByEncoder(t, s); got != want {
		t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{
		"", "AWS::Serverless::Function", "arn:aws:execute-api:${AWS::Region}", "<a>&amp;</a>",
		`say "hi"`, `C:\path`, "tab\there", "nl\n", "\x00\x1f\x7f", "é", "\u2028\u2029", "bad\xff", "~ ` {}",
	} {
		checkAppendJSONString(t, s)
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `"q"`, "\\", "\x7f", "\u2028", "\xff", "<>&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkAppendJSONString(t, s) })
}
