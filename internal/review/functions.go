package review

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

var functionTypes = []string{"AWS::Serverless::Function", "AWS::Lambda::Function"}

// setting is one function property the review describes by name.
type setting struct {
	at    path // inside Properties
	label string
	unit  string
	level Level
}

var functionSettings = []setting{
	{path{"MemorySize"}, "memory", " MB", Info},
	{path{"Timeout"}, "timeout", " s", Info},
	{path{"Runtime"}, "runtime", "", Review},
	{path{"Handler"}, "handler", "", Review},
	{path{"Architectures"}, "architecture", "", Review},
	{path{"ReservedConcurrentExecutions"}, "reserved concurrency", "", Review},
	{path{"ProvisionedConcurrencyConfig"}, "provisioned concurrency", "", Info},
	{path{"Tracing"}, "tracing", "", Info},
	{path{"TracingConfig", "Mode"}, "tracing", "", Info},
	{path{"Role"}, "role", "", Review},
	{path{"CodeUri"}, "code", "", Info},
	{path{"Code"}, "code", "", Info},
}

// functions reports functions added and removed and the changes of their
// settings, layers, VPC and environment variable names.
func (c *comparison) functions() {
	for _, id := range c.unionIDs(functionTypes...) {
		o, n := c.pair(id)
		switch {
		case o == nil:
			c.claimed[id] = true
			c.add(Functions, Info, "function "+id, "added (%s)", functionSummary(n))
		case n == nil:
			c.claimed[id] = true
			c.add(Functions, Review, "function "+id, "removed")
		case o.Type == n.Type:
			c.functionChanged(o, n)
		}
	}
}

// summarySettings are the settings an added function is summarized by.
var summarySettings = []string{"memory", "timeout", "runtime", "handler", "architecture"}

func functionSummary(r *Resource) string {
	var parts []string
	for _, s := range functionSettings {
		if !slices.Contains(summarySettings, s.label) {
			continue
		}
		if v := get(r.Props, s.at...); v != nil {
			parts = append(parts, s.label+" "+show(v)+s.unit)
		}
	}
	if len(parts) == 0 {
		return "defaults"
	}
	return strings.Join(parts, ", ")
}

func (c *comparison) functionChanged(o, n *Resource) {
	subj := "function " + n.ID
	for _, s := range functionSettings {
		c.explainPath(n.ID, append(path{"Properties"}, s.at...))
		a, b := get(o.Props, s.at...), get(n.Props, s.at...)
		if equal(a, b) {
			continue
		}
		if s.label == "role" {
			c.add(Functions, s.level, subj, "role %s → %s", roleName(a), roleName(b))
			continue
		}
		c.add(Functions, s.level, subj, "%s %s → %s", s.label, withUnit(a, s.unit), withUnit(b, s.unit))
	}
	// Layers.
	c.explain(n.ID, "Properties.Layers")
	if added, removed := setDiff(strs(o.Props["Layers"]), strs(n.Props["Layers"])); len(added)+len(removed) > 0 {
		c.add(Functions, Review, subj, "layers%s", plusMinus(added, removed))
	}
	// VPC.
	c.explain(n.ID, "Properties.VpcConfig")
	ov, nv := mapOf(o.Props["VpcConfig"]), mapOf(n.Props["VpcConfig"])
	switch {
	case equal(ov, nv):
	case ov == nil:
		c.add(Functions, Review, subj, "now runs in a VPC (subnets %s; security groups %s)", joinList(strs(nv["SubnetIds"])), joinList(strs(nv["SecurityGroupIds"])))
	case nv == nil:
		c.add(Functions, Review, subj, "no longer runs in a VPC")
	default:
		var parts []string
		for _, k := range []struct{ key, label string }{{"SubnetIds", "subnets"}, {"SecurityGroupIds", "security groups"}} {
			if added, removed := setDiff(strs(ov[k.key]), strs(nv[k.key])); len(added)+len(removed) > 0 {
				parts = append(parts, k.label+plusMinus(added, removed))
			}
		}
		for _, p := range leafDiff(ov, nv, nil) {
			if p[0] != "SubnetIds" && p[0] != "SecurityGroupIds" {
				parts = append(parts, change("", p, get(ov, p...), get(nv, p...)))
			}
		}
		c.add(Functions, Review, subj, "VPC: %s", strings.Join(parts, "; "))
	}
	c.environment(o, n, subj)
}

// environment reports environment variable names added, removed and
// changed; values are never printed.
func (c *comparison) environment(o, n *Resource, subj string) {
	c.explain(n.ID, "Properties.Environment.Variables")
	ov, nv := mapOf(get(o.Props, "Environment", "Variables")), mapOf(get(n.Props, "Environment", "Variables"))
	var added, removed, changed []string
	for k, v := range nv {
		if old, ok := ov[k]; !ok {
			added = append(added, k)
		} else if !equal(old, v) {
			changed = append(changed, k)
		}
	}
	for k := range ov {
		if _, ok := nv[k]; !ok {
			removed = append(removed, k)
		}
	}
	sort.Strings(added)
	sort.Strings(removed)
	sort.Strings(changed)
	if len(added) > 0 {
		c.add(Functions, Info, subj, "environment %s added: %s", plural(len(added), "variable"), strings.Join(added, ", "))
	}
	if len(removed) > 0 {
		c.add(Functions, Review, subj, "environment %s removed: %s", plural(len(removed), "variable"), strings.Join(removed, ", "))
	}
	if len(changed) > 0 {
		c.add(Functions, Info, subj, "environment %s changed value: %s", plural(len(changed), "variable"), strings.Join(changed, ", "))
	}
}

// roleName names a function's role: its logical ID when the template
// defines it, else the value as written ("default" for SAM's own role).
func roleName(v any) string {
	if id := refTarget(v); id != "" {
		return id
	}
	return withUnit(v, "")
}

func withUnit(v any, unit string) string {
	if v == nil {
		return "default"
	}
	return show(v) + unit
}

// plusMinus renders set changes: ": + a, b; - c".
func plusMinus(added, removed []string) string {
	var parts []string
	if len(added) > 0 {
		parts = append(parts, "+ "+strings.Join(added, ", "))
	}
	if len(removed) > 0 {
		parts = append(parts, "- "+strings.Join(removed, ", "))
	}
	return fmt.Sprintf(": %s", strings.Join(parts, "; "))
}
