package framework

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// TestSignV4 checks the signer against the AWS SigV4 test suite's
// get-vanilla case and against signatures computed by botocore's SigV4Auth.
func TestSignV4(t *testing.T) {
	example := Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	withToken := example
	withToken.SessionToken = "TOKEN123"
	tests := []struct {
		name, method, url, body string
		creds                   Credentials
		region, service         string
		now                     time.Time
		wantAuth                string
	}{
		{
			name: "aws test suite get-vanilla", method: "GET", url: "https://example.amazonaws.com/",
			creds: example, region: "us-east-1", service: "service",
			now:      time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC),
			wantAuth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		},
		{
			name: "botocore get", method: "GET", url: "https://example.amazonaws.com/",
			creds: example, region: "us-east-1", service: "service",
			now:      time.Date(2026, 11, 26, 23, 8, 33, 0, time.UTC),
			wantAuth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=db08af6f666873782ce65cf9c952a3d3881a9816132c717ea065757ade561514",
		},
		{
			name: "botocore post to a connection with a token", method: "POST",
			url: "https://abc123.execute-api.eu-west-1.amazonaws.com/api/@connections/L0SM9cOFvHcCIhw%3D", body: "hello",
			creds: withToken, region: "eu-west-1", service: "execute-api",
			now:      time.Date(2026, 11, 26, 23, 8, 33, 0, time.UTC),
			wantAuth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=232c5ef5dc92e5b253cb5afdc883504cd4550da6c2c398befae336936282b150",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, tt.url, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			signV4(req, []byte(tt.body), tt.creds, tt.region, tt.service, tt.now)
			if got := req.Header.Get("Authorization"); got != tt.wantAuth {
				t.Errorf("Authorization =\n  %s\nwant\n  %s", got, tt.wantAuth)
			}
			if tt.creds.SessionToken != "" && req.Header.Get("X-Amz-Security-Token") != tt.creds.SessionToken {
				t.Errorf("X-Amz-Security-Token = %q", req.Header.Get("X-Amz-Security-Token"))
			}
		})
	}
}

// TestWebSocketClientSend sends through an httptest server that checks the
// request: method, path with the escaped connection id, body and a SigV4
// Authorization header for execute-api.
func TestWebSocketClientSend(t *testing.T) {
	type seen struct {
		method, rawPath, body, auth, date, token string
	}
	var got seen
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = seen{r.Method, r.URL.EscapedPath(), string(b), r.Header.Get("Authorization"), r.Header.Get("X-Amz-Date"), r.Header.Get("X-Amz-Security-Token")}
		w.WriteHeader(status)
		if status != http.StatusOK {
			io.WriteString(w, `{"message":"nope"}`)
		}
	}))
	defer srv.Close()

	c := &WebSocketClient{
		Endpoint:    srv.URL + "/api",
		Region:      "eu-west-1",
		HTTPClient:  srv.Client(),
		Credentials: func() (Credentials, error) { return Credentials{"AKID", "SECRET", "TOKEN"}, nil },
		now:         func() time.Time { return time.Date(2026, 11, 26, 23, 0, 0, 0, time.UTC) },
	}
	if err := c.Send(context.Background(), "L0SM9cOFvHcCIhw=", []byte(`{"msg":"hi"}`)); err != nil {
		t.Fatalf("Send: %v", err)
	}
	want := seen{method: "POST", rawPath: "/api/@connections/L0SM9cOFvHcCIhw%3D", body: `{"msg":"hi"}`, date: "20261126T230000Z", token: "TOKEN"}
	if got.method != want.method || got.rawPath != want.rawPath || got.body != want.body || got.date != want.date || got.token != want.token {
		t.Errorf("request = %+v, want %+v", got, want)
	}
	if !strings.HasPrefix(got.auth, "AWS4-HMAC-SHA256 Credential=AKID/20261126/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=") {
		t.Errorf("Authorization = %q", got.auth)
	}

	if err := c.Disconnect(context.Background(), "abc"); err != nil || got.method != "DELETE" || got.rawPath != "/api/@connections/abc" {
		t.Errorf("Disconnect: err %v, request %+v", err, got)
	}

	status = http.StatusGone
	if err := c.Send(context.Background(), "abc", []byte("x")); !errors.Is(err, ErrConnectionGone) {
		t.Errorf("Send to a gone connection: %v, want ErrConnectionGone", err)
	}
	status = http.StatusForbidden
	if err := c.Send(context.Background(), "abc", []byte("x")); err == nil || !strings.Contains(err.Error(), "403") || !strings.Contains(err.Error(), "nope") {
		t.Errorf("Send on 403: %v, want the status and body", err)
	}

	bad := []struct {
		name    string
		client  *WebSocketClient
		conn    string
		wantErr string
	}{
		{"no connection", c, "", "empty connection id"},
		{"relative endpoint", &WebSocketClient{Endpoint: "/api", Region: "eu-west-1"}, "x", "not an absolute URL"},
		{"no region", &WebSocketClient{Endpoint: srv.URL}, "x", "no region"},
		{"no credentials", &WebSocketClient{Endpoint: srv.URL, Region: "eu-west-1", Credentials: func() (Credentials, error) { return Credentials{}, errors.New("no creds") }}, "x", "no creds"},
	}
	for _, tt := range bad {
		if err := tt.client.Send(context.Background(), tt.conn, nil); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: %v, want an error containing %q", tt.name, err, tt.wantErr)
		}
	}
}

func TestWebSocketClientFor(t *testing.T) {
	t.Setenv("AWS_REGION", "ap-southeast-2")
	var req events.APIGatewayWebsocketProxyRequest
	req.RequestContext.APIID = "a1b2c3"
	req.RequestContext.Stage = "prod"
	c := WebSocketClientFor(req)
	if c.Endpoint != "https://a1b2c3.execute-api.ap-southeast-2.amazonaws.com/prod" || c.Region != "ap-southeast-2" {
		t.Errorf("client = %+v", c)
	}
}
