package review

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// role is what one IAM role allows, gathered from its inline policies,
// the AWS::IAM::RolePolicy, Policy and ManagedPolicy resources attached to
// it, and,
// for a SAM function without a Role, from the function's Policies.
type role struct {
	id        string
	functions []string
	trust     []string
	// allow and deny map an action (as written the first time, keyed by
	// its lower-case form) to the resources it applies to.
	allow, deny map[string]*grants
	managed     []string // "managed policy <ARN or name>", "SAM policy template <name> <args>"
	boundary    string
}

type grants struct {
	action    string
	resources []string
}

func newRole(id string) *role {
	return &role{id: id, allow: map[string]*grants{}, deny: map[string]*grants{}}
}

// addStatements reads a policy document's statements into r.
func (r *role) addStatements(doc any) {
	for _, st := range listOf(get(doc, "Statement")) {
		s := mapOf(st)
		if s == nil {
			continue
		}
		table := r.allow
		if e, _ := s["Effect"].(string); e == "Deny" {
			table = r.deny
		}
		var actions []string
		if na, ok := s["NotAction"]; ok {
			actions = []string{"NotAction[" + strings.Join(strs(na), ", ") + "]"}
		} else {
			actions = strs(s["Action"])
		}
		var resources []string
		if nr, ok := s["NotResource"]; ok {
			resources = []string{"NotResource[" + strings.Join(strs(nr), ", ") + "]"}
		} else {
			resources = strs(s["Resource"])
		}
		if cond, ok := s["Condition"]; ok {
			for i := range resources {
				resources[i] += condSep + compact(cond)
			}
		}
		for _, a := range actions {
			key := strings.ToLower(a)
			g := table[key]
			if g == nil {
				g = &grants{action: a}
				table[key] = g
			}
			g.resources = append(g.resources, resources...)
			sort.Strings(g.resources)
			g.resources = slices.Compact(g.resources)
		}
	}
}

// addTrust reads an AssumeRolePolicyDocument.
func (r *role) addTrust(doc any) {
	for _, st := range listOf(get(doc, "Statement")) {
		s := mapOf(st)
		effect, _ := s["Effect"].(string)
		p := s["Principal"]
		var principals []string
		if pm := mapOf(p); pm != nil && !isIntrinsic(pm) {
			for kind, v := range pm {
				for _, e := range strs(v) {
					principals = append(principals, kind+" "+e)
				}
			}
		} else if p != nil {
			principals = append(principals, "AWS "+show(p))
		}
		for _, pr := range principals {
			entry := pr + " (" + strings.Join(strs(s["Action"]), ", ") + ")"
			if effect == "Deny" {
				entry = "deny " + entry
			}
			if cond, ok := s["Condition"]; ok {
				entry += " when " + compact(cond)
			}
			r.trust = append(r.trust, entry)
		}
	}
	sort.Strings(r.trust)
	r.trust = slices.Compact(r.trust)
}

// addSAMPolicies reads a SAM function's Policies: managed policy names or
// ARNs, inline policy documents and policy templates.
func (r *role) addSAMPolicies(v any) {
	for _, p := range listOf(v) {
		m := mapOf(p)
		switch {
		case m == nil || isIntrinsic(m):
			r.managed = append(r.managed, "managed policy "+show(p))
		case m["Statement"] != nil:
			r.addStatements(m)
		default:
			for name, args := range m {
				r.managed = append(r.managed, "SAM policy template "+name+" "+compact(args))
			}
		}
	}
	sort.Strings(r.managed)
	r.managed = slices.Compact(r.managed)
}

// roles gathers the roles of a template by logical ID, with the functions
// that use them.
func roles(t *Template) map[string]*role {
	out := map[string]*role{}
	get := func(id string) *role {
		if out[id] == nil {
			out[id] = newRole(id)
		}
		return out[id]
	}
	managedDocs := map[string]any{}
	for _, id := range t.ids("AWS::IAM::ManagedPolicy") {
		managedDocs[id] = t.Resources[id].Props["PolicyDocument"]
	}
	for _, id := range t.ids("AWS::IAM::Role") {
		p := t.Resources[id].Props
		r := get(id)
		r.addTrust(p["AssumeRolePolicyDocument"])
		for _, pol := range listOf(p["Policies"]) {
			r.addStatements(mapOf(pol)["PolicyDocument"])
		}
		for _, arn := range listOf(p["ManagedPolicyArns"]) {
			if doc, ok := managedDocs[refTarget(arn)]; ok {
				r.addStatements(doc)
				continue
			}
			r.managed = append(r.managed, "managed policy "+show(arn))
		}
		if b := p["PermissionsBoundary"]; b != nil {
			r.boundary = show(b)
		}
		sort.Strings(r.managed)
	}
	for _, id := range t.ids("AWS::IAM::RolePolicy") {
		p := t.Resources[id].Props
		name := refTarget(p["RoleName"])
		if name == "" {
			name = show(p["RoleName"])
		}
		get(name).addStatements(p["PolicyDocument"])
	}
	for _, id := range t.ids("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy") {
		p := t.Resources[id].Props
		for _, target := range listOf(p["Roles"]) {
			name := refTarget(target)
			if name == "" {
				name = show(target)
			}
			get(name).addStatements(p["PolicyDocument"])
		}
	}
	for _, id := range t.ids(functionTypes...) {
		p := t.Resources[id].Props
		if rv, ok := p["Role"]; ok {
			name := refTarget(rv)
			if name == "" {
				name = show(rv)
			}
			if r := out[name]; r != nil {
				r.functions = append(r.functions, id)
			}
			continue
		}
		if t.Resources[id].Type != "AWS::Serverless::Function" {
			continue
		}
		// SAM creates <Function>Role for a function without a Role.
		r := get(id + "Role")
		r.functions = append(r.functions, id)
		if doc, ok := p["AssumeRolePolicyDocument"]; ok {
			r.addTrust(doc)
		} else {
			r.trust = []string{"Service lambda.amazonaws.com (sts:AssumeRole)"}
		}
		r.addSAMPolicies(p["Policies"])
		if b := p["PermissionsBoundary"]; b != nil {
			r.boundary = show(b)
		}
	}
	return out
}

