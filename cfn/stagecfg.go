package cfn

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

// stageCfg is what the stage's per-function settings add to a build: which
// functions share DefaultRole and what that role must allow, and the config
// values (with their positions) whose references are checked once the
// template is complete.
type stageCfg struct {
	defaultRoleUsed bool
	needVPC         bool
	needXRay        bool
	refs            []stages.Value
	generatedRoles  map[string]bool // roles whose policy gochalice writes
}

const tracingActive = "Active"

// value returns what a string-typed goformation field holds for v: the
// literal, or a placeholder for the intrinsic.
func (b *builder) value(v stages.Value) string {
	if !v.IsIntrinsic() {
		return v.Literal
	}
	b.sc.refs = append(b.sc.refs, v)
	return b.in.placeholder(v.Intrinsic)
}

func (b *builder) values(vs []stages.Value) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = b.value(v)
	}
	return out
}

// ownRole reports whether a function gets a role of its own: when its
// policy (a file, or generated) differs from DefaultRole's.
func (b *builder) ownRole(fc stages.FunctionConfig) bool {
	if !fc.RoleARN.IsZero() {
		return false
	}
	if fc.Policy == nil {
		return true // generated: one role per function
	}
	stage := b.st.Defaults.Policy != nil && b.st.Defaults.RoleARN.IsZero()
	return !stage || fc.PolicyFile != b.st.Defaults.PolicyFile
}

// generatedRole returns the logical ID of the role the named function runs
// with when gochalice writes that role's policy (DefaultRole, or the
// function's own generated role), so that the permissions its event sources
// need can be added there. It reports false for a configured role ARN and for
// a role whose policy is the user's file.
func (b *builder) generatedRole(name string) (string, bool) {
	fc := b.st.For(name)
	switch {
	case !fc.RoleARN.IsZero():
		return "", false
	case b.ownRole(fc):
		return b.ids[name] + "Role", fc.Policy == nil
	}
	return idDefaultRole, false // DefaultRole holds the stage's policy file
}

// roleFor returns the Role of a function: the configured role ARN when
// manage_iam_role is false, the function's own role when its policy
// differs from the stage's, else DefaultRole.
func (b *builder) roleFor(fn manifest.Function, fc stages.FunctionConfig) *string {
	switch {
	case !fc.RoleARN.IsZero():
		s := b.value(fc.RoleARN)
		return &s
	case b.ownRole(fc):
		return b.in.placeholderPtr(getAtt(b.ids[fn.Name]+"Role", "Arn"))
	}
	b.sc.defaultRoleUsed = true
	return b.in.placeholderPtr(getAtt(idDefaultRole, "Arn"))
}

// configure applies the stage's settings of one function beyond memory,
// timeout and architecture: tracing, environment and tags holding
// intrinsics, layers, VPC, reserved concurrency, and the function's own log
// group and role.
func (b *builder) configure(f *serverless.Function, fn manifest.Function, fc stages.FunctionConfig) error {
	id := b.ids[fn.Name]
	if fc.XRay {
		f.Tracing = ptr(tracingActive)
	}
	for _, k := range slices.Sorted(maps.Keys(fc.EnvironmentIntrinsics)) {
		if f.Environment == nil {
			f.Environment = &serverless.Function_FunctionEnvironment{Variables: map[string]string{}}
		}
		f.Environment.Variables[k] = b.value(fc.EnvironmentIntrinsics[k])
	}
	for _, k := range slices.Sorted(maps.Keys(fc.TagIntrinsics)) {
		if k == tagKey {
			continue // the forced tag wins
		}
		f.Tags[k] = b.value(fc.TagIntrinsics[k])
	}
	if len(fc.Layers) > 0 {
		f.Layers = b.values(fc.Layers)
	}
	if len(fc.SubnetIDs) > 0 && len(fc.SecurityGroupIDs) > 0 {
		f.VpcConfig = &serverless.Function_VpcConfig{
			SubnetIds:        b.values(fc.SubnetIDs),
			SecurityGroupIds: b.values(fc.SecurityGroupIDs),
		}
	}
	shared := fc.RoleARN.IsZero() && fc.Policy == nil && !b.ownRole(fc)
	b.sc.needVPC = b.sc.needVPC || (shared && f.VpcConfig != nil)
	b.sc.needXRay = b.sc.needXRay || (shared && fc.XRay)
	if fc.ReservedConcurrency != nil {
		f.ReservedConcurrentExecutions = ptr(*fc.ReservedConcurrency)
	}
	lg := &logs.LogGroup{
		LogGroupName:    b.in.placeholderPtr(sub("/aws/lambda/${" + id + "}")),
		RetentionInDays: ptr(cmp.Or(fc.LogRetentionInDays, DefaultLogRetentionInDays)),
	}
	if err := b.addResource(id+"LogGroup", lg); err != nil {
		return err
	}
	if !b.ownRole(fc) {
		return nil
	}
	if fc.Policy != nil {
		if err := b.addResource(id+"Role", policyRole(id+"RolePolicy", fc.Policy)); err != nil {
			return fmt.Errorf("function %q: %w", fn.Name, err)
		}
		return nil
	}
	var code []any
	if fa := b.access(fn.Name); fa != nil {
		code = codeStatements(fa.Calls)
	}
	doc := map[string]any{"Version": policyVersion, "Statement": append(code, extraStatements(f.VpcConfig != nil, fc.XRay)...)}
	if b.sc.generatedRoles == nil {
		b.sc.generatedRoles = map[string]bool{}
	}
	b.sc.generatedRoles[id+"Role"] = true
	if err := b.addResource(id+"Role", policyRole(id+"RolePolicy", doc)); err != nil {
		return fmt.Errorf("function %q: %w", fn.Name, err)
	}
	// The logs statement names the function's own log group, whose name
	// refers to the function, which refers to the role: it is a policy of
	// its own, attached to the role, so that nothing refers to itself.
	logsPolicy := &rawResource{typ: "AWS::IAM::RolePolicy", props: map[string]any{
		"RoleName":   ref(id + "Role"),
		"PolicyName": id + "Logs",
		"PolicyDocument": map[string]any{
			"Version": policyVersion,
			"Statement": []any{map[string]any{
				"Effect":   "Allow",
				"Action":   []any{"logs:CreateLogStream", "logs:PutLogEvents"},
				"Resource": getAtt(id+"LogGroup", "Arn"),
			}},
		},
	}}
	if err := b.addResource(id+"LogsPolicy", logsPolicy); err != nil {
		return fmt.Errorf("function %q: %w", fn.Name, err)
	}
	return nil
}

