// Package stages reads an app's .chalice/config.json or .chalice/config.yaml
// (Chalice's schema, plus architecture, parameters and usage_plan) and
// resolves, per stage and per function, the settings the template is built
// from: memory, timeout, architecture, environment, tags, IAM, VPC, layers,
// concurrency, log retention and format, tracing, the REST API settings and the
// stack's parameters.
//
// Precedence is Chalice's, highest first: stages.<s>.lambda_functions.<fn>,
// the command line, stages.<s>, lambda_functions.<fn>, the top level,
// defaults. environment_variables and tags merge per key across all of
// these levels.
package stages

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
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

// archAliases are the names Go and Linux use for Lambda's architectures.
var archAliases = map[string]string{"amd64": ArchX86_64, "x86-64": ArchX86_64, "aarch64": ArchARM64}

// NormalizeArch returns Lambda's name for an architecture given as Lambda,
// Go (GOARCH) or Linux (uname -m) names it: amd64 is x86_64 and aarch64 is
// arm64. Other names are returned unchanged.
func NormalizeArch(arch string) string {
	if a, ok := archAliases[arch]; ok {
		return a
	}
	return arch
}

// FunctionConfig is the resolved configuration of one Lambda function. The
// zero value of every field added after XRay means "not set": no layers, no
// VPC, the shared generated role, and so on.
type FunctionConfig struct {
	MemorySize   int
	Timeout      int
	Architecture string
	// Environment holds the environment variables with literal values.
	Environment map[string]string
	// Tags holds the user's tags with literal values.
	Tags map[string]string
	// XRay turns on active tracing (Tracing: Active instead of PassThrough).
	XRay bool

	// EnvironmentIntrinsics holds the environment variables whose value is
	// an intrinsic function; a name is in Environment or here, not both.
	EnvironmentIntrinsics map[string]Value
	// TagIntrinsics holds the tags whose value is an intrinsic function.
	TagIntrinsics map[string]Value
	// Layers are the layer version ARNs (layers), in order.
	Layers []Value
	// SubnetIDs and SecurityGroupIDs are the VPC settings (subnet_ids,
	// security_group_ids); both are set or neither.
	SubnetIDs        []Value
	SecurityGroupIDs []Value
	// ReservedConcurrency is reserved_concurrency, nil when not set.
	ReservedConcurrency *int
	// LogRetentionInDays is log_retention_in_days, 0 when not set (then no
	// log group is created).
	LogRetentionInDays int
	// RoleARN is iam_role_arn when manage_iam_role is false: the function
	// uses this role and none is created. Zero when the role is managed.
	RoleARN Value
	// Policy is the policy document of the function's role when
	// autogen_policy is false (read from PolicyFile); nil when the policy
	// is generated.
	Policy map[string]any
	// PolicyFile is the file Policy was read from, relative to .chalice.
	PolicyFile string
	// LogFormat is log_format (LogFormatText or LogFormatJSON), "" when
	// not set: the function's LoggingConfig.LogFormat, which Lambda passes
	// to the bootstrap as AWS_LAMBDA_LOG_FORMAT.
	LogFormat string
	// LogLevel is log_level (one of LogLevels), "" when not set: the
	// function's LoggingConfig.ApplicationLogLevel (AWS_LAMBDA_LOG_LEVEL).
	// It is set only with LogFormat JSON.
	LogLevel string
}

// Parameter is one CloudFormation parameter of a stage's template, with the
// stage's default.
type Parameter struct {
	Name                  string
	Type                  string
	Description           string
	Default               *string
	AllowedValues         []string
	AllowedPattern        string
	NoEcho                bool
	MinLength, MaxLength  *int
	MinValue, MaxValue    *float64
	ConstraintDescription string
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

	// Parameters are the template's parameters, sorted by name, with this
	// stage's defaults.
	Parameters []Parameter
	// WebsocketCustomDomain is websocket_api_custom_domain, nil when not set.
	WebsocketCustomDomain *CustomDomain
	// NoRetain is retain_data: false: the stack's tables, buckets, user
	// pools and queues are deleted with the stack or on replacement
	// (throwaway stages). By default they are retained.
	NoRetain bool
	// BucketVersioning is bucket_versioning: versioning on the declared
	// buckets.
	BucketVersioning bool
	// Warnings are things in the config that work but deserve a look
	// (a policy granting every action), for the build summary.
	Warnings []string
	// AutomaticLayer is automatic_layer (accepted for compatibility; a Go
	// bootstrap has no dependencies to put in a layer).
	AutomaticLayer bool
	// ConfigFile is the config file the stage came from, relative to the
	// app directory, "" when the app has none.
	ConfigFile string
}

// HasParameter reports whether the stage's config declares the named
// template parameter.
func (s Stage) HasParameter(name string) bool {
	return slices.ContainsFunc(s.Parameters, func(p Parameter) bool { return p.Name == name })
}

// For returns the configuration of the named function.
func (s Stage) For(function string) FunctionConfig {
	if fc, ok := s.Functions[function]; ok {
		return fc
	}
	return s.Defaults
}

// ParameterOverrides returns the stage's parameter values as "Key=Value"
// strings, sorted by key: what `aws cloudformation deploy
// --parameter-overrides` takes (also as a JSON array in a file://).
// Parameters without a default are left out.
func (s Stage) ParameterOverrides() []string {
	var out []string
	for _, p := range s.Parameters {
		if p.Default != nil {
			out = append(out, p.Name+"="+*p.Default)
		}
	}
	return out
}

