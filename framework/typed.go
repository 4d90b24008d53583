package framework

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/gochalice/gochalice/framework/manifest"
)

// NoBody is the request type of a typed view that reads no body (a GET or
// DELETE, say): its request body is ignored and none is documented.
type NoBody struct{}

// Validator is implemented by request types that check themselves. A typed
// view calls Validate after decoding the body; an error is answered with 400
// and its message (or with its own status when it is an *Error).
type Validator interface {
	Validate() error
}

// TypedRoute registers a typed view: fn receives the request body decoded
// into an In and returns an Out, sent as JSON with status 200. In and Out
// are the route's contract: their JSON Schemas go into the manifest, hence
// into the template's Swagger, the OpenAPI document and the generated
// clients.
//
// The body is decoded strictly: malformed JSON, data after the JSON value,
// a field In does not have and a missing required field (one that is not a
// pointer and has no omitempty) are each a 400 naming the problem, before fn
// runs. If In (or *In) is a Validator, Validate runs next. Use NoBody as In
// for a view without a body.
//
//	framework.TypedRoute(app, "/todos", createTodo, framework.Methods("POST"))
//
//	func createTodo(r *framework.Request, in NewTodo) (Todo, error) { ... }
//
// Options, path rules and registration errors are those of App.Route.
func TypedRoute[In, Out any](a *App, path string, fn func(*Request, In) (Out, error), opts ...RouteOption) {
	if fn == nil {
		a.errorf("route %s: the handler is nil", path)
		return
	}
	c := &contract{typed: true}
	inType, outType := reflect.TypeFor[In](), reflect.TypeFor[Out]()
	noBody := inType == reflect.TypeFor[NoBody]()
	var err error
	if !noBody {
		if c.request, err = a.schemas.of(inType); err != nil {
			a.errorf("route %s: request type: %v", path, err)
			return
		}
	}
	switch outType {
	case reflect.TypeFor[Response](), reflect.TypeFor[*Response](), reflect.TypeFor[any]():
		c.response = &manifest.Schema{}
	default:
		if c.response, err = a.schemas.of(outType); err != nil {
			a.errorf("route %s: response type: %v", path, err)
			return
		}
	}
	models := &a.schemas.models
	rawOut := outType == reflect.TypeFor[string]() || outType == reflect.TypeFor[[]byte]()
	h := func(r *Request) (any, error) {
		var in In
		if !noBody {
			if err := decodeStrict(r.Body, c.request, *models, &in); err != nil {
				return nil, err
			}
			if err := validate(&in); err != nil {
				return nil, err
			}
		}
		out, err := fn(r, in)
		if err != nil || !rawOut {
			return out, err
		}
		// A string or []byte result is a JSON value like any other, as the
		// schema says, not a raw body.
		s, err := encodeJSON(out)
		return json.RawMessage(s), err
	}
	a.route(path, h, funcName(fn), c, opts)
}

// validate runs the Validate method of *in or in, if any.
func validate(in any) error {
	v, ok := in.(Validator)
	if !ok {
		v, ok = reflect.ValueOf(in).Elem().Interface().(Validator)
	}
	if !ok {
		return nil
	}
	err := v.Validate()
	if err == nil {
		return nil
	}
	if _, ok := asHTTPError(err); ok {
		return err
	}
	return BadRequest(err.Error())
}

// decodeStrict decodes body into v, whose schema is s: the body must be one
// JSON value matching s's fields (no unknown field, every required one
// present and not null) and v's types.
func decodeStrict(body []byte, s *manifest.Schema, models map[string]*manifest.Schema, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return BadRequest("Error Parsing JSON: the request body is empty")
	}
	var generic any
	if err := json.Unmarshal(body, &generic); err != nil {
		return syntaxError(body)
	}
	if generic == nil && !s.IsAny() {
		return BadRequest("Error Parsing JSON: the request body is null")
	}
	if checkShape(generic, s, models, "", false) != "" {
		// Walk again in key order, so that the message names the first
		// problem in sorted order, the same for every request.
		return BadRequest(checkShape(generic, s, models, "", true))
	}
	// checkShape refused every field the type does not have (with exact
	// case), so the case-insensitive json.Unmarshal sees only known fields.
	if err := json.Unmarshal(body, v); err != nil {
		if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
			where := te.Field
			if where == "" {
				where = "the body"
			} else {
				where = "field " + strconv.Quote(where)
			}
			return BadRequest(fmt.Sprintf("%s: want %s, got JSON %s", where, jsonKind(te.Type), te.Value))
		}
		return BadRequest("Error Parsing JSON: " + strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// syntaxError explains why body is not one JSON value, for the error path
// of decodeStrict.
func syntaxError(body []byte) error {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&v); err != nil {
		return BadRequest("Error Parsing JSON: " + strings.TrimPrefix(err.Error(), "json: "))
	}
	return BadRequest(fmt.Sprintf("Error Parsing JSON: unexpected data after the JSON value at offset %d", dec.InputOffset()))
}

