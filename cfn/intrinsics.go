package cfn

import "fmt"

// Intrinsic functions are built as plain maps, which encoding/json writes in
// CloudFormation's long form ({"Ref": ...}, {"Fn::GetAtt": [...]},
// {"Fn::Sub": ...}) and which the writer keeps as they are. goformation's own
// helpers (cloudformation.Ref, GetAtt, Sub) return base64-encoded strings that
// only its resolving Template.JSON() decodes, so they are not used here.

func ref(logicalID string) map[string]any { return map[string]any{"Ref": logicalID} }

func getAtt(logicalID, attr string) map[string]any {
	return map[string]any{"Fn::GetAtt": []any{logicalID, attr}}
}

func sub(format string) map[string]any { return map[string]any{"Fn::Sub": format} }

// Some goformation fields that CloudFormation allows to hold an intrinsic are
// typed string or *string (Function.Role, Permission.FunctionName, ...). Such
// a field gets a placeholder from intrinsics.placeholder; Marshal swaps every
// placeholder for its intrinsic after encoding/json has run. Placeholders are
// numbered per template and each is used exactly once, so a user string that
// happened to equal one is detected instead of being replaced.
type intrinsics struct {
	values []any
}

// placeholderFormat contains NUL bytes, which no identifier, ARN or name that
// a template holds can contain.
const placeholderFormat = "\x00gochalice-intrinsic-%d\x00"

// placeholder returns a string standing for the intrinsic v.
func (in *intrinsics) placeholder(v any) string {
	in.values = append(in.values, v)
	return fmt.Sprintf(placeholderFormat, len(in.values)-1)
}

// placeholderPtr is placeholder for *string fields.
func (in *intrinsics) placeholderPtr(v any) *string {
	s := in.placeholder(v)
	return &s
}

// resolve replaces the placeholders in a tree decoded from JSON (maps, slices
// and scalars) and reports an error unless each one was found exactly once.
func (in *intrinsics) resolve(tree any) (any, error) {
	lookup := make(map[string]int, len(in.values))
	for i := range in.values {
		lookup[fmt.Sprintf(placeholderFormat, i)] = i
	}
	seen := make([]int, len(in.values))
	var walk func(v any) any
	walk = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				v[k] = walk(e)
			}
		case []any:
			for i, e := range v {
				v[i] = walk(e)
			}
		case string:
			if i, ok := lookup[v]; ok {
				seen[i]++
				return in.values[i]
			}
		}
		return v
	}
	tree = walk(tree)
	for i, n := range seen {
		if n != 1 {
			return nil, fmt.Errorf("cfn: internal error: intrinsic placeholder %d found %d times in the template", i, n)
		}
	}
	return tree, nil
}
