package framework

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

type schemaBase struct {
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
}

type schemaEmbeds struct {
	schemaBase
	*SchemaOptional
	Name string `json:"name"`
	ID   int    `json:"id"` // shadows schemaBase.ID
}

type SchemaOptional struct {
	Note string `json:"note"`
}

type schemaTree struct {
	Value    int           `json:"value"`
	Children []*schemaTree `json:"children,omitempty"`
}

type schemaTags struct {
	Renamed  string  `json:"renamed"`
	Skipped  string  `json:"-"`
	Dash     string  `json:"-,"`
	Default  bool    // no tag: the Go name
	Opt      string  `json:"opt,omitempty"`
	Zero     float32 `json:"zero,omitzero"`
	Ptr      *int64  `json:"ptr"`
	Quoted   int     `json:"quoted,string"`
	internal string
}

type schemaPage[T any] struct {
	Items []T `json:"items"`
}

type schemaStatus string

type schemaText struct{ v string }

func (t schemaText) MarshalText() ([]byte, error) { return []byte(t.v), nil }

type schemaCustom struct{}

func (schemaCustom) MarshalJSON() ([]byte, error) { return []byte(`1`), nil }

// schemaJSON renders the schema of t and the models it added.
func schemaJSON(t *testing.T, typ reflect.Type) (string, error) {
	t.Helper()
	var s schemas
	sc, err := s.of(typ)
	if err != nil {
		return "", err
	}
	delete(s.models, "Error")
	models := map[string]any{}
	for k, v := range s.models {
		models[k] = v
	}
	b, err := json.Marshal(struct {
		S any            `json:"s"`
		M map[string]any `json:"m,omitempty"`
	}{sc, models})
	if err != nil {
		t.Fatal(err)
	}
	return string(b), nil
}