// checkShape walks a decoded JSON value along its schema and returns a
// message naming the first unknown or missing field, or "". With sorted, the
// keys of each object are visited in order (deterministic, slower).
func checkShape(v any, s *manifest.Schema, models map[string]*manifest.Schema, at string, sorted bool) string {
	for s != nil && s.Ref != "" {
		s = models[s.Ref]
	}
	if s == nil {
		return ""
	}
	switch v := v.(type) {
	case map[string]any:
		if s.Type != manifest.TypeObject {
			return ""
		}
		if sorted {
			for _, k := range slices.Sorted(maps.Keys(v)) {
				if msg := checkField(v, k, s, models, at, sorted); msg != "" {
					return msg
				}
			}
		} else {
			for k := range v {
				if msg := checkField(v, k, s, models, at, sorted); msg != "" {
					return msg
				}
			}
		}
		if s.AdditionalProperties != nil {
			return ""
		}
		var missing []string
		for _, name := range s.Required {
			if x, ok := v[name]; !ok || x == nil {
				missing = append(missing, strconv.Quote(join(at, name)))
			}
		}
		switch len(missing) {
		case 0:
		case 1:
			return "missing required field " + missing[0]
		default:
			return "missing required fields " + strings.Join(missing, ", ")
		}
	case []any:
		if !hasFields(s.Items) {
			return ""
		}
		for i, x := range v {
			if msg := checkShape(x, s.Items, models, fmt.Sprintf("%s[%d]", at, i), sorted); msg != "" {
				return msg
			}
		}
	}
	return ""
}

// hasFields reports whether values of schema s may hold objects, whose
// fields checkShape checks.
func hasFields(s *manifest.Schema) bool {
	return s != nil && (s.Ref != "" || s.Type == manifest.TypeObject || s.Type == manifest.TypeArray)
}

// checkField checks the field k of the object v, whose schema is s.
func checkField(v map[string]any, k string, s *manifest.Schema, models map[string]*manifest.Schema, at string, sorted bool) string {
	fs := s.AdditionalProperties
	if fs == nil {
		i := slices.IndexFunc(s.Properties, func(p manifest.Property) bool { return p.Name == k })
		if i < 0 {
			return fmt.Sprintf("unknown field %q", join(at, k))
		}
		fs = s.Properties[i].Schema
	}
	if !hasFields(fs) {
		return ""
	}
	return checkShape(v[k], fs, models, join(at, k), sorted)
}

func join(at, name string) string {
	if at == "" {
		return name
	}
	return at + "." + name
}

// jsonKind names the JSON type a Go type decodes from, for messages.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "a boolean"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	if isIntKind(t.Kind()) {
		return "an integer"
	}
	if t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64 {
		return "a number"
	}
	return t.String()
}

// contract is what a view declares about its API beyond its settings: its
// docs and, for a typed view, its body schemas.
type contract struct {
	summary, description string
	query                []manifest.QueryParam
	typed                bool
	request, response    *manifest.Schema
}

// Doc documents a route: summary is one line, description any length (as
// Chalice takes them from the view's docstring). They become the operation's
// summary and description in the template's Swagger, the OpenAPI document
// and the generated clients.
func Doc(summary, description string) RouteOption {
	return func(o *routeOptions) { o.summary, o.description = summary, description }
}

// QueryParam documents an optional query string parameter of a route: it
// appears in the OpenAPI document and as an optional argument of the
// generated clients' method. Read it with Request.Query.
func QueryParam(name, description string) RouteOption {
	return func(o *routeOptions) {
		o.query = append(o.query, manifest.QueryParam{Name: name, Description: description})
	}
}

// describe adds the contract to a view's manifest entry.
func (c *contract) describe(v *manifest.View) {
	v.Summary, v.Description = c.summary, c.description
	v.Query = slices.Clone(c.query)
	v.Typed, v.Request, v.Response = c.typed, c.request, c.response
}

// operationIDs names every operation, by method and path ("GET /todos"):
// the Go name of its view (createTodo for main.createTodo, get for a method
// value of (*store).get), or, for a closure or a name several operations
// share (a view registered for two methods), the method and the path's
// segments (postTodos, getTodosID). Every ID is unique.
func (a *App) operationIDs() map[string]string {
	type op struct {
		v            *view
		method, path string
	}
	var ops []op
	for _, path := range slices.Sorted(maps.Keys(a.router.byPath)) {
		r := a.router.byPath[path]
		for _, m := range r.methods() {
			ops = append(ops, op{r.views[m], m, path})
		}
	}
	count := map[string]int{}
	for _, o := range ops {
		count[goIdent(o.v.name)]++
	}
	ids := map[string]string{}
	used := map[string]bool{}
	for _, o := range ops {
		id := goIdent(o.v.name)
		if id == "" || count[id] > 1 {
			id = pathIdent(o.method, o.path)
		}
		base := id
		for i := 2; used[id]; i++ {
			id = fmt.Sprintf("%s%d", base, i)
		}
		used[id] = true
		ids[o.method+" "+o.path] = id
	}
	return ids
}

// goIdent returns the identifier at the end of a Go function name
// (main.createTodo → createTodo, main.(*store).get-fm → get), or "" for a
// closure (main.main.func1) or a generic adapter.
func goIdent(name string) string {
	name = strings.TrimSuffix(name, "-fm")
	id := name[strings.LastIndex(name, ".")+1:]
	if id == "" || strings.HasPrefix(id, "func") && strings.Trim(id[4:], "0123456789") == "" || !isParamName(id) {
		return ""
	}
	return id
}

// pathIdent names an operation by its method and path: GET /todos/{id} →
// getTodosID.
func pathIdent(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for seg := range strings.SplitSeq(path, "/") {
		seg = strings.Trim(seg, "{}+")
		for part := range strings.FieldsFuncSeq(seg, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') }) {
			if strings.EqualFold(part, "id") {
				b.WriteString("ID")
				continue
			}
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