// Overrides are values given on the command line. Empty fields do not override.
type Overrides struct {
	Architecture string
}

// Config is the stage configuration of one app directory.
type Config struct {
	file string // as shown in errors, "" without a config file
	dec  *decoder
	p    *parsed
}

// AppName returns the config's app_name and where it is set
// ("file:line:col: app_name"), or two empty strings when it is not. The app's
// name is the one it gives framework.New; a different app_name deserves a
// warning, because the template uses the app's.
func (c *Config) AppName() (name, where string) {
	if c.p == nil || c.p.top == nil {
		return "", ""
	}
	where, ok := c.p.top.set["app_name"]
	if !ok {
		return "", ""
	}
	return c.p.top.appName, where
}

// ConfigDir is the directory of the config file inside the app directory.
const ConfigDir = ".chalice"

// Load reads the stage configuration of the app in appDir from
// .chalice/config.json or .chalice/config.yaml (having both is an error).
// Without a config file the app has one stage, "dev", with default values.
// Every problem found is reported, each as an *Error naming the file, line
// and column, joined with errors.Join.
func Load(appDir string) (*Config, error) {
	dir := filepath.Join(appDir, ConfigDir)
	var found []string
	for _, name := range []string{"config.json", "config.yaml", "config.yml"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			found = append(found, name)
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("reading the config: %w", err)
		}
	}
	switch len(found) {
	case 0:
		return &Config{}, nil
	case 1:
	default:
		return nil, fmt.Errorf("%s: found %s: keep one config file", ConfigDir, strings.Join(found, " and "))
	}
	// Positions name the file as the user reaches it: relative to the
	// working directory when APP_DIR was given that way.
	file := filepath.ToSlash(filepath.Join(appDir, ConfigDir, found[0]))
	data, err := os.ReadFile(filepath.Join(dir, found[0]))
	if err != nil {
		return nil, fmt.Errorf("reading the config: %w", err)
	}
	return parseConfig(file, dir, data)
}

// Parse reads config data as if it were the file named file (e.g.
// ".chalice/config.json") in the directory dir, which relative policy file
// names are resolved against.
func Parse(file, dir string, data []byte) (*Config, error) {
	return parseConfig(file, dir, data)
}

func parseConfig(file, dir string, data []byte) (*Config, error) {
	d := &decoder{file: file, dir: dir}
	if strings.HasSuffix(file, ".json") {
		if err := jsonSyntax(file, data); err != nil {
			return nil, err
		}
		data = fixJSON(data)
	}
	p := d.parse(data)
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	c := &Config{file: file, dec: d, p: p}
	// Resolve every stage once, so a bad combination is reported by Load.
	for _, name := range c.Names() {
		if _, err := c.Stage(name, Overrides{}); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// File returns the config file relative to the app directory, "" when the
// app has none.
func (c *Config) File() string { return c.file }

// Names returns the stage names, sorted.
func (c *Config) Names() []string {
	if c.p == nil || c.p.stagesWhere == "" {
		return []string{DefaultStage}
	}
	return slices.Sorted(maps.Keys(c.p.stages))
}

// hasStage reports whether the config defines the named stage, in constant
// time: Stage runs once per stage when a config is loaded, so a sorted list
// here would make loading quadratic in the number of stages.
func (c *Config) hasStage(name string) bool {
	if c.p == nil || c.p.stagesWhere == "" {
		return name == DefaultStage
	}
	_, ok := c.p.stages[name]
	return ok
}

// CheckFunctions reports every lambda_functions entry, at the top level or
// in a stage, that names none of the app's functions.
func (c *Config) CheckFunctions(names []string) error {
	if c.p == nil {
		return nil
	}
	var errs []error
	check := func(fns map[string]*settings) {
		for _, fn := range slices.Sorted(maps.Keys(fns)) {
			if !slices.Contains(names, fn) {
				errs = append(errs, fmt.Errorf("%s: the app has no function %q%s (functions: %s)",
					fns[fn].set[""], fn, didYouMean(fn, names), strings.Join(names, ", ")))
			}
		}
	}
	check(c.p.top.functions)
	for _, name := range slices.Sorted(maps.Keys(c.p.stages)) {
		check(c.p.stages[name].s.functions)
	}
	return errors.Join(errs...)
}

// Stage resolves the named stage with the command-line overrides applied.
func (c *Config) Stage(name string, o Overrides) (Stage, error) {
	o.Architecture = NormalizeArch(o.Architecture)
	if o.Architecture != "" && !slices.Contains(Architectures, o.Architecture) {
		return Stage{}, fmt.Errorf("unknown architecture %q (want one of: %s)", o.Architecture, strings.Join(Architectures, ", "))
	}
	if !c.hasStage(name) {
		where := "no config file: the only stage is dev"
		if c.file != "" {
			where = c.file + " defines " + strings.Join(c.Names(), ", ")
		}
		return Stage{}, fmt.Errorf("unknown stage %q%s (%s)", name, didYouMean(name, c.Names()), where)
	}
	r := resolver{c: c, stage: name, o: o}
	return r.resolve()
}
