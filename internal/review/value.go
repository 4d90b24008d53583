package review

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// mapOf returns v as a mapping, or nil.
func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// listOf returns v as a list: a list as is, nil as nil, anything else as a
// list of one.
func listOf(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	}
	return []any{v}
}

// get walks a path of mapping keys.
func get(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// isIntrinsic reports whether m is an intrinsic function (Ref, Fn::*,
// Condition).
func isIntrinsic(m map[string]any) bool {
	if len(m) != 1 {
		return false
	}
	for k := range m {
		return k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::")
	}
	return false
}

// norm turns scalars into their string form, so values CloudFormation
// treats alike (128 and "128", true and "true") compare equal whether a
// template was written in YAML or JSON.
func norm(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = norm(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = norm(e)
		}
		return out
	case nil:
		return nil
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return fmt.Sprint(v)
}

// canon is the canonical form of v: equal values have equal forms.
func canon(v any) string {
	b, err := json.Marshal(norm(v))
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func equal(a, b any) bool { return canon(a) == canon(b) }

// maxShow is the longest value show prints in full.
const maxShow = 100

// show renders v for a reader: scalars as they are, intrinsics in their
// short form (!Ref X, !GetAtt X.Arn, !Sub '...'), anything else as compact
// JSON, cut at maxShow characters. A missing value is "none".
func show(v any) string {
	s := render(v)
	if r := []rune(s); len(r) > maxShow {
		s = string(r[:maxShow-1]) + "…"
	}
	return s
}

func render(v any) string {
	switch v := v.(type) {
	case nil:
		return "none"
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return fmt.Sprint(v)
	case map[string]any:
		if isIntrinsic(v) {
			for k, arg := range v {
				switch k {
				case "Ref":
					return "!Ref " + render(arg)
				case "Fn::GetAtt":
					if l, ok := arg.([]any); ok && len(l) == 2 {
						return "!GetAtt " + render(l[0]) + "." + render(l[1])
					}
				case "Fn::Sub":
					if s, ok := arg.(string); ok {
						return "!Sub " + s
					}
				}
				return "!" + strings.TrimPrefix(k, "Fn::") + " " + compact(arg)
			}
		}
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = render(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return compact(v)
}

func compact(v any) string {
	b, err := json.Marshal(norm(v))
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// scalar returns v's string form when it is a scalar or an intrinsic.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case string, json.Number, bool:
		return render(v), true
	case map[string]any:
		if isIntrinsic(v) {
			return render(v), true
		}
	}
	return "", false
}

// strs returns the string forms of a list (or of one value), sorted and
// without duplicates.
func strs(v any) []string {
	var out []string
	for _, e := range listOf(v) {
		out = append(out, render(e))
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// setDiff returns what is in b and not in a, and what is in a and not in b.
func setDiff(a, b []string) (added, removed []string) {
	for _, s := range b {
		if !slices.Contains(a, s) {
			added = append(added, s)
		}
	}
	for _, s := range a {
		if !slices.Contains(b, s) {
			removed = append(removed, s)
		}
	}
	return added, removed
}

// refTarget returns the logical ID a value points at: !Ref X, !GetAtt X.Y
// or a !Sub whose whole text is ${X} or ${X.Y}.
func refTarget(v any) string {
	m := mapOf(v)
	if !isIntrinsic(m) {
		return ""
	}
	switch {
	case m["Ref"] != nil:
		s, _ := m["Ref"].(string)
		return s
	case m["Fn::GetAtt"] != nil:
		switch a := m["Fn::GetAtt"].(type) {
		case []any:
			if len(a) > 0 {
				s, _ := a[0].(string)
				return s
			}
		case string:
			s, _, _ := strings.Cut(a, ".")
			return s
		}
	case m["Fn::Sub"] != nil:
		if s, ok := m["Fn::Sub"].(string); ok && strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}") && strings.Count(s, "${") == 1 {
			id, _, _ := strings.Cut(s[2:len(s)-1], ".")
			return id
		}
	}
	return ""
}

// path is a location inside a resource or section: mapping keys.
type path []string

func (p path) String() string { return strings.Join(p, ".") }

// under reports whether p is prefix or lies under prefix.
func (p path) under(prefix path) bool {
	return len(p) >= len(prefix) && slices.Equal(p[:len(prefix)], prefix)
}

// leafDiff lists the paths where a and b differ: mappings are walked, any
// other value (lists included) is a leaf.
func leafDiff(a, b any, at path) []path {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	// A missing mapping compares as an empty one, so additions are
	// reported key by key.
	if a == nil && bok && !isIntrinsic(bm) {
		am, aok = map[string]any{}, true
	}
	if b == nil && aok && !isIntrinsic(am) {
		bm, bok = map[string]any{}, true
	}
	if aok && bok && !isIntrinsic(am) && !isIntrinsic(bm) {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		var out []path
		for _, k := range sorted {
			out = append(out, leafDiff(am[k], bm[k], append(slices.Clip(at), k))...)
		}
		return out
	}
	if equal(a, b) {
		return nil
	}
	return []path{slices.Clone(at)}
}
