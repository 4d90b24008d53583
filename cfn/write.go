package cfn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Marshal writes the template as "yaml" (the default, also chosen by "") or
// "json". Both have the same key order: the top-level sections in
// CloudFormation's conventional order, Type, Condition, DependsOn and
// Properties first in a resource, every other mapping sorted by key. YAML is
// indented by two spaces, has no anchors or aliases and quotes every string
// that a YAML 1.1 or 1.2 reader could take for another type; JSON is
// indented by two spaces and ends with a newline. The output is
// byte-deterministic.
func Marshal(t *Template, format string) ([]byte, error) {
	if t == nil || t.cfn == nil {
		return nil, errors.New("cfn: nil template")
	}
	var write func(*yaml.Node) ([]byte, error)
	switch format {
	case "", "yaml":
		write = writeYAML
	case "json":
		write = writeJSON
	default:
		return nil, fmt.Errorf("cfn: unknown template format %q (want yaml or json)", format)
	}
	tree, err := t.tree()
	if err != nil {
		return nil, err
	}
	return write(orderedNode(tree, levelTop))
}

// level says where in the template a mapping is, which decides its key order.
type level int

const (
	levelTop       level = iota // the template itself
	levelResources              // the Resources section
	levelResource               // one resource
	levelOther                  // anything else: keys sorted
)

var (
	topOrder      = []string{"AWSTemplateFormatVersion", "Transform", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Globals", "Resources", "Outputs"}
	resourceOrder = []string{"Type", "Condition", "DependsOn", "Properties"}
)

func (l level) child(key string) level {
	switch {
	case l == levelTop && key == "Resources":
		return levelResources
	case l == levelResources:
		return levelResource
	}
	return levelOther
}

// orderKeys returns the keys of m: those in first in that order, then the
// rest sorted.
func orderKeys(m map[string]any, first []string) []string {
	keys := make([]string, 0, len(m))
	for _, k := range first {
		if _, ok := m[k]; ok {
			keys = append(keys, k)
		}
	}
	var rest []string
	for k := range m {
		if !slices.Contains(first, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(keys, rest...)
}

// orderedNode converts a generic tree into a yaml.Node tree with the
// template's key order. Every scalar gets an explicit tag, so the YAML
// encoder quotes a string that would otherwise read as another type.
func orderedNode(v any, l level) *yaml.Node {
	switch v := v.(type) {
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		var first []string
		switch l {
		case levelTop:
			first = topOrder
		case levelResource:
			first = resourceOrder
		}
		for _, k := range orderKeys(v, first) {
			n.Content = append(n.Content, stringNode(k), orderedNode(v[k], l.child(k)))
		}
		if len(n.Content) == 0 {
			n.Style = yaml.FlowStyle
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, e := range v {
			n.Content = append(n.Content, orderedNode(e, levelOther))
		}
		if len(n.Content) == 0 {
			n.Style = yaml.FlowStyle
		}
		return n
	case string:
		return stringNode(v)
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(v.String(), ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v.String()}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(v)}
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	}
	// The tree comes from encoding/json, which yields only the types above.
	panic(fmt.Sprintf("cfn: unexpected %T in template tree", v))
}

// stringNode is a string scalar. yaml.v3 quotes a !!str scalar that its own
// YAML 1.2 resolver would read as another type ("2010-09-09", "200", "1.0",
// "true", ""); strings that only YAML 1.1 readers (PyYAML in cfn-lint, the
// SAM CLI) take for something else ("yes", "off", "0777", "1:30", "<<") are
// double-quoted here.
func stringNode(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if mayBeYAML11Implicit(s) && yaml11Implicit.MatchString(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// yaml11Implicit matches the plain scalars that a YAML 1.1 reader resolves to
// a type other than string: PyYAML's implicit resolvers for bool, float, int,
// merge, null, timestamp and value, plus the spec's y/n booleans.
var yaml11Implicit = regexp.MustCompile(`^(?:` + strings.Join([]string{
	`y|Y|n|N|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF`,
	`[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)`,
	`[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+`,
	`<<`,
	`~|null|Null|NULL|`,
	`[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?`,
	`=`,
}, "|") + `)$`)

// mayBeYAML11Implicit reports whether yaml11Implicit can match s: every
// alternative starts with one of these bytes, or is the empty string. Most
// strings of a template (types, names, paths, ARNs) skip the regexp.
func mayBeYAML11Implicit(s string) bool {
	if s == "" {
		return true
	}
	if strings.IndexByte("yYnNtTfFoO", s[0]) >= 0 {
		// The alternatives that start with a letter are these words.
		switch s {
		case "y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE",
			"false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL":
			return true
		}
		return false
	}
	return strings.IndexByte("-+.0123456789<~=", s[0]) >= 0
}

// writeYAML encodes a node tree as a YAML document indented by two spaces.
func writeYAML(root *yaml.Node) ([]byte, error) {
	if out, ok := writeYAMLFast(root); ok {
		return out, nil
	}
	return writeYAMLv3(root)
}

// writeYAMLv3 is writeYAML by yaml.v3's encoder alone.
func writeYAMLv3(root *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return nil, fmt.Errorf("cfn: writing YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("cfn: writing YAML: %w", err)
	}
	return buf.Bytes(), nil
}

// writeJSON encodes a node tree built by orderedNode as JSON indented by two
// spaces, keeping its key order, with a trailing newline.
func writeJSON(root *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	if err := appendJSON(&buf, root, ""); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func appendJSON(buf *bytes.Buffer, n *yaml.Node, indent string) error {
	const step = "  "
	switch n.Kind {
	case yaml.MappingNode, yaml.SequenceNode:
		open, closing, stride := byte('{'), byte('}'), 2
		if n.Kind == yaml.SequenceNode {
			open, closing, stride = '[', ']', 1
		}
		buf.WriteByte(open)
		for i := 0; i < len(n.Content); i += stride {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString("\n" + indent + step)
			if stride == 2 {
				if err := appendJSONString(buf, n.Content[i].Value); err != nil {
					return err
				}
				buf.WriteString(": ")
			}
			if err := appendJSON(buf, n.Content[i+stride-1], indent+step); err != nil {
				return err
			}
		}
		if len(n.Content) > 0 {
			buf.WriteString("\n" + indent)
		}
		buf.WriteByte(closing)
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!str":
			return appendJSONString(buf, n.Value)
		case "!!int", "!!float", "!!bool", "!!null":
			buf.WriteString(n.Value)
		default:
			return fmt.Errorf("cfn: writing JSON: unexpected scalar tag %q", n.Tag)
		}
	default:
		return fmt.Errorf("cfn: writing JSON: unexpected node kind %d", n.Kind)
	}
	return nil
}

// appendJSONString writes s as a JSON string without HTML escaping, so
// "<", ">" and "&" stay readable.
func appendJSONString(buf *bytes.Buffer, s string) error {
	if plainJSONString(s) {
		buf.WriteByte('"')
		buf.WriteString(s)
		buf.WriteByte('"')
		return nil
	}
	var tmp bytes.Buffer
	enc := json.NewEncoder(&tmp)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return fmt.Errorf("cfn: writing JSON: %w", err)
	}
	buf.Write(bytes.TrimSuffix(tmp.Bytes(), []byte("\n")))
	return nil
}

// plainJSONString reports whether encoding/json writes s as it is between
// quotes: printable ASCII without '"' or '\\', as most strings of a
// template are.
func plainJSONString(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
