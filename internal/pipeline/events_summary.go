package pipeline

import (
	"fmt"
	"strings"

	"github.com/gochalice/gochalice/cfn"
	"github.com/gochalice/gochalice/framework/manifest"
)

// manualSteps lists what CloudFormation cannot do for the app's event
// sources and the user must do once after the first deploy: attach a
// trigger to a user pool outside the stack, add a notification to a bucket
// outside the stack. Each step names the stack output holding the function
// ARN to use.
func manualSteps(m *manifest.Manifest) []string {
	var steps []string
	for _, fn := range m.Functions {
		id := cfn.LogicalID(fn.Name)
		for _, ev := range fn.Events {
			switch {
			case ev.Cognito != nil && ev.Cognito.ExistingPoolARN != "":
				steps = append(steps, fmt.Sprintf("attach function %s (output %s) as the %s trigger of user pool %s",
					fn.Name, id+ev.Cognito.Trigger+"Trigger", ev.Cognito.Trigger, ev.Cognito.ExistingPoolARN))
			case ev.S3 != nil && ev.S3.ExistingBucket != "":
				filter := ""
				if ev.S3.Prefix != "" {
					filter += " prefix " + ev.S3.Prefix
				}
				if ev.S3.Suffix != "" {
					filter += " suffix " + ev.S3.Suffix
				}
				steps = append(steps, fmt.Sprintf("add a notification (%s%s) on bucket %s to function %s (output %s)",
					strings.Join(ev.S3.Events, ","), filter, ev.S3.ExistingBucket, fn.Name, id+"S3Notification"+cfn.LogicalID(ev.S3.ExistingBucket)))
			}
		}
	}
	return steps
}

// writeManualSteps appends the manual steps, if any, to the summary.
func writeManualSteps(b *strings.Builder, m *manifest.Manifest) {
	steps := manualSteps(m)
	if len(steps) == 0 {
		return
	}
	fmt.Fprintf(b, "\nThen, once, outside CloudFormation (the invoke permissions are in the stack):\n")
	for _, s := range steps {
		fmt.Fprintf(b, "  %s\n", s)
	}
}
