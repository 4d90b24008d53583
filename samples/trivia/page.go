package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"html/template"

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
	cfg, err := json.Marshal(PageConfig{CognitoEndpoint: g.pool.Endpoint(), ClientID: client})
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
		"Content-Security-Policy": "default-src 'self'; connect-src 'self' https://cognito-idp.*.amazonaws.com; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
	}}, nil
}

func script(r *framework.Request) (any, error) {
	return &framework.Response{StatusCode: 200, Body: string(appJS), Headers: map[string]string{
		"Content-Type":  "text/javascript; charset=utf-8",
		"Cache-Control": "no-cache",
	}}, nil
}
