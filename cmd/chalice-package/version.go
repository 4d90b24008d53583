package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/gochalice/gochalice/framework"
)

// version is the gochalice version this binary was built from: the
// framework's Version, which the template's gochalice tag also records. When
// the module was installed at a tagged or pseudo-version, that is added in
// parentheses.
func version() string {
	v := framework.Version
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" && bi.Main.Version != "v"+v {
		v += " (module " + bi.Main.Version + ")"
	}
	return v
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of chalice-package (the framework version templates record)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "chalice-package %s\n", version())
			return err
		},
	}
}
