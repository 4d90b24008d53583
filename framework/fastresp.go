package framework

import (
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// Response writing without reflection, for the shapes the framework knows:
// the proxy response itself, error bodies and map[string]string view
// results. The output is byte for byte what encoding/json produces (sorted
// map keys, the same escapes); FuzzProxyResponseJSON and FuzzStringMapJSON
// check it.

// appendProxyResponse appends resp as json.Marshal encodes it.
func appendProxyResponse(dst []byte, resp *events.APIGatewayProxyResponse) []byte {
	if dst == nil {
		n := 64 + len(resp.Body) + len(resp.Body)/8
		for k, v := range resp.Headers {
			n += len(k) + len(v) + 6
		}
		dst = make([]byte, 0, n)
	}
	dst = appendResponseFields(dst, resp.StatusCode, resp.Headers, resp.MultiValueHeaders, resp.Body, resp.IsBase64Encoded)
	return append(dst, '}')
}

// appendResponseFields appends the opening brace and the fields both
// response shapes (payload 1.0 and 2.0) share, in their order: statusCode,
// headers, multiValueHeaders, body, and isBase64Encoded when true.
func appendResponseFields(dst []byte, status int, headers map[string]string, multi map[string][]string, body string, isBase64 bool) []byte {
	dst = append(dst, `{"statusCode":`...)
	dst = strconv.AppendInt(dst, int64(status), 10)
	dst = append(dst, `,"headers":`...)
	dst = appendStringMap(dst, headers, true)
	dst = append(dst, `,"multiValueHeaders":`...)
	if multi == nil {
		dst = append(dst, "null"...)
	} else {
		dst = appendStringsMap(dst, multi)
	}
	dst = append(dst, `,"body":`...)
	dst = appendJSONString(dst, body, true)
	if isBase64 {
		dst = append(dst, `,"isBase64Encoded":true`...)
	}
	return dst
}

// appendStringsMap appends a non-nil map[string][]string as json.Marshal
// encodes it.
func appendStringsMap(dst []byte, m map[string][]string) []byte {
	dst = append(dst, '{')
	var arr [16]string
	for i, k := range sortedKeys(arr[:0], m) {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, k, true)
		dst = append(dst, ':')
		if m[k] == nil {
			dst = append(dst, "null"...)
			continue
		}
		dst = appendStrings(dst, m[k])
	}
	return append(dst, '}')
}

// appendStrings appends a non-nil []string as json.Marshal encodes it.
func appendStrings(dst []byte, vs []string) []byte {
	dst = append(dst, '[')
	for j, v := range vs {
		if j > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, v, true)
	}
	return append(dst, ']')
}

// appendStringMap appends m as encoding/json encodes a map[string]string
// (null for nil).
func appendStringMap(dst []byte, m map[string]string, escapeHTML bool) []byte {
	if m == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '{')
	var arr [16]string
	for i, k := range sortedKeys(arr[:0], m) {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, k, escapeHTML)
		dst = append(dst, ':')
		dst = appendJSONString(dst, m[k], escapeHTML)
	}
	return append(dst, '}')
}

// sortedKeys appends m's keys to keys, sorted; give it a stack buffer.
func sortedKeys[V any](keys []string, m map[string]V) []string {
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string the way encoding/json writes
// one: \" \\ \b \f \n \r \t, other control characters as \u00XX, invalid
// UTF-8 as \ufffd, U+2028 and U+2029 escaped, and with escapeHTML also <, >
// and & as \u003c, \u003e and \u0026.
func appendJSONString(dst []byte, s string, escapeHTML bool) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!escapeHTML || c != '<' && c != '>' && c != '&') {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
