package framework

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/gochalice/gochalice/framework/manifest"
)

var (
	timeType          = reflect.TypeFor[time.Time]()
	rawMessageType    = reflect.TypeFor[json.RawMessage]()
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// schemas turns Go types into JSON Schemas at registration. Named struct
// types become models, shared by reference, so recursive types end.
type schemas struct {
	models map[string]*manifest.Schema // by model name
	names  map[reflect.Type]string     // model name of each named struct type
}

// errorSchema is the model of every error body.
var errorSchema = &manifest.Schema{
	Type: manifest.TypeObject,
	Properties: []manifest.Property{
		{Name: "Code", Schema: &manifest.Schema{Type: manifest.TypeString}},
		{Name: "Message", Schema: &manifest.Schema{Type: manifest.TypeString}},
	},
	Required: []string{"Code", "Message"},
}

// of returns the schema of t as encoding/json encodes and decodes it. A
// type json cannot encode (channels, functions, complex numbers) is an
// error naming it.
func (s *schemas) of(t reflect.Type) (*manifest.Schema, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return &manifest.Schema{Type: manifest.TypeString, Format: "date-time"}, nil
	case t == rawMessageType:
		return &manifest.Schema{}, nil
	case t.Implements(jsonMarshalerType) || reflect.PointerTo(t).Implements(jsonMarshalerType):
		return &manifest.Schema{}, nil // encodes itself: its shape is unknown
	case t.Implements(textMarshalerType) || reflect.PointerTo(t).Implements(textMarshalerType):
		return &manifest.Schema{Type: manifest.TypeString}, nil
	}
	switch t.Kind() {
	case reflect.Bool:
		return &manifest.Schema{Type: manifest.TypeBoolean}, nil
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return &manifest.Schema{Type: manifest.TypeInteger, Format: "int32"}, nil
	case reflect.Int, reflect.Int64, reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return &manifest.Schema{Type: manifest.TypeInteger, Format: "int64"}, nil
	case reflect.Float32:
		return &manifest.Schema{Type: manifest.TypeNumber, Format: "float"}, nil
	case reflect.Float64:
		return &manifest.Schema{Type: manifest.TypeNumber, Format: "double"}, nil
	case reflect.String:
		return &manifest.Schema{Type: manifest.TypeString}, nil
	case reflect.Interface:
		return &manifest.Schema{}, nil
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return &manifest.Schema{Type: manifest.TypeString, Format: "byte"}, nil
		}
		items, err := s.of(t.Elem())
		if err != nil {
			return nil, err
		}
		return &manifest.Schema{Type: manifest.TypeArray, Items: items}, nil
	case reflect.Map:
		k := t.Key()
		if k.Kind() != reflect.String && !k.Implements(textMarshalerType) && !isIntKind(k.Kind()) {
			return nil, fmt.Errorf("type %s: map keys of type %s cannot be JSON object keys", t, k)
		}
		vals, err := s.of(t.Elem())
		if err != nil {
			return nil, err
		}
		return &manifest.Schema{Type: manifest.TypeObject, AdditionalProperties: vals}, nil
	case reflect.Struct:
		if t.Name() == "" {
			return s.object(t)
		}
		return s.model(t)
	}
	return nil, fmt.Errorf("type %s cannot be encoded as JSON", t)
}

func isIntKind(k reflect.Kind) bool {
	return k >= reflect.Int && k <= reflect.Uintptr
}

// model returns a reference to the model of a named struct type, adding the
// model the first time.
func (s *schemas) model(t reflect.Type) (*manifest.Schema, error) {
	if name, ok := s.names[t]; ok {
		return &manifest.Schema{Ref: name}, nil
	}
	if s.models == nil {
		s.models = map[string]*manifest.Schema{manifest.ErrorModel: errorSchema}
		s.names = map[reflect.Type]string{}
	}
	name := s.freeName(t)
	s.names[t] = name
	s.models[name] = &manifest.Schema{} // placeholder: a recursive reference ends here
	obj, err := s.object(t)
	if err != nil {
		delete(s.names, t)
		delete(s.models, name)
		return nil, err
	}
	s.models[name] = obj
	return &manifest.Schema{Ref: name}, nil
}

