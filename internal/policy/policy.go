// Package policy is `chalice-package policy`: it prints each function's IAM
// policy as the template grants it, and for every action the call site
// (or the event source) that needs it, like Chalice's gen-policy but per
// function and explained.
package policy

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/gochalice/gochalice/cfn"
	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/build"
	"github.com/gochalice/gochalice/internal/pipeline"
	"github.com/gochalice/gochalice/stages"
)

// Options select what to explain.
type Options struct {
	// AppDir is the app's main package directory (default ".").
	AppDir string
	// Stage is the stage whose config applies (default "dev").
	Stage string
	// Function limits the output to one function ("" for all).
	Function string
}

// Write analyses the app and writes the explanation to w.
func Write(ctx context.Context, w io.Writer, o Options) error {
	if o.AppDir == "" {
		o.AppDir = pipeline.DefaultAppDir
	}
	if o.Stage == "" {
		o.Stage = stages.DefaultStage
	}
	cfg, err := stages.Load(o.AppDir)
	if err != nil {
		return err
	}
	st, err := cfg.Stage(o.Stage, stages.Overrides{})
	if err != nil {
		return err
	}
	m, err := build.Manifest(ctx, o.AppDir)
	if err != nil {
		return err
	}
	if err := pipeline.CheckFunctions(cfg, m); err != nil {
		return err
	}
	acc, _, err := pipeline.Analyze(ctx, o.AppDir, m)
	if err != nil {
		return err
	}
	return Explain(w, m, st, acc, o.Function)
}

// Explain writes the policy of each function (or only the named one) of a
// manifest, built for stage st with the analysis acc.
func Explain(w io.Writer, m *manifest.Manifest, st stages.Stage, acc *cfn.Access, function string) error {
	var names []string
	for _, f := range m.Functions {
		names = append(names, f.Name)
	}
	if function != "" && !slices.Contains(names, function) {
		return fmt.Errorf("function %q is not in app %s (functions: %s)", function, m.App, strings.Join(names, ", "))
	}
	t, err := cfn.BuildWithAccess(m, st, acc)
	if err != nil {
		return err
	}
	data, err := cfn.Marshal(t, "json")
	if err != nil {
		return err
	}
	var tree struct {
		Resources map[string]struct {
			Type       string
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(data, &tree); err != nil {
		return err
	}
	var b strings.Builder
	first := true
	for _, fn := range m.Functions {
		if function != "" && fn.Name != function {
			continue
		}
		if !first {
			b.WriteString("\n")
		}
		first = false
		var fa *cfn.FunctionAccess
		if acc != nil {
			fa = acc.Functions[fn.Name]
		}
		explain(&b, fn, st.For(fn.Name), tree.Resources, fa)
	}
	_, err = io.WriteString(w, b.String())
	return err
}

type resource = struct {
	Type       string
	Properties map[string]any
}

// explain writes one function's policy and the reason for each statement.
func explain(b *strings.Builder, fn manifest.Function, fc stages.FunctionConfig, res map[string]resource, fa *cfn.FunctionAccess) {
	id := cfn.LogicalID(fn.Name)
	if fn.Kind == manifest.KindAPI {
		id = "APIHandler"
	}
	fmt.Fprintf(b, "%s\n", fn.Name)
	switch {
	case !fc.RoleARN.IsZero():
		fmt.Fprintf(b, "  role: given by iam_role_arn (manage_iam_role: false); gochalice grants nothing\n")
		return
	case fc.Policy != nil:
		fmt.Fprintf(b, "  policy: .chalice/%s (autogen_policy: false), used as written\n", fc.PolicyFile)
		return
	}
	role, ok := res[id+"Role"]
	if !ok {
		fmt.Fprintf(b, "  (no role of its own)\n")
		return
	}
	var stmts []any
	if pols, ok := role.Properties["Policies"].([]any); ok {
		for _, p := range pols {
			doc, _ := p.(map[string]any)["PolicyDocument"].(map[string]any)
			list, _ := doc["Statement"].([]any)
			stmts = append(stmts, list...)
		}
	}
	if lp, ok := res[id+"LogsPolicy"]; ok {
		doc, _ := lp.Properties["PolicyDocument"].(map[string]any)
		list, _ := doc["Statement"].([]any)
		stmts = append(stmts, list...)
	}
	fmt.Fprintf(b, "  role %s:\n", id+"Role")
	doc, _ := json.MarshalIndent(map[string]any{"Version": "2012-10-17", "Statement": stmts}, "    ", "  ")
	fmt.Fprintf(b, "    %s\n", doc)
	fmt.Fprintf(b, "  why:\n")
	fromCode := map[string]bool{}
	if fa != nil {
		if !fa.Complete {
			fmt.Fprintf(b, "    (the analysis could not tell which code this function runs: it gets every call of the app)\n")
		}
		for _, c := range fa.Calls {
			for _, a := range c.Actions {
				fromCode[a] = true
			}
			fmt.Fprintf(b, "    %s: %s.%s → %s on %s\n", c.Site, c.Service, c.Op, strings.Join(c.Actions, ", "), describeTargets(c))
		}
	}
	for _, s := range stmts {
		st, _ := s.(map[string]any)
		actions := actionsOf(st["Action"])
		if slices.ContainsFunc(actions, func(a string) bool { return fromCode[a] }) {
			continue
		}
		why := "its event sources"
		switch {
		case slices.Contains(actions, "logs:PutLogEvents"):
			why = "its own log group " + id + "LogGroup"
		case slices.ContainsFunc(actions, func(a string) bool { return strings.HasPrefix(a, "ec2:") }):
			why = "running in a VPC (subnet_ids, security_group_ids)"
		case slices.ContainsFunc(actions, func(a string) bool { return strings.HasPrefix(a, "xray:") }):
			why = "X-Ray tracing (xray: true)"
		case slices.Contains(actions, "execute-api:ManageConnections"):
			why = "answering WebSocket clients"
		}
		fmt.Fprintf(b, "    %s → %s\n", why, strings.Join(actions, ", "))
	}
	if fa != nil && len(fa.Calls) == 0 {
		fmt.Fprintf(b, "    no AWS SDK call is reachable from its handler\n")
	}
}

func actionsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, a := range v {
			if s, ok := a.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// describeTargets names what a call is granted on.
func describeTargets(c cfn.Call) string {
	if len(c.Targets) == 0 {
		return "* (the resource is not a declared handle or a constant: listed in the build summary)"
	}
	names := map[string]bool{}
	for _, t := range c.Targets {
		n := t.Name
		if t.Declared {
			n = cfn.ResourceLogicalID(t.Kind, t.Name)
		}
		names[n] = true
	}
	s := strings.Join(slices.Sorted(maps.Keys(names)), ", ")
	if c.Index {
		s += " (and its indexes)"
	}
	if c.Object {
		s += " (objects)"
	}
	return s
}
