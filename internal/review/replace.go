package review

import (
	"sort"
	"strings"
)

//go:generate go test -run TestCreateOnlyTable -update .

// samResource says what a SAM resource type becomes after the transform and
// which of its properties carry over to the properties of that type whose
// change replaces the resource (SAM property → CloudFormation property).
type samResource struct {
	cfnType string
	props   map[string]string
}

// samResources maps the SAM types whose replacement the review can tell.
var samResources = map[string]samResource{
	"AWS::Serverless::Function": {cfnType: "AWS::Lambda::Function",
		props: map[string]string{"FunctionName": "FunctionName", "PackageType": "PackageType"}},
	"AWS::Serverless::SimpleTable": {cfnType: "AWS::DynamoDB::Table",
		props: map[string]string{"TableName": "TableName", "PrimaryKey": "KeySchema"}},
	"AWS::Serverless::StateMachine": {cfnType: "AWS::StepFunctions::StateMachine",
		props: map[string]string{"Name": "StateMachineName", "Type": "StateMachineType"}},
	"AWS::Serverless::Api":     {cfnType: "AWS::ApiGateway::RestApi"},
	"AWS::Serverless::HttpApi": {cfnType: "AWS::ApiGatewayV2::Api"},
}

// knownGaps lists properties whose change replaces the resource (the
// CloudFormation resource reference says "Update requires: Replacement",
// or the service cannot change them) although the resource schemas do
// not mark them createOnly. A test fails when a schema starts listing one,
// so the list only holds real gaps.
var knownGaps = map[string][]string{
	// DynamoDB cannot change a table's primary key or local secondary
	// indexes after creation.
	"AWS::DynamoDB::Table":       {"KeySchema", "LocalSecondaryIndexes"},
	"AWS::DynamoDB::GlobalTable": {"KeySchema", "LocalSecondaryIndexes"},
	// Cognito cannot change how users sign in (alias and username
	// attributes) after a user pool is created.
	"AWS::Cognito::UserPool": {"AliasAttributes", "UsernameAttributes"},
}

// tableTypes are the resource types whose createOnly properties
// createonly_gen.go holds: every type the review names, and what the SAM
// types become.
func tableTypes() []string {
	set := map[string]bool{}
	for t := range kinds {
		if !strings.HasPrefix(t, "AWS::Serverless::") {
			set[t] = true
		}
	}
	for _, s := range samResources {
		set[s.cfnType] = true
	}
	var out []string
	for t := range set {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// replacingPaths returns the property paths of a resource of type typ
// whose change replaces it (slash-separated, * for every list element).
func replacingPaths(typ string) []string {
	cfnType, rename := typ, map[string]string(nil)
	if s, ok := samResources[typ]; ok {
		cfnType, rename = s.cfnType, s.props
	}
	var out []string
	for _, p := range append(append([]string{}, createOnly[cfnType]...), knownGaps[cfnType]...) {
		if rename != nil {
			first, rest, _ := strings.Cut(p, "/")
			found := false
			for samName, cfnName := range rename {
				if cfnName == first {
					p, found = samName, true
					if rest != "" {
						p += "/" + rest
					}
					break
				}
			}
			if !found {
				continue
			}
		}
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// valueAt returns the value at a slash-separated path of properties; a *
// segment maps the rest of the path over a list.
func valueAt(v any, p string) any {
	if p == "" {
		return v
	}
	seg, rest, _ := strings.Cut(p, "/")
	if seg == "*" {
		l, ok := v.([]any)
		if !ok {
			return nil
		}
		out := make([]any, len(l))
		for i, e := range l {
			out[i] = valueAt(e, rest)
		}
		return out
	}
	m := mapOf(v)
	if m == nil {
		return nil
	}
	return valueAt(m[seg], rest)
}

// replacement returns the properties of a resource present on both sides
// whose change makes CloudFormation replace it, described for the reader.
func replacement(o, n *Resource) (changes []string, paths []path) {
	for _, p := range replacingPaths(n.Type) {
		a, b := valueAt(o.Props, p), valueAt(n.Props, p)
		if equal(a, b) {
			continue
		}
		name := strings.ReplaceAll(p, "/", ".")
		top, _, _ := strings.Cut(p, "/")
		paths = append(paths, path{"Properties", top})
		if secretish(n.Type, path{"Properties", top}) {
			changes = append(changes, name+" changed")
			continue
		}
		changes = append(changes, name+" "+show(a)+" → "+show(b))
	}
	return changes, paths
}
