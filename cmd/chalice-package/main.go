// Command chalice-package builds a gochalice app into a deployment package
// and an AWS SAM template, ready for `aws cloudformation package` and
// `aws cloudformation deploy`. It never calls AWS itself.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if code, print := exitCode(err); code != 0 {
		if print {
			fmt.Fprintf(os.Stderr, "chalice-package: %v\n", err)
		}
		os.Exit(code)
	}
}

// run executes the command line args; main turns its error into exit 1.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	return root.ExecuteContext(ctx)
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "chalice-package",
		Short: "Package a gochalice app for AWS Lambda and CloudFormation",
		Long: `chalice-package builds a gochalice app into OUT/<stage>/deployment.zip (one
static bootstrap serving every function) and OUT/<stage>/template.yaml (an AWS
SAM template), which you deploy with the AWS CLI.`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("chalice-package {{.Version}}\n")
	root.AddCommand(newBuildCmd(), newNewCmd(), newLocalCmd(), newInvokeCmd(), newGenerateEventCmd(), newVersionCmd(), newPolicyCmd(), newDiffCmd(), newOpenAPICmd(), newGenerateSDKCmd())
	return root
}
