package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gochalice/gochalice/framework/testevents"
)

func newGenerateEventCmd() *cobra.Command {
	var a testevents.Args
	cmd := &cobra.Command{
		Use:   "generate-event TYPE",
		Short: "Print a sample event of TYPE (" + strings.Join(testevents.Types, ", ") + ")",
		Long: `generate-event prints the event an AWS service sends a function, with
realistic fields: the same builders chalicetest offers to tests. Feed it to
chalice-package invoke --event -.`,
		Example: `  chalice-package generate-event sqs --body hello --body world
  chalice-package generate-event s3 --bucket photos --key cat.png
  chalice-package generate-event eventbridge --source app.orders --detail-type OrderPlaced --detail '{"id":7}'
  chalice-package generate-event cognito --trigger PreSignUp --attr email=ann@example.com`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: testevents.Types,
		RunE: func(cmd *cobra.Command, args []string) error {
			ev, err := testevents.Event(args[0], a)
			if err != nil {
				return err
			}
			b, err := json.MarshalIndent(ev, "", "  ")
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s\n", b)
			return err
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&a.Bodies, "body", []string{"hello"}, "a message body (sqs, sns, kinesis, websocket; repeatable)")
	f.StringVar(&a.Bucket, "bucket", "bucket", "the bucket (s3)")
	f.StringVar(&a.Key, "key", "key.txt", "the object key (s3)")
	f.StringVar(&a.Source, "source", "app.events", "the source (eventbridge)")
	f.StringVar(&a.DetailType, "detail-type", "Event", "the detail type (eventbridge)")
	f.StringVar(&a.Detail, "detail", "{}", "the detail JSON (eventbridge)")
	f.StringVar(&a.Trigger, "trigger", "PreSignUp", "the trigger: "+strings.Join(testevents.CognitoTriggers, ", ")+" (cognito)")
	f.StringToStringVar(&a.Attributes, "attr", map[string]string{"email": "user@example.com"}, "attributes name=value (cognito: user attributes; dynamodb: the item)")
	f.StringVar(&a.RouteKey, "route", "$default", "the route key (websocket)")
	f.StringVar(&a.Connection, "connection", "conn-1", "the connection id (websocket)")
	return cmd
}
