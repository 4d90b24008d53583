package stages

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// resolver resolves one stage of a Config.
type resolver struct {
	c     *Config
	stage string
	o     Overrides
	errs  []error
	warns []string
}

// fnState accumulates one function's settings level by level.
type fnState struct {
	where map[string]string // key → where the winning value was set

	memory, timeout      int
	arch                 string
	logFormat, logLevel  string
	xray, manage, autog  bool
	env, tags            map[string]Value
	layers, subnets, sgs []Value
	reserved             *int
	logRetention         int
	roleARN              Value
	policyFile           string
}

func newFnState() *fnState {
	return &fnState{
		where:   map[string]string{},
		memory:  DefaultMemorySize,
		timeout: DefaultTimeout,
		arch:    DefaultArchitecture,
		manage:  true,
		autog:   true,
		env:     map[string]Value{},
		tags:    map[string]Value{},
	}
}

func (f *fnState) clone() *fnState {
	g := *f
	g.where = maps.Clone(f.where)
	g.env = maps.Clone(f.env)
	g.tags = maps.Clone(f.tags)
	return &g
}

// apply lays the keys set in s over f.
func (f *fnState) apply(s *settings) {
	if s == nil {
		return
	}
	for key, where := range s.set {
		switch key {
		case "lambda_memory_size":
			f.memory = s.memory
		case "lambda_timeout":
			f.timeout = s.timeout
		case "architecture":
			f.arch = s.arch
		case "log_format":
			f.logFormat = s.logFormat
		case "log_level":
			f.logLevel = s.logLevel
		case "xray":
			f.xray = s.xray
		case "manage_iam_role":
			f.manage = s.manage
		case "autogen_policy":
			f.autog = s.autogen
		case "environment_variables":
			maps.Copy(f.env, s.env)
		case "tags":
			maps.Copy(f.tags, s.tags)
		case "layers":
			f.layers = s.layers
		case "subnet_ids":
			f.subnets = s.subnets
		case "security_group_ids":
			f.sgs = s.sgs
		case "reserved_concurrency":
			r := s.reserved
			f.reserved = &r
		case "log_retention_in_days":
			f.logRetention = s.logRetention
		case "iam_role_arn":
			f.roleARN = s.roleARN
		case "iam_policy_file":
			f.policyFile = s.policyFile
		default:
			continue
		}
		f.where[key] = where
	}
}

func (r *resolver) errorf(where, format string, args ...any) {
	if where == "" {
		where = r.c.file
	}
	err := fmt.Errorf("%s: %s", where, fmt.Sprintf(format, args...))
	// A stage's or the top level's setting is resolved for every function:
	// report a mistake in it once.
	if slices.ContainsFunc(r.errs, func(e error) bool { return e.Error() == err.Error() }) {
		return
	}
	r.errs = append(r.errs, err)
}

