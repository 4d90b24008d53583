package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"html/template"
	"net/url"

	"github.com/gochalice/gochalice/framework"
)

// The page is served by the app itself: GET / is web/index.html with the
// pool's settings in a JSON block, GET /app.js the compiled script
// (web/app.ts, the Cognito client and the page, compiled by tsc; see
// script_test.go, which regenerates it).
var (
	//go:embed web/index.html
	indexHTML string
	//go:embed web/app.js
	appJS []byte

	indexTemplate = template.Must(template.New("index").Parse(indexHTML))
)

// PageConfig is what the page needs at run time to call Cognito.
type PageConfig struct {
	// CognitoEndpoint is the Cognito user pool API the page calls.
	CognitoEndpoint string `json:"cognitoEndpoint"`
	// ClientID is the pool's app client.
	ClientID string `json:"clientId"`
}

func (g *game) index(r *framework.Request) (any, error) {
	client, err := g.pool.ClientID()
	if err != nil {
		return nil, err
	}
	endpoint := g.pool.Endpoint()
	cfg, err := json.Marshal(PageConfig{CognitoEndpoint: endpoint, ClientID: client})
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	// html/template escapes the JSON for the <script> element it is in.
	if err := indexTemplate.Execute(&out, template.JS(cfg)); err != nil {
		return nil, err
	}
	return &framework.Response{StatusCode: 200, Body: out.String(), Headers: map[string]string{
		"Content-Type":            "text/html; charset=utf-8",
		"Content-Security-Policy": contentPolicy(endpoint),
	}}, nil
}

// contentPolicy lets the page load only its own script and call only its
// own origin and the Cognito endpoint (a relative endpoint is 'self').
func contentPolicy(endpoint string) string {
	connect := "'self'"
	if u, err := url.Parse(endpoint); err == nil && u.Scheme == "https" && u.Host != "" {
		connect += " https://" + u.Host
	}
	return "default-src 'self'; connect-src " + connect + "; img-src 'self' data:; style-src 'self' 'unsafe-inline'"
}

func script(r *framework.Request) (any, error) {
	return &framework.Response{StatusCode: 200, Body: string(appJS), Headers: map[string]string{
		"Content-Type":  "text/javascript; charset=utf-8",
		"Cache-Control": "no-cache",
	}}, nil
}
