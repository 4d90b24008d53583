package pipeline

import (
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"
)

// WriteSummary prints what was built and the commands that deploy it.
func (r *Result) WriteSummary(w io.Writer) error {
	m := r.Manifest
	var b strings.Builder
	fmt.Fprintf(&b, "Built app %s, stage %s, arch %s\n", m.App, r.Stage.Name, r.Arch)

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\nFunctions (%d):\n", len(m.Functions))
	for _, f := range m.Functions {
		fmt.Fprintf(tw, "  %s\t%s\n", f.Handler, triggers(m, f))
	}
	if len(m.Routes) > 0 {
		fmt.Fprintf(tw, "\nRoutes (%d):\n", len(m.Routes))
		for _, rt := range m.Routes {
			fmt.Fprintf(tw, "  %s\t%s\n", strings.Join(rt.Methods, ","), rt.Path)
		}
	}
	fmt.Fprintf(tw, "\nDeployment package:\t%s (%d bytes, %s)\n", r.ZipPath, r.ZipSize, humanBytes(r.ZipSize))
	fmt.Fprintf(tw, "Template:\t%s\n", r.TemplatePath)
	if r.ParametersPath != "" {
		fmt.Fprintf(tw, "Parameters:\t%s\n", r.ParametersPath)
	}
	if r.APIDefinitionPath != "" {
		fmt.Fprintf(tw, "API definition:\t%s (the template is over 1 MiB with it inline; it includes this file, which aws cloudformation package uploads)\n", r.APIDefinitionPath)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	exp := expectedResources(m)
	if r.Stage.API.AccessLog != nil && !r.Stage.API.HTTP() && m.HasAPI() {
		exp = append(exp, "API Gateway's CloudWatch Logs role for access logs (once per account and region: aws apigateway update-account, cloudwatchRoleArn)")
	}
	if len(exp) > 0 {
		fmt.Fprintf(&b, "\nThe stack expects these to exist already (it uses them but does not create them):\n")
		for _, e := range exp {
			fmt.Fprintf(&b, "  %s\n", e)
		}
	}

	packaged := filepath.Join(r.Dir, "packaged.yaml")
	fmt.Fprintf(&b, "\nNext steps:\n")
	fmt.Fprintf(&b, "  aws cloudformation package --template-file %s --s3-bucket YOUR_BUCKET --output-template-file %s\n",
		shellQuote(r.TemplatePath), shellQuote(packaged))
	fmt.Fprintf(&b, "  aws cloudformation deploy --template-file %s --stack-name %s --capabilities CAPABILITY_IAM",
		shellQuote(packaged), StackName(m.App, r.Stage.Name))
	if r.ParametersPath != "" {
		fmt.Fprintf(&b, " --parameter-overrides %s", shellQuote("file://"+r.ParametersPath))
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "  (YOUR_BUCKET: an S3 bucket of yours in the stack's region, where package uploads the zip; make one once with aws s3 mb s3://NAME)\n")
	writeManualSteps(&b, m)
	stack := StackName(m.App, r.Stage.Name)
	if m.HasAPI() {
		fmt.Fprintf(&b, "\nThe API's base URL, once deployed:\n")
		fmt.Fprintf(&b, "  aws cloudformation describe-stacks --stack-name %s --query \"Stacks[0].Outputs[?OutputKey=='EndpointURL'].OutputValue\" --output text\n", stack)
	}
	fmt.Fprintf(&b, "\nTo delete the stack:\n  aws cloudformation delete-stack --stack-name %s\n", stack)
	if len(m.Buckets) > 0 || len(m.UserPools) > 0 {
		fmt.Fprintf(&b, "  (the app's buckets and user pools are retained: delete them yourself if you mean to)\n")
	}
	writeIAMSummary(&b, r)
	_, err := io.WriteString(w, b.String())
	return err
}

var notStackChar = regexp.MustCompile(`[^A-Za-z0-9-]`)

// StackName is the suggested CloudFormation stack name, <app>-<stage>, with
// characters a stack name cannot hold (such as '_') replaced by '-'.
func StackName(app, stage string) string {
	return notStackChar.ReplaceAllString(app+"-"+stage, "-")
}

// humanBytes formats n in binary units: 2.6 MiB.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for q := n / unit; q >= unit; q /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

// shellQuote quotes s for a POSIX shell if it needs it.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
