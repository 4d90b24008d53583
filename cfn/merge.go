package cfn

import (
	"errors"
	"fmt"
	"os"

	"github.com/gochalice/gochalice/internal/cfnyaml"
)

// ReadMergeTemplate reads a --merge-template file: a JSON or YAML
// CloudFormation document whose top level is a mapping. YAML short-form
// intrinsics (!Ref, !GetAtt A.B, !Sub, !If, ...) are read into their long
// form.
func ReadMergeTemplate(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("merge template: %w", err)
	}
	tree, err := cfnyaml.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("merge template %s: %w", path, err)
	}
	m, ok := tree.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("merge template %s: the top level must be a mapping (Resources:, Outputs:, ...)", path)
	}
	return m, nil
}

// Merge sets the document that Marshal deep-merges into the generated
// template, the way `chalice package --merge-template` does: mappings merge
// key by key, recursively, and the document's value wins; lists and
// scalars replace the generated ones. A nil doc removes the merge.
func (t *Template) Merge(doc map[string]any) error {
	if t == nil || t.cfn == nil {
		return errors.New("cfn: nil template")
	}
	t.merge = doc
	return nil
}

// deepMerge merges src into dst and returns the result; src wins.
func deepMerge(dst, src any) any {
	dm, ok1 := dst.(map[string]any)
	sm, ok2 := src.(map[string]any)
	if !ok1 || !ok2 {
		return cloneTree(src)
	}
	for k, v := range sm {
		if cur, ok := dm[k]; ok {
			dm[k] = deepMerge(cur, v)
		} else {
			dm[k] = cloneTree(v)
		}
	}
	return dm
}

func cloneTree(x any) any {
	switch x := x.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, v := range x {
			m[k] = cloneTree(v)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, v := range x {
			s[i] = cloneTree(v)
		}
		return s
	}
	return x
}

// finish applies the merge document to the template tree and checks the
// references of the config's values against the result.
func (t *Template) finish(tree any) (any, error) {
	if t.merge != nil {
		tree = deepMerge(tree, t.merge)
	}
	m, _ := tree.(map[string]any)
	if err := checkRefs(m, t.refs); err != nil {
		return nil, err
	}
	return tree, nil
}
