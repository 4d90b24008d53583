package iamgen

import (
	"cmp"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/gochalice/gochalice/cfn"
	"github.com/gochalice/gochalice/framework/manifest"
)

// access computes each manifest function's calls and uses.
func (a *analyzer) access(m *manifest.Manifest) *cfn.Access {
	roots := map[string][]*ssa.Function{}
	unknown := map[string]bool{}
	for _, r := range a.regs {
		fs, ok := a.handlerRoots(r.handlers[0])
		if r.name == "" {
			continue // a name that is not a constant: its function is not found below
		}
		roots[r.name] = append(roots[r.name], fs...)
		if !ok {
			unknown[r.name] = true
		}
	}
	declared := declaredNames(m)
	acc := &cfn.Access{Functions: map[string]*cfn.FunctionAccess{}}
	everything := func() ([]cfn.Call, []origin) {
		calls, uses := a.reach(a.bodies) // every function with a body
		return calls, uses
	}
	for _, fn := range m.Functions {
		fa := &cfn.FunctionAccess{Complete: true}
		var calls []cfn.Call
		var uses []origin
		rs, found := roots[fn.Name]
		if !found || unknown[fn.Name] {
			fa.Complete = false
			calls, uses = everything()
		} else {
			calls, uses = a.reach(rs)
		}
		fa.Calls = normaliseCalls(calls, declared)
		fa.Uses = normaliseUses(uses, declared)
		if !fa.Complete {
			fa.Uses = nil
			for _, kind := range slices.Sorted(mapsKeys(declared)) {
				for _, name := range declared[kind] {
					fa.Uses = append(fa.Uses, cfn.Target{Kind: kind, Name: name, Declared: true})
				}
			}
		}
		acc.Functions[fn.Name] = fa
	}
	return acc
}

// declaredNames lists the declared resources by kind.
func declaredNames(m *manifest.Manifest) map[string][]string {
	d := map[string][]string{}
	for _, t := range m.Tables {
		d[manifest.ResourceTable] = append(d[manifest.ResourceTable], t.Name)
	}
	for _, q := range m.Queues {
		d[manifest.ResourceQueue] = append(d[manifest.ResourceQueue], q.Name)
	}
	for _, t := range m.Topics {
		d[manifest.ResourceTopic] = append(d[manifest.ResourceTopic], t.Name)
	}
	for _, b := range m.Buckets {
		d[manifest.ResourceBucket] = append(d[manifest.ResourceBucket], b.Name)
	}
	for _, p := range m.UserPools {
		d[manifest.ResourceUserPool] = append(d[manifest.ResourceUserPool], p.Name)
	}
	return d
}

// expand replaces a declared target whose name the analysis could not
// tell ("") with every declared resource of its kind.
func expand(ts []cfn.Target, declared map[string][]string) []cfn.Target {
	var out []cfn.Target
	for _, t := range ts {
		if t.Declared && t.Name == "" {
			for _, name := range declared[t.Kind] {
				out = append(out, cfn.Target{Kind: t.Kind, Name: name, Declared: true, Attr: t.Attr})
			}
			continue
		}
		out = append(out, t)
	}
	slices.SortFunc(out, compareTargets)
	return slices.Compact(out)
}

func compareTargets(x, y cfn.Target) int {
	return cmp.Or(cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.Name, y.Name), boolCmp(x.Declared, y.Declared), cmp.Compare(x.Attr, y.Attr))
}

func boolCmp(x, y bool) int {
	switch {
	case x == y:
		return 0
	case !x:
		return -1
	}
	return 1
}

// normaliseCalls sorts and de-duplicates calls, expanding unresolved
// handles.
func normaliseCalls(calls []cfn.Call, declared map[string][]string) []cfn.Call {
	out := make([]cfn.Call, 0, len(calls))
	for _, c := range calls {
		had := len(c.Targets) > 0
		c.Targets = expand(c.Targets, declared)
		if had && len(c.Targets) == 0 {
			c.Targets = nil
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(x, y cfn.Call) int {
		return cmp.Or(cmp.Compare(x.Site, y.Site), cmp.Compare(x.Service, y.Service), cmp.Compare(x.Op, y.Op))
	})
	return slices.CompactFunc(out, func(x, y cfn.Call) bool {
		return x.Site == y.Site && x.Service == y.Service && x.Op == y.Op &&
			slices.Equal(x.Targets, y.Targets) && x.Index == y.Index && strings.Join(x.Actions, ",") == strings.Join(y.Actions, ",")
	})
}

func normaliseUses(uses []origin, declared map[string][]string) []cfn.Target {
	var ts []cfn.Target
	for _, u := range uses {
		ts = append(ts, cfn.Target{Kind: u.resource, Name: u.value, Declared: true, Attr: u.attr})
	}
	return expand(ts, declared)
}
