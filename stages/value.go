package stages

import (
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Value is a string setting of the config that may also be a CloudFormation
// intrinsic function: an environment variable, a tag, a layer ARN, the role
// ARN, a subnet or security group id. A literal is written to the template
// as a string; an intrinsic ({"Ref": "Param"}, {"Fn::Sub": "..."},
// {"Fn::ImportValue": "..."}, {"Fn::GetAtt": [...]}, ...) is written as it
// is, never resolved.
type Value struct {
	// Literal is the string, when Intrinsic is nil.
	Literal string
	// Intrinsic is the intrinsic function in long form (one key, e.g.
	// "Ref"), nil for a literal.
	Intrinsic map[string]any
	// Where says where the value was set, "file:line:col: path", for error
	// messages; "" when it did not come from a config file.
	Where string
}

// Lit returns the literal value s.
func Lit(s string) Value { return Value{Literal: s} }

// IsIntrinsic reports whether v is an intrinsic function.
func (v Value) IsIntrinsic() bool { return v.Intrinsic != nil }

// IsZero reports whether v is the empty literal.
func (v Value) IsZero() bool { return v.Intrinsic == nil && v.Literal == "" }

// Any returns what the template holds: the literal string or a copy of the
// intrinsic map.
func (v Value) Any() any {
	if v.Intrinsic == nil {
		return v.Literal
	}
	return deepCopy(v.Intrinsic)
}

// Equal reports whether v and w stand for the same template value.
func (v Value) Equal(w Value) bool {
	if (v.Intrinsic == nil) != (w.Intrinsic == nil) {
		return false
	}
	if v.Intrinsic == nil {
		return v.Literal == w.Literal
	}
	return deepEqual(v.Intrinsic, w.Intrinsic)
}

// intrinsicNames are the intrinsic functions a config value may be.
var intrinsicNames = []string{
	"Ref", "Fn::Sub", "Fn::ImportValue", "Fn::GetAtt", "Fn::Join", "Fn::Select",
	"Fn::If", "Fn::FindInMap", "Fn::Base64", "Fn::Split", "Fn::GetAZs",
}

// subVar matches a ${Name} or ${Name.Attr} variable of Fn::Sub; ${!Literal}
// is an escape and does not match.
var subVar = regexp.MustCompile(`\$\{([^!}][^}]*)\}`)

// Refs returns the logical IDs and parameter names v refers to: the target
// of each Ref, the resource of each Fn::GetAtt and the variables of each
// Fn::Sub string that are not defined in its variable map. Pseudo
// parameters (AWS::Region, ...) are left out.
func (v Value) Refs() []string {
	var out []string
	add := func(name string) {
		if name != "" && !strings.HasPrefix(name, "AWS::") && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	var walk func(x any, local []string)
	walk = func(x any, local []string) {
		switch x := x.(type) {
		case map[string]any:
			if len(x) == 1 {
				for k, arg := range x {
					switch k {
					case "Ref":
						if s, ok := arg.(string); ok {
							if !slices.Contains(local, s) {
								add(s)
							}
							return
						}
					case "Fn::GetAtt":
						switch a := arg.(type) {
						case []any:
							if len(a) > 0 {
								if s, ok := a[0].(string); ok {
									add(s)
								}
							}
							for _, e := range a[min(1, len(a)):] {
								walk(e, local)
							}
							return
						case string:
							add(strings.SplitN(a, ".", 2)[0])
							return
						}
					case "Fn::Sub":
						format, vars := arg, map[string]any(nil)
						if a, ok := arg.([]any); ok && len(a) == 2 {
							format = a[0]
							vars, _ = a[1].(map[string]any)
						}
						inner := slices.Concat(local, slices.Collect(maps.Keys(vars)))
						if s, ok := format.(string); ok {
							for _, m := range subVar.FindAllStringSubmatch(s, -1) {
								name := strings.SplitN(strings.TrimSpace(m[1]), ".", 2)[0]
								if !slices.Contains(inner, name) {
									add(name)
								}
							}
						}
						for _, e := range vars {
							walk(e, local)
						}
						return
					}
				}
			}
			for _, k := range slices.Sorted(maps.Keys(x)) {
				walk(x[k], local)
			}
		case []any:
			for _, e := range x {
				walk(e, local)
			}
		}
	}
	walk(v.Intrinsic, nil)
	return out
}

func deepCopy(x any) any {
	switch x := x.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, v := range x {
			m[k] = deepCopy(v)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, v := range x {
			s[i] = deepCopy(v)
		}
		return s
	}
	return x
}

func deepEqual(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, v := range a {
			w, ok := bm[k]
			if !ok || !deepEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		bs, ok := b.([]any)
		if !ok || len(a) != len(bs) {
			return false
		}
		for i := range a {
			if !deepEqual(a[i], bs[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}
