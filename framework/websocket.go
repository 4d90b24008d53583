package framework

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// ErrConnectionGone is returned (wrapped) by WebSocketClient.Send and
// Disconnect when the connection is closed (API Gateway answers 410).
var ErrConnectionGone = errors.New("the WebSocket connection is gone")

// Credentials are AWS credentials to sign requests with.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
}

// EnvCredentials reads the credentials Lambda gives every function:
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
func EnvCredentials() (Credentials, error) {
	c := Credentials{
		AccessKeyID:     os.Getenv("AWS_ACCESS_KEY_ID"),
		SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken:    os.Getenv("AWS_SESSION_TOKEN"),
	}
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return Credentials{}, errors.New("no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
	}
	return c, nil
}

// WebSocketClient sends messages to the clients of a WebSocket API through
// the API Gateway Management API, with requests signed (SigV4) by the
// function's own credentials. The template gives DefaultRole the
// execute-api:ManageConnections permission it needs. It uses only the
// standard library, so it adds nothing to the bootstrap's dependencies.
type WebSocketClient struct {
	// Endpoint is the management API's base URL,
	// https://{api-id}.execute-api.{region}.amazonaws.com/{stage}.
	Endpoint string
	// Region is the API's region, used to sign requests.
	Region string
	// HTTPClient sends the requests; nil means http.DefaultClient.
	HTTPClient *http.Client
	// Credentials returns the credentials to sign with; nil means
	// EnvCredentials.
	Credentials func() (Credentials, error)

	now func() time.Time // for tests; nil means time.Now
}

// NewWebSocketClient returns a client for the stage of the WebSocket API
// apiID in region.
func NewWebSocketClient(apiID, region, stage string) *WebSocketClient {
	return &WebSocketClient{
		Endpoint: fmt.Sprintf("https://%s.execute-api.%s.amazonaws.com/%s", apiID, region, stage),
		Region:   region,
	}
}

// WebSocketClientFor returns a client for the API and stage that sent req,
// in the function's region (AWS_REGION):
//
//	func onMessage(ctx context.Context, req events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
//		err := framework.WebSocketClientFor(req).Send(ctx, req.RequestContext.ConnectionID, []byte("echo: "+req.Body))
//		return events.APIGatewayProxyResponse{StatusCode: 200}, err
//	}
func WebSocketClientFor(req events.APIGatewayWebsocketProxyRequest) *WebSocketClient {
	return NewWebSocketClient(req.RequestContext.APIID, os.Getenv("AWS_REGION"), req.RequestContext.Stage)
}

// Send posts data to the connection.
func (c *WebSocketClient) Send(ctx context.Context, connectionID string, data []byte) error {
	return c.do(ctx, http.MethodPost, connectionID, data)
}

// Disconnect closes the connection.
func (c *WebSocketClient) Disconnect(ctx context.Context, connectionID string) error {
	return c.do(ctx, http.MethodDelete, connectionID, nil)
}

func (c *WebSocketClient) do(ctx context.Context, method, connectionID string, body []byte) error {
	if connectionID == "" {
		return errors.New("websocket: empty connection id")
	}
	base, err := url.Parse(c.Endpoint)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return fmt.Errorf("websocket: endpoint %q is not an absolute URL", c.Endpoint)
	}
	if c.Region == "" {
		return errors.New("websocket: no region to sign the request for (set WebSocketClient.Region or AWS_REGION)")
	}
	getCreds := c.Credentials
	if getCreds == nil {
		getCreds = EnvCredentials
	}
	creds, err := getCreds()
	if err != nil {
		return fmt.Errorf("websocket: %w", err)
	}
	u := *base
	u.RawPath = strings.TrimSuffix(base.EscapedPath(), "/") + "/@connections/" + escapeRFC3986(connectionID, false)
	u.Path, _ = url.PathUnescape(u.RawPath)
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("websocket: %w", err)
	}
	now := time.Now
	if c.now != nil {
		now = c.now
	}
	signV4(req, body, creds, c.Region, "execute-api", now())
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("websocket: %s %s: %w", method, connectionID, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	switch {
	case resp.StatusCode == http.StatusGone:
		return fmt.Errorf("websocket: connection %s: %w", connectionID, ErrConnectionGone)
	case resp.StatusCode/100 != 2:
		return fmt.Errorf("websocket: %s to connection %s: %s: %s", method, connectionID, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}

// signV4 signs req with AWS Signature Version 4, signing the host,
// x-amz-date and, with a session token, x-amz-security-token headers.
func signV4(req *http.Request, body []byte, creds Credentials, region, service string, now time.Time) {
	now = now.UTC()
	amzDate := now.Format("20060102T150405Z")
	day := now.Format("20060102")
	req.Header.Set("X-Amz-Date", amzDate)
	if creds.SessionToken != "" {
		req.Header.Set("X-Amz-Security-Token", creds.SessionToken)
	}
	headers := map[string]string{"host": req.URL.Host}
	for k, vs := range req.Header {
		lk := strings.ToLower(k)
		if lk == "x-amz-date" || lk == "x-amz-security-token" {
			headers[lk] = strings.TrimSpace(strings.Join(vs, ","))
		}
	}
	names := slices.Sorted(maps.Keys(headers))
	var canonHeaders strings.Builder
	for _, k := range names {
		canonHeaders.WriteString(k + ":" + headers[k] + "\n")
	}
	signed := strings.Join(names, ";")
	payloadHash := sha256.Sum256(body)
	canonical := strings.Join([]string{
		req.Method,
		escapeRFC3986(req.URL.EscapedPath(), true),
		canonicalQuery(req.URL.Query()),
		canonHeaders.String(),
		signed,
		hex.EncodeToString(payloadHash[:]),
	}, "\n")
	scope := day + "/" + region + "/" + service + "/aws4_request"
	crHash := sha256.Sum256([]byte(canonical))
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(crHash[:])
	key := hmacSHA256([]byte("AWS4"+creds.SecretAccessKey), day)
	key = hmacSHA256(key, region)
	key = hmacSHA256(key, service)
	key = hmacSHA256(key, "aws4_request")
	sig := hex.EncodeToString(hmacSHA256(key, toSign))
	req.Header.Set("Authorization", fmt.Sprintf("AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s", creds.AccessKeyID, scope, signed, sig))
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

func canonicalQuery(q url.Values) string {
	var parts []string
	for k, vs := range q {
		for _, v := range vs {
			parts = append(parts, escapeRFC3986(k, false)+"="+escapeRFC3986(v, false))
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, "&")
}

// escapeRFC3986 percent-encodes every byte but the unreserved characters
// (and '/' when keepSlash is set), as SigV4 requires.
func escapeRFC3986(s string, keepSlash bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == '/' && keepSlash:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