// pruneEmptyPolicies drops the inline policy of a generated role that has
// no statement (a function that calls nothing, without event sources, VPC
// or tracing: its logs policy is all it needs). IAM rejects an empty
// policy.
func (b *builder) pruneEmptyPolicies() error {
	for id, r := range b.t.Resources {
		role, ok := r.(*iam.Role)
		if !ok || !b.sc.generatedRoles[id] {
			continue
		}
		role.Policies = slices.DeleteFunc(role.Policies, func(p iam.Role_Policy) bool {
			doc, _ := p.PolicyDocument.(map[string]any)
			stmts, isList := doc["Statement"].([]any)
			return isList && len(stmts) == 0
		})
	}
	return nil
}

// extraStatements are the statements VPC access and X-Ray tracing need.
func extraStatements(vpc, xray bool) []any {
	var stmts []any
	if vpc {
		stmts = append(stmts, map[string]any{
			"Effect": "Allow",
			"Action": []any{"ec2:AssignPrivateIpAddresses", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
				"ec2:DescribeNetworkInterfaces", "ec2:UnassignPrivateIpAddresses"},
			"Resource": "*",
		})
	}
	if xray {
		stmts = append(stmts, map[string]any{
			"Effect":   "Allow",
			"Action":   []any{"xray:PutTelemetryRecords", "xray:PutTraceSegments"},
			"Resource": "*",
		})
	}
	return stmts
}

// assumeLambda is the trust policy of every role the template creates.
func assumeLambda() map[string]any {
	return map[string]any{
		"Version": policyVersion,
		"Statement": []any{map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "lambda.amazonaws.com"},
			"Action":    "sts:AssumeRole",
		}},
	}
}

// policyRole is a role whose inline policy is a user's policy document
// (autogen_policy: false).
func policyRole(policyName string, doc map[string]any) *iam.Role {
	return &iam.Role{
		AssumeRolePolicyDocument: assumeLambda(),
		Policies:                 []iam.Role_Policy{{PolicyName: policyName, PolicyDocument: doc}},
	}
}

// adjustDefaultRole gives DefaultRole the stage's policy file when
// autogen_policy is false, else adds the statements that VPC access and
// X-Ray tracing need to the generated policy.
func (b *builder) adjustDefaultRole(r *iam.Role) {
	if b.st.Defaults.Policy != nil && b.st.Defaults.RoleARN.IsZero() {
		r.Policies[0].PolicyDocument = b.st.Defaults.Policy
		return
	}
	doc, _ := r.Policies[0].PolicyDocument.(map[string]any)
	if stmts, ok := doc["Statement"].([]any); ok {
		doc["Statement"] = append(stmts, extraStatements(b.sc.needVPC, b.sc.needXRay)...)
	}
}

// parameters adds the stage's parameters with the stage's defaults.
func (b *builder) parameters() error {
	for _, p := range b.st.Parameters {
		if _, dup := b.t.Parameters[p.Name]; dup {
			return fmt.Errorf("internal error: parameter %q added twice", p.Name)
		}
		cp := cloudformation.Parameter{Type: p.Type, MinLength: p.MinLength, MaxLength: p.MaxLength, MinValue: p.MinValue, MaxValue: p.MaxValue}
		if p.Description != "" {
			cp.Description = ptr(p.Description)
		}
		if p.Default != nil {
			cp.Default = *p.Default
		}
		if p.AllowedPattern != "" {
			cp.AllowedPattern = ptr(p.AllowedPattern)
		}
		if p.ConstraintDescription != "" {
			cp.ConstraintDescription = ptr(p.ConstraintDescription)
		}
		if p.NoEcho {
			cp.NoEcho = ptr(true)
		}
		for _, v := range p.AllowedValues {
			cp.AllowedValues = append(cp.AllowedValues, v)
		}
		b.t.Parameters[p.Name] = cp
	}
	return nil
}

// checkRefs reports every config value that refers to a name that is
// neither a parameter nor a resource of the finished template.
func checkRefs(tree map[string]any, refs []stages.Value) error {
	params, _ := tree["Parameters"].(map[string]any)
	resources, _ := tree["Resources"].(map[string]any)
	var errs []string
	for _, v := range refs {
		for _, name := range v.Refs() {
			base, _, _ := strings.Cut(name, ".")
			if _, ok := params[name]; ok {
				continue
			}
			if _, ok := resources[base]; ok {
				continue
			}
			where := v.Where
			if where == "" {
				where = "config"
			}
			errs = append(errs, fmt.Sprintf("%s: %q is neither a parameter nor a resource of the template (parameters: %s)",
				where, name, orNone(slices.Sorted(maps.Keys(params)))))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("cfn: %s", strings.Join(errs, "\ncfn: "))
	}
	return nil
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}
