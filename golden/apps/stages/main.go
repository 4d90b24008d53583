// Command stages is a golden fixture for .chalice/config.json: dev and prod
// stages with different memory, environment, tags, VPC and log retention, a
// parameter with per-stage defaults used through {"Ref": ...}, intrinsics in
// environment variables, tags, layers and a role ARN, per-function overrides
// at the top level and in a stage, a function with its own policy file, one
// with a role it does not manage, and a merge template (merge.yaml) adding a
// table and outputs.
package main

import (
	"context"
	"os"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	app := framework.New("shop")
	app.Route("/orders", orders, framework.Methods("GET", "POST"))
	// nightly_report answers with the settings it runs with, so the
	// end-to-end test can check that the stage's values reach it.
	app.LambdaFunction("nightly_report", func(ctx context.Context) (map[string]string, error) {
		return map[string]string{"LOG_LEVEL": os.Getenv("LOG_LEVEL"), "SHOP_URL": os.Getenv("SHOP_URL")}, nil
	})
	app.LambdaFunction("resize-image", func(ctx context.Context, in map[string]any) (map[string]any, error) { return in, nil })
	app.Run()
}

func orders(r *framework.Request) (any, error) { return []string{}, nil }
