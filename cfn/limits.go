package cfn

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// CloudFormation's limits on one stack, checked at build time so that a
// template that cannot deploy fails the build, naming what to split.
const (
	// MaxTemplateBytes is the largest template body CloudFormation reads
	// from S3 (what `aws cloudformation package` and `deploy` use).
	MaxTemplateBytes = 1_048_576
	// MaxResources is the most resources a stack may hold, counted after
	// the SAM transform.
	MaxResources = 500
	// MaxOutputs and MaxParameters are the most outputs and parameters a
	// template may declare.
	MaxOutputs    = 200
	MaxParameters = 200
)

// APIDefinitionName is the file, next to the template, that holds the REST
// API's Swagger definition when the template would otherwise exceed
// MaxTemplateBytes. The template includes it with Fn::Transform
// AWS::Include; `aws cloudformation package` uploads it with the zip.
const APIDefinitionName = "api-definition.yaml"

// File is one file of a built stage: the template or a file it includes.
type File struct {
	// Name is the file's name in the stage directory.
	Name string
	// Data is its content.
	Data []byte
}

// MarshalFiles writes the template as Marshal does and checks it against
// CloudFormation's limits. When it is larger than maxBytes (MaxTemplateBytes
// when 0), the REST API's definition moves to APIDefinitionName, included
// with AWS::Include, and the returned files are the template (named
// template.<format>) and the definition. The definition stays inline
// otherwise, so the template is one reviewable file and cfn-lint's SAM
// transform checks the API's wiring (it cannot read an included file).
func MarshalFiles(t *Template, format string, maxBytes int) ([]File, error) {
	if maxBytes <= 0 {
		maxBytes = MaxTemplateBytes
	}
	if format == "" {
		format = "yaml"
	}
	tree, err := t.tree()
	if err != nil {
		return nil, err
	}
	top, _ := tree.(map[string]any)
	if err := checkCounts(top); err != nil {
		return nil, err
	}
	name := "template." + format
	data, err := marshalTree(tree, format)
	if err != nil {
		return nil, err
	}
	if len(data) <= maxBytes {
		return []File{{name, data}}, nil
	}
	def, ok := includeAPIDefinition(top)
	if !ok {
		return nil, fmt.Errorf("cfn: the template is %d bytes; CloudFormation allows %d: split the app's functions across two apps (one stack each)", len(data), maxBytes)
	}
	defData, err := writeYAML(orderedNode(def, levelOther))
	if err != nil {
		return nil, err
	}
	if data, err = marshalTree(top, format); err != nil {
		return nil, err
	}
	if len(data) > maxBytes {
		return nil, fmt.Errorf("cfn: the template is %d bytes even with the REST API's definition in %s; CloudFormation allows %d: split the app's functions across two apps (one stack each)", len(data), APIDefinitionName, maxBytes)
	}
	return []File{{name, data}, {APIDefinitionName, defData}}, nil
}

func marshalTree(tree any, format string) ([]byte, error) {
	switch format {
	case "yaml":
		return writeYAML(orderedNode(tree, levelTop))
	case "json":
		return writeJSON(orderedNode(tree, levelTop))
	}
	return nil, fmt.Errorf("cfn: unknown template format %q (want yaml or json)", format)
}

// includeAPIDefinition replaces the REST API's DefinitionBody with an
// AWS::Include of APIDefinitionName and returns the definition.
func includeAPIDefinition(top map[string]any) (any, bool) {
	res, _ := top["Resources"].(map[string]any)
	api, _ := res[idRestAPI].(map[string]any)
	props, _ := api["Properties"].(map[string]any)
	def, ok := props["DefinitionBody"]
	if !ok {
		return nil, false
	}
	props["DefinitionBody"] = map[string]any{"Fn::Transform": map[string]any{
		"Name":       "AWS::Include",
		"Parameters": map[string]any{"Location": "./" + APIDefinitionName},
	}}
	return def, true
}

// checkCounts checks the numbers of resources (as the SAM transform will
// expand them), outputs and parameters.
func checkCounts(top map[string]any) error {
	var errs []error
	res, _ := top["Resources"].(map[string]any)
	total, fns, fnTotal := 0, 0, 0
	for _, r := range res {
		n := expandedCount(r)
		total += n
		if typeOf(r) == "AWS::Serverless::Function" {
			fns++
			fnTotal += n
		}
	}
	if total > MaxResources {
		errs = append(errs, fmt.Errorf("cfn: the stack would hold at least %d resources after the SAM transform (CloudFormation allows %d); %d functions with their roles, log groups and event sources account for %d: split the functions across two apps (one stack each)",
			total, MaxResources, fns, fnTotal))
	}
	if outs, _ := top["Outputs"].(map[string]any); len(outs) > MaxOutputs {
		errs = append(errs, fmt.Errorf("cfn: the template has %d outputs (CloudFormation allows %d), 2 for each of its %d functions (Arn and Name): split the functions across two apps (one stack each), or remove outputs from the merge template",
			len(outs), MaxOutputs, fns))
	}
	if params, _ := top["Parameters"].(map[string]any); len(params) > MaxParameters {
		errs = append(errs, fmt.Errorf("cfn: the template has %d parameters (CloudFormation allows %d): move some of the config's parameters into mappings or literal values (%s...)",
			len(params), MaxParameters, strings.Join(firstKeys(params, 3), ", ")))
	}
	return errors.Join(errs...)
}

func firstKeys(m map[string]any, n int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys[:min(n, len(keys))]
}

func typeOf(r any) string {
	m, _ := r.(map[string]any)
	s, _ := m["Type"].(string)
	return s
}

// expandedCount is how many resources one template resource becomes after
// the SAM transform, counting only what SAM always adds (a lower bound).
func expandedCount(r any) int {
	m, _ := r.(map[string]any)
	props, _ := m["Properties"].(map[string]any)
	switch typeOf(r) {
	case "AWS::Serverless::Function":
		n := 1
		if _, hasRole := props["Role"]; !hasRole {
			n++ // the generated role
		}
		evs, _ := props["Events"].(map[string]any)
		for _, ev := range evs {
			switch typeOf(ev) {
			case "Schedule", "ScheduleV2", "EventBridgeRule", "CloudWatchEvent", "SNS":
				n += 2 // a rule or subscription, and a permission
			default:
				n++ // an event source mapping or a permission
			}
		}
		return n
	case "AWS::Serverless::Api", "AWS::Serverless::HttpApi":
		return 3 // the API, a deployment and a stage
	}
	return 1
}