// freeName picks a model name for t: its Go name (type arguments spelled
// without package paths: Page[main.Todo] → PageTodo), then prefixed with its
// package name, then numbered, until it is not taken.
func (s *schemas) freeName(t reflect.Type) string {
	base := identifier(t.Name())
	pkg := t.PkgPath()
	pkg = identifier(pkg[strings.LastIndex(pkg, "/")+1:])
	for i, name := 1, base; ; i++ {
		if _, taken := s.models[name]; !taken {
			return name
		}
		switch i {
		case 1:
			name = upperFirst(pkg) + base
		default:
			name = fmt.Sprintf("%s%s%d", upperFirst(pkg), base, i)
		}
	}
}

// identifier keeps the letters and digits of a type name, dropping the
// package paths of type arguments.
func identifier(name string) string {
	var b strings.Builder
	word := 0 // start of the current word in b, for dropping a package path
	for _, r := range name {
		switch {
		case r == '.' || r == '/':
			s := b.String()[:word]
			b.Reset()
			b.WriteString(s)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			if b.Len() == word && r != '_' {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
		default:
			word = b.Len()
		}
	}
	return b.String()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// structField is one JSON field of a struct, embedded fields promoted.
type structField struct {
	name     string
	typ      reflect.Type
	required bool
	asString bool // the ,string option
	depth    int
}

// object returns the inline object schema of a struct type.
func (s *schemas) object(t reflect.Type) (*manifest.Schema, error) {
	obj := &manifest.Schema{Type: manifest.TypeObject, Properties: []manifest.Property{}}
	for _, f := range jsonFields(t) {
		fs, err := s.of(f.typ)
		if err != nil {
			return nil, fmt.Errorf("field %s of %s: %w", f.name, t, err)
		}
		if f.asString && (fs.Type == manifest.TypeInteger || fs.Type == manifest.TypeNumber || fs.Type == manifest.TypeBoolean) {
			fs = &manifest.Schema{Type: manifest.TypeString}
		}
		obj.Properties = append(obj.Properties, manifest.Property{Name: f.name, Schema: fs})
		if f.required {
			obj.Required = append(obj.Required, f.name)
		}
	}
	return obj, nil
}

// jsonFields lists the fields encoding/json encodes for a struct type, in
// its order: exported fields under their tag names, fields of untagged
// embedded structs promoted (the shallowest wins a name; a tie drops it). A
// field is required unless it is a pointer, has omitempty or omitzero, or
// comes through an embedded pointer.
func jsonFields(t reflect.Type) []structField {
	var all []structField
	var walk func(t reflect.Type, depth int, optional bool, seen map[reflect.Type]bool)
	walk = func(t reflect.Type, depth int, optional bool, seen map[reflect.Type]bool) {
		if seen[t] {
			return
		}
		seen[t] = true
		defer delete(seen, t)
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			ft := sf.Type
			if sf.Anonymous && name == "" {
				et, viaPtr := ft, false
				if et.Kind() == reflect.Pointer {
					et, viaPtr = et.Elem(), true
				}
				if et.Kind() == reflect.Struct {
					if !sf.IsExported() && viaPtr {
						continue // json cannot set an unexported embedded pointer
					}
					walk(et, depth+1, optional || viaPtr, seen)
					continue
				}
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			hasOpt := func(o string) bool {
				for x := range strings.SplitSeq(opts, ",") {
					if x == o {
						return true
					}
				}
				return false
			}
			all = append(all, structField{
				name:     name,
				typ:      ft,
				required: !optional && ft.Kind() != reflect.Pointer && !hasOpt("omitempty") && !hasOpt("omitzero"),
				asString: hasOpt("string"),
				depth:    depth,
			})
		}
	}
	walk(t, 0, false, map[reflect.Type]bool{})
	// Keep, for each name, the single shallowest field.
	best := map[string]int{} // name → depth of the shallowest
	count := map[string]int{}
	for _, f := range all {
		d, ok := best[f.name]
		switch {
		case !ok || f.depth < d:
			best[f.name], count[f.name] = f.depth, 1
		case f.depth == d:
			count[f.name]++
		}
	}
	out := all[:0]
	for _, f := range all {
		if f.depth == best[f.name] && count[f.name] == 1 {
			out = append(out, f)
		}
	}
	return out
}