// finish turns the accumulated settings into a FunctionConfig.
func (r *resolver) finish(f *fnState) FunctionConfig {
	fc := FunctionConfig{
		MemorySize:          f.memory,
		Timeout:             f.timeout,
		Architecture:        f.arch,
		XRay:                f.xray,
		Layers:              slices.Clone(f.layers),
		LogRetentionInDays:  f.logRetention,
		ReservedConcurrency: f.reserved,
		LogFormat:           f.logFormat,
		LogLevel:            f.logLevel,
	}
	if f.logLevel != "" && f.logFormat != LogFormatJSON {
		r.errorf(f.where["log_level"], "log_level %s needs log_format JSON (Lambda filters application logs by level only in the JSON format)", f.logLevel)
	}
	for k, v := range f.env {
		if v.IsIntrinsic() {
			if fc.EnvironmentIntrinsics == nil {
				fc.EnvironmentIntrinsics = map[string]Value{}
			}
			fc.EnvironmentIntrinsics[k] = v
		} else {
			if fc.Environment == nil {
				fc.Environment = map[string]string{}
			}
			fc.Environment[k] = v.Literal
		}
	}
	for k, v := range f.tags {
		if v.IsIntrinsic() {
			if fc.TagIntrinsics == nil {
				fc.TagIntrinsics = map[string]Value{}
			}
			fc.TagIntrinsics[k] = v
		} else {
			if fc.Tags == nil {
				fc.Tags = map[string]string{}
			}
			fc.Tags[k] = v.Literal
		}
	}
	if n := len(f.tags); n > MaxTags-1 {
		r.errorf(f.where["tags"], "the tags of the top level, the stage and the function add up to %d; Lambda allows %d per function and gochalice sets one, so at most %d", n, MaxTags, MaxTags-1)
	}
	if size := envSize(fc.Environment); size > MaxEnvironmentSize {
		r.errorf(f.where["environment_variables"], "the environment variables take %d bytes; Lambda allows %d in all", size, MaxEnvironmentSize)
	}
	switch {
	case len(f.subnets) > 0 && len(f.sgs) > 0:
		fc.SubnetIDs, fc.SecurityGroupIDs = slices.Clone(f.subnets), slices.Clone(f.sgs)
	case len(f.subnets) > 0:
		r.errorf(f.where["subnet_ids"], "subnet_ids is set but security_group_ids is not: a VPC config needs both")
	case len(f.sgs) > 0:
		r.errorf(f.where["security_group_ids"], "security_group_ids is set but subnet_ids is not: a VPC config needs both")
	}
	if !f.manage {
		if f.roleARN.IsZero() {
			r.errorf(f.where["manage_iam_role"], "manage_iam_role is false but no iam_role_arn is set")
		}
		fc.RoleARN = f.roleARN
		return fc
	}
	if !f.autog {
		name, where := f.policyFile, f.where["iam_policy_file"]
		if name == "" {
			name, where = fmt.Sprintf("policy-%s.json", r.stage), f.where["autogen_policy"]
		}
		doc, err := r.c.dec.policyFile(name)
		if err != nil {
			r.errorf(where, "autogen_policy is false: %v", err)
		}
		r.warnAllActions(where, name, doc)
		fc.Policy, fc.PolicyFile = doc, name
	}
	return fc
}

// policyFile reads an IAM policy document relative to the .chalice
// directory.
func (d *decoder) policyFile(name string) (map[string]any, error) {
	shown := filepath.ToSlash(filepath.Join(ConfigDir, name))
	return d.jsonObjectFile("iam", name, "the policy file "+shown, "the policy file "+shown,
		func(doc map[string]any) error {
			if _, ok := doc["Statement"]; !ok {
				return fmt.Errorf("the policy file %s has no Statement", shown)
			}
			return nil
		})
}

// jsonObjectFile reads a JSON object from a file named relative to the
// .chalice directory, once per kind of use and path. readLabel and
// parseLabel name the file in the read and parse errors; check, if not nil,
// validates the document before it is kept.
func (d *decoder) jsonObjectFile(kind, name, readLabel, parseLabel string, check func(map[string]any) error) (map[string]any, error) {
	full := name
	if !filepath.IsAbs(full) {
		full = filepath.Join(d.dir, name)
	}
	key := kind + ":" + full
	if doc, ok := d.policy[key]; ok {
		return doc, nil
	}
	data, err := os.ReadFile(full)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", readLabel, pathErr(err))
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s is not a JSON object: %w", parseLabel, err)
	}
	if check != nil {
		if err := check(doc); err != nil {
			return nil, err
		}
	}
	if d.policy == nil {
		d.policy = map[string]map[string]any{}
	}
	d.policy[key] = doc
	return doc, nil
}

