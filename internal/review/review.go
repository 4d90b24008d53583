// Package review compares two SAM (or plain CloudFormation) templates and
// describes what changed the way a code reviewer would: routes that lost
// an authorizer, roles that gained actions or wildcards, functions whose
// settings moved, event sources, data resources that CloudFormation would
// replace or delete, parameters and outputs. Each finding has a risk level
// a CI job can gate on.
//
// It reads what gochalice emits and any SAM template in general: API
// routes come from an API's DefinitionBody (Swagger 2.0 or OpenAPI 3) and
// from functions' Api and HttpApi events, roles from their policies, data
// resources from their type. A change that is not explained by a specific
// rule is still reported, at the level of the resource property that
// changed, so nothing that differs goes unmentioned.
package review

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Level is how much attention a finding needs.
type Level int

// The levels, in increasing order.
const (
	// Info is a change worth knowing that needs no decision.
	Info Level = iota
	// Review is a change a reviewer should look at and agree with.
	Review
	// Risk weakens security or loses data: auth removed or weakened, IAM
	// widened, a data resource replaced or removed without retention, a
	// public endpoint added.
	Risk
)

var levelNames = []string{"info", "review", "risk"}

// String returns the level's name: info, review or risk.
func (l Level) String() string {
	if l < Info || l > Risk {
		return fmt.Sprintf("Level(%d)", int(l))
	}
	return levelNames[l]
}

// ParseLevel reads a level name (info, review or risk).
func ParseLevel(s string) (Level, error) {
	if i := slices.Index(levelNames, s); i >= 0 {
		return Level(i), nil
	}
	return 0, fmt.Errorf("unknown level %q (want one of: %s)", s, strings.Join(levelNames, ", "))
}

// Concern groups findings the way a review reads them.
type Concern int

// The concerns, in the order a review lists them.
const (
	API Concern = iota
	IAM
	Functions
	Events
	Data
	ParamsOutputs
	Other
)

var concernNames = []string{"API", "IAM", "Functions", "Events", "Data", "Parameters and outputs", "Other"}

// String returns the concern's heading in a review.
func (c Concern) String() string {
	if c < API || c > Other {
		return fmt.Sprintf("Concern(%d)", int(c))
	}
	return concernNames[c]
}

// Finding is one change, in one sentence.
type Finding struct {
	Concern Concern
	Level   Level
	// Subject is what changed: "GET /admin", "role DefaultRole (APIHandler)",
	// "function APIHandler", "table OrdersTable", ...
	Subject string
	// Message says how. Environment variable and NoEcho parameter values
	// are never part of it.
	Message string
}

// Report is the review of one change.
type Report struct {
	// Old and New name the two templates.
	Old, New string
	// Findings are sorted by concern, then level (risk first), subject and
	// message.
	Findings []Finding
}

// Counts returns the number of findings per level.
func (r *Report) Counts() map[Level]int {
	c := map[Level]int{}
	for _, f := range r.Findings {
		c[f.Level]++
	}
	return c
}

// Max returns the highest level of the findings, and false when there are
// none.
func (r *Report) Max() (Level, bool) {
	if len(r.Findings) == 0 {
		return Info, false
	}
	m := Info
	for _, f := range r.Findings {
		m = max(m, f.Level)
	}
	return m, true
}

// Exit codes of a review.
const (
	ExitNone    = 0 // no finding at or above the threshold
	ExitChanges = 1 // findings at or above the threshold, none a risk
	ExitRisk    = 2 // at least one risk
)

// ExitCode is the exit status for a CI gate: ExitNone when no finding is
// at or above failOn, otherwise ExitRisk when a finding is a risk and
// ExitChanges when not. With failOn Info every change counts.
func (r *Report) ExitCode(failOn Level) int {
	m, ok := r.Max()
	switch {
	case !ok || m < failOn:
		return ExitNone
	case m == Risk:
		return ExitRisk
	}
	return ExitChanges
}

// Compare reviews the change from old to new.
func Compare(old, new *Template) *Report {
	c := &comparison{old: old, new: new, explained: map[string][]path{}, claimed: map[string]bool{}}
	c.apis()
	c.iam()
	c.functions()
	c.events()
	c.data()
	c.paramsAndOutputs()
	c.leftovers()
	fs := c.findings
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Concern != b.Concern {
			return a.Concern < b.Concern
		}
		if a.Level != b.Level {
			return a.Level > b.Level
		}
		if a.Subject != b.Subject {
			return a.Subject < b.Subject
		}
		return a.Message < b.Message
	})
	return &Report{Old: old.Name, New: new.Name, Findings: slices.Compact(fs)}
}

// comparison is the state of one Compare: the findings so far and which
// parts of the resources the specific rules have explained.
type comparison struct {
	old, new *Template
	findings []Finding
	// explained holds, per logical ID, the paths (inside the resource
	// entry: Properties.X, DeletionPolicy, ...) a rule has described.
	explained map[string][]path
	// claimed holds the logical IDs whose addition or removal a rule has
	// reported.
	claimed map[string]bool
}

func (c *comparison) add(concern Concern, level Level, subject, format string, args ...any) {
	c.findings = append(c.findings, Finding{Concern: concern, Level: level, Subject: subject, Message: fmt.Sprintf(format, args...)})
}

// explain marks paths of a resource as described; a path may be written
// "Properties.Events" (split on dots).
func (c *comparison) explain(id string, paths ...string) {
	for _, p := range paths {
		c.explained[id] = append(c.explained[id], path(strings.Split(p, ".")))
	}
}

// explainPath marks one path (keys may hold dots) as described.
func (c *comparison) explainPath(id string, p path) {
	c.explained[id] = append(c.explained[id], slices.Clone(p))
}

func (c *comparison) isExplained(id string, p path) bool {
	for _, e := range c.explained[id] {
		if p.under(e) {
			return true
		}
	}
	return false
}

// pair returns the resource with this ID on both sides (nil when absent).
func (c *comparison) pair(id string) (o, n *Resource) {
	return c.old.Resources[id], c.new.Resources[id]
}

// unionIDs returns the sorted logical IDs of resources of the given types
// on either side.
func (c *comparison) unionIDs(types ...string) []string {
	ids := append(c.old.ids(types...), c.new.ids(types...)...)
	sort.Strings(ids)
	return slices.Compact(ids)
}

// joinList renders names as "a, b and c".
func joinList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// plural returns noun, with an s when n is not 1.
func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}

// Files loads two templates (files or out/<stage>/ directories) and
// reviews the change from the first to the second.
func Files(oldPath, newPath string) (*Report, error) {
	old, err := Load(oldPath)
	if err != nil {
		return nil, fmt.Errorf("old template: %w", err)
	}
	new, err := Load(newPath)
	if err != nil {
		return nil, fmt.Errorf("new template: %w", err)
	}
	return Compare(old, new), nil
}
