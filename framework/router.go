package framework

import (
	"fmt"
	"slices"
	"strings"
)

// segment is one part of a resource path between slashes.
type segment struct {
	literal string // set for a literal segment
	param   string // set for a capture: {name} or {name+}
	greedy  bool   // {name+}: matches the rest of the path
}

func (s segment) String() string {
	switch {
	case s.greedy:
		return "{" + s.param + "+}"
	case s.param != "":
		return "{" + s.param + "}"
	}
	return s.literal
}

// parsePath splits a resource pattern such as /users/{id}/files/{proxy+} into
// segments and checks it against API Gateway's rules for resource paths.
func parsePath(path string) ([]segment, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("path %q must start with \"/\"", path)
	}
	if path == "/" {
		return nil, nil
	}
	if strings.HasSuffix(path, "/") {
		return nil, fmt.Errorf("path %q must not end with \"/\"", path)
	}
	parts := strings.Split(path[1:], "/")
	segs := make([]segment, 0, len(parts))
	seen := map[string]bool{}
	for i, p := range parts {
		if p == "" {
			return nil, fmt.Errorf("path %q has an empty segment", path)
		}
		if !strings.ContainsAny(p, "{}") {
			if j := strings.IndexFunc(p, func(r rune) bool { return !isLiteralChar(r) }); j >= 0 {
				return nil, fmt.Errorf("path %q: segment %q has character %q; literal segments may use letters, digits, '-', '_' and '.'", path, p, p[j:j+1])
			}
			segs = append(segs, segment{literal: p})
			continue
		}
		if p[0] != '{' || p[len(p)-1] != '}' || strings.Count(p, "{") != 1 || strings.Count(p, "}") != 1 {
			return nil, fmt.Errorf("path %q: segment %q must be a literal or a whole capture such as {name}", path, p)
		}
		name := p[1 : len(p)-1]
		greedy := strings.HasSuffix(name, "+")
		name = strings.TrimSuffix(name, "+")
		if !isParamName(name) {
			return nil, fmt.Errorf("path %q: invalid capture name %q (use letters, digits and '_', not starting with a digit)", path, p)
		}
		if greedy && i != len(parts)-1 {
			return nil, fmt.Errorf("path %q: greedy capture %q must be the last segment", path, p)
		}
		if seen[name] {
			return nil, fmt.Errorf("path %q: capture {%s} appears twice", path, name)
		}
		seen[name] = true
		segs = append(segs, segment{param: name, greedy: greedy})
	}
	return segs, nil
}

func isLiteralChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
}

func isParamName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// route is one resource path and the views registered on it.
type route struct {
	path     string
	segments []segment
	params   []string
	views    map[string]*view // by upper-case method
}

// methods returns the route's methods, sorted.
func (r *route) methods() []string {
	ms := make([]string, 0, len(r.views))
	for m := range r.views {
		ms = append(ms, m)
	}
	slices.Sort(ms)
	return ms
}

// view is a handler registered for one method of one route.
type view struct {
	handler  Handler
	name     string // the Go function name, for messages
	front    viewSettings
	contract *contract // docs and body schemas
}

// node is a node of the routing tree: one segment position under a parent.
type node struct {
	literals map[string]*node
	capture  *node   // the single variable child, if any
	seg      segment // the capture's segment, when this node is a capture
	owner    string  // the first route path that created this capture node
	route    *route  // the route ending here, if any
}

// router holds the routes both by pattern (Lambda dispatch) and as a tree
// (matching concrete paths, checking API Gateway's sibling rules).
type router struct {
	root   node
	byPath map[string]*route
}

// add inserts a route's path into the tree, creating its route if needed. It
// enforces API Gateway's rule that the variable children of one resource share
// one name.
func (rt *router) add(path string, segs []segment) (*route, error) {
	if r, ok := rt.byPath[path]; ok {
		return r, nil
	}
	n := &rt.root
	for _, s := range segs {
		if s.param == "" {
			child := n.literals[s.literal]
			if child == nil {
				child = &node{}
				if n.literals == nil {
					n.literals = map[string]*node{}
				}
				n.literals[s.literal] = child
			}
			n = child
			continue
		}
		if n.capture == nil {
			n.capture = &node{seg: s, owner: path}
		} else if n.capture.seg != s {
			return nil, fmt.Errorf("path %q: capture %s conflicts with %s of path %q at the same position (API Gateway allows one variable segment per parent; use the same name)", path, s, n.capture.seg, n.capture.owner)
		}
		n = n.capture
	}
	r := &route{path: path, segments: segs, views: map[string]*view{}}
	for _, s := range segs {
		if s.param != "" {
			r.params = append(r.params, s.param)
		}
	}
	n.route = r
	if rt.byPath == nil {
		rt.byPath = map[string]*route{}
	}
	rt.byPath[path] = r
	return r, nil
}

// match finds the route for a concrete request path such as /hello/bob, with
// literal segments preferred over captures, and returns the captured values.
// It is what a local server or a test client uses; Lambda dispatch uses the
// resource pattern API Gateway sends instead.
func (rt *router) match(path string) (*route, map[string]string) {
	if path == "" || path[0] != '/' {
		return nil, nil
	}
	var parts []string
	if path != "/" {
		parts = strings.Split(strings.TrimSuffix(path[1:], "/"), "/")
	}
	var params map[string]string
	r := matchNode(&rt.root, parts, &params)
	return r, params
}

func matchNode(n *node, parts []string, params *map[string]string) *route {
	if len(parts) == 0 {
		return n.route
	}
	if parts[0] == "" {
		return nil
	}
	if child := n.literals[parts[0]]; child != nil {
		if r := matchNode(child, parts[1:], params); r != nil {
			return r
		}
	}
	c := n.capture
	if c == nil {
		return nil
	}
	if c.seg.greedy {
		if c.route == nil {
			return nil
		}
		setParam(params, c.seg.param, strings.Join(parts, "/"))
		return c.route
	}
	if r := matchNode(c, parts[1:], params); r != nil {
		setParam(params, c.seg.param, parts[0])
		return r
	}
	return nil
}

func setParam(params *map[string]string, k, v string) {
	if *params == nil {
		*params = map[string]string{}
	}
	(*params)[k] = v
}
