// Package cfnyaml reads CloudFormation documents written in JSON or YAML,
// including YAML's short-form intrinsic tags (!Ref, !GetAtt A.B, !Sub, !If,
// ...), into generic trees in long form: map[string]any, []any, string,
// json.Number, bool and nil, the same shapes encoding/json decodes with
// UseNumber.
package cfnyaml

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// shortForms maps each short-form tag to its long-form key.
var shortForms = map[string]string{
	"!Ref":          "Ref",
	"!Condition":    "Condition",
	"!GetAtt":       "Fn::GetAtt",
	"!Sub":          "Fn::Sub",
	"!If":           "Fn::If",
	"!Join":         "Fn::Join",
	"!Select":       "Fn::Select",
	"!GetAZs":       "Fn::GetAZs",
	"!ImportValue":  "Fn::ImportValue",
	"!Equals":       "Fn::Equals",
	"!Not":          "Fn::Not",
	"!And":          "Fn::And",
	"!Or":           "Fn::Or",
	"!FindInMap":    "Fn::FindInMap",
	"!Base64":       "Fn::Base64",
	"!Split":        "Fn::Split",
	"!Cidr":         "Fn::Cidr",
	"!Transform":    "Fn::Transform",
	"!ToJsonString": "Fn::ToJsonString",
	"!Length":       "Fn::Length",
}

// Parse reads one JSON or YAML document into a long-form tree. An empty
// document is nil.
func Parse(data []byte) (any, error) {
	if t := bytes.TrimSpace(data); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		data = FixJSONEscapes(data)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, nil
	}
	return Tree(doc.Content[0])
}

// Tree converts a yaml.Node into a long-form tree. Errors name the line and
// column of the offending node.
func Tree(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return Tree(n.Content[0])
	case yaml.AliasNode:
		return nil, aliasErr(n)
	}
	if long, ok := shortForms[n.Tag]; ok {
		arg, err := plain(n)
		if err != nil {
			return nil, err
		}
		if long == "Fn::GetAtt" {
			if s, ok := arg.(string); ok {
				res, attr, found := strings.Cut(s, ".")
				if !found {
					return nil, fmt.Errorf("line %d, column %d: !GetAtt %q: want Resource.Attribute", n.Line, n.Column, s)
				}
				arg = []any{res, attr}
			}
		}
		return map[string]any{long: arg}, nil
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return nil, fmt.Errorf("line %d, column %d: unknown tag %s", n.Line, n.Column, n.Tag)
	}
	return plain(n)
}

// aliasErr rejects a YAML alias: CloudFormation does not accept anchors and
// aliases, and expanding them could blow up (recursive or nested aliases).
func aliasErr(n *yaml.Node) error {
	return fmt.Errorf("line %d, column %d: YAML aliases (*%s) are not supported", n.Line, n.Column, n.Value)
}

// plain converts n as if it had its default tag.
func plain(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				return nil, fmt.Errorf("line %d, column %d: YAML merge keys (<<) are not supported", k.Line, k.Column)
			}
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d, column %d: a mapping key must be a scalar", k.Line, k.Column)
			}
			if _, dup := m[k.Value]; dup {
				return nil, fmt.Errorf("line %d, column %d: duplicate key %q", k.Line, k.Column, k.Value)
			}
			e, err := Tree(v)
			if err != nil {
				return nil, err
			}
			m[k.Value] = e
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			e, err := Tree(c)
			if err != nil {
				return nil, err
			}
			s = append(s, e)
		}
		return s, nil
	case yaml.ScalarNode:
		return scalar(n)
	case yaml.AliasNode:
		return nil, aliasErr(n)
	}
	return nil, fmt.Errorf("line %d, column %d: unexpected YAML node", n.Line, n.Column)
}

func scalar(n *yaml.Node) (any, error) {
	tag := n.Tag
	if strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") {
		tag = "!!str" // a short-form tag's scalar argument
	}
	switch tag {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, fmt.Errorf("line %d, column %d: %w", n.Line, n.Column, err)
		}
		return b, nil
	case "!!int":
		v := strings.ReplaceAll(n.Value, "_", "")
		i, ok := new(big.Int).SetString(v, 0)
		if !ok {
			// yaml.v3 also tags 0o17 and similar forms !!int.
			u, err := strconv.ParseInt(strings.Replace(v, "0o", "0", 1), 0, 64)
			if err != nil {
				return nil, fmt.Errorf("line %d, column %d: bad integer %q", n.Line, n.Column, n.Value)
			}
			i = big.NewInt(u)
		}
		return json.Number(i.String()), nil
	case "!!float":
		f, err := strconv.ParseFloat(n.Value, 64)
		if err != nil {
			// .inf and .nan have no JSON form; keep them as strings.
			return n.Value, nil
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	}
	return n.Value, nil
}

// FixJSONEscapes replaces the JSON escape \/ (which YAML does not know)
// inside double-quoted strings with /, so a JSON document that
// encoding/json accepts also parses as YAML. Other bytes are unchanged. It
// is meant for JSON input only.
func FixJSONEscapes(data []byte) []byte {
	var out []byte
	in, esc := false, false
	for i, c := range data {
		switch {
		case esc:
			esc = false
			if c == '/' {
				if out == nil {
					out = append([]byte(nil), data[:i-1]...)
				} else {
					out = out[:len(out)-1]
				}
				out = append(out, c)
				continue
			}
		case in && c == '\\':
			esc = true
		case c == '"':
			in = !in
		}
		if out != nil {
			out = append(out, c)
		}
	}
	if out == nil {
		return data
	}
	return out
}
