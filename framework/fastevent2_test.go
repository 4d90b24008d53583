package framework

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// slowV2 is apiv2.go's encoding/json path alone.
func slowV2(app *App, payload []byte) ([]byte, error) {
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	resp, err := app.serveEventV2(context.Background(), &ev)
	if err != nil {
		return nil, err
	}
	return json.Marshal(toV2Response(resp))
}

// differentialV2 is differential for HTTP API events.
func differentialV2(t *testing.T, app *App, payload []byte) bool {
	t.Helper()
	fast, ok := app.serveHTTPAPI(context.Background(), payload)
	if !ok {
		return false
	}
	slow, err := slowV2(app, payload)
	if err != nil {
		t.Fatalf("the fast path answered %s\nbut encoding/json rejects the event: %v\nevent: %q", fast, err, payload)
	}
	if !bytes.Equal(fast, slow) {
		t.Fatalf("responses differ\nfast: %s\nslow: %s\nevent: %q", fast, slow, payload)
	}
	return true
}

// browserEventV2 is the browser's request of browserEvent as an HTTP API
// delivers it.
const browserEventV2 = `{"version":"2.0","routeKey":"GET /hello/{name}","rawPath":"/hello/gopher","rawQueryString":"a=1&a=2&b=x%2Cy","cookies":["s=1","t=2"],"headers":{"accept":"text/html,application/xhtml+xml,*/*;q=0.8","accept-encoding":"gzip, deflate, br","accept-language":"en-GB,en;q=0.9","content-length":"0","host":"abcdef1234.execute-api.eu-west-1.amazonaws.com","sec-fetch-mode":"navigate","user-agent":"Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0","x-amzn-trace-id":"Root=1-674850a1-2b3c4d5e6f708192a3b4c5d6","x-forwarded-for":"203.0.113.42","x-forwarded-port":"443","x-forwarded-proto":"https"},"queryStringParameters":{"a":"1,2","b":"x,y"},"pathParameters":{"name":"gopher"},"requestContext":{"accountId":"123456789012","apiId":"abcdef1234","domainName":"abcdef1234.execute-api.eu-west-1.amazonaws.com","domainPrefix":"abcdef1234","http":{"method":"GET","path":"/hello/gopher","protocol":"HTTP/1.1","sourceIp":"203.0.113.42","userAgent":"Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0"},"requestId":"CrAbWFmXliAEJtA=","routeKey":"GET /hello/{name}","stage":"$default","time":"28/Nov/2026:10:00:01 +0000","timeEpoch":1795860001123},"isBase64Encoded":false}`

var v2Seeds = []string{
	browserEventV2,
	`{"version":"2.0","routeKey":"GET /hello/{name}","pathParameters":{"name":"x"},"requestContext":{"http":{"method":"get"}}}`,
	`{"version":"2.0","requestContext":{"routeKey":"POST /hello/{name}","http":{"method":"POST"},"authorizer":{"jwt":{"claims":{"sub":"1","email":"a@b"},"scopes":["read",null]}}},"body":"eyJhIjoxfQ==","isBase64Encoded":true}`,
	`{"version":"2.0","routeKey":"GET /","requestContext":{"http":{"method":"GET"},"authorizer":{"lambda":{"user":"u","n":2},"iam":{"userArn":"arn:aws:iam::123456789012:user/x","cognitoIdentity":{"amr":["a"]}}}},"rawQueryString":"%zz","queryStringParameters":{"q":"1","r":null}}`,
	`{"version":"2.0","routeKey":"PUT /upload","requestContext":{"http":{"method":"PUT"}},"headers":{"content-type":"image/png"},"body":"iVBORw0KGgo=","isBase64Encoded":true}`,
	`{"version":"2.0","routeKey":"PUT /upload","requestContext":{"http":{"method":"PUT"}},"headers":{"Content-Type":"application/json"}}`,
	`{"version":"2.0","routeKey":"GET /cors","requestContext":{"http":{"method":"GET"}},"cookies":[],"stageVariables":{}}`,
	`{"version":"2.0","routeKey":"GET /static/{proxy+}","pathParameters":{"proxy":"a/b"},"requestContext":{"http":{"method":"GET"},"timeEpoch":-5},"headers":{"cookie":"x=1"},"cookies":["y=2"]}`,
	`{"version":"2.0","routeKey":"GET /fail","requestContext":{"http":{"method":"GET"}},"stageVariables":{"env":"prod"},"extra":[1,{"a":null}]}`,
	`{"version":"2.0","routeKey":"POST /hello/{name}","requestContext":{"http":{"method":"POST"}},"body":"{\"a\":[1,\"\u00e9\"]}"}`,
}