// functionRole returns the role of each function in a template.
func functionRoles(rs map[string]*role) map[string]string {
	out := map[string]string{}
	for id, r := range rs {
		for _, f := range r.functions {
			out[f] = id
		}
	}
	return out
}

// iam reports, per role, actions added and removed, resources widened,
// new wildcard actions, managed policies, trust and boundary changes, and
// roles added and removed.
func (c *comparison) iam() {
	for _, id := range c.unionIDs("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy") {
		c.claimed[id] = true
		c.explain(id, "Properties.AssumeRolePolicyDocument", "Properties.Policies", "Properties.ManagedPolicyArns",
			"Properties.PermissionsBoundary", "Properties.PolicyDocument", "Properties.Roles", "Properties.RoleName", "Properties.PolicyName")
	}
	for _, id := range c.unionIDs(functionTypes...) {
		c.explain(id, "Properties.Policies", "Properties.PermissionsBoundary", "Properties.AssumeRolePolicyDocument")
	}
	oldRoles, newRoles := roles(c.old), roles(c.new)
	oldOf, newOf := functionRoles(oldRoles), functionRoles(newRoles)
	ids := map[string]bool{}
	for id := range oldRoles {
		ids[id] = true
	}
	for id := range newRoles {
		ids[id] = true
	}
	var sorted []string
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Strings(sorted)
	for _, id := range sorted {
		o, n := oldRoles[id], newRoles[id]
		switch {
		case n == nil:
			var moved []string
			for _, f := range o.functions {
				if r, ok := newOf[f]; ok {
					moved = append(moved, f+" → "+r)
				}
			}
			msg := "removed"
			if len(moved) > 0 {
				msg += "; its functions now use other roles: " + strings.Join(moved, ", ")
			}
			c.add(IAM, Info, roleSubject(o), "%s", msg)
		case o == nil:
			// Compare with the roles its functions had before, if any.
			base, was := newRole(id), []string(nil)
			for _, f := range n.functions {
				if r, ok := oldOf[f]; ok && !slices.Contains(was, r) {
					was = append(was, r)
					base.merge(oldRoles[r])
				}
			}
			sort.Strings(was)
			if len(was) > 0 {
				c.add(IAM, Info, roleSubject(n), "added, replacing %s for its functions; changes are against %s", joinList(was), plural(len(was), "that role"))
				c.roleChanged(base, n, true)
			} else {
				c.add(IAM, Review, roleSubject(n), "added")
				c.roleChanged(base, n, false)
			}
		default:
			c.roleChanged(o, n, true)
		}
	}
}

func roleSubject(r *role) string {
	if len(r.functions) == 0 {
		return "role " + r.id
	}
	fs := slices.Clone(r.functions)
	sort.Strings(fs)
	return "role " + r.id + " (" + strings.Join(fs, ", ") + ")"
}

// merge adds what other allows to r.
func (r *role) merge(other *role) {
	if other == nil {
		return
	}
	for table, src := range map[*map[string]*grants]map[string]*grants{&r.allow: other.allow, &r.deny: other.deny} {
		for k, g := range src {
			dst := (*table)[k]
			if dst == nil {
				dst = &grants{action: g.action}
				(*table)[k] = dst
			}
			dst.resources = append(dst.resources, g.resources...)
			sort.Strings(dst.resources)
			dst.resources = slices.Compact(dst.resources)
		}
	}
	r.trust = append(r.trust, other.trust...)
	sort.Strings(r.trust)
	r.trust = slices.Compact(r.trust)
	r.managed = append(r.managed, other.managed...)
	sort.Strings(r.managed)
	r.managed = slices.Compact(r.managed)
	if r.boundary == "" {
		r.boundary = other.boundary
	}
}

