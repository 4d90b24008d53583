// Package sdkgen writes typed API clients for an app from its manifest,
// offline: a TypeScript module (fetch, no runtime dependencies) and a Go
// package (net/http). Each route method becomes one method named after its
// operation ID, each model one type, and an error answer a typed error
// carrying the status, Code and Message.
package sdkgen

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/gochalice/gochalice/framework/manifest"
)

// Languages are the accepted values of Options.Lang.
var Languages = []string{"ts", "go"}

// op is one operation of the API, as the generators see it.
type op struct {
	id                   string // operation ID, lowerCamelCase
	method, path         string // path as registered, e.g. /files/{path+}
	params               []string
	greedy               map[string]bool
	query                []manifest.QueryParam
	summary, description string
	typed                bool
	hasBody              bool             // the method sends a body
	request, response    *manifest.Schema // nil: any JSON
	contentType          string           // of the request body
}

// operations lists the app's operations sorted by path and method.
func operations(m *manifest.Manifest) ([]op, error) {
	if !m.HasAPI() {
		return nil, fmt.Errorf("app %s has no routes: there is no API to write a client for", m.App)
	}
	var ops []op
	ids := map[string]string{}
	for _, r := range m.Routes {
		views := map[string]manifest.View{}
		for _, v := range r.Views {
			views[strings.ToUpper(v.Method)] = v
		}
		for _, method := range r.Methods {
			method = strings.ToUpper(method)
			v := views[method]
			o := op{
				id: v.OperationID, method: method, path: r.Path, params: r.Params, greedy: map[string]bool{},
				query: v.Query, summary: v.Summary, description: v.Description, typed: v.Typed,
				request: v.Request, response: v.Response, contentType: "application/json",
			}
			if o.id == "" {
				o.id = fallbackID(method, r.Path)
			}
			if !isIdent(o.id) {
				return nil, fmt.Errorf("route %s %s: operation ID %q is not an identifier", method, r.Path, o.id)
			}
			if prev, dup := ids[o.id]; dup {
				return nil, fmt.Errorf("route %s %s: operation ID %q is also the ID of %s", method, r.Path, o.id, prev)
			}
			ids[o.id] = method + " " + r.Path
			for _, p := range r.Params {
				o.greedy[p] = strings.Contains(r.Path, "{"+p+"+}")
			}
			o.hasBody = v.Typed && v.Request != nil || !v.Typed && slices.Contains([]string{"PATCH", "POST", "PUT"}, method)
			if len(v.ContentTypes) > 0 && !v.Typed {
				o.contentType = v.ContentTypes[0]
			}
			for _, s := range []*manifest.Schema{v.Request, v.Response} {
				var err error
				s.Refs(func(name string) {
					if m.Models[name] == nil && err == nil {
						err = fmt.Errorf("route %s %s: the manifest has no model %q", method, r.Path, name)
					}
				})
				if err != nil {
					return nil, err
				}
			}
			ops = append(ops, o)
		}
	}
	return ops, nil
}

// fallbackID names an operation without an ID: GET /todos/{id} → getTodosId.
func fallbackID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, w := range words(path) {
		b.WriteString(upperFirst(w))
	}
	return b.String()
}

// words splits a name into its alphanumeric words.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

func isIdent(s string) bool {
	for i, r := range s {
		if !(unicode.IsLetter(r) || r == '_' || i > 0 && unicode.IsDigit(r)) {
			return false
		}
	}
	return s != ""
}

// usedModels returns the names of the models the operations use, sorted.
func usedModels(m *manifest.Manifest, ops []op) []string {
	var roots []*manifest.Schema
	for _, o := range ops {
		roots = append(roots, o.request, o.response)
	}
	used := m.ModelsUsedBy(roots...)
	used[manifest.ErrorModel] = false // the client's error type stands for it
	var names []string
	for name, ok := range used {
		if ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// comment wraps text as comment lines with prefix (e.g. "// " or " * ").
func comment(prefix, text string) string {
	var b strings.Builder
	for line := range strings.SplitSeq(strings.TrimSpace(text), "\n") {
		b.WriteString(strings.TrimRight(prefix+line, " ") + "\n")
	}
	return b.String()
}
