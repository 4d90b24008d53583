package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gochalice/gochalice/internal/sdkgen"
)

func newGenerateSDKCmd() *cobra.Command {
	var o sdkgen.Options
	cmd := &cobra.Command{
		Use:   "generate-sdk [APP_DIR]",
		Short: "Write a typed API client (TypeScript or Go) for the app, without a deployment",
		Example: `  chalice-package generate-sdk --lang ts --out web/src/api ./samples/todo
  chalice-package generate-sdk --lang go --out ./todoclient .`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.AppDir = args[0]
			}
			path, err := sdkgen.Generate(cmd.Context(), o)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s\n", path)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Lang, "lang", "", "client language, "+strings.Join(sdkgen.Languages, " or "))
	f.StringVar(&o.OutDir, "out", "./sdk", "directory the client is written to (OUT/"+sdkgen.FileName("ts")+" or OUT/"+sdkgen.FileName("go")+")")
	f.StringVar(&o.Package, "package", "", "package name of a Go client (default: the app name + \"client\")")
	_ = cmd.MarkFlagRequired("lang")
	return cmd
}
