package framework

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// Response is a full HTTP response a view can return instead of a bare value.
type Response struct {
	// StatusCode is the HTTP status; 0 means 200.
	StatusCode int
	// Headers are the response headers. Content-Type defaults to
	// application/json for a JSON body, text/plain; charset=utf-8 for a
	// string and application/octet-stream for []byte.
	Headers map[string]string
	// Body is the payload: a string or []byte is sent as is, nil as an empty
	// body, anything else encoded as JSON. A []byte body whose Content-Type is
	// a binary media type is sent base64-encoded, as API Gateway requires.
	Body any
	// MultiValueHeaders are headers with several values (Set-Cookie, for
	// example), sent as the proxy response's multiValueHeaders.
	MultiValueHeaders map[string][]string
}

// Content types.
const (
	contentTypeJSON   = "application/json"
	contentTypeText   = "text/plain; charset=utf-8"
	contentTypeBinary = "application/octet-stream"
)

// BinaryMediaTypes are the media types API Gateway treats as binary: a []byte
// body with one of these Content-Types is base64-encoded. They match
// Chalice's defaults and the template's x-amazon-apigateway-binary-media-types.
var BinaryMediaTypes = []string{
	"application/octet-stream", "application/x-tar", "application/zip",
	"audio/basic", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/wav", "audio/webm",
	"image/png", "image/jpg", "image/jpeg", "image/gif",
	"video/ogg", "video/mpeg", "video/webm",
}

// encodeResult turns a view's result into the proxy response.
// extraBinary are the app's binary media types beyond BinaryMediaTypes.
func encodeResult(result any, extraBinary ...string) (*events.APIGatewayProxyResponse, error) {
	var resp Response
	switch v := result.(type) {
	case *Response:
		if v == nil {
			return nil, fmt.Errorf("the view returned a nil *Response")
		}
		resp = *v
	case Response:
		resp = v
	default:
		resp.Body = result
	}
	out := &events.APIGatewayProxyResponse{StatusCode: resp.StatusCode}
	if out.StatusCode == 0 {
		out.StatusCode = http.StatusOK
	}
	out.Headers = make(map[string]string, len(resp.Headers)+1)
	contentType := ""
	for k, v := range resp.Headers {
		out.Headers[k] = v
		if strings.EqualFold(k, "Content-Type") {
			contentType = v
		}
	}
	if len(resp.MultiValueHeaders) > 0 {
		out.MultiValueHeaders = make(map[string][]string, len(resp.MultiValueHeaders))
		for k, vs := range resp.MultiValueHeaders {
			out.MultiValueHeaders[k] = slices.Clone(vs)
			if contentType == "" && strings.EqualFold(k, "Content-Type") && len(vs) > 0 {
				contentType = vs[0]
			}
		}
	}
	setType := func(def string) string {
		if contentType == "" {
			contentType = def
			out.Headers["Content-Type"] = def
		}
		return contentType
	}
	switch b := resp.Body.(type) {
	case nil:
	case string:
		setType(contentTypeText)
		out.Body = b
	case []byte:
		if isBinaryType(setType(contentTypeBinary), extraBinary...) || !utf8.Valid(b) {
			out.Body = base64.StdEncoding.EncodeToString(b)
			out.IsBase64Encoded = true
		} else {
			out.Body = string(b)
		}
	case json.RawMessage:
		setType(contentTypeJSON)
		out.Body = string(b)
	default:
		setType(contentTypeJSON)
		s, err := encodeJSON(b)
		if err != nil {
			return nil, fmt.Errorf("encoding the response body as JSON: %w", err)
		}
		out.Body = s
	}
	return out, nil
}

// encodeJSON encodes v without escaping HTML characters (as Chalice's
// json.dumps does) and without the encoder's trailing newline.
func encodeJSON(v any) (string, error) {
	if m, ok := v.(map[string]string); ok {
		return string(appendStringMap(nil, m, false)), nil // fastresp.go
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

func isBinaryType(contentType string, extra ...string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return slices.Contains(BinaryMediaTypes, mt) || slices.Contains(extra, mt)
}

// errorResponse answers an error with Chalice's body shape.
func errorResponse(e *Error, extra map[string]string) *events.APIGatewayProxyResponse {
	b := append(make([]byte, 0, 24+len(e.Code)+len(e.Message)), `{"Code":`...)
	b = appendJSONString(b, e.Code, false)
	b = append(b, `,"Message":`...)
	b = appendJSONString(b, e.Message, false)
	body := string(append(b, '}'))
	h := map[string]string{"Content-Type": contentTypeJSON}
	for k, v := range extra {
		h[k] = v
	}
	return &events.APIGatewayProxyResponse{StatusCode: e.StatusCode, Headers: h, Body: body}
}
