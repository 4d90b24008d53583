package review

import (
	"slices"
	"sort"
	"strings"
)

// apiEventTypes are the event types the API rules read as routes.
var apiEventTypes = []string{"Api", "HttpApi"}

// sourceKeys name, per SAM event type, the property that says where
// events come from; the first one present is the source.
var sourceKeys = []string{"Schedule", "ScheduleExpression", "Queue", "Topic", "Stream", "Bucket", "UserPool",
	"Pattern", "EventBusName", "Broker", "Cluster", "Table"}

// eventLevels weighs changes of event properties: where events come from
// and which ones pass decides what the function sees.
var eventLevels = map[string]Level{
	"Queue": Review, "Topic": Review, "Stream": Review, "Bucket": Review, "UserPool": Review,
	"Pattern": Review, "FilterPolicy": Review, "FilterCriteria": Review, "Filter": Review,
	"Enabled": Review, "State": Review, "Events": Review, "Trigger": Review, "EventBusName": Review,
}

type event struct {
	typ   string
	props map[string]any
}

// functionEvents returns the non-API events of a SAM function by name.
func functionEvents(r *Resource) map[string]event {
	if r == nil || r.Type != "AWS::Serverless::Function" {
		return nil
	}
	out := map[string]event{}
	for name, v := range mapOf(r.Props["Events"]) {
		m := mapOf(v)
		typ, _ := m["Type"].(string)
		if slices.Contains(apiEventTypes, typ) {
			continue
		}
		out[name] = event{typ: typ, props: mapOf(m["Properties"])}
	}
	return out
}

// source describes where an event comes from: "rate(1 hour)",
// "queue !Sub arn:...:jobs".
func (e event) source() string {
	for _, k := range sourceKeys {
		if v, ok := e.props[k]; ok {
			return strings.ToLower(k) + " " + show(v)
		}
	}
	return "no source"
}

// events reports event sources of SAM functions (other than API events)
// added, removed and changed.
func (c *comparison) events() {
	for _, id := range c.unionIDs("AWS::Serverless::Function") {
		o, n := c.pair(id)
		oe, ne := functionEvents(o), functionEvents(n)
		if n != nil {
			for name := range ne {
				c.explainPath(id, path{"Properties", "Events", name})
			}
			for name := range oe {
				c.explainPath(id, path{"Properties", "Events", name})
			}
		}
		names := map[string]bool{}
		for k := range oe {
			names[k] = true
		}
		for k := range ne {
			names[k] = true
		}
		var sorted []string
		for k := range names {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, name := range sorted {
			a, aok := oe[name]
			b, bok := ne[name]
			subj := id + " event " + name
			switch {
			case !aok:
				c.add(Events, Info, subj, "%s source added: %s", b.typ, b.source())
			case !bok:
				c.add(Events, Review, subj, "%s source removed: %s", a.typ, a.source())
			case a.typ != b.typ:
				c.add(Events, Review, subj, "type %s → %s; source %s → %s", a.typ, b.typ, a.source(), b.source())
			default:
				for _, p := range leafDiff(a.props, b.props, nil) {
					level := eventLevels[p[0]]
					c.add(Events, level, subj, "%s", change("", p, get(a.props, p...), get(b.props, p...)))
				}
			}
		}
	}
}