func (r *resolver) resolve() (Stage, error) {
	st := Stage{Name: r.stage, APIGatewayStage: DefaultAPIStage, ConfigFile: r.c.file}
	var top, stg *settings
	var topFns, stgFns map[string]*settings
	if r.c.p != nil {
		top, topFns = r.c.p.top, r.c.p.top.functions
		if e, ok := r.c.p.stages[r.stage]; ok {
			stg, stgFns = e.s, e.s.functions
		}
	}
	cli := &settings{set: map[string]string{}}
	if r.o.Architecture != "" {
		cli.arch, cli.set["architecture"] = r.o.Architecture, "--arch"
	}

	base := newFnState()
	base.apply(top)
	defaults := base.clone()
	defaults.apply(stg)
	defaults.apply(cli)
	st.Defaults = r.finish(defaults)

	names := slices.Sorted(maps.Keys(topFns))
	names = append(names, slices.Sorted(maps.Keys(stgFns))...)
	slices.Sort(names)
	for _, fn := range slices.Compact(names) {
		f := base.clone()
		f.apply(topFns[fn])
		f.apply(stg)
		f.apply(cli)
		f.apply(stgFns[fn])
		if st.Functions == nil {
			st.Functions = map[string]FunctionConfig{}
		}
		st.Functions[fn] = r.finish(f)
	}

	r.api(&st, top, stg)
	r.parameters(&st, top, stg)
	if len(r.errs) > 0 {
		return Stage{}, errors.Join(r.errs...)
	}
	if st.API.Policy != nil {
		r.warnAllActions(r.c.file, "api_gateway_policy_file", st.API.Policy)
	}
	slices.Sort(r.warns)
	st.Warnings = slices.Compact(r.warns)
	return st, nil
}

// warnAllActions records a warning when a policy document allows every
// action ("Action": "*").
func (r *resolver) warnAllActions(where, name string, doc map[string]any) {
	if where == "" {
		where = r.c.file
	}
	stmts, _ := doc["Statement"].([]any)
	if one, ok := doc["Statement"].(map[string]any); ok {
		stmts = []any{one}
	}
	for _, s := range stmts {
		st, _ := s.(map[string]any)
		if st == nil || st["Effect"] != "Allow" {
			continue
		}
		actions, _ := st["Action"].([]any)
		if a, ok := st["Action"].(string); ok {
			actions = []any{a}
		}
		for _, a := range actions {
			if a == "*" {
				r.warns = append(r.warns, fmt.Sprintf("%s: %s grants \"Action\": \"*\" (every action): list the actions the functions need", where, name))
				return
			}
		}
	}
}

// api resolves the REST API settings: the stage's value of each key, else
// the top level's.
func (r *resolver) api(st *Stage, levels ...*settings) {
	var where = map[string]string{}
	for _, s := range levels {
		if s == nil {
			continue
		}
		for key, w := range s.set {
			switch key {
			case "api_gateway_stage":
				st.APIGatewayStage = s.apiStage
			case "api_gateway_endpoint_type":
				st.API.EndpointType = s.endpointType
			case "api_gateway_type":
				st.API.Type = s.apiType
			case "api_gateway_throttle":
				st.API.Throttle = s.throttle
			case "api_gateway_access_log":
				st.API.AccessLog = s.accessLog
			case "api_gateway_endpoint_vpce":
				st.API.EndpointVPCEs = slices.Clone(s.vpces)
			case "api_gateway_policy_file":
				st.API.Policy = s.policy
			case "minimum_compression_size":
				c := s.compression
				st.API.MinimumCompressionSize = &c
			case "xray":
				st.API.XRay = s.xray
			case "api_gateway_custom_domain":
				st.API.CustomDomain = s.customDomain
			case "websocket_api_custom_domain":
				st.WebsocketCustomDomain = s.wsDomain
			case "usage_plan":
				st.API.UsagePlan = s.usagePlan
			case "automatic_layer":
				st.AutomaticLayer = s.automaticLayer
			case "api_gateway_request_validation":
				st.API.RequestValidation = s.requestValidation
			case "retain_data":
				st.NoRetain = !s.retainData
			case "bucket_versioning":
				st.BucketVersioning = s.versioning
			default:
				continue
			}
			where[key] = w
		}
	}
	if len(where) > 0 {
		st.API.Where = where
	}
	// api_gateway_endpoint_vpce without PRIVATE is accepted (and unused), as
	// Chalice does: a top-level vpce may serve the PRIVATE stages only.
	if st.API.EndpointType == EndpointPrivate && len(st.API.EndpointVPCEs) == 0 {
		r.errorf(where["api_gateway_endpoint_type"], "a PRIVATE endpoint needs api_gateway_endpoint_vpce")
	}
}

