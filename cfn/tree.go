package cfn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"unicode/utf8"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"
)

// tree encodes the goformation template with encoding/json, which leaves
// intrinsic functions as they are, decodes it into generic maps, slices and
// scalars (numbers as json.Number) and puts the intrinsics in place of their
// placeholders.
//
// The REST API's Swagger definition, most of a large app's template, is
// already such a tree: it skips the JSON round trip and is copied into the
// decoded template by plainTree, which yields what the round trip would.
func (t *Template) tree() (any, error) {
	doc, bodies := t.withoutDefinitionBodies()
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("cfn: encoding template: %w", err)
	}
	tree, err := decodeJSONTree(raw)
	if err != nil {
		return nil, fmt.Errorf("cfn: decoding template: %w", err)
	}
	if err := putDefinitionBodies(tree, bodies); err != nil {
		return nil, err
	}
	tree, err = t.intrinsics.resolve(tree)
	if err != nil {
		return nil, err
	}
	return t.finish(tree)
}

// definitionBodyPlaceholder stands for a DefinitionBody taken out of the
// template before encoding; like the intrinsics' placeholders it contains
// NUL bytes, which no value of a template can.
const definitionBodyPlaceholder = "\x00gochalice-definition-body\x00"

// withoutDefinitionBodies returns a shallow copy of the goformation template
// in which every serverless API's DefinitionBody is the placeholder, and the
// bodies taken out, by logical ID. The template itself is not changed.
func (t *Template) withoutDefinitionBodies() (*cloudformation.Template, map[string]any) {
	var bodies map[string]any
	var resources cloudformation.Resources
	for id, r := range t.cfn.Resources {
		api, ok := r.(*serverless.Api)
		if !ok || api.DefinitionBody == nil {
			continue
		}
		if resources == nil {
			resources = maps.Clone(t.cfn.Resources)
			bodies = map[string]any{}
		}
		cp := *api
		cp.DefinitionBody = definitionBodyPlaceholder
		resources[id] = &cp
		bodies[id] = api.DefinitionBody
	}
	if resources == nil {
		return t.cfn, nil
	}
	doc := *t.cfn
	doc.Resources = resources
	return &doc, bodies
}

// putDefinitionBodies puts the bodies taken out by withoutDefinitionBodies
// back into the decoded template, in the form the JSON round trip gives.
func putDefinitionBodies(tree any, bodies map[string]any) error {
	for id, body := range bodies {
		props, _ := dive(tree, "Resources", id, "Properties").(map[string]any)
		if props == nil || props["DefinitionBody"] != definitionBodyPlaceholder {
			return fmt.Errorf("cfn: internal error: the DefinitionBody of %s is not in the encoded template", id)
		}
		v, err := plainTree(body)
		if err != nil {
			return fmt.Errorf("cfn: encoding the DefinitionBody of %s: %w", id, err)
		}
		props["DefinitionBody"] = v
	}
	return nil
}

// dive follows keys through nested maps; nil when one is missing.
func dive(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

// decodeJSONTree decodes JSON into maps, slices and scalars, numbers as
// json.Number.
func decodeJSONTree(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	return tree, nil
}

// plainTree returns what encoding v with encoding/json and decoding it with
// decodeJSONTree would, as a new tree that shares no map or slice with v.
// Maps, slices, valid UTF-8 strings, booleans and integers are copied
// directly; anything else (structs, floats, invalid UTF-8, ...) makes the
// whole value take the JSON round trip.
func plainTree(v any) (any, error) {
	if out, err := copyPlain(v); err == nil {
		return out, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return decodeJSONTree(raw)
}

// errNotPlain says that copyPlain met a value it does not copy exactly.
var errNotPlain = errors.New("not a plain value")

func copyPlain(v any) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		if !utf8.ValidString(v) {
			return nil, errNotPlain
		}
		return v, nil
	case bool:
		return v, nil
	case int:
		return json.Number(strconv.Itoa(v)), nil
	case int64:
		return json.Number(strconv.FormatInt(v, 10)), nil
	case map[string]any:
		if v == nil {
			return nil, nil
		}
		m := make(map[string]any, len(v))
		for k, e := range v {
			if !utf8.ValidString(k) {
				return nil, errNotPlain
			}
			c, err := copyPlain(e)
			if err != nil {
				return nil, err
			}
			m[k] = c
		}
		return m, nil
	case map[string]string:
		if v == nil {
			return nil, nil
		}
		m := make(map[string]any, len(v))
		for k, e := range v {
			if !utf8.ValidString(k) || !utf8.ValidString(e) {
				return nil, errNotPlain
			}
			m[k] = e
		}
		return m, nil
	case []any:
		if v == nil {
			return nil, nil
		}
		s := make([]any, len(v))
		for i, e := range v {
			c, err := copyPlain(e)
			if err != nil {
				return nil, err
			}
			s[i] = c
		}
		return s, nil
	case []string:
		if v == nil {
			return nil, nil
		}
		s := make([]any, len(v))
		for i, e := range v {
			if !utf8.ValidString(e) {
				return nil, errNotPlain
			}
			s[i] = e
		}
		return s, nil
	}
	return nil, errNotPlain
}
