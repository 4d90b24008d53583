package cfn

import "github.com/awslabs/goformation/v7/cloudformation/iam"

const (
	policyVersion     = "2012-10-17"
	defaultPolicyName = "DefaultRolePolicy"
	// logsResource is every log group and stream of the account, in the
	// stack's partition.
	logsResource = "arn:${AWS::Partition}:logs:*:*:*"
)

// role adds DefaultRole, the one execution role every function shares. It
// has no RoleName, so the stack deploys with CAPABILITY_IAM alone.
func (b *builder) role() error {
	if !b.sc.defaultRoleUsed {
		return nil // every function has its own role or a given one
	}
	r := &iam.Role{
		AssumeRolePolicyDocument: map[string]any{
			"Version": policyVersion,
			"Statement": []any{map[string]any{
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "lambda.amazonaws.com"},
				"Action":    "sts:AssumeRole",
			}},
		},
		Policies: []iam.Role_Policy{{
			PolicyName: defaultPolicyName,
			PolicyDocument: map[string]any{
				"Version": policyVersion,
				"Statement": []any{map[string]any{
					"Effect":   "Allow",
					"Action":   []any{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
					"Resource": sub(logsResource),
				}},
			},
		}},
	}
	b.adjustDefaultRole(r)
	return b.addResource(idDefaultRole, r)
}
