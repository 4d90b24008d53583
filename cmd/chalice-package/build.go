package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gochalice/gochalice/internal/pipeline"
	"github.com/gochalice/gochalice/stages"
)

func newBuildCmd() *cobra.Command {
	var o pipeline.Options
	cmd := &cobra.Command{
		Use:   "build [APP_DIR]",
		Short: "Build the deployment zip and the SAM template of the app in APP_DIR (default .)",
		Example: `  chalice-package build ./samples/hello
  chalice-package build --stage prod --arch x86_64 --template-format json .`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.AppDir = args[0]
			}
			res, err := pipeline.Run(cmd.Context(), o)
			if err != nil {
				return err
			}
			return res.WriteSummary(cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Stage, "stage", stages.DefaultStage, "the stage to build")
	f.StringVar(&o.OutDir, "out", "./"+pipeline.DefaultOutDir, "output directory; the build replaces OUT/<stage>")
	f.StringVar(&o.Arch, "arch", "", fmt.Sprintf("Lambda architecture, %s (default: the stage's, %s unless configured)",
		strings.Join(stages.Architectures, " or "), stages.DefaultArchitecture))
	f.StringVar(&o.TemplateFormat, "template-format", pipeline.DefaultTemplateFormat,
		"template format, "+strings.Join(pipeline.TemplateFormats, " or "))
	return cmd
}
