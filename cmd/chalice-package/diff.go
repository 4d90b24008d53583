package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gochalice/gochalice/internal/review"
)

// exitDiffError is the exit status of a diff that could not run (bad
// input): 1 and 2 already mean "changes" and "risk".
const exitDiffError = 3

// exitStatus is an error that carries the process's exit status. With a
// nil err nothing is printed: the command has written its output.
type exitStatus struct {
	code int
	err  error
}

func (e *exitStatus) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitStatus) Unwrap() error { return e.err }

// exitCode returns the exit status for err (0 for nil, 1 by default) and
// whether err has a message to print.
func exitCode(err error) (code int, print bool) {
	var es *exitStatus
	switch {
	case err == nil:
		return 0, false
	case errors.As(err, &es):
		return es.code, es.err != nil
	}
	return 1, true
}

func newDiffCmd() *cobra.Command {
	var format, failOn string
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Review what changes from one SAM template to another, with risk levels",
		Long: `diff compares two SAM templates (files, or out/<stage>/ directories) and prints
a review grouped by concern: API, IAM, functions, events, data (with every
change that makes CloudFormation replace a resource), parameters and outputs.
Each finding is info, review or risk.

Exit status: 0 no change, 1 changes, 2 at least one risk, 3 the review could
not run. With --fail-on, only findings at or above that level count.`,
		Example: `  chalice-package diff golden/template.yaml out/dev
  chalice-package diff --format markdown --fail-on risk main.yaml out/prod/template.yaml`,
		Args: func(cmd *cobra.Command, args []string) error {
			if err := cobra.ExactArgs(2)(cmd, args); err != nil {
				return &exitStatus{exitDiffError, err}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			threshold := review.Info
			if failOn != "" {
				if failOn != "review" && failOn != "risk" {
					return &exitStatus{exitDiffError, fmt.Errorf("--fail-on: unknown level %q (want review or risk)", failOn)}
				}
				threshold, _ = review.ParseLevel(failOn)
			}
			rep, err := review.Files(args[0], args[1])
			if err != nil {
				return &exitStatus{exitDiffError, err}
			}
			if err := rep.Write(cmd.OutOrStdout(), format); err != nil {
				return &exitStatus{exitDiffError, err}
			}
			if code := rep.ExitCode(threshold); code != 0 {
				return &exitStatus{code: code}
			}
			return nil
		},
	}
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &exitStatus{exitDiffError, err} })
	cmd.Flags().StringVar(&format, "format", "text", "output format, "+strings.Join(review.Formats, ", "))
	cmd.Flags().StringVar(&failOn, "fail-on", "", "exit non-zero only for findings at or above this level: review or risk")
	return cmd
}
