// Package stages resolves the per-stage, per-function settings that the
// template is built from: memory, timeout, architecture, environment and tags.
//
// This first version knows the implicit "dev" stage only; the
// .chalice/config.{json,yaml} loader extends it without changing the shape of
// Stage.
package stages

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Defaults, as Chalice's where it has one.
const (
	DefaultStage        = "dev"
	DefaultMemorySize   = 128
	DefaultTimeout      = 60
	DefaultArchitecture = ArchARM64
	DefaultAPIStage     = "api"
)

// Architectures Lambda accepts.
const (
	ArchARM64  = "arm64"
	ArchX86_64 = "x86_64"
)

// Architectures lists the accepted architecture names.
var Architectures = []string{ArchARM64, ArchX86_64}

// FunctionConfig is the resolved configuration of one Lambda function.
type FunctionConfig struct {
	MemorySize   int
	Timeout      int
	Architecture string
	Environment  map[string]string
	Tags         map[string]string
	// XRay turns on active tracing (Tracing: Active instead of PassThrough).
	XRay bool
}

// Stage is one deployment stage: a separate stack with its values baked in.
type Stage struct {
	// Name of the stage, e.g. "dev".
	Name string
	// APIGatewayStage is the REST API stage name (Chalice's api_gateway_stage).
	APIGatewayStage string
	// Defaults apply to every function without an entry in Functions.
	Defaults FunctionConfig
	// Functions holds per-function overrides, already merged over Defaults.
	Functions map[string]FunctionConfig
	// API holds the REST API settings of the stage.
	API APIConfig
}

// For returns the configuration of the named function.
func (s Stage) For(function string) FunctionConfig {
	if fc, ok := s.Functions[function]; ok {
		return fc
	}
	return s.Defaults
}

// Overrides are values given on the command line. Empty fields do not override.
type Overrides struct {
	Architecture string
}

// Config is the stage configuration of one app directory.
type Config struct {
	stages map[string]Stage
}

// Load reads the stage configuration of the app in appDir. Without a config
// file the app has one stage, "dev", with default values.
func Load(appDir string) (*Config, error) {
	return &Config{stages: map[string]Stage{DefaultStage: defaultStage(DefaultStage)}}, nil
}

func defaultStage(name string) Stage {
	return Stage{
		Name:            name,
		APIGatewayStage: DefaultAPIStage,
		Defaults: FunctionConfig{
			MemorySize:   DefaultMemorySize,
			Timeout:      DefaultTimeout,
			Architecture: DefaultArchitecture,
		},
	}
}

// Names returns the stage names, sorted.
func (c *Config) Names() []string {
	return slices.Sorted(maps.Keys(c.stages))
}

// Stage resolves the named stage with the command-line overrides applied.
func (c *Config) Stage(name string, o Overrides) (Stage, error) {
	st, ok := c.stages[name]
	if !ok {
		return Stage{}, fmt.Errorf("unknown stage %q (known stages: %s)", name, strings.Join(c.Names(), ", "))
	}
	if o.Architecture != "" {
		if !slices.Contains(Architectures, o.Architecture) {
			return Stage{}, fmt.Errorf("unknown architecture %q (want one of: %s)", o.Architecture, strings.Join(Architectures, ", "))
		}
		st.Defaults.Architecture = o.Architecture
		fns := make(map[string]FunctionConfig, len(st.Functions))
		for n, fc := range st.Functions {
			fc.Architecture = o.Architecture
			fns[n] = fc
		}
		st.Functions = fns
	}
	return st, nil
}
