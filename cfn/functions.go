package cfn

import (
	"cmp"
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

func (b *builder) function(fn manifest.Function) (*serverless.Function, error) {
	if fn.Handler == "" {
		return nil, fmt.Errorf("function %q has an empty handler", fn.Name)
	}
	fc := b.st.For(fn.Name)
	arch := cmp.Or(fc.Architecture, stages.DefaultArchitecture)
	if !slices.Contains(stages.Architectures, arch) {
		return nil, fmt.Errorf("function %q: unknown architecture %q (want one of: %s)", fn.Name, arch, strings.Join(stages.Architectures, ", "))
	}
	f := &serverless.Function{
		Runtime:       ptr(runtime),
		Handler:       ptr(fn.Handler),
		CodeUri:       &serverless.Function_CodeUri{String: ptr(CodeURI)},
		Architectures: []string{arch},
		MemorySize:    ptr(cmp.Or(fc.MemorySize, stages.DefaultMemorySize)),
		Timeout:       ptr(cmp.Or(fc.Timeout, stages.DefaultTimeout)),
		Role:          b.roleFor(fn, fc),
		Tracing:       ptr(tracingMode(fc.XRay)),
		Tags:          b.tags(fc.Tags),
	}
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
	if err := b.configure(f, fn, fc); err != nil {
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