// conditionDropped returns the condition of an old grant on the same
// resource when r is now granted without one ("" otherwise).
func conditionDropped(old []string, r string) string {
	if strings.Contains(r, condSep) {
		return ""
	}
	for _, o := range old {
		if base, cond, ok := strings.Cut(o, condSep); ok && base == r {
			return cond
		}
	}
	return ""
}

// condSep joins a resource and the condition of its grant.
const condSep = " when "

func wildcardAction(a string) bool {
	if strings.HasPrefix(a, "NotAction[") {
		return true
	}
	_, name, _ := strings.Cut(a, ":")
	return a == "*" || strings.Contains(name, "*")
}

func wideResource(r string) bool {
	return r == "*" || strings.HasPrefix(r, "NotResource[")
}

// broadManaged matches managed policies that grant (nearly) everything.
func broadManaged(name string) bool {
	base := name[strings.LastIndex(name, "/")+1:]
	return base == "AdministratorAccess" || base == "PowerUserAccess" || strings.HasSuffix(base, "FullAccess")
}

// roleChanged reports the changes from o to n. existing says whether o is
// a role the functions had (so new trust is a risk), rather than nothing.
func (c *comparison) roleChanged(o, n *role, existing bool) {
	subj := roleSubject(n)
	type group struct {
		level   Level
		verb    string
		on      string
		actions []string
	}
	groups := map[string]*group{}
	addTo := func(level Level, verb, on, action string) {
		key := fmt.Sprint(level, verb, on)
		if groups[key] == nil {
			groups[key] = &group{level: level, verb: verb, on: on}
		}
		groups[key].actions = append(groups[key].actions, action)
	}
	for key, g := range n.allow {
		old := o.allow[key]
		var oldRes []string
		if old != nil {
			oldRes = old.resources
		}
		added, _ := setDiff(oldRes, g.resources)
		if old != nil {
			// A grant that lost its condition is a widening of its own.
			kept := added[:0:0]
			for _, r := range added {
				if was := conditionDropped(oldRes, r); was != "" {
					c.add(IAM, Risk, subj, "%s on %s no longer needs a condition (was %s)", g.action, r, was)
					continue
				}
				kept = append(kept, r)
			}
			added = kept
		}
		switch {
		case len(added) == 0:
		case old == nil && wildcardAction(g.action):
			addTo(Risk, "allows wildcard", strings.Join(g.resources, ", "), g.action)
		case old == nil:
			addTo(Review, "allows", strings.Join(g.resources, ", "), g.action)
		case !slices.ContainsFunc(oldRes, wideResource) && slices.ContainsFunc(added, wideResource):
			c.add(IAM, Risk, subj, "%s widened from %s to %s", g.action, strings.Join(oldRes, ", "), strings.Join(added, ", "))
		default:
			addTo(Review, "now also allows", strings.Join(added, ", "), g.action)
		}
	}
	for key, g := range o.allow {
		ng := n.allow[key]
		if ng == nil {
			addTo(Info, "no longer allows", strings.Join(g.resources, ", "), g.action)
			continue
		}
		if _, removed := setDiff(g.resources, ng.resources); len(removed) > 0 {
			addTo(Info, "no longer allows", strings.Join(removed, ", "), g.action)
		}
	}
	for key, g := range o.deny {
		var newRes []string
		if ng := n.deny[key]; ng != nil {
			newRes = ng.resources
		}
		if _, removed := setDiff(g.resources, newRes); len(removed) > 0 {
			addTo(Risk, "no longer denies", strings.Join(removed, ", "), g.action)
		}
	}
	for key, g := range n.deny {
		var oldRes []string
		if og := o.deny[key]; og != nil {
			oldRes = og.resources
		}
		if added, _ := setDiff(oldRes, g.resources); len(added) > 0 {
			addTo(Info, "denies", strings.Join(added, ", "), g.action)
		}
	}
	var keys []string
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		g := groups[k]
		sort.Strings(g.actions)
		c.add(IAM, g.level, subj, "%s %s on %s", g.verb, strings.Join(g.actions, ", "), g.on)
	}
	added, removed := setDiff(o.managed, n.managed)
	for _, m := range added {
		level := Review
		if broadManaged(m) {
			level = Risk
		}
		c.add(IAM, level, subj, "%s added", m)
	}
	for _, m := range removed {
		c.add(IAM, Info, subj, "%s removed", m)
	}
	added, removed = setDiff(o.trust, n.trust)
	for _, t := range added {
		level := Info
		if existing || strings.Contains(t, "*") {
			level = Risk
		}
		c.add(IAM, level, subj, "trust policy: can now be assumed by %s", t)
	}
	for _, t := range removed {
		c.add(IAM, Info, subj, "trust policy: no longer assumable by %s", t)
	}
	switch {
	case o.boundary == n.boundary:
	case n.boundary == "":
		c.add(IAM, Risk, subj, "permissions boundary %s removed", o.boundary)
	default:
		c.add(IAM, Review, subj, "permissions boundary %s → %s", orNone(o.boundary), n.boundary)
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