// parameters merges the top level's parameters with the stage's, field by
// field (the stage wins), and checks each.
func (r *resolver) parameters(st *Stage, top, stg *settings) {
	merged := map[string]*paramSpec{}
	for _, s := range []*settings{top, stg} {
		if s == nil {
			continue
		}
		for name, ps := range s.params {
			cur, ok := merged[name]
			if !ok {
				cp := *ps
				cp.set = maps.Clone(ps.set)
				merged[name] = &cp
				continue
			}
			mergeParam(cur, ps)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(merged)) {
		ps := merged[name]
		p := ps.p
		if p.Type == "" {
			p.Type = "String"
		}
		r.checkParam(ps.where, p)
		st.Parameters = append(st.Parameters, p)
	}
}

func mergeParam(dst, src *paramSpec) {
	d, s := &dst.p, &src.p
	for key := range src.set {
		switch key {
		case "type":
			d.Type = s.Type
		case "description":
			d.Description = s.Description
		case "default":
			d.Default = s.Default
		case "allowed_values":
			d.AllowedValues = s.AllowedValues
		case "allowed_pattern":
			d.AllowedPattern = s.AllowedPattern
		case "no_echo":
			d.NoEcho = s.NoEcho
		case "min_length":
			d.MinLength = s.MinLength
		case "max_length":
			d.MaxLength = s.MaxLength
		case "min_value":
			d.MinValue = s.MinValue
		case "max_value":
			d.MaxValue = s.MaxValue
		case "constraint_description":
			d.ConstraintDescription = s.ConstraintDescription
		}
		dst.set[key] = true
	}
	dst.where = src.where
}

func (r *resolver) checkParam(where string, p Parameter) {
	isNumber := p.Type == "Number"
	if p.Default != nil && isNumber {
		if _, err := strconv.ParseFloat(*p.Default, 64); err != nil {
			r.errorf(where, "default %q of a Number parameter is not a number", *p.Default)
		}
	}
	if p.Default != nil && len(p.AllowedValues) > 0 && !slices.Contains(p.AllowedValues, *p.Default) {
		r.errorf(where, "default %q is not one of allowed_values (%s)", *p.Default, joinQuoted(p.AllowedValues))
	}
	if (p.MinLength != nil || p.MaxLength != nil || p.AllowedPattern != "") && p.Type != "String" {
		r.errorf(where, "min_length, max_length and allowed_pattern apply to String parameters only (type %s)", p.Type)
	}
	if (p.MinValue != nil || p.MaxValue != nil) && !isNumber {
		r.errorf(where, "min_value and max_value apply to Number parameters only (type %s)", p.Type)
	}
	if p.MinLength != nil && p.MaxLength != nil && *p.MinLength > *p.MaxLength {
		r.errorf(where, "min_length %d is greater than max_length %d", *p.MinLength, *p.MaxLength)
	}
	if p.MinValue != nil && p.MaxValue != nil && *p.MinValue > *p.MaxValue {
		r.errorf(where, "min_value %v is greater than max_value %v", *p.MinValue, *p.MaxValue)
	}
	if p.Default != nil && p.Type == "String" {
		n := len([]rune(*p.Default))
		if (p.MinLength != nil && n < *p.MinLength) || (p.MaxLength != nil && n > *p.MaxLength) {
			r.errorf(where, "default %q breaks min_length/max_length", *p.Default)
		}
	}
}

func joinQuoted(xs []string) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += ", "
		}
		s += strconv.Quote(x)
	}
	return s
}

// MaxEnvironmentSize is the most bytes Lambda accepts for a function's
// environment variables, names and values together.
const MaxEnvironmentSize = 4096

func envSize(env map[string]string) int {
	n := 0
	for k, v := range env {
		n += len(k) + len(v)
	}
	return n
}
