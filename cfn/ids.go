package cfn

import (
	"fmt"
	"strings"

	"github.com/gochalice/gochalice/framework/manifest"
)

// Fixed logical IDs of the shared resources. A registered name may never map
// to one of them, whether or not the template holds that resource, so that
// adding the first route to an app never renames an existing function.
const (
	idAPIHandler       = "APIHandler"
	idRestAPI          = "RestAPI"
	idHTTPAPI          = "HttpAPI"
	idInvokePermission = "APIHandlerInvokePermission"
	idDefaultRole      = "DefaultRole"
)

// reservedIDs says what each fixed logical ID is for, for error messages.
var reservedIDs = map[string]string{
	idAPIHandler:       "the API handler function",
	idRestAPI:          "the REST API",
	idHTTPAPI:          "the HTTP API",
	idInvokePermission: "the API handler's invoke permission",
	idDefaultRole:      "the default IAM role",
}

// maxLogicalID is CloudFormation's limit on a logical ID. Outputs append
// "Name" or "Arn" to a function's ID, so a function's ID must leave room for
// the longer suffix.
const maxLogicalID = 255

// LogicalID maps a registered name to a CloudFormation logical ID the way
// Chalice does: the name is split on '-' and '_', every character other than
// an ASCII letter or digit is dropped from each part, and each part gets an
// upper-case first letter (add_numbers → AddNumbers, hello-world →
// HelloWorld, addNumbers → AddNumbers). The result is empty when the name has
// no ASCII letters or digits; Build rejects such names.
func LogicalID(name string) string {
	var b strings.Builder
	for part := range strings.FieldsFuncSeq(name, func(r rune) bool { return r == '-' || r == '_' }) {
		first := true
		for _, r := range part {
			if !isASCIIAlnum(r) {
				continue
			}
			if first && 'a' <= r && r <= 'z' {
				r -= 'a' - 'A'
			}
			first = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isASCIIAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

// assignIDs gives every function of the manifest its logical ID: the API
// function gets the fixed APIHandler, every other function LogicalID(name).
// It rejects duplicate names, names without a logical ID, and names whose IDs
// collide with each other or with a fixed ID; every message names both sides.
func assignIDs(fns []manifest.Function) (map[string]string, error) {
	ids := make(map[string]string, len(fns))
	owner := make(map[string]string, len(fns)) // logical ID → function name
	for _, fn := range fns {
		if _, dup := ids[fn.Name]; dup {
			return nil, fmt.Errorf("function %q is registered twice", fn.Name)
		}
		id := idAPIHandler
		if fn.Kind != manifest.KindAPI {
			id = LogicalID(fn.Name)
			if id == "" {
				return nil, fmt.Errorf("function %q has no ASCII letters or digits to make a logical ID from", fn.Name)
			}
			if what, ok := reservedIDs[id]; ok {
				return nil, fmt.Errorf("function %q maps to logical ID %q, which is reserved for %s", fn.Name, id, what)
			}
			if len(id)+len("Name") > maxLogicalID {
				return nil, fmt.Errorf("function %q maps to a logical ID of %d characters; at most %d are allowed", fn.Name, len(id), maxLogicalID-len("Name"))
			}
		}
		if other, ok := owner[id]; ok {
			return nil, fmt.Errorf("functions %q and %q both map to logical ID %q", other, fn.Name, id)
		}
		owner[id] = fn.Name
		ids[fn.Name] = id
	}
	return ids, nil
}
