// Command apiconfig is a golden fixture: the REST API settings that come from
// .chalice/config.json (endpoint type, VPC endpoints, resource policy,
// compression, X-Ray, a custom domain and a usage plan with an API key), per
// stage.
package main

import "github.com/gochalice/gochalice/framework"

func main() {
	app := framework.New("partners")
	app.Route("/orders", orders, framework.APIKeyRequired())
	app.Route("/health", health)
	app.Run()
}

func orders(r *framework.Request) (any, error) { return []string{}, nil }

func health(r *framework.Request) (any, error) { return "ok", nil }
