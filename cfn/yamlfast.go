package cfn

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// writeYAMLFast writes the node tree of orderedNode exactly as writeYAMLv3
// (yaml.v3, two-space indent, no line wrapping) does, about ten times
// faster: it lays out the block mappings and sequences itself and writes
// the common scalars (strings yaml.v3 writes plain) directly. Any other
// scalar is rendered by yaml.v3 on its own, which writes it the same way in
// place as long as it fits on one line. It returns false when the tree has
// something it does not lay out (a scalar yaml.v3 writes on several lines, a
// key yaml.v3 writes as a complex key): writeYAML then uses yaml.v3 for the
// whole document. TestWriteYAMLFast and FuzzWriteYAMLFast hold the two to
// the same bytes.
func writeYAMLFast(root *yaml.Node) ([]byte, bool) {
	w := &yamlWriter{buf: make([]byte, 0, 64<<10)}
	switch {
	case root.Kind == yaml.MappingNode && len(root.Content) > 0:
		w.mapping(root, 0, false)
	default:
		return nil, false
	}
	return w.buf, !w.failed
}

type yamlWriter struct {
	buf    []byte
	failed bool
	// rendered caches yaml.v3's rendering of the scalars it writes: a
	// template repeats them ("200", "#/definitions/Empty" in every path).
	rendered map[renderKey]string
}

type renderKey struct {
	tag   string
	style yaml.Style
	value string
}

func (w *yamlWriter) indent(n int) {
	for range n {
		w.buf = append(w.buf, ' ')
	}
}

// mapping writes a non-empty block mapping whose keys start at column col;
// with inline, the first key continues the current line (after "- ").
func (w *yamlWriter) mapping(n *yaml.Node, col int, inline bool) {
	for i := 0; i+1 < len(n.Content) && !w.failed; i += 2 {
		if i > 0 || !inline {
			w.indent(col)
		}
		key := n.Content[i]
		k, ok := w.scalar(key)
		if !ok || key.Kind != yaml.ScalarNode || !simpleKey(key.Value) {
			w.failed = true // yaml.v3 writes it as a complex key ("? ")
			return
		}
		w.buf = append(w.buf, k...)
		w.buf = append(w.buf, ':')
		w.value(n.Content[i+1], col)
	}
}

// value writes a mapping value after "key:", the key at column col.
func (w *yamlWriter) value(v *yaml.Node, col int) {
	switch {
	case v.Kind == yaml.MappingNode && len(v.Content) > 0:
		w.buf = append(w.buf, '\n')
		w.mapping(v, col+2, false)
	case v.Kind == yaml.SequenceNode && len(v.Content) > 0:
		w.buf = append(w.buf, '\n')
		w.sequence(v, col+2, false)
	default:
		w.buf = append(w.buf, ' ')
		w.leaf(v)
		w.buf = append(w.buf, '\n')
	}
}

// sequence writes a non-empty block sequence whose dashes are at column
// col; with inline, the first dash continues the current line.
func (w *yamlWriter) sequence(n *yaml.Node, col int, inline bool) {
	for i, e := range n.Content {
		if w.failed {
			return
		}
		if i > 0 || !inline {
			w.indent(col)
		}
		w.buf = append(w.buf, '-', ' ')
		switch {
		case e.Kind == yaml.MappingNode && len(e.Content) > 0:
			w.mapping(e, col+2, true)
		case e.Kind == yaml.SequenceNode && len(e.Content) > 0:
			w.sequence(e, col+2, true)
		default:
			w.leaf(e)
			w.buf = append(w.buf, '\n')
		}
	}
}

// leaf writes a scalar or an empty flow collection.
func (w *yamlWriter) leaf(n *yaml.Node) {
	switch n.Kind {
	case yaml.MappingNode:
		w.buf = append(w.buf, "{}"...)
	case yaml.SequenceNode:
		w.buf = append(w.buf, "[]"...)
	case yaml.ScalarNode:
		s, ok := w.scalar(n)
		if !ok {
			w.failed = true
			return
		}
		w.buf = append(w.buf, s...)
	default:
		w.failed = true
	}
}

// scalar returns how yaml.v3 writes a scalar, if on one line.
func (w *yamlWriter) scalar(n *yaml.Node) (string, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && n.Style == 0 && plainString(n.Value) {
		return n.Value, true
	}
	key := renderKey{n.Tag, n.Style, n.Value}
	if s, ok := w.rendered[key]; ok {
		return s, true
	}
	out, err := yaml.Marshal(n)
	if err != nil {
		return "", false
	}
	s := strings.TrimSuffix(string(out), "\n")
	if s == "" || s[0] == '|' || s[0] == '>' || strings.Contains(s, "\n") {
		return "", false // a block scalar: its indentation depends on the place
	}
	if w.rendered == nil {
		w.rendered = map[renderKey]string{}
	}
	w.rendered[key] = s
	return s, true
}

// simpleKey reports whether yaml.v3 writes a key with this value as a
// simple key: at most 128 bytes, no line break.
func simpleKey(v string) bool {
	return len(v) <= 128 && !strings.ContainsAny(v, "\r\n\u0085\u2028\u2029")
}

// plainString reports whether yaml.v3 certainly writes s as a plain
// scalar, in block context and as a simple key: printable ASCII, no
// indicator first, no ": " or " #", no leading or trailing space, a trailing
// ':' or anything its resolver reads as another type. It may say no to
// strings yaml.v3 also writes plain (those go through yaml.v3).
func plainString(s string) bool {
	if s == "" || s[len(s)-1] == ' ' || s[len(s)-1] == ':' {
		return false
	}
	switch s[0] {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ',
		'+', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9': // numbers, .inf, .nan
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			return false
		}
		if c == ' ' && i+1 < len(s) && s[i+1] == '#' || c == ':' && i+1 < len(s) && s[i+1] == ' ' {
			return false
		}
	}
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE", "~", "null", "Null", "NULL", "<<":
		return false
	}
	return true
}
