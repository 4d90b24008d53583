package cfn

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/serverless"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

const (
	runtime = "provided.al2023"
	tracing = "PassThrough"
	// tagKey is the key of the tag every function carries; the user's tags
	// never override it.
	tagKey = "gochalice"
)

// functions adds one AWS::Serverless::Function per manifest function.
func (b *builder) functions() error {
	for _, fn := range b.m.Functions {
		f, err := b.function(fn)
		if err != nil {
			return err
		}
		if err := b.addResource(b.ids[fn.Name], f); err != nil {
			return err
		}
	}
	return nil
}

// samFunction is the one resource model of an AWS::Serverless::Function
// that every step shares: goformation's typed struct plus the properties its
// SAM types lack. It is stored in the template when the function is built;
// later steps change it in place, in any order, and MarshalJSON encodes it.
type samFunction struct {
	*serverless.Function
	// Events are the function's SAM event sources as plain values:
	// goformation's typed event structs lack properties this package needs
	// (FunctionResponseTypes, ScalingConfig, FilterPolicy, ...).
	Events map[string]any
	// LoggingConfig is the function's LoggingConfig, nil for none.
	LoggingConfig *loggingConfig
}

// loggingConfig is a function's LoggingConfig: the log format Lambda
// passes to the bootstrap as AWS_LAMBDA_LOG_FORMAT and the application log
// level (AWS_LAMBDA_LOG_LEVEL, JSON format only).
type loggingConfig struct {
	LogFormat           string `json:"LogFormat"`
	ApplicationLogLevel string `json:"ApplicationLogLevel,omitempty"`
}

// MarshalJSON encodes the function with the properties goformation lacks.
func (f *samFunction) MarshalJSON() ([]byte, error) {
	raw, err := json.Marshal(f.Function)
	if err != nil {
		return nil, err
	}
	if f.Events == nil && f.LoggingConfig == nil {
		return raw, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	props, ok := m["Properties"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("function without Properties")
	}
	if f.Events != nil {
		props["Events"] = f.Events
	}
	if f.LoggingConfig != nil {
		props["LoggingConfig"] = f.LoggingConfig
	}
	return json.Marshal(m)
}

// loggingFor returns the LoggingConfig of a function's settings, nil when
// neither log_format nor log_level is set.
func loggingFor(fc stages.FunctionConfig) *loggingConfig {
	if fc.LogFormat == "" {
		return nil
	}
	return &loggingConfig{LogFormat: fc.LogFormat, ApplicationLogLevel: fc.LogLevel}
}

func (b *builder) function(fn manifest.Function) (*samFunction, error) {
	if fn.Handler == "" {
		return nil, fmt.Errorf("function %q has an empty handler", fn.Name)
	}
	fc := b.st.For(fn.Name)
	arch := cmp.Or(fc.Architecture, stages.DefaultArchitecture)
	if !slices.Contains(stages.Architectures, arch) {
		return nil, fmt.Errorf("function %q: unknown architecture %q (want one of: %s)", fn.Name, arch, strings.Join(stages.Architectures, ", "))
	}
	f := &samFunction{Function: &serverless.Function{
		Runtime:       ptr(runtime),
		Handler:       ptr(fn.Handler),
		CodeUri:       &serverless.Function_CodeUri{String: ptr(CodeURI)},
		Architectures: []string{arch},
		MemorySize:    ptr(cmp.Or(fc.MemorySize, stages.DefaultMemorySize)),
		Timeout:       ptr(cmp.Or(fc.Timeout, stages.DefaultTimeout)),
		Role:          b.roleFor(fn, fc),
		Tracing:       ptr(tracingMode(fc.XRay)),
		Tags:          b.tags(fc.Tags),
	}, LoggingConfig: loggingFor(fc)}
	if len(fc.Environment) > 0 {
		f.Environment = &serverless.Function_FunctionEnvironment{Variables: maps.Clone(fc.Environment)}
	}
	renv := b.resourceEnv(fn.Name)
	for _, k := range slices.Sorted(maps.Keys(renv)) {
		if _, set := fc.Environment[k]; set {
			continue // the config wins
		}
		if f.Environment == nil {
			f.Environment = &serverless.Function_FunctionEnvironment{Variables: map[string]string{}}
		}
		f.Environment.Variables[k] = b.in.placeholder(renv[k])
	}
	if err := b.configure(f.Function, fn, fc); err != nil {
		return nil, err
	}
	return f, nil
}

// tags merges the user's tags with the forced gochalice tag, which wins.
func (b *builder) tags(user map[string]string) map[string]string {
	t := maps.Clone(user)
	if t == nil {
		t = map[string]string{}
	}
	t[tagKey] = fmt.Sprintf("version=%s:stage=%s:app=%s", b.m.FrameworkVersion, b.st.Name, b.m.App)
	return t
}

func ptr[T any](v T) *T { return &v }

// tracingMode is a function's Tracing: Active with X-Ray, else PassThrough.
func tracingMode(xray bool) string {
	if xray {
		return "Active"
	}
	return tracing
}
