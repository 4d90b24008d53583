package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/gochalice/gochalice/internal/local"
	"github.com/gochalice/gochalice/stages"
)

func newInvokeCmd() *cobra.Command {
	var o local.InvokeOptions
	var eventFile string
	cmd := &cobra.Command{
		Use:   "invoke NAME [APP_DIR]",
		Short: "Run one function of the app on this machine and print its result",
		Long: `invoke builds the app in APP_DIR (default .) for this machine and runs the
function NAME once, as Lambda would, with the event read from --event (a
file, or - for standard input; default {}), and the stage's environment. It
prints the result JSON; on a function error it prints the error JSON as
Lambda reports it and exits non-zero.`,
		Example: `  chalice-package invoke add_numbers ./samples/hello --event event.json
  chalice-package generate-event sqs --body hi | chalice-package invoke on_job --event - .`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Function = args[0]
			if len(args) == 2 {
				o.AppDir = args[1]
			}
			var err error
			switch eventFile {
			case "":
				o.Event = []byte("{}")
			case "-":
				o.Event, err = io.ReadAll(cmd.InOrStdin())
			default:
				o.Event, err = os.ReadFile(eventFile)
			}
			if err != nil {
				return fmt.Errorf("reading the event: %w", err)
			}
			if !json.Valid(o.Event) {
				name := eventFile
				if name == "-" {
					name = "standard input"
				}
				return fmt.Errorf("the event in %s is not JSON", name)
			}
			return local.Invoke(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Stage, "stage", stages.DefaultStage, "the stage whose settings apply")
	f.StringVar(&eventFile, "event", "", "the event: a JSON file, or - for standard input (default {})")
	return cmd
}