var v2Declined = []string{
	`{"version":"2.0","routeKey":"PUT /upload","requestContext":{"http":{"method":"PUT"}},"headers":{"content-type":"text/plain","Content-Type":"image/gif"}}`,
	`{"version":"2.0","routeKey":"$default","rawPath":"/hello/x","requestContext":{"http":{"method":"GET"}}}`,
	`{"version":"2.0","routeKey":"GET /nowhere","requestContext":{"http":{"method":"GET"}}}`,
	`{"version":"2.0","routeKey":"DELETE /","requestContext":{"http":{"method":"DELETE"}}}`,
	`{"version":"2.0","routeKey":"GET /","requestContext":{"http":{"method":"GET"}},"headers":{"a":"1","A":"2"}}`,
	`{"version":"2.0","routeKey":"GET /","requestContext":{"http":{"method":"GET"}},"headers":{"Content-Type":"a/b","CONTENT-TYPE":"c/d"}}`,
	`{"version":"2.0","routeKey":"GET /","requestContext":{"http":{"method":"GET"}},"ROUTEKEY":"x"}`,
	`{"version":"2.0","routeKey":"GET /","requestContext":{"http":{"method":"GET"},"timeEpoch":"1"}}`,
	`{"version":"2.0","routeKey":"GET /","requestContext":{"http":{"method":"GET"}},"cookies":"a"}`,
	`{"version":"2.0","routeKey":"GET /","requestContext":{"http":{"method":"GET"},"http":{"path":"/"}}}`,
	`{"version":"2.0","routeKey":"GET /"}`,
}

func TestHTTPAPIFastPathMatchesEncodingJSON(t *testing.T) {
	app := diffApp()
	for _, s := range v2Seeds {
		if !differentialV2(t, app, []byte(s)) {
			t.Errorf("the fast path declined %s", s)
		}
	}
	for _, s := range v2Declined {
		if differentialV2(t, app, []byte(s)) {
			t.Errorf("the fast path took %s", s)
		}
	}
}

func FuzzHTTPAPIFastPath(f *testing.F) {
	for _, s := range append(v2Seeds, v2Declined...) {
		f.Add([]byte(s))
	}
	app := diffApp()
	f.Fuzz(func(t *testing.T, payload []byte) {
		differentialV2(t, app, payload)
	})
}

// BenchmarkDispatchBrowserV2 is BenchmarkDispatchBrowser with the browser's
// request sent by an HTTP API (payload 2.0).
func BenchmarkDispatchBrowserV2(b *testing.B) {
	runBench(b, lambdaHandler(b, benchApp()), []byte(browserEventV2))
}

// The browser's 2.0 event takes the fast path within the allocation budget.
func TestHTTPAPIFastPathAllocs(t *testing.T) {
	app := benchApp()
	h := apiHandler{app}
	payload := []byte(browserEventV2)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := h.Invoke(context.Background(), payload); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 40 {
		t.Errorf("%v allocations per browser event (2.0), want at most 40", allocs)
	}
	if _, ok := app.serveHTTPAPI(context.Background(), payload); !ok {
		t.Error("the browser's 2.0 event did not take the fast path")
	}
}
