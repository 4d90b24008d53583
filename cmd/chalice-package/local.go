package main

import (
	"github.com/spf13/cobra"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/local"
	"github.com/gochalice/gochalice/stages"
)

func newLocalCmd() *cobra.Command {
	var o local.Options
	var noReload bool
	cmd := &cobra.Command{
		Use:   "local [APP_DIR]",
		Short: "Serve the app in APP_DIR (default .) on this machine through an emulation of API Gateway",
		Long: `local builds the app for this machine and serves it through the same API
Gateway emulation chalicetest uses (routes, 403s, CORS preflight, API keys,
authorizers, binary types, timeouts), with the stage's environment from
.chalice/config.*; a stage with api_gateway_type http is served as an HTTP
API (payload 2.0). It also serves the Lambda Invoke API at
POST /2015-03-31/functions/NAME/invocations, for aws lambda invoke
--endpoint-url and the SDKs. On a change to a .go file of the app's module or
to .chalice/, it rebuilds and swaps the app without dropping the socket; a
build that fails leaves the previous one serving. Stop it with Ctrl-C.`,
		Example: `  chalice-package local ./samples/hello
  chalice-package local --stage prod --port 9000 --api-key secret .
  aws lambda invoke --endpoint-url http://127.0.0.1:8000 --function-name add_numbers --payload '{"a":1,"b":2}' out.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.AppDir = args[0]
			}
			o.Reload = !noReload
			return local.Serve(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Stage, "stage", stages.DefaultStage, "the stage whose settings apply")
	f.StringVar(&o.Host, "host", "127.0.0.1", "the address to listen on")
	f.IntVar(&o.Port, "port", 8000, "the port to listen on (0 picks a free one)")
	f.BoolVar(&noReload, "no-reload", false, "do not rebuild when files change")
	f.StringSliceVar(&o.APIKeys, "api-key", nil, "an accepted x-api-key value (repeatable; default: any non-empty key)")
	f.StringVar(&o.JWKSFile, "jwks", "", "a JSON Web Key Set file Cognito tokens are verified against (default: decoded, not verified)")
	f.StringVar(&o.CognitoEndpoint, "cognito-endpoint", "", "a local service speaking Cognito's user pool API (e.g. moto): each declared pool's API is served at "+manifest.LocalCognitoPath+"POOL, forwarded there, with the pool's triggers run locally")
	f.StringVar(&o.JWTIssuer, "jwt-issuer", "", "on an HTTP API stage, the issuer JWT authorizers accept (default: the authorizer's pool ARN, literal or a parameter's value)")
	f.StringSliceVar(&o.JWTAudience, "jwt-audience", nil, "on an HTTP API stage, an audience (app client ID) JWT authorizers accept (repeatable; default: the authorizer's own)")
	return cmd
}
