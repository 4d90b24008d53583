package main

import (
	"github.com/spf13/cobra"

	"github.com/gochalice/gochalice/internal/atomicfile"
	"github.com/gochalice/gochalice/internal/openapi"
	"github.com/gochalice/gochalice/stages"
)

func newOpenAPICmd() *cobra.Command {
	var o openapi.Options
	var out string
	cmd := &cobra.Command{
		Use:   "openapi [APP_DIR]",
		Short: "Write the OpenAPI 3 document of the app's REST API (stdout by default)",
		Example: `  chalice-package openapi ./samples/todo
  chalice-package openapi --stage prod --format json --out openapi.json .`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.AppDir = args[0]
			}
			doc, err := openapi.Generate(cmd.Context(), o)
			if err != nil {
				return err
			}
			if out == "" {
				_, err = cmd.OutOrStdout().Write(doc)
				return err
			}
			return atomicfile.Write(out, doc)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Stage, "stage", stages.DefaultStage, "the stage whose URL the document's servers give")
	f.StringVar(&o.Format, "format", "yaml", "output format, yaml or json")
	f.StringVar(&out, "out", "", "write the document to this file instead of stdout")
	return cmd
}
