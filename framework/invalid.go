package framework

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
)

// InvalidEventError is the error a function returns, without running its
// handler, for a payload that is not the event it expects: not JSON, an API
// Gateway function sent something other than a proxy event, or a standalone
// function's payload that does not decode into its handler's event type. On
// Lambda it is the function's result: {"errorType": "InvalidEventError",
// "errorMessage": ...}, and the message says what was expected in JSON
// terms, never in Go type names.
type InvalidEventError struct {
	// Function is the function's name (api_handler for the routes).
	Function string
	// Want describes the event expected, e.g. "a JSON object with fields a, b".
	Want string
	// Problem says what is wrong with the payload, e.g. `field "a" is a
	// string, not a number`.
	Problem string
}

// Error implements error.
func (e *InvalidEventError) Error() string {
	return fmt.Sprintf("function %q expects %s: %s", e.Function, e.Want, e.Problem)
}

// invalidEvent describes why payload did not decode (err is the decoding
// error) as an *InvalidEventError of function name, which wants want.
func invalidEvent(name, want string, payload []byte, err error) *InvalidEventError {
	return &InvalidEventError{Function: name, Want: want, Problem: decodeProblem(payload, err)}
}

// decodeProblem turns an encoding/json error into a sentence about the JSON.
func decodeProblem(payload []byte, err error) string {
	syntax, isSyntax := errors.AsType[*json.SyntaxError](err)
	typ, isType := errors.AsType[*json.UnmarshalTypeError](err)
	switch {
	case len(bytes.TrimSpace(payload)) == 0:
		return "the payload is empty"
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return "the payload is not valid JSON (it ends too early)"
	case isSyntax:
		return fmt.Sprintf("the payload is not valid JSON (%s, at byte %d)", strings.TrimPrefix(syntax.Error(), "invalid character "), syntax.Offset)
	case isType:
		got := jsonValueName(typ.Value)
		if typ.Field == "" {
			return fmt.Sprintf("the payload is %s, not %s", got, jsonKindOf(typ.Type))
		}
		return fmt.Sprintf("field %q is %s, not %s", typ.Field, got, jsonKindOf(typ.Type))
	}
	return "it does not decode: " + strings.TrimPrefix(err.Error(), "json: ")
}

// jsonValueName names the JSON value kinds json.UnmarshalTypeError reports.
func jsonValueName(v string) string {
	switch {
	case v == "object":
		return "an object"
	case v == "array":
		return "a list"
	case v == "bool":
		return "true or false"
	case v == "string":
		return "a string"
	case strings.HasPrefix(v, "number"):
		return "a " + v // "number", "number 1.5"
	}
	return v
}

// jsonKindOf says in JSON terms what a value of Go type t decodes from.
func jsonKindOf(t reflect.Type) string {
	if t == nil {
		return "any JSON value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(jsonUnmarshalerType) || reflect.PointerTo(t).Implements(jsonUnmarshalerType) {
		return "a JSON value"
	}
	switch t.Kind() {
	case reflect.Struct:
		return "a JSON object"
	case reflect.Map:
		return "a JSON object"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && t.Kind() == reflect.Slice {
			return "a base64 string"
		}
		return "a JSON list"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "any JSON value"
}

var jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// describeEvent is what a standalone function's payload must be: its
// kind, and for a struct its top-level JSON field names.
func describeEvent(t reflect.Type) string {
	kind := jsonKindOf(t)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct || kind != "a JSON object" {
		return kind
	}
	var fields []string
	for f := range t.Fields() {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		fields = append(fields, name)
	}
	if len(fields) == 0 || len(fields) > 8 {
		return kind
	}
	return kind + " with fields " + strings.Join(fields, ", ")
}

// decodeChecked serves a standalone function through aws-lambda-go's
// reflection handler; when that fails to decode the payload into the
// handler's event type, the error is replaced by an *InvalidEventError. The
// success path costs nothing extra: the payload is decoded again only after
// a JSON error, to tell the decoding's error from one the handler returned.
type decodeChecked struct {
	name  string
	event reflect.Type // the handler's event argument
	next  lambda.Handler
}

// newDecodeChecked wraps handler (already accepted by checkHandler); it
// returns aws-lambda-go's handler unwrapped when it takes no event.
func newDecodeChecked(name string, handler any) lambda.Handler {
	next := lambda.NewHandler(handler)
	if _, ok := handler.(lambda.Handler); ok {
		return next
	}
	t := reflect.TypeOf(handler)
	if t.NumIn() == 0 || (t.NumIn() == 1 && t.In(0) == contextType) {
		return next
	}
	return decodeChecked{name: name, event: t.In(t.NumIn() - 1), next: next}
}

// Invoke implements lambda.Handler.
func (h decodeChecked) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	out, err := h.next.Invoke(ctx, payload)
	if err == nil || !isDecodeError(err) {
		return out, err
	}
	// aws-lambda-go decodes with a json.Decoder: do the same.
	if derr := json.NewDecoder(bytes.NewReader(payload)).Decode(reflect.New(h.event).Interface()); derr != nil {
		return nil, invalidEvent(h.name, describeEvent(h.event), payload, derr)
	}
	return out, err
}

// isDecodeError reports whether err is what encoding/json returns for a
// payload it cannot decode (not wrapped: aws-lambda-go returns it as is).
func isDecodeError(err error) bool {
	switch err.(type) {
	case *json.SyntaxError, *json.UnmarshalTypeError:
		return true
	}
	return err == io.EOF || err == io.ErrUnexpectedEOF
}
