package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework"
	"github.com/gochalice/gochalice/framework/manifest"
)

// gateway is a test-only stand-in for API Gateway in front of the app (until
// framework/chalicetest serves apps over HTTP): it matches a request to a
// route of the manifest, refuses a missing API key with 403 as API Gateway
// does, turns the request into a REST proxy event and answers with what
// App.Invoke returns.
type gateway struct {
	app    *framework.App
	routes []manifest.Route
	apiKey string
}

func newGateway(t *testing.T, app *framework.App, apiKey string) *gateway {
	t.Helper()
	m, err := app.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	return &gateway{app: app, routes: m.Routes, apiKey: apiKey}
}

// match finds the route of a concrete path, the one with the most literal
// segments when several match.
func (g *gateway) match(path string) (*manifest.Route, map[string]string) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	var best *manifest.Route
	var bestParams map[string]string
	bestLiterals := -1
	for i := range g.routes {
		r := &g.routes[i]
		params, literals, ok := matchPattern(strings.Split(strings.Trim(r.Path, "/"), "/"), parts)
		if ok && literals > bestLiterals {
			best, bestParams, bestLiterals = r, params, literals
		}
	}
	return best, bestParams
}

// matchPattern matches path segments against a pattern's segments.
func matchPattern(pat, parts []string) (params map[string]string, literals int, ok bool) {
	params = map[string]string{}
	for j, seg := range pat {
		if strings.HasSuffix(seg, "+}") { // greedy: the rest, at least one segment
			if j >= len(parts) {
				return nil, 0, false
			}
			params[strings.Trim(seg, "{}+")] = strings.Join(parts[j:], "/")
			return params, literals, true
		}
		if j >= len(parts) {
			return nil, 0, false
		}
		switch {
		case strings.HasPrefix(seg, "{"):
			params[strings.Trim(seg, "{}")] = parts[j]
		case seg == parts[j]:
			literals++
		default:
			return nil, 0, false
		}
	}
	return params, literals, len(pat) == len(parts)
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r, params := g.match(req.URL.Path)
	if r == nil {
		http.Error(w, `{"message":"Missing Authentication Token"}`, http.StatusForbidden)
		return
	}
	for _, v := range r.Views {
		if strings.EqualFold(v.Method, req.Method) && v.APIKeyRequired && req.Header.Get("x-api-key") != g.apiKey {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"message":"Forbidden"}`)
			return
		}
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ev := events.APIGatewayProxyRequest{
		Resource: r.Path, Path: req.URL.Path, HTTPMethod: req.Method, Body: string(body),
		Headers: map[string]string{}, MultiValueHeaders: map[string][]string(req.Header),
		QueryStringParameters: map[string]string{}, MultiValueQueryStringParameters: req.URL.Query(),
		PathParameters: params,
		RequestContext: events.APIGatewayProxyRequestContext{ResourcePath: r.Path, HTTPMethod: req.Method, Stage: "api"},
	}
	for k, vs := range req.Header {
		ev.Headers[k] = vs[len(vs)-1]
	}
	for k, vs := range req.URL.Query() {
		ev.QueryStringParameters[k] = vs[len(vs)-1]
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	out, err := g.app.Invoke(context.Background(), "api_handler", payload)
	if err != nil {
		http.Error(w, `{"message":"Internal server error"}`, http.StatusBadGateway)
		return
	}
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		w.Header()[http.CanonicalHeaderKey(k)] = vs
	}
	w.WriteHeader(resp.StatusCode)
	if resp.IsBase64Encoded {
		b, _ := base64.StdEncoding.DecodeString(resp.Body)
		w.Write(b)
		return
	}
	io.WriteString(w, resp.Body)
}
