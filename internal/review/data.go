package review

import (
	"strings"
)

// retention describes what a DeletionPolicy or UpdateReplacePolicy value
// does with the old resource: "" when it is deleted.
func retention(policy any) string {
	switch s, _ := policy.(string); s {
	case "Retain", "RetainExceptOnCreate":
		return "retained"
	case "Snapshot":
		return "snapshotted"
	}
	return ""
}

func policyName(v any) string {
	if s, ok := v.(string); ok && s != "" {
		return s
	}
	return "Delete"
}

// data reports data resources added and removed, retention changes, and
// every resource CloudFormation would replace.
func (c *comparison) data() {
	for _, id := range c.unionIDs() {
		o, n := c.pair(id)
		switch {
		case o == nil:
			if kindOf(n.Type).data {
				c.claimed[id] = true
				c.add(Data, Info, subject(n), "added (%s)", onDelete(n))
			}
		case n == nil:
			if kindOf(o.Type).data {
				c.claimed[id] = true
				k := kindOf(o.Type)
				switch retention(o.Raw["DeletionPolicy"]) {
				case "retained":
					c.add(Data, Review, subject(o), "removed from the stack; the %s and its data stay in the account (DeletionPolicy %s)", k.noun, policyName(o.Raw["DeletionPolicy"]))
				case "snapshotted":
					c.add(Data, Review, subject(o), "removed; CloudFormation deletes it after a final snapshot (DeletionPolicy Snapshot)")
				default:
					c.add(Data, Risk, subject(o), "removed: CloudFormation deletes the %s and its data (DeletionPolicy %s)", k.noun, policyName(o.Raw["DeletionPolicy"]))
				}
			}
		case o.Type != n.Type:
			c.claimed[id] = true
			c.replaced(o, n, []string{"type " + o.Type + " → " + n.Type})
		default:
			changes, paths := replacement(o, n)
			for _, p := range paths {
				c.explainPath(id, p)
			}
			if len(changes) > 0 {
				c.replaced(o, n, changes)
			}
			if kindOf(n.Type).data {
				c.retentionChanged(o, n)
			}
		}
	}
}

// onDelete says what deleting the stack (or removing the resource) does.
func onDelete(r *Resource) string {
	switch retention(r.Raw["DeletionPolicy"]) {
	case "retained":
		return "retained on delete"
	case "snapshotted":
		return "snapshotted on delete"
	}
	return "deleted with the stack: no DeletionPolicy Retain"
}

// replaced reports a replacement: a risk for a data resource whose old
// copy is deleted, a review otherwise.
func (c *comparison) replaced(o, n *Resource, changes []string) {
	k := kindOf(n.Type)
	what := "CloudFormation replaces it (" + strings.Join(changes, "; ") + ")"
	if !kindOf(o.Type).data && !k.data {
		c.add(Data, Review, subject(n), "%s", what)
		return
	}
	switch retention(n.Raw["UpdateReplacePolicy"]) {
	case "retained":
		c.add(Data, Review, subject(n), "%s; the old %s is retained with its data, the new one starts empty (UpdateReplacePolicy %s)", what, k.noun, policyName(n.Raw["UpdateReplacePolicy"]))
	case "snapshotted":
		c.add(Data, Review, subject(n), "%s; the old %s is deleted after a snapshot, the new one starts empty (UpdateReplacePolicy Snapshot)", what, k.noun)
	default:
		c.add(Data, Risk, subject(n), "%s; the old %s is deleted with its data (UpdateReplacePolicy %s)", what, k.noun, policyName(n.Raw["UpdateReplacePolicy"]))
	}
}

// retentionChanged reports DeletionPolicy and UpdateReplacePolicy changes
// of a data resource.
func (c *comparison) retentionChanged(o, n *Resource) {
	c.explain(n.ID, "DeletionPolicy", "UpdateReplacePolicy")
	for _, attr := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
		a, b := o.Raw[attr], n.Raw[attr]
		if equal(a, b) {
			continue
		}
		level, note := Info, ""
		if retention(a) != "" && retention(b) == "" {
			level = Review
			if attr == "DeletionPolicy" {
				note = ": removing it from the stack would now delete its data"
			} else {
				note = ": a replacement would now delete its data"
			}
		}
		c.add(Data, level, subject(n), "%s %s → %s%s", attr, policyName(a), policyName(b), note)
	}
}
