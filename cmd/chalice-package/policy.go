package main

import (
	"github.com/spf13/cobra"

	"github.com/gochalice/gochalice/internal/policy"
	"github.com/gochalice/gochalice/stages"
)

func newPolicyCmd() *cobra.Command {
	var o policy.Options
	cmd := &cobra.Command{
		Use:   "policy [APP_DIR]",
		Short: "Print each function's generated IAM policy and the call site behind every action",
		Example: `  chalice-package policy ./samples/users
  chalice-package policy --stage prod --function api_handler .`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.AppDir = args[0]
			}
			return policy.Write(cmd.Context(), cmd.OutOrStdout(), o)
		},
	}
	cmd.Flags().StringVar(&o.Stage, "stage", stages.DefaultStage, "the stage whose config applies")
	cmd.Flags().StringVar(&o.Function, "function", "", "only this function")
	return cmd
}
