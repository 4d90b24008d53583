// Command httpapi is a golden fixture: the front door of the secure sample
// on an HTTP API stage (api_gateway_type "http"): JWT authorizers from a
// declared user pool and from a pool ARN, built-in Lambda authorizers (token
// and request), IAM authorization, one CORS configuration, a greedy route,
// throttling, access logs and a custom domain.
package main

import "github.com/gochalice/gochalice/framework"

func main() {
	app := framework.New("bookshop")
	readers := app.UserPool("readers", framework.WithAppClient())
	app.CognitoAuthorizer("readers", framework.ProviderPool(readers))
	app.CognitoAuthorizer("partners",
		framework.ProviderARNs("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123"),
		framework.Audience("4example5client6id7abcdefgh"),
		framework.AudienceParameter("PartnerAppClientId"))
	app.Authorizer("token_auth", checkToken, framework.TTL(60))
	app.Authorizer("key_auth", checkToken, framework.IdentitySources("method.request.header.X-Token", "method.request.querystring.key"), framework.TTL(0))
	app.IAMAuthorizer("iam")

	cors := framework.CORS(framework.CORSConfig{
		AllowOrigin:   "https://shop.example.com",
		AllowHeaders:  []string{"X-Request-Id"},
		ExposeHeaders: []string{"X-Total-Count"},
		MaxAge:        600,
	})
	app.Route("/", index)
	app.Route("/books", index, framework.Methods("GET", "POST"), cors)
	app.Route("/books/{id}", index, cors)
	app.Route("/files/{proxy+}", index)
	app.Route("/me", index, framework.WithAuthorizer("readers", "books/read"))
	app.Route("/partner", index, framework.WithAuthorizer("partners"))
	app.Route("/private", index, framework.WithAuthorizer("token_auth"))
	app.Route("/keyed", index, framework.WithAuthorizer("key_auth"))
	app.Route("/admin", index, framework.WithAuthorizer("iam"), framework.Methods("DELETE"))
	app.Run()
}

func checkToken(r *framework.AuthRequest) (*framework.AuthResponse, error) {
	if r.Token == "allow" {
		return framework.Allow("user-1", "*"), nil
	}
	return framework.Deny("anonymous"), nil
}

func index(r *framework.Request) (any, error) { return map[string]string{"path": r.Path}, nil }
