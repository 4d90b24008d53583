package stages

import (
	"maps"
	"slices"
	"strings"
)

// LocalEnvironment returns the environment variables the template gives the
// named function, for running it on this machine: literal values as they
// are, a Ref to a template parameter replaced by the parameter's default,
// and a Fn::Sub of parameters and pseudo parameters (AWS::Region as
// us-east-1, AWS::AccountId as 123456789012) expanded. unresolved names,
// sorted, the variables whose value only exists once deployed (a Ref to a
// resource, a Fn::GetAtt, a parameter without default); they are left out.
func (s Stage) LocalEnvironment(function string) (env map[string]string, unresolved []string) {
	fc := s.For(function)
	env = maps.Clone(fc.Environment)
	if env == nil {
		env = map[string]string{}
	}
	for _, name := range slices.Sorted(maps.Keys(fc.EnvironmentIntrinsics)) {
		if v, ok := s.localValue(fc.EnvironmentIntrinsics[name].Intrinsic); ok {
			env[name] = v
		} else {
			unresolved = append(unresolved, name)
		}
	}
	return env, unresolved
}

// localPseudo are the pseudo parameters' values on this machine.
var localPseudo = map[string]string{
	"AWS::Region":    "us-east-1",
	"AWS::AccountId": "123456789012",
	"AWS::Partition": "aws",
	"AWS::URLSuffix": "amazonaws.com",
}

func (s Stage) localValue(x map[string]any) (string, bool) {
	if len(x) != 1 {
		return "", false
	}
	param := func(name string) (string, bool) {
		if v, ok := localPseudo[name]; ok {
			return v, true
		}
		if name == "AWS::StackName" {
			return "local-" + s.Name, true
		}
		for _, p := range s.Parameters {
			if p.Name == name && p.Default != nil {
				return *p.Default, true
			}
		}
		return "", false
	}
	if ref, ok := x["Ref"].(string); ok {
		return param(ref)
	}
	format, ok := x["Fn::Sub"].(string)
	if !ok {
		return "", false
	}
	resolved := true
	out := subVar.ReplaceAllStringFunc(format, func(m string) string {
		v, ok := param(strings.TrimSpace(m[2 : len(m)-1]))
		if !ok {
			resolved = false
		}
		return v
	})
	return strings.ReplaceAll(out, "${!", "${"), resolved
}
