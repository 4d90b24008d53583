package cfn

import (
	"cmp"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/gochalice/gochalice/framework/manifest"
)

// DefaultLogRetentionInDays is the retention of each function's log group
// when the config sets no log_retention_in_days.
const DefaultLogRetentionInDays = 30

func (b *builder) timeout(fn string) int {
	return cmp.Or(b.st.For(fn).Timeout, 60)
}

// callResources returns the resources (ARNs, as strings or intrinsics) a
// call acts on, or nil for "*".
func callResources(c Call) []any {
	if len(c.Targets) == 0 {
		return nil
	}
	var out []any
	for _, t := range c.Targets {
		rs := targetResources(c, t)
		if rs == nil {
			return nil
		}
		out = append(out, rs...)
	}
	return out
}

// targetResources is the ARNs of one target of a call, nil when it cannot
// be scoped.
func targetResources(c Call, t Target) []any {
	if t.Declared {
		id := ResourceLogicalID(t.Kind, t.Name)
		switch t.Kind {
		case manifest.ResourceTable:
			if c.Index {
				return []any{getAtt(id, "Arn"), sub("${" + id + ".Arn}/index/*")}
			}
			return []any{getAtt(id, "Arn")}
		case manifest.ResourceBucket:
			if c.Object {
				return []any{sub("${" + id + ".Arn}/*")}
			}
			return []any{getAtt(id, "Arn")}
		case manifest.ResourceQueue:
			return []any{getAtt(id, "Arn")}
		case manifest.ResourceTopic:
			return []any{ref(id)}
		}
		return nil
	}
	name := t.Name
	if strings.HasPrefix(name, "arn:") {
		return []any{name}
	}
	if strings.ContainsAny(name, "${}*") {
		return nil
	}
	switch t.Kind {
	case manifest.ResourceTable:
		arn := "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/" + name
		if c.Index {
			return []any{sub(arn), sub(arn + "/index/*")}
		}
		return []any{sub(arn)}
	case manifest.ResourceBucket:
		if c.Object {
			return []any{sub("arn:${AWS::Partition}:s3:::" + name + "/*")}
		}
		return []any{sub("arn:${AWS::Partition}:s3:::" + name)}
	case manifest.ResourceQueue:
		// https://sqs.REGION.amazonaws.com/ACCOUNT/NAME
		p := strings.Split(strings.TrimPrefix(strings.TrimPrefix(name, "https://"), "http://"), "/")
		if len(p) == 3 && strings.HasPrefix(p[0], "sqs.") {
			region := strings.TrimSuffix(strings.TrimPrefix(p[0], "sqs."), ".amazonaws.com")
			return []any{sub("arn:${AWS::Partition}:sqs:" + region + ":" + p[1] + ":" + p[2])}
		}
	case manifest.ResourceTopic:
		return []any{sub("arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:" + name)}
	}
	return nil
}

// codeStatements turns a function's calls into policy statements: one per
// set of resources, with every action needed on it, sorted.
func codeStatements(calls []Call) []any {
	type group struct {
		resources []any
		actions   map[string]bool
	}
	groups := map[string]*group{}
	for _, c := range calls {
		rs := callResources(c)
		keyBytes, _ := json.Marshal(rs)
		key := string(keyBytes)
		g := groups[key]
		if g == nil {
			g = &group{resources: rs, actions: map[string]bool{}}
			groups[key] = g
		}
		for _, a := range c.Actions {
			g.actions[a] = true
		}
	}
	var stmts []any
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		g := groups[key]
		var resource any = "*"
		if g.resources != nil {
			resource = dedupe(g.resources)
		}
		stmts = append(stmts, map[string]any{
			"Effect":   "Allow",
			"Action":   toAny(slices.Sorted(maps.Keys(g.actions))),
			"Resource": resource,
		})
	}
	return stmts
}

// dedupe removes repeated resources (compared by their JSON).
func dedupe(rs []any) []any {
	seen := map[string]bool{}
	var out []any
	for _, r := range rs {
		k, _ := json.Marshal(r)
		if !seen[string(k)] {
			seen[string(k)] = true
			out = append(out, r)
		}
	}
	return out
}

// Unscoped lists the calls of an analysis granted on "*", for the build
// summary: "site: service.Op → actions".
func Unscoped(acc *Access) []string {
	if acc == nil {
		return nil
	}
	var out []string
	for _, fn := range slices.Sorted(maps.Keys(acc.Functions)) {
		for _, c := range acc.Functions[fn].Calls {
			if callResources(c) == nil {
				out = append(out, c.Site+": "+c.Service+"."+c.Op+" → "+strings.Join(c.Actions, ", ")+" on * (function "+fn+")")
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
