package review

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/gochalice/gochalice/internal/cfnyaml"
)

// Template is one side of a review: a SAM or CloudFormation template read
// into a generic tree, with SAM's Globals applied to the resources they
// cover and local AWS::Include files read in.
type Template struct {
	// Name is how the review names this side (the path it was read from).
	Name string
	// Parameters, Outputs and Resources are the template's sections.
	Parameters map[string]any
	Outputs    map[string]any
	Resources  map[string]*Resource
	// Other holds the remaining top-level sections (Conditions, Mappings,
	// Description, ...), without Globals (applied to the resources).
	Other map[string]any
	// globals is SAM's Globals section, for SAM's implicit APIs.
	globals map[string]any
}

// Resource is one entry of a template's Resources.
type Resource struct {
	ID    string
	Type  string
	Props map[string]any
	// Raw is the whole entry (Type, Properties, DeletionPolicy, ...).
	Raw map[string]any
}

// templateNames are the names a template has in an out/<stage>/ directory.
var templateNames = []string{"template.yaml", "template.yml", "template.json"}

// Load reads a template file, or the template of an out/<stage>/
// directory.
func Load(path string) (*Template, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	file := path
	if st.IsDir() {
		var found []string
		for _, n := range templateNames {
			if _, err := os.Stat(filepath.Join(path, n)); err == nil {
				found = append(found, n)
			}
		}
		switch len(found) {
		case 0:
			return nil, fmt.Errorf("%s: no %s in the directory", path, strings.Join(templateNames, ", "))
		case 1:
			file = filepath.Join(path, found[0])
		default:
			return nil, fmt.Errorf("%s: the directory holds %s: name the one to review", path, strings.Join(found, " and "))
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return parse(file, filepath.Dir(file), data)
}

// Parse reads a template from data (JSON or YAML); name is used in errors
// and in the review. AWS::Include locations are not read.
func Parse(name string, data []byte) (*Template, error) {
	return parse(name, "", data)
}

func parse(name, dir string, data []byte) (*Template, error) {
	tree, err := cfnyaml.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	root, ok := tree.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: not a CloudFormation template: the document is not a mapping", name)
	}
	res, ok := root["Resources"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: not a CloudFormation template: no Resources mapping", name)
	}
	t := &Template{
		Name:       name,
		Parameters: mapOf(root["Parameters"]),
		Outputs:    mapOf(root["Outputs"]),
		Resources:  make(map[string]*Resource, len(res)),
		Other:      map[string]any{},
	}
	for k, v := range root {
		switch k {
		case "Parameters", "Outputs", "Resources", "Globals":
		default:
			t.Other[k] = v
		}
	}
	globals := mapOf(root["Globals"])
	t.globals = globals
	for id, v := range res {
		raw, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: resource %s is not a mapping", name, id)
		}
		typ, _ := raw["Type"].(string)
		if typ == "" {
			return nil, fmt.Errorf("%s: resource %s has no Type", name, id)
		}
		props := mapOf(raw["Properties"])
		if g, ok := globals[globalsSection[typ]].(map[string]any); ok {
			props = mergeGlobals(g, props)
		}
		if dir != "" {
			p, err := readIncludes(dir, props)
			if err != nil {
				return nil, fmt.Errorf("%s: resource %s: %w", name, id, err)
			}
			props = p.(map[string]any)
			if props, err = readDefinitionURI(dir, typ, props); err != nil {
				return nil, fmt.Errorf("%s: resource %s: %w", name, id, err)
			}
		}
		r := &Resource{ID: id, Type: typ, Props: props, Raw: map[string]any{}}
		for k, v := range raw {
			r.Raw[k] = v
		}
		r.Raw["Properties"] = props
		t.Resources[id] = r
	}
	return t, nil
}

// globalsSection maps a SAM resource type to its section of Globals.
var globalsSection = map[string]string{
	"AWS::Serverless::Function":     "Function",
	"AWS::Serverless::Api":          "Api",
	"AWS::Serverless::HttpApi":      "HttpApi",
	"AWS::Serverless::SimpleTable":  "SimpleTable",
	"AWS::Serverless::StateMachine": "StateMachine",
	"AWS::Serverless::LayerVersion": "LayerVersion",
}

// mergeGlobals applies SAM's rules: the resource's scalars win, mappings
// merge (recursively), lists are the global entries followed by the
// resource's.
func mergeGlobals(global, props map[string]any) map[string]any {
	out := make(map[string]any, len(global)+len(props))
	for k, v := range global {
		out[k] = v
	}
	for k, v := range props {
		g, ok := out[k]
		if !ok {
			out[k] = v
			continue
		}
		gm, gok := g.(map[string]any)
		pm, pok := v.(map[string]any)
		gl, glok := g.([]any)
		pl, plok := v.([]any)
		switch {
		case gok && pok && !isIntrinsic(gm) && !isIntrinsic(pm):
			out[k] = mergeGlobals(gm, pm)
		case glok && plok:
			out[k] = append(append([]any{}, gl...), pl...)
		default:
			out[k] = v
		}
	}
	return out
}

// readIncludes replaces each Fn::Transform AWS::Include with a local
// Location (not s3://) by the content of that file, relative to dir.
func readIncludes(dir string, v any) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		if loc, ok := includeLocation(v); ok {
			if strings.Contains(loc, "://") {
				return v, nil
			}
			path := loc
			if !filepath.IsAbs(path) {
				path = filepath.Join(dir, path)
			}
			data, err := os.ReadFile(path)
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("AWS::Include: %w", err)
			} else if err != nil {
				return nil, err
			}
			tree, err := cfnyaml.Parse(data)
			if err != nil {
				return nil, fmt.Errorf("AWS::Include %s: %w", path, err)
			}
			return tree, nil
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			r, err := readIncludes(dir, e)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			r, err := readIncludes(dir, e)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return v, nil
}

// readDefinitionURI reads the local OpenAPI file an API's DefinitionUri
// names (before sam package uploads it) in place of a DefinitionBody, so
// its routes are reviewed.
func readDefinitionURI(dir, typ string, props map[string]any) (map[string]any, error) {
	if typ != "AWS::Serverless::Api" && typ != "AWS::Serverless::HttpApi" {
		return props, nil
	}
	uri, ok := props["DefinitionUri"].(string)
	if !ok || props["DefinitionBody"] != nil || strings.Contains(uri, "://") {
		return props, nil
	}
	path := uri
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("DefinitionUri: %w", err)
	}
	tree, err := cfnyaml.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("DefinitionUri %s: %w", path, err)
	}
	out := make(map[string]any, len(props)+1)
	for k, v := range props {
		out[k] = v
	}
	out["DefinitionBody"] = tree
	return out, nil
}

func includeLocation(m map[string]any) (string, bool) {
	if len(m) != 1 {
		return "", false
	}
	tr, ok := m["Fn::Transform"].(map[string]any)
	if !ok || tr["Name"] != "AWS::Include" {
		return "", false
	}
	loc, ok := mapOf(tr["Parameters"])["Location"].(string)
	return loc, ok
}

// ids returns the sorted logical IDs of the resources of the given types
// (all resources when types is empty).
func (t *Template) ids(types ...string) []string {
	var out []string
	for id, r := range t.Resources {
		if len(types) == 0 || slices.Contains(types, r.Type) {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}
