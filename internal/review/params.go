package review

import (
	"strings"
)

// paramsAndOutputs reports parameters and outputs added, removed and
// changed. The values of NoEcho parameters are never printed.
func (c *comparison) paramsAndOutputs() {
	for _, name := range sortedKeys(c.old.Parameters, c.new.Parameters) {
		o, n := mapOf(c.old.Parameters[name]), mapOf(c.new.Parameters[name])
		subj := "parameter " + name
		noEcho := render(o["NoEcho"]) == "true" || render(n["NoEcho"]) == "true"
		switch {
		case o == nil:
			c.add(ParamsOutputs, Info, subj, "added (%s)", paramSummary(n, noEcho))
		case n == nil:
			c.add(ParamsOutputs, Review, subj, "removed: deploy commands that pass it fail")
		default:
			var changes []string
			for _, p := range leafDiff(o, n, nil) {
				if noEcho && p[0] == "Default" {
					changes = append(changes, "Default changed (NoEcho, value not shown)")
					continue
				}
				changes = append(changes, change("", p, get(o, p...), get(n, p...)))
			}
			if len(changes) > 0 {
				c.add(ParamsOutputs, Info, subj, "%s", strings.Join(changes, "; "))
			}
		}
	}
	for _, name := range sortedKeys(c.old.Outputs, c.new.Outputs) {
		o, n := mapOf(c.old.Outputs[name]), mapOf(c.new.Outputs[name])
		subj := "output " + name
		switch {
		case o == nil:
			c.add(ParamsOutputs, Info, subj, "added: %s", show(n["Value"]))
		case n == nil:
			level := Review
			msg := "removed"
			if o["Export"] != nil {
				msg = "removed, with its export " + show(get(o, "Export", "Name")) + " (stacks importing it block the update)"
			}
			c.add(ParamsOutputs, level, subj, "%s", msg)
		default:
			for _, p := range leafDiff(o, n, nil) {
				level := Info
				if p[0] == "Export" {
					level = Review
				}
				c.add(ParamsOutputs, level, subj, "%s", change("", p, get(o, p...), get(n, p...)))
			}
		}
	}
}

func paramSummary(p map[string]any, noEcho bool) string {
	parts := []string{"type " + render(p["Type"])}
	if d, ok := p["Default"]; ok {
		if noEcho {
			parts = append(parts, "default not shown (NoEcho)")
		} else {
			parts = append(parts, "default "+show(d))
		}
	}
	return strings.Join(parts, ", ")
}
