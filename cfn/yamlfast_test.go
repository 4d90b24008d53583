package cfn

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// checkYAMLFast fails if writeYAMLFast writes root otherwise than yaml.v3,
// and reports whether it wrote it.
func checkYAMLFast(t *testing.T, root *yaml.Node) bool {
	t.Helper()
	want, err := writeYAMLv3(root)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := writeYAMLFast(root)
	if ok && !bytes.Equal(got, want) {
		t.Fatalf("writeYAMLFast differs from yaml.v3\n got:\n%s\nwant:\n%s", got, want)
	}
	return ok
}

// TestWriteYAMLFast compares the two writers on the trees of the cfn golden
// cases, of 1,000 routes, and of every golden template in the repository
// read back.
func TestWriteYAMLFast(t *testing.T) {
	trees := map[string]any{}
	for _, gc := range goldenCases() {
		tpl, err := Build(gc.m, gc.stage)
		if err != nil {
			t.Fatal(err)
		}
		if trees[gc.name], err = tpl.tree(); err != nil {
			t.Fatal(err)
		}
	}
	tpl, err := Build(manyRoutes(1000), devStage())
	if err != nil {
		t.Fatal(err)
	}
	if trees["1000 routes"], err = tpl.tree(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/*.yaml")
	more, _ := filepath.Glob("../golden/expected/*/*/template.yaml")
	for _, f := range append(files, more...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tree any
		if err := yaml.Unmarshal(data, &tree); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		// As Template.tree has it: numbers as json.Number.
		js, err := json.Marshal(tree)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(js))
		dec.UseNumber()
		if err := dec.Decode(&tree); err != nil {
			t.Fatal(err)
		}
		trees[f] = tree
	}
	if len(more) == 0 {
		t.Fatal("no golden templates found")
	}
	for name, tree := range trees {
		if !checkYAMLFast(t, orderedNode(tree, levelTop)) {
			t.Errorf("%s: writeYAMLFast declined", name)
		}
	}
}

func FuzzWriteYAMLFast(f *testing.F) {
	for _, s := range []string{"", "a", "yes", "0o17", "1_000", "- x", "a: b", "a #b", "x:", "é", "a\nb", "'q'", `"q"`, "${AWS::Region}", "<<", "~", ".5", "a\tb", "---", "a  b", " a", "a ", "\r", "a\u2028b", strings.Repeat("k", 129)} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, k, v string) {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return // a template tree comes from encoding/json: valid UTF-8
		}
		tree := map[string]any{
			"A": v,
			k:   []any{v, map[string]any{k: v, "E": map[string]any{}}, []any{k, []any{}}},
			"B": map[string]any{"C": []any{map[string]any{"D": k}}},
		}
		checkYAMLFast(t, orderedNode(tree, levelTop))
	})
}

// mayBeYAML11Implicit never skips a string the regexp matches.
func FuzzMayBeYAML11Implicit(f *testing.F) {
	for _, s := range []string{"", "y", "yes", "Yes", "no", "off", "null", "NULL", "nan", "on", "true", "tru", "0", "0o7", ".5", "<<", "~", "=", "2010-09-09", "Type"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if yaml11Implicit.MatchString(s) && !mayBeYAML11Implicit(s) {
			t.Errorf("mayBeYAML11Implicit(%q) = false, but the regexp matches", s)
		}
	})
}