func TestSchemaOf(t *testing.T) {
	str := `{"type":"string"}`
	tests := []struct {
		name string
		typ  reflect.Type
		want string
	}{
		{"bool", reflect.TypeFor[bool](), `{"s":{"type":"boolean"}}`},
		{"int", reflect.TypeFor[int](), `{"s":{"type":"integer","format":"int64"}}`},
		{"int32", reflect.TypeFor[int32](), `{"s":{"type":"integer","format":"int32"}}`},
		{"uint16", reflect.TypeFor[uint16](), `{"s":{"type":"integer","format":"int32"}}`},
		{"float32", reflect.TypeFor[float32](), `{"s":{"type":"number","format":"float"}}`},
		{"float64", reflect.TypeFor[float64](), `{"s":{"type":"number","format":"double"}}`},
		{"string", reflect.TypeFor[string](), `{"s":` + str + `}`},
		{"named string inline", reflect.TypeFor[schemaStatus](), `{"s":` + str + `}`},
		{"pointer", reflect.TypeFor[**string](), `{"s":` + str + `}`},
		{"time.Time is date-time", reflect.TypeFor[time.Time](), `{"s":{"type":"string","format":"date-time"}}`},
		{"[]byte is base64", reflect.TypeFor[[]byte](), `{"s":{"type":"string","format":"byte"}}`},
		{"json.RawMessage is any", reflect.TypeFor[json.RawMessage](), `{"s":{}}`},
		{"interface is any", reflect.TypeFor[any](), `{"s":{}}`},
		{"json.Marshaler is any", reflect.TypeFor[schemaCustom](), `{"s":{}}`},
		{"TextMarshaler is a string", reflect.TypeFor[schemaText](), `{"s":` + str + `}`},
		{"slice", reflect.TypeFor[[]string](), `{"s":{"type":"array","items":` + str + `}}`},
		{"array", reflect.TypeFor[[2]bool](), `{"s":{"type":"array","items":{"type":"boolean"}}}`},
		{"map is additionalProperties", reflect.TypeFor[map[string][]int](), `{"s":{"type":"object","additionalProperties":{"type":"array","items":{"type":"integer","format":"int64"}}}}`},
		{"map with int keys", reflect.TypeFor[map[int]string](), `{"s":{"type":"object","additionalProperties":` + str + `}}`},
		{"anonymous struct inline", reflect.TypeFor[struct {
			A string `json:"a"`
		}](), `{"s":{"type":"object","properties":[{"name":"a","schema":` + str + `}],"required":["a"]}}`},
		{"json tags, omitempty, omitzero, pointers, string option", reflect.TypeFor[schemaTags](),
			`{"s":{"ref":"SchemaTags"},"m":{"SchemaTags":{"type":"object","properties":[` +
				`{"name":"renamed","schema":` + str + `},{"name":"-","schema":` + str + `},{"name":"Default","schema":{"type":"boolean"}},` +
				`{"name":"opt","schema":` + str + `},{"name":"zero","schema":{"type":"number","format":"float"}},` +
				`{"name":"ptr","schema":{"type":"integer","format":"int64"}},{"name":"quoted","schema":` + str + `}],` +
				`"required":["renamed","-","Default","quoted"]}}}`},
		{"embedded structs promoted, shallower wins, embedded pointer optional", reflect.TypeFor[schemaEmbeds](),
			`{"s":{"ref":"SchemaEmbeds"},"m":{"SchemaEmbeds":{"type":"object","properties":[` +
				`{"name":"created","schema":{"type":"string","format":"date-time"}},{"name":"note","schema":` + str + `},` +
				`{"name":"name","schema":` + str + `},{"name":"id","schema":{"type":"integer","format":"int64"}}],` +
				`"required":["created","name","id"]}}}`},
		{"recursion through a shared model", reflect.TypeFor[schemaTree](),
			`{"s":{"ref":"SchemaTree"},"m":{"SchemaTree":{"type":"object","properties":[` +
				`{"name":"value","schema":{"type":"integer","format":"int64"}},{"name":"children","schema":{"type":"array","items":{"ref":"SchemaTree"}}}],` +
				`"required":["value"]}}}`},
		{"generic type named without package paths", reflect.TypeFor[schemaPage[schemaBase]](),
			`{"s":{"ref":"SchemaPageSchemaBase"},"m":{"SchemaBase":{"type":"object","properties":[{"name":"id","schema":` + str + `},` +
				`{"name":"created","schema":{"type":"string","format":"date-time"}}],"required":["id","created"]},` +
				`"SchemaPageSchemaBase":{"type":"object","properties":[{"name":"items","schema":{"type":"array","items":{"ref":"SchemaBase"}}}],"required":["items"]}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := schemaJSON(t, tt.typ)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("schema of %s\n got %s\nwant %s", tt.typ, got, tt.want)
			}
		})
	}
}

func TestSchemaOfUnencodable(t *testing.T) {
	tests := []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[chan int](), "type chan int cannot be encoded as JSON"},
		{reflect.TypeFor[struct{ F func() }](), "field F of struct { F func() }: type func() cannot be encoded as JSON"},
		{reflect.TypeFor[map[[2]int]string](), "map keys of type [2]int cannot be JSON object keys"},
	}
	for _, tt := range tests {
		if _, err := schemaJSON(t, tt.typ); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("schema of %s: error %v, want %q", tt.typ, err, tt.want)
		}
	}
}

// Two named types with one name get distinct models.
func TestSchemaNameCollision(t *testing.T) {
	type schemaBase struct{ X int }
	var s schemas
	a, _ := s.of(reflect.TypeFor[schemaBase]())
	b, _ := s.of(reflect.TypeFor[schemaBaseAlias]())
	c, _ := s.of(reflect.TypeFor[schemaBase]())
	if a.Ref != "SchemaBase" || b.Ref != "FrameworkSchemaBase" || c.Ref != a.Ref {
		t.Errorf("refs %q %q %q, want SchemaBase, FrameworkSchemaBase, SchemaBase", a.Ref, b.Ref, c.Ref)
	}
}

type schemaBaseAlias = schemaBase
