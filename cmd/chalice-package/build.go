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
  chalice-package build --stage prod --arch x86_64 --template-format json .
  chalice-package build --all-stages --merge-template resources.yaml .`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.AppDir = args[0]
			}
			results, err := pipeline.RunAll(cmd.Context(), o)
			if err != nil {
				return err
			}
			for i, res := range results {
				if i > 0 {
					fmt.Fprintln(cmd.OutOrStdout())
				}
				if err := res.WriteSummary(cmd.OutOrStdout()); err != nil {
					return err
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Stage, "stage", stages.DefaultStage, "the stage to build")
	f.StringVar(&o.OutDir, "out", "./"+pipeline.DefaultOutDir, "output directory; the build replaces OUT/<stage>")
	f.StringVar(&o.Arch, "arch", "", fmt.Sprintf("Lambda architecture, %s; amd64 and aarch64 are accepted too (default: the stage's, %s unless configured)",
		strings.Join(stages.Architectures, " or "), stages.DefaultArchitecture))
	f.StringVar(&o.TemplateFormat, "template-format", pipeline.DefaultTemplateFormat,
		"template format, "+strings.Join(pipeline.TemplateFormats, " or "))
	f.BoolVar(&o.AllStages, "all-stages", false, "build every stage of .chalice/config (one bootstrap per architecture, copied into each OUT/<stage>)")
	f.StringVar(&o.MergeTemplate, "merge-template", "",
		"a JSON or YAML template deep-merged into each generated template (mappings merge, the file wins; lists and scalars are replaced)")
	cmd.MarkFlagsMutuallyExclusive("stage", "all-stages")
	return cmd
}
