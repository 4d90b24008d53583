// Package manifest defines the manifest: the one contract between an app built
// with the framework and the packager. The app prints it in manifest mode; the
// packager reads it and never looks at the app's source to learn what it holds.
//
// The package imports only the standard library, because it is compiled into
// every user's bootstrap.
package manifest

import (
	"encoding/json"
	"fmt"
)

// SchemaVersion is the version of the manifest format written by this module.
// The packager refuses a manifest with a different version.
const SchemaVersion = 1

// EnvMode is the environment variable that selects the framework's run mode.
// When it is ModeManifest, App.Run prints the manifest and exits.
const EnvMode = "GOCHALICE_MODE"

// ModeManifest is the value of EnvMode that makes App.Run print the manifest.
const ModeManifest = "manifest"

// Function kinds.
const (
	// KindAPI is the single function that serves every route of the REST API.
	KindAPI = "api"
	// KindLambda is a standalone function registered with App.LambdaFunction.
	KindLambda = "lambda"
)

// APIHandlerName is the handler name of the API function.
const APIHandlerName = "api_handler"

// Manifest describes everything an app registered.
type Manifest struct {
	// SchemaVersion is the manifest format version (SchemaVersion).
	SchemaVersion int `json:"schemaVersion"`
	// App is the app name given to framework.New.
	App string `json:"app"`
	// FrameworkVersion is the version of the framework the app was built with.
	FrameworkVersion string `json:"frameworkVersion"`
	// Functions lists every Lambda function the bootstrap serves, sorted by Name.
	// The API function (Kind KindAPI, Name APIHandlerName) is present only when
	// the app has routes.
	Functions []Function `json:"functions"`
	// Routes lists every route of the REST API, sorted by Path.
	Routes []Route `json:"routes,omitempty"`
	// Authorizers lists the API's authorizers, sorted by Name.
	Authorizers []Authorizer `json:"authorizers,omitempty"`
	// BinaryTypes are the app's binary media types beyond the defaults.
	BinaryTypes []string `json:"binaryTypes,omitempty"`
}

// Function is one Lambda function served by the bootstrap.
type Function struct {
	// Name is the registered name (snake_case or kebab-case by convention).
	Name string `json:"name"`
	// Handler is the value of the function's Handler property: Lambda passes it
	// to the bootstrap as _HANDLER. It equals Name.
	Handler string `json:"handler"`
	// Kind says what registered it: KindAPI or KindLambda.
	Kind string `json:"kind"`
}

// Route is one resource path of the REST API and the methods it answers.
type Route struct {
	// Path is the resource pattern, e.g. /hello/{name} or /files/{proxy+}.
	Path string `json:"path"`
	// Methods are the upper-case HTTP methods, sorted.
	Methods []string `json:"methods"`
	// Params are the path captures in order of appearance, without braces or
	// the greedy "+" (e.g. ["name"]).
	Params []string `json:"params,omitempty"`
	// Views holds the settings of the methods that have any (authorizer,
	// API key, content types, CORS), sorted by Method.
	Views []View `json:"views,omitempty"`
	// CORS is the CORS configuration shared by the path's CORS views, nil
	// when none has CORS.
	CORS *CORS `json:"cors,omitempty"`
}

// Parse decodes and checks a manifest.
func Parse(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if m.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("manifest: schema version %d, this packager reads version %d (rebuild the app against a matching gochalice)", m.SchemaVersion, SchemaVersion)
	}
	if m.App == "" {
		return nil, fmt.Errorf("manifest: empty app name")
	}
	return &m, nil
}

// HasAPI reports whether the app has a REST API (at least one route).
func (m *Manifest) HasAPI() bool { return len(m.Routes) > 0 }
