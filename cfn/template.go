// Package cfn turns an app's manifest and a resolved stage into an AWS SAM
// template: one AWS::Serverless::Function per registered function (all
// sharing one deployment.zip), the REST API with a Swagger 2.0 definition when
// the app has routes, a shared IAM role and the stack outputs. The shape
// follows what `chalice package` emits.
//
// The template is built with goformation's typed structs and written by this
// package's own writer (Marshal): goformation's Template.JSON and YAML
// resolve intrinsic functions against parameter defaults, and its YAML has no
// conventional key order. The writer keeps intrinsics as they are, orders
// keys as CloudFormation authors expect and is byte-deterministic.
package cfn

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

// CodeURI is the CodeUri of every function: the zip holding the app's one
// bootstrap, next to the template. `aws cloudformation package` uploads it
// and rewrites the property to an S3 URI.
const CodeURI = "./deployment.zip"

const (
	formatVersion = "2010-09-09"
	samTransform  = "AWS::Serverless-2016-10-31"
)

// Template is a built template: goformation's typed template plus the
// intrinsic functions that its string-typed fields stand for. Write it with
// Marshal.
type Template struct {
	cfn        *cloudformation.Template
	intrinsics *intrinsics
	// refs are the config values holding intrinsics, checked against the
	// finished template's parameters and resources.
	refs []stages.Value
	// merge is the --merge-template document, nil for none.
	merge map[string]any
}

// builder carries the state of one Build.
type builder struct {
	m   *manifest.Manifest
	st  stages.Stage
	ids map[string]string // function name → logical ID
	t   *cloudformation.Template
	in  *intrinsics
	sc  stageCfg
	acc *Access // the IAM analysis, nil for none
}

// Build turns a manifest and a resolved stage into a SAM template. A zero
// MemorySize, Timeout or Architecture in the stage's configuration of a
// function falls back to the stages package's default. Build returns an
// error, naming what is wrong, for a manifest without functions, two
// functions whose names map to one logical ID, a name that maps to a fixed
// logical ID or to none, a manifest whose routes and API function do not
// match, and a route whose path, parameters or methods are malformed.
func Build(m *manifest.Manifest, st stages.Stage) (*Template, error) {
	return BuildWithAccess(m, st, nil)
}

// BuildWithAccess is Build with the IAM analysis of the app's code: each
// generated role gets the statements its function's code needs, and each
// function only the resource variables it reads. A nil acc is Build.
func BuildWithAccess(m *manifest.Manifest, st stages.Stage, acc *Access) (*Template, error) {
	if m == nil {
		return nil, errors.New("cfn: nil manifest")
	}
	if len(m.Functions) == 0 {
		return nil, fmt.Errorf("cfn: the manifest of app %q has no functions", m.App)
	}
	if err := checkAPIFunction(m); err != nil {
		return nil, fmt.Errorf("cfn: %w", err)
	}
	ids, err := assignIDs(m.Functions)
	if err != nil {
		return nil, fmt.Errorf("cfn: %w", err)
	}

	t := cloudformation.NewTemplate()
	t.AWSTemplateFormatVersion = formatVersion
	transform := samTransform
	t.Transform = &cloudformation.Transform{String: &transform}
	t.Description = fmt.Sprintf("gochalice app %s, stage %s", m.App, st.Name)

	b := &builder{m: m, st: st, ids: ids, t: t, in: &intrinsics{}, acc: acc}
	steps := []func() error{b.functions, b.resources, b.api, b.role, b.outputs, b.front, b.eventSources, b.parameters, b.pruneEmptyPolicies}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, fmt.Errorf("cfn: %w", err)
		}
	}
	return &Template{cfn: t, intrinsics: b.in, refs: b.sc.refs}, nil
}

// checkAPIFunction checks that the manifest has one API function exactly
// when it has routes, and no function of an unknown kind.
func checkAPIFunction(m *manifest.Manifest) error {
	var api []string
	for _, fn := range m.Functions {
		switch fn.Kind {
		case manifest.KindAPI:
			api = append(api, fn.Name)
		case manifest.KindLambda, manifest.KindAuthorizer:
		default:
			return fmt.Errorf("function %q has unknown kind %q (want %q or %q)", fn.Name, fn.Kind, manifest.KindAPI, manifest.KindLambda)
		}
	}
	switch {
	case len(api) > 1:
		return fmt.Errorf("functions %q and %q are both the API function; there is one API function per app", api[0], api[1])
	case len(api) == 1 && !m.HasAPI():
		return fmt.Errorf("function %q is the API function but the manifest has no routes", api[0])
	case len(api) == 0 && m.HasAPI():
		return fmt.Errorf("the manifest has %d routes but no API function (kind %q)", len(m.Routes), manifest.KindAPI)
	}
	return nil
}

func (b *builder) addResource(id string, r cloudformation.Resource) error {
	if _, dup := b.t.Resources[id]; dup {
		return b.collision(id)
	}
	b.t.Resources[id] = r
	return nil
}

// collision explains why logical ID id is needed twice: usually a function
// whose name maps to the ID of a resource derived from another function
// (nightly_log_group and the LogGroup of nightly).
func (b *builder) collision(id string) error {
	var direct, derived []string
	for name, fid := range b.ids {
		switch {
		case fid == id:
			direct = append(direct, name)
		case strings.HasPrefix(id, fid):
			derived = append(derived, name)
		}
	}
	slices.Sort(direct)
	slices.Sort(derived)
	if len(direct) > 0 && len(derived) > 0 {
		return fmt.Errorf("function %q maps to logical ID %q, which the %s of function %q also needs: rename one of them",
			direct[0], id, strings.TrimPrefix(id, b.ids[derived[0]]), derived[0])
	}
	return fmt.Errorf("logical ID %q is needed by two resources: rename the function whose name maps to it", id)
}
