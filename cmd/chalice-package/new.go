package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gochalice/gochalice/framework"
	"github.com/gochalice/gochalice/internal/scaffold"
)

func newNewCmd() *cobra.Command {
	var o scaffold.Options
	cmd := &cobra.Command{
		Use:   "new NAME",
		Short: "Create a new gochalice project in the directory NAME: main.go, main_test.go, .chalice/config.json (dev and prod), .gitignore, go.mod",
		Example: `  chalice-package new hello
  chalice-package new --module example.com/shop ./shop
  go run ./cmd/chalice-package new ../hello     # from a gochalice clone: go.mod replaces gochalice with it`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Dir = args[0]
			o.Version = "v" + framework.Version
			o.GoVersion = goVersion()
			if o.Replace == "" {
				o.Replace = localCheckout(cmd.Context())
			}
			if o.Replace != "" {
				abs, err := filepath.Abs(o.Replace)
				if err != nil {
					return err
				}
				o.Replace = abs
			}
			files, err := scaffold.Write(cmd.Context(), o)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "Created %s: %s\n", o.Dir, strings.Join(files, ", "))
			if o.Replace != "" {
				fmt.Fprintf(w, "gochalice comes from %s (a replace directive in go.mod)\n", o.Replace)
			}
			fmt.Fprintf(w, "\nNext:\n  cd %s\n  go test ./...\n  go tool chalice-package build .\n", o.Dir)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.ModulePath, "module", "", "the new module's path (default: NAME's base name)")
	f.StringVar(&o.Replace, "replace", "", "a local gochalice checkout to use through a replace directive (default: the checkout chalice-package runs in, if any)")
	return cmd
}

// goVersion is the go directive for a new go.mod: this toolchain's
// language version, e.g. 1.26.
func goVersion() string {
	v := strings.TrimPrefix(runtime.Version(), "go")
	parts := strings.SplitN(v, ".", 3)
	if len(parts) >= 2 {
		return parts[0] + "." + strings.TrimFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' })
	}
	return v
}

// localCheckout returns the directory of the gochalice module when the
// current directory is inside a clone of it, "" otherwise.
func localCheckout(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Path}} {{.Dir}}").Output()
	if err != nil {
		return ""
	}
	path, dir, ok := strings.Cut(strings.TrimSpace(string(out)), " ")
	if !ok || path != scaffold.Module {
		return ""
	}
	return dir
}
