package pipeline

import (
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/gochalice/gochalice/cfn"
	"github.com/gochalice/gochalice/internal/cfnyaml"
)

// writeIAMSummary appends each function's generated permissions, every
// statement the analysis could not scope (granted on "*", with its call
// site), the config's warnings and the changes that would replace a
// resource holding data.
func writeIAMSummary(b *strings.Builder, r *Result) {
	if acc := r.Access; acc != nil && len(acc.Functions) > 0 {
		how := "analysed"
		if r.AnalysisCached {
			how = "cached: no Go file changed"
		}
		fmt.Fprintf(b, "\nIAM, one role per function (actions from the code, %s; `chalice-package policy` explains each):\n", how)
		for _, fn := range slices.Sorted(maps.Keys(acc.Functions)) {
			fa := acc.Functions[fn]
			set := map[string]bool{}
			for _, c := range fa.Calls {
				for _, a := range c.Actions {
					set[a] = true
				}
			}
			actions := "no AWS calls (logs and event sources only)"
			if len(set) > 0 {
				actions = strings.Join(slices.Sorted(maps.Keys(set)), ", ")
			}
			note := ""
			if !fa.Complete {
				note = " (the analysis could not tell its code: every call of the app)"
			}
			fmt.Fprintf(b, "  %s: %s%s\n", fn, actions, note)
		}
		if un := cfn.Unscoped(acc); len(un) > 0 {
			fmt.Fprintf(b, "\nUnscoped statements (the resource is not a declared handle or a constant; granted on *):\n")
			for _, u := range un {
				fmt.Fprintf(b, "  %s\n", u)
			}
		}
	}
	var warns []string
	warns = append(warns, r.Warnings...)
	warns = append(warns, r.Stage.Warnings...)
	warns = append(warns, r.Replacements...)
	if len(warns) > 0 {
		fmt.Fprintf(b, "\nWarnings:\n")
		for _, w := range warns {
			fmt.Fprintf(b, "  %s\n", w)
		}
	}
}

// replacementProps are the properties whose change makes CloudFormation
// replace a resource that holds data, by resource type.
var replacementProps = map[string][]string{
	"AWS::DynamoDB::Table":   {"KeySchema", "TableName"},
	"AWS::Cognito::UserPool": {"UsernameAttributes", "AliasAttributes", "UserPoolName"},
	"AWS::SQS::Queue":        {"FifoQueue", "QueueName"},
	"AWS::S3::Bucket":        {"BucketName"},
}

// replacements compares a new template with the previous build's (at
// path; nothing when there is none) and describes each resource holding
// data that the change would replace.
func replacements(path string, newTemplate []byte) []string {
	old, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	before, err := cfnyaml.Parse(old)
	if err != nil {
		return nil
	}
	after, err := cfnyaml.Parse(newTemplate)
	if err != nil {
		return nil
	}
	resources := func(t any) map[string]any {
		m, _ := t.(map[string]any)
		r, _ := m["Resources"].(map[string]any)
		return r
	}
	oldRes, newRes := resources(before), resources(after)
	var out []string
	for _, id := range slices.Sorted(maps.Keys(newRes)) {
		nr, _ := newRes[id].(map[string]any)
		or, _ := oldRes[id].(map[string]any)
		if nr == nil || or == nil || nr["Type"] != or["Type"] {
			continue
		}
		typ, _ := nr["Type"].(string)
		np, _ := nr["Properties"].(map[string]any)
		op, _ := or["Properties"].(map[string]any)
		for _, prop := range replacementProps[typ] {
			if !reflect.DeepEqual(np[prop], op[prop]) {
				policy := "retained: the old one stays, with its data, outside the stack"
				if nr["DeletionPolicy"] != "Retain" {
					policy = "NOT retained (retain_data: false): its data is deleted"
				}
				out = append(out, fmt.Sprintf("%s (%s): %s changed since the last build, so CloudFormation will REPLACE it with an empty one; the old one is %s", id, typ, prop, policy))
				break
			}
		}
	}
	return out
}
