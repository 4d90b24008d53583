package manifest

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"
)

func TestJSONSchema(t *testing.T) {
	str := &Schema{Type: TypeString}
	tests := []struct {
		name string
		s    *Schema
		want string
	}{
		{"nil is any", nil, `{}`},
		{"ref", &Schema{Ref: "Todo"}, `{"$ref":"#/x/Todo"}`},
		{"format", &Schema{Type: TypeString, Format: "date-time"}, `{"format":"date-time","type":"string"}`},
		{"empty object keeps properties", &Schema{Type: TypeObject}, `{"additionalProperties":false,"properties":{},"type":"object"}`},
		{"object", &Schema{Type: TypeObject, Properties: []Property{{"a", str}, {"b", &Schema{Ref: "B"}}}, Required: []string{"a"}},
			`{"additionalProperties":false,"properties":{"a":{"type":"string"},"b":{"$ref":"#/x/B"}},"required":["a"],"type":"object"}`},
		{"map", &Schema{Type: TypeObject, AdditionalProperties: &Schema{}}, `{"additionalProperties":{},"type":"object"}`},
		{"array", &Schema{Type: TypeArray, Items: &Schema{Ref: "B"}}, `{"items":{"$ref":"#/x/B"},"type":"array"}`},
	}
	for _, tt := range tests {
		got, _ := json.Marshal(tt.s.JSONSchema("#/x/"))
		if string(got) != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestModelsUsedBy(t *testing.T) {
	m := &Manifest{Models: map[string]*Schema{
		"A":      {Type: TypeObject, Properties: []Property{{"b", &Schema{Type: TypeArray, Items: &Schema{Ref: "B"}}}}},
		"B":      {Type: TypeObject, AdditionalProperties: &Schema{Ref: "C"}},
		"C":      {Type: TypeObject, Properties: []Property{{"self", &Schema{Ref: "C"}}}},
		"Unused": {Type: TypeObject},
	}}
	got := slices.Sorted(maps.Keys(m.ModelsUsedBy(&Schema{Ref: "A"}, nil)))
	if !slices.Equal(got, []string{"A", "B", "C"}) {
		t.Errorf("models used by A: %v, want A B C", got)
	}
}
