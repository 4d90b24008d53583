package stages

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/gochalice/gochalice/internal/cfnyaml"
)

// Where a key may appear.
type levelKind int

const (
	levelTop levelKind = 1 << iota
	levelStage
	levelFunction
)

func (l levelKind) String() string {
	var s []string
	if l&levelTop != 0 {
		s = append(s, "the top level")
	}
	if l&levelStage != 0 {
		s = append(s, "a stage")
	}
	if l&levelFunction != 0 {
		s = append(s, "lambda_functions.<name>")
	}
	return strings.Join(s, ", ")
}

const (
	anyLevel     = levelTop | levelStage | levelFunction
	topOrStage   = levelTop | levelStage
	topLevelOnly = levelTop
)

// keyLevels lists every config key and the levels that accept it.
var keyLevels = map[string]levelKind{
	"version":          topLevelOnly,
	"app_name":         topLevelOnly,
	"stages":           topLevelOnly,
	"lambda_functions": topOrStage,
	"parameters":       topOrStage,

	"api_gateway_stage":           topOrStage,
	"api_gateway_type":            topOrStage,
	"api_gateway_throttle":        topOrStage,
	"api_gateway_access_log":      topOrStage,
	"api_gateway_endpoint_type":   topOrStage,
	"api_gateway_endpoint_vpce":   topOrStage,
	"api_gateway_policy_file":     topOrStage,
	"api_gateway_custom_domain":   topOrStage,
	"websocket_api_custom_domain": topOrStage,
	"minimum_compression_size":    topOrStage,
	"automatic_layer":             topOrStage,
	"usage_plan":                  topOrStage,
	"retain_data":                 topOrStage,
	"bucket_versioning":           topOrStage,

	"api_gateway_request_validation": topOrStage,

	"autogen_policy":        anyLevel,
	"iam_policy_file":       anyLevel,
	"iam_role_arn":          anyLevel,
	"manage_iam_role":       anyLevel,
	"lambda_memory_size":    anyLevel,
	"lambda_timeout":        anyLevel,
	"layers":                anyLevel,
	"log_retention_in_days": anyLevel,
	"reserved_concurrency":  anyLevel,
	"security_group_ids":    anyLevel,
	"subnet_ids":            anyLevel,
	"xray":                  anyLevel,
	"environment_variables": anyLevel,
	"tags":                  anyLevel,
	"architecture":          anyLevel,
	"log_format":            anyLevel,
	"log_level":             anyLevel,
}

// Ranges and sets of accepted values.
const (
	MinMemorySize             = 128
	MaxMemorySize             = 10240
	MinTimeout                = 1
	MaxTimeout                = 900
	MaxMinimumCompressionSize = 10485760
)

// LogRetentionDays are the values CloudWatch Logs accepts for a log group's
// retention.
var LogRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// LogFormats are the values of log_format: Lambda's LoggingConfig.LogFormat.
var LogFormats = []string{LogFormatText, LogFormatJSON}

// Log formats.
const (
	LogFormatText = "Text"
	LogFormatJSON = "JSON"
)

// LogLevels are the values of log_level: Lambda's application log levels.
var LogLevels = []string{"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}

// ConfigVersions are the accepted values of the config's version key.
var ConfigVersions = []string{"1.0", "2.0"}

var (
	subnetID      = regexp.MustCompile(`^subnet-([0-9a-f]{8}|[0-9a-f]{17})$`)
	securityGroup = regexp.MustCompile(`^sg-([0-9a-f]{8}|[0-9a-f]{17})$`)
	layerARN      = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+$`)
	roleARN       = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:iam::\d{12}:role/[\w+=,.@/-]+$`)
	certARN       = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$`)
	vpceID        = regexp.MustCompile(`^vpce-([0-9a-f]{8}|[0-9a-f]{17})$`)
	paramName     = regexp.MustCompile(`^[A-Za-z0-9]+$`)
	apiStageName  = regexp.MustCompile(`^[a-zA-Z0-9_]+$`)
	envName       = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]+$`)
	logGroupARN   = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[\w./#-]+(:\*)?$`)
	domainName    = regexp.MustCompile(`^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

// reservedEnv are environment variables Lambda sets itself; a function may
// not set them.
var reservedEnv = []string{
	"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
	"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
	"AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
}

// settings are the keys set at one level (top, stage or function); set
// records which keys were present and where.
type settings struct {
	// set maps each key present to where it is ("file:line:col: path"); for
	// a function, "" maps to where the function is named.
	set map[string]string

	memory, timeout, reserved, logRetention int
	arch, logFormat, logLevel               string
	appName                                 string
	xray, autogen, manage                   bool
	env, tags                               map[string]Value
	layers, subnets, sgs                    []Value
	roleARN                                 Value
	policyFile                              string

	// top level and stage only
	apiStage, endpointType string
	apiType                string
	throttle               *Throttle
	accessLog              *AccessLog
	vpces                  []string
	policy                 map[string]any
	compression            int
	customDomain, wsDomain *CustomDomain
	automaticLayer         bool
	requestValidation      bool
	retainData, versioning bool
	usagePlan              *UsagePlan
	params                 map[string]*paramSpec
	functions              map[string]*settings
}

// paramSpec is one entry of parameters: at the top level or a stage.
type paramSpec struct {
	where string
	set   map[string]bool
	p     Parameter
}

// decoder reads one config file, collecting every error.
type decoder struct {
	file   string // as shown in errors
	dir    string // the .chalice directory, base of relative file names
	errs   []error
	policy map[string]map[string]any // policy file cache
}

func (d *decoder) errAt(n *yaml.Node, path, format string, args ...any) *Error {
	e := &Error{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	return e
}

func (d *decoder) errorf(n *yaml.Node, path, format string, args ...any) {
	d.errs = append(d.errs, d.errAt(n, path, format, args...))
}

func (d *decoder) where(n *yaml.Node, path string) string {
	return d.errAt(n, path, "").where()
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// kindName describes a node's type for "wrong type" errors.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!str":
		return fmt.Sprintf("the string %q", n.Value)
	case "!!int", "!!float":
		return "the number " + n.Value
	case "!!bool":
		return "the boolean " + n.Value
	case "!!null":
		return "null"
	}
	return n.Tag + " " + n.Value
}

func (d *decoder) wrongType(n *yaml.Node, path, want string) {
	d.errorf(n, path, "wrong type: want %s, got %s", want, kindName(n))
}

// pairs returns the key/value pairs of a mapping node, reporting duplicate
// and non-string keys; ok is false (after reporting) if n is no mapping.
func (d *decoder) pairs(n *yaml.Node, path string) (keys []*yaml.Node, vals []*yaml.Node, ok bool) {
	if n.Kind != yaml.MappingNode {
		d.wrongType(n, path, "a mapping")
		return nil, nil, false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			d.errorf(k, path, "a key must be a string")
			continue
		}
		if seen[k.Value] {
			d.errorf(k, join(path, k.Value), "duplicate key")
			continue
		}
		seen[k.Value] = true
		keys, vals = append(keys, k), append(vals, n.Content[i+1])
	}
	return keys, vals, true
}

func (d *decoder) str(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		d.wrongType(n, path, "a string")
		return "", false
	}
	return n.Value, true
}

func (d *decoder) integer(n *yaml.Node, path string) (int, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		d.wrongType(n, path, "an integer")
		return 0, false
	}
	i, err := strconv.Atoi(n.Value)
	if err != nil {
		d.errorf(n, path, "%s is not an integer this tool accepts", n.Value)
		return 0, false
	}
	return i, true
}

func (d *decoder) intRange(n *yaml.Node, path string, lo, hi int) (int, bool) {
	i, ok := d.integer(n, path)
	if !ok {
		return 0, false
	}
	if i < lo || i > hi {
		d.errorf(n, path, "%d is out of range (%d–%d)", i, lo, hi)
		return 0, false
	}
	return i, true
}

func (d *decoder) number(n *yaml.Node, path string) (float64, bool) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		d.wrongType(n, path, "a number")
		return 0, false
	}
	f, err := strconv.ParseFloat(n.Value, 64)
	if err != nil {
		d.errorf(n, path, "%s is not a number", n.Value)
		return 0, false
	}
	return f, true
}

func (d *decoder) boolean(n *yaml.Node, path string) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		d.wrongType(n, path, "true or false")
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		d.errorf(n, path, "%v", err)
		return false, false
	}
	return b, true
}

func (d *decoder) oneOf(n *yaml.Node, path string, allowed []string) (string, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	if !slices.Contains(allowed, s) {
		d.errorf(n, path, "%q is not one of %s%s", s, strings.Join(allowed, ", "), didYouMean(s, allowed))
		return "", false
	}
	return s, true
}

// value reads a string or an intrinsic function; check validates a literal.
func (d *decoder) value(n *yaml.Node, path string, check func(string) string) (Value, bool) {
	where := d.where(n, path)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		if check != nil {
			if msg := check(n.Value); msg != "" {
				d.errorf(n, path, "%s", msg)
				return Value{}, false
			}
		}
		return Value{Literal: n.Value, Where: where}, true
	}
	isShort := strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!")
	if n.Kind == yaml.MappingNode || isShort {
		tree, err := cfnyaml.Tree(n)
		if err != nil {
			d.errorf(n, path, "%v", err)
			return Value{}, false
		}
		m, _ := tree.(map[string]any)
		if len(m) == 1 {
			for k := range m {
				if slices.Contains(intrinsicNames, k) {
					return Value{Intrinsic: m, Where: where}, true
				}
				d.errorf(n, path, "%q is not an intrinsic function a value may be (want one of %s)%s", k, strings.Join(intrinsicNames, ", "), didYouMean(k, intrinsicNames))
				return Value{}, false
			}
		}
		d.errorf(n, path, "wrong type: want a string or an intrinsic function such as {\"Ref\": \"Name\"}, got a mapping with %d keys", len(m))
		return Value{}, false
	}
	d.wrongType(n, path, "a string or an intrinsic function such as {\"Ref\": \"Name\"}")
	return Value{}, false
}

func (d *decoder) valueList(n *yaml.Node, path string, check func(string) string) ([]Value, bool) {
	if n.Kind != yaml.SequenceNode {
		d.wrongType(n, path, "a list")
		return nil, false
	}
	out := []Value{}
	ok := true
	for i, e := range n.Content {
		v, good := d.value(e, fmt.Sprintf("%s[%d]", path, i), check)
		ok = ok && good
		out = append(out, v)
	}
	return out, ok
}

func (d *decoder) valueMap(n *yaml.Node, path string, checkKey func(string) string) (map[string]Value, bool) {
	keys, vals, ok := d.pairs(n, path)
	if !ok {
		return nil, false
	}
	out := make(map[string]Value, len(keys))
	for i, k := range keys {
		p := join(path, k.Value)
		if checkKey != nil {
			if msg := checkKey(k.Value); msg != "" {
				d.errorf(k, p, "%s", msg)
				ok = false
				continue
			}
		}
		v, good := d.value(vals[i], p, nil)
		if !good {
			ok = false
			continue
		}
		out[k.Value] = v
	}
	return out, ok
}

func (d *decoder) stringMap(n *yaml.Node, path string) (map[string]string, bool) {
	keys, vals, ok := d.pairs(n, path)
	if !ok {
		return nil, false
	}
	out := make(map[string]string, len(keys))
	for i, k := range keys {
		s, good := d.str(vals[i], join(path, k.Value))
		if good {
			out[k.Value] = s
		}
		ok = ok && good
	}
	return out, ok
}

func checkPattern(re *regexp.Regexp, what string) func(string) string {
	return func(s string) string {
		if re.MatchString(s) {
			return ""
		}
		return fmt.Sprintf("%q is not a valid %s", s, what)
	}
}

func checkEnvName(s string) string {
	if !envName.MatchString(s) {
		return fmt.Sprintf("%q is not a valid environment variable name (Lambda wants [a-zA-Z][a-zA-Z0-9_]+: a letter, then at least one letter, digit or _)", s)
	}
	if slices.Contains(reservedEnv, s) {
		return fmt.Sprintf("%q is reserved by Lambda and cannot be set", s)
	}
	return ""
}

func checkTagKey(s string) string {
	switch {
	case s == "":
		return "a tag key cannot be empty"
	case utf8.RuneCountInString(s) > 128:
		return fmt.Sprintf("tag key %.20q... has %d characters; Lambda allows 128", s, utf8.RuneCountInString(s))
	case strings.HasPrefix(strings.ToLower(s), "aws:"):
		return fmt.Sprintf("tag key %q: the aws: prefix is reserved", s)
	case s == tagKeyForced:
		return fmt.Sprintf("tag key %q is set by gochalice and cannot be overridden", s)
	}
	return ""
}

// tagKeyForced is the tag every function carries (see cfn).
const tagKeyForced = "gochalice"

// Lambda's tag limits: MaxTags per function (the gochalice tag included, so
// a config may set MaxTags-1), keys of at most 128 characters and values of
// at most MaxTagValueLength.
const (
	MaxTags           = 50
	MaxTagValueLength = 256
)

// tags reads a tags mapping. The count is checked first, on the node's
// children, so a config with thousands of tags fails at once instead of
// building (and later merging and emitting) all of them.
func (d *decoder) tags(n *yaml.Node, path string) (map[string]Value, bool) {
	if n.Kind == yaml.MappingNode && len(n.Content)/2 > MaxTags-1 {
		d.errorf(n, path, "%d tags; Lambda allows %d per function and gochalice sets one (%s), so at most %d here", len(n.Content)/2, MaxTags, tagKeyForced, MaxTags-1)
		return nil, false
	}
	tags, ok := d.valueMap(n, path, checkTagKey)
	for i := 1; i < len(n.Content); i += 2 {
		k, v := n.Content[i-1], n.Content[i]
		if v.Kind == yaml.ScalarNode && utf8.RuneCountInString(v.Value) > MaxTagValueLength {
			d.errorf(v, join(path, k.Value), "the value of tag %q has %d characters; Lambda allows %d", k.Value, utf8.RuneCountInString(v.Value), MaxTagValueLength)
			ok = false
		}
	}
	return tags, ok
}

// readJSONFile reads a JSON document (a policy) relative to the .chalice
// directory; n is the config node that names it, for error positions.
func (d *decoder) readJSONFile(n *yaml.Node, path, name string) (map[string]any, bool) {
	doc, err := d.jsonObjectFile("api", name, filepath.ToSlash(filepath.Join(ConfigDir, name)), name, nil)
	if err != nil {
		d.errorf(n, path, "%v", err)
		return nil, false
	}
	return doc, true
}

// insideConfigDir reports whether a policy file name stays inside
// .chalice/, and records an error naming the config line when it does not
// (an absolute path, or one that climbs out with ..).
func (d *decoder) insideConfigDir(n *yaml.Node, path, name string) bool {
	clean := filepath.Clean(filepath.FromSlash(name))
	if filepath.IsAbs(clean) || strings.HasPrefix(name, "/") || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		d.errorf(n, path, "%s is outside %s/: policy files are read from %s/ (no absolute paths, no ..)", name, ConfigDir, ConfigDir)
		return false
	}
	return true
}

// settings reads one level: the top level, a stage or a function.
func (d *decoder) settings(n *yaml.Node, path string, lvl levelKind) *settings {
	s := &settings{set: map[string]string{}}
	keys, vals, ok := d.pairs(n, path)
	if !ok {
		return s
	}
	var allowed []string
	for k, l := range keyLevels {
		if l&lvl != 0 {
			allowed = append(allowed, k)
		}
	}
	for i, kn := range keys {
		key, v, p := kn.Value, vals[i], join(path, kn.Value)
		l, known := keyLevels[key]
		switch {
		case !known:
			d.errorf(kn, p, "unknown key%s", didYouMean(key, allowed))
			continue
		case l&lvl == 0:
			d.errorf(kn, p, "not allowed here: %s is accepted at %s", key, l)
			continue
		}
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			continue // null means not set, as in Chalice's lookups
		}
		if d.setting(s, key, v, p, lvl) {
			s.set[key] = d.where(kn, p)
		}
	}
	return s
}

// setting reads one key into s and reports whether it was valid.
func (d *decoder) setting(s *settings, key string, v *yaml.Node, p string, lvl levelKind) bool {
	var ok bool
	switch key {
	case "version":
		var ver string
		if v.Kind == yaml.ScalarNode && (v.Tag == "!!str" || v.Tag == "!!float" || v.Tag == "!!int") {
			ver, ok = v.Value, true
			if ver == "1" || ver == "2" {
				ver += ".0"
			}
		} else {
			d.wrongType(v, p, "a string")
		}
		if ok && !slices.Contains(ConfigVersions, ver) {
			d.errorf(v, p, "unsupported version %q (want one of %s)", v.Value, strings.Join(ConfigVersions, ", "))
			ok = false
		}
	case "app_name":
		s.appName, ok = d.str(v, p)
	case "stages", "lambda_functions":
		return true // read by the caller
	case "parameters":
		s.params, ok = d.parameters(v, p, lvl)
	case "api_gateway_stage":
		s.apiStage, ok = d.str(v, p)
		if ok && !apiStageName.MatchString(s.apiStage) {
			d.errorf(v, p, "%q is not a valid API Gateway stage name (letters, digits and _)", s.apiStage)
			ok = false
		}
	case "api_gateway_endpoint_type":
		s.endpointType, ok = d.oneOf(v, p, []string{EndpointEdge, EndpointRegional, EndpointPrivate})
	case "api_gateway_type":
		s.apiType, ok = d.oneOf(v, p, APITypes)
	case "api_gateway_throttle":
		s.throttle, ok = d.throttle(v, p)
	case "api_gateway_access_log":
		s.accessLog, ok = d.accessLog(v, p)
	case "api_gateway_endpoint_vpce":
		check := checkPattern(vpceID, "VPC endpoint id (vpce- and 8 or 17 hex digits)")
		if v.Kind == yaml.SequenceNode {
			ok = true
			s.vpces = nil
			for i, e := range v.Content {
				ep := fmt.Sprintf("%s[%d]", p, i)
				id, good := d.str(e, ep)
				if good {
					if msg := check(id); msg != "" {
						d.errorf(e, ep, "%s", msg)
						good = false
					}
				}
				ok = ok && good
				s.vpces = append(s.vpces, id)
			}
		} else if id, good := d.str(v, p); good {
			if msg := check(id); msg != "" {
				d.errorf(v, p, "%s", msg)
			} else {
				s.vpces, ok = []string{id}, true
			}
		}
	case "api_gateway_policy_file":
		var name string
		if name, ok = d.str(v, p); ok {
			if ok = d.insideConfigDir(v, p, name); ok {
				s.policy, ok = d.readJSONFile(v, p, name)
			}
		}
	case "api_gateway_custom_domain":
		s.customDomain, ok = d.customDomain(v, p)
	case "websocket_api_custom_domain":
		s.wsDomain, ok = d.customDomain(v, p)
	case "minimum_compression_size":
		s.compression, ok = d.intRange(v, p, 0, MaxMinimumCompressionSize)
	case "automatic_layer":
		s.automaticLayer, ok = d.boolean(v, p)
	case "api_gateway_request_validation":
		s.requestValidation, ok = d.boolean(v, p)
	case "retain_data":
		s.retainData, ok = d.boolean(v, p)
	case "bucket_versioning":
		s.versioning, ok = d.boolean(v, p)
	case "usage_plan":
		s.usagePlan, ok = d.usagePlan(v, p)
	case "autogen_policy":
		s.autogen, ok = d.boolean(v, p)
	case "iam_policy_file":
		s.policyFile, ok = d.str(v, p)
		if ok && s.policyFile == "" {
			d.errorf(v, p, "empty file name")
			ok = false
		}
		ok = ok && d.insideConfigDir(v, p, s.policyFile)
	case "iam_role_arn":
		s.roleARN, ok = d.value(v, p, checkPattern(roleARN, "IAM role ARN (arn:aws:iam::123456789012:role/name)"))
	case "manage_iam_role":
		s.manage, ok = d.boolean(v, p)
	case "lambda_memory_size":
		s.memory, ok = d.intRange(v, p, MinMemorySize, MaxMemorySize)
	case "lambda_timeout":
		s.timeout, ok = d.intRange(v, p, MinTimeout, MaxTimeout)
	case "layers":
		s.layers, ok = d.valueList(v, p, checkPattern(layerARN, "layer version ARN (arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION)"))
		if ok && len(s.layers) > 5 {
			d.errorf(v, p, "%d layers: a function can use at most 5", len(s.layers))
			ok = false
		}
	case "log_retention_in_days":
		var days int
		if days, ok = d.integer(v, p); ok && !slices.Contains(LogRetentionDays, days) {
			d.errorf(v, p, "%d is not a retention CloudWatch Logs accepts (one of %s)", days, joinInts(LogRetentionDays))
			ok = false
		}
		s.logRetention = days
	case "reserved_concurrency":
		s.reserved, ok = d.integer(v, p)
		if ok && s.reserved < 0 {
			d.errorf(v, p, "%d is out of range (≥ 0)", s.reserved)
			ok = false
		}
	case "security_group_ids":
		s.sgs, ok = d.valueList(v, p, checkPattern(securityGroup, "security group id (sg- and 8 or 17 hex digits)"))
	case "subnet_ids":
		s.subnets, ok = d.valueList(v, p, checkPattern(subnetID, "subnet id (subnet- and 8 or 17 hex digits)"))
	case "xray":
		s.xray, ok = d.boolean(v, p)
	case "environment_variables":
		s.env, ok = d.valueMap(v, p, checkEnvName)
	case "tags":
		s.tags, ok = d.tags(v, p)
	case "architecture":
		s.arch, ok = d.oneOf(v, p, Architectures)
	case "log_format":
		s.logFormat, ok = d.oneOf(v, p, LogFormats)
	case "log_level":
		s.logLevel, ok = d.oneOf(v, p, LogLevels)
	}
	return ok
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// fields reads a fixed-key mapping, calling read for each known key and
// reporting unknown ones and missing required ones.
func (d *decoder) fields(n *yaml.Node, path string, known, required []string, read func(key string, v *yaml.Node, p string) bool) bool {
	keys, vals, ok := d.pairs(n, path)
	if !ok {
		return false
	}
	seen := map[string]bool{}
	for i, k := range keys {
		p := join(path, k.Value)
		if !slices.Contains(known, k.Value) {
			d.errorf(k, p, "unknown key%s", didYouMean(k.Value, known))
			ok = false
			continue
		}
		seen[k.Value] = true
		ok = read(k.Value, vals[i], p) && ok
	}
	for _, r := range required {
		if !seen[r] {
			d.errorf(n, path, "missing %s", r)
			ok = false
		}
	}
	return ok
}

func (d *decoder) customDomain(n *yaml.Node, path string) (*CustomDomain, bool) {
	cd := &CustomDomain{TLSVersion: "TLS_1_2"}
	ok := d.fields(n, path, []string{"domain_name", "certificate_arn", "url_prefix", "tls_version", "tags"}, []string{"domain_name", "certificate_arn"},
		func(key string, v *yaml.Node, p string) bool {
			var ok bool
			switch key {
			case "domain_name":
				if cd.DomainName, ok = d.str(v, p); ok && !domainName.MatchString(cd.DomainName) {
					d.errorf(v, p, "%q is not a valid domain name", cd.DomainName)
					ok = false
				}
			case "certificate_arn":
				if cd.CertificateARN, ok = d.str(v, p); ok && !certARN.MatchString(cd.CertificateARN) {
					d.errorf(v, p, "%q is not an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)", cd.CertificateARN)
					ok = false
				}
			case "url_prefix":
				if cd.BasePath, ok = d.str(v, p); ok {
					cd.BasePath = strings.Trim(cd.BasePath, "/")
				}
			case "tls_version":
				cd.TLSVersion, ok = d.oneOf(v, p, []string{"TLS_1_0", "TLS_1_2"})
			case "tags":
				cd.Tags, ok = d.stringMap(v, p)
			}
			return ok
		})
	return cd, ok
}

// throttle reads api_gateway_throttle: the stage's default rate and burst
// limits.
func (d *decoder) throttle(n *yaml.Node, path string) (*Throttle, bool) {
	th := &Throttle{}
	ok := d.fields(n, path, []string{"rate_limit", "burst_limit"}, nil, func(key string, v *yaml.Node, p string) bool {
		var ok bool
		if key == "rate_limit" {
			if th.RateLimit, ok = d.number(v, p); ok && th.RateLimit <= 0 {
				d.errorf(v, p, "%v is out of range (> 0)", th.RateLimit)
				ok = false
			}
		} else {
			if th.BurstLimit, ok = d.integer(v, p); ok && th.BurstLimit < 0 {
				d.errorf(v, p, "%d is out of range (≥ 0)", th.BurstLimit)
				ok = false
			}
		}
		return ok
	})
	if ok && th.RateLimit == 0 && th.BurstLimit == 0 {
		d.errorf(n, path, "give rate_limit, burst_limit or both")
		ok = false
	}
	return th, ok
}

// accessLog reads api_gateway_access_log: the log group and the format.
func (d *decoder) accessLog(n *yaml.Node, path string) (*AccessLog, bool) {
	al := &AccessLog{}
	var retentionNode *yaml.Node
	ok := d.fields(n, path, []string{"destination_arn", "format", "retention_in_days"}, nil, func(key string, v *yaml.Node, p string) bool {
		var ok bool
		switch key {
		case "destination_arn":
			if al.DestinationARN, ok = d.str(v, p); ok && !logGroupARN.MatchString(al.DestinationARN) {
				d.errorf(v, p, "%q is not a CloudWatch Logs log group ARN (arn:aws:logs:REGION:ACCOUNT:log-group:NAME)", al.DestinationARN)
				ok = false
			}
		case "format":
			if al.Format, ok = d.str(v, p); ok && !strings.Contains(al.Format, "$context.requestId") {
				d.errorf(v, p, "the format must include $context.requestId (API Gateway rejects it otherwise)")
				ok = false
			}
		case "retention_in_days":
			retentionNode = v
			if al.RetentionInDays, ok = d.integer(v, p); ok && !slices.Contains(LogRetentionDays, al.RetentionInDays) {
				d.errorf(v, p, "%d is not a retention CloudWatch Logs accepts (one of %s)", al.RetentionInDays, joinInts(LogRetentionDays))
				ok = false
			}
		}
		return ok
	})
	if ok && retentionNode != nil && al.DestinationARN != "" {
		d.errorf(retentionNode, join(path, "retention_in_days"), "retention_in_days applies to the log group gochalice creates without destination_arn; set the retention of your own group where it is declared")
		ok = false
	}
	return al, ok
}

func (d *decoder) usagePlan(n *yaml.Node, path string) (*UsagePlan, bool) {
	up := &UsagePlan{}
	ok := d.fields(n, path, []string{"throttle", "quota", "create_api_key"}, nil, func(key string, v *yaml.Node, p string) bool {
		switch key {
		case "throttle":
			return d.fields(v, p, []string{"rate_limit", "burst_limit"}, nil, func(key string, v *yaml.Node, p string) bool {
				var ok bool
				if key == "rate_limit" {
					if up.ThrottleRateLimit, ok = d.number(v, p); ok && up.ThrottleRateLimit <= 0 {
						d.errorf(v, p, "%v is out of range (> 0)", up.ThrottleRateLimit)
						ok = false
					}
				} else {
					if up.ThrottleBurstLimit, ok = d.integer(v, p); ok && up.ThrottleBurstLimit < 0 {
						d.errorf(v, p, "%d is out of range (≥ 0)", up.ThrottleBurstLimit)
						ok = false
					}
				}
				return ok
			})
		case "quota":
			return d.fields(v, p, []string{"limit", "period"}, []string{"limit", "period"}, func(key string, v *yaml.Node, p string) bool {
				var ok bool
				if key == "limit" {
					if up.QuotaLimit, ok = d.integer(v, p); ok && up.QuotaLimit <= 0 {
						d.errorf(v, p, "%d is out of range (> 0)", up.QuotaLimit)
						ok = false
					}
				} else {
					up.QuotaPeriod, ok = d.oneOf(v, p, []string{"DAY", "WEEK", "MONTH"})
				}
				return ok
			})
		case "create_api_key":
			var ok bool
			up.CreateAPIKey, ok = d.boolean(v, p)
			return ok
		}
		return false
	})
	return up, ok
}

// ParameterTypes are the plain CloudFormation parameter types; AWS-specific
// types (AWS::EC2::VPC::Id, List<AWS::EC2::Subnet::Id>,
// AWS::SSM::Parameter::Value<String>, ...) are accepted too.
var ParameterTypes = []string{"String", "Number", "List<Number>", "CommaDelimitedList"}

var awsParamType = regexp.MustCompile(`^(List<)?AWS::[A-Za-z0-9:]+(<[A-Za-z0-9:<>]+>)?>?$`)

var paramKeys = []string{"type", "description", "default", "allowed_values", "allowed_pattern", "no_echo",
	"min_length", "max_length", "min_value", "max_value", "constraint_description"}

func (d *decoder) parameters(n *yaml.Node, path string, lvl levelKind) (map[string]*paramSpec, bool) {
	keys, vals, ok := d.pairs(n, path)
	if !ok {
		return nil, false
	}
	out := map[string]*paramSpec{}
	for i, k := range keys {
		p := join(path, k.Value)
		if !paramName.MatchString(k.Value) || len(k.Value) > 255 {
			d.errorf(k, p, "%q is not a valid parameter name (letters and digits only)", k.Value)
			ok = false
			continue
		}
		ps := &paramSpec{where: d.where(k, p), set: map[string]bool{}, p: Parameter{Name: k.Value}}
		good := d.fields(vals[i], p, paramKeys, nil, func(key string, v *yaml.Node, fp string) bool {
			var ok bool
			pp := &ps.p
			switch key {
			case "type":
				if pp.Type, ok = d.str(v, fp); ok && !slices.Contains(ParameterTypes, pp.Type) && !awsParamType.MatchString(pp.Type) {
					d.errorf(v, fp, "%q is not a CloudFormation parameter type (String, Number, List<Number>, CommaDelimitedList or an AWS-specific type)%s", pp.Type, didYouMean(pp.Type, ParameterTypes))
					ok = false
				}
			case "description":
				pp.Description, ok = d.str(v, fp)
			case "constraint_description":
				pp.ConstraintDescription, ok = d.str(v, fp)
			case "allowed_pattern":
				if pp.AllowedPattern, ok = d.str(v, fp); ok {
					if _, err := regexp.Compile(pp.AllowedPattern); err != nil {
						d.errorf(v, fp, "bad pattern: %v", err)
						ok = false
					}
				}
			case "default":
				var s string
				if s, ok = d.paramScalar(v, fp); ok {
					pp.Default = &s
				}
			case "allowed_values":
				if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
					d.wrongType(v, fp, "a non-empty list")
					return false
				}
				ok = true
				pp.AllowedValues = nil
				for j, e := range v.Content {
					s, good := d.paramScalar(e, fmt.Sprintf("%s[%d]", fp, j))
					ok = ok && good
					pp.AllowedValues = append(pp.AllowedValues, s)
				}
			case "no_echo":
				pp.NoEcho, ok = d.boolean(v, fp)
			case "min_length", "max_length":
				var x int
				if x, ok = d.integer(v, fp); ok && x < 0 {
					d.errorf(v, fp, "%d is out of range (≥ 0)", x)
					ok = false
				}
				if key == "min_length" {
					pp.MinLength = &x
				} else {
					pp.MaxLength = &x
				}
			case "min_value", "max_value":
				var x float64
				x, ok = d.number(v, fp)
				if key == "min_value" {
					pp.MinValue = &x
				} else {
					pp.MaxValue = &x
				}
			}
			if ok {
				ps.set[key] = true
			}
			return ok
		})
		if good {
			out[k.Value] = ps
		}
		ok = ok && good
	}
	return out, ok
}

// paramScalar reads a parameter value: a string, number or boolean, kept as
// the string CloudFormation receives.
func (d *decoder) paramScalar(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode || !slices.Contains([]string{"!!str", "!!int", "!!float", "!!bool"}, n.Tag) {
		d.wrongType(n, path, "a string or a number")
		return "", false
	}
	return n.Value, true
}

// functionsOf reads lambda_functions.
func (d *decoder) functionsOf(n *yaml.Node, path string) map[string]*settings {
	keys, vals, ok := d.pairs(n, path)
	if !ok {
		return nil
	}
	out := make(map[string]*settings, len(keys))
	for i, k := range keys {
		s := d.settings(vals[i], join(path, k.Value), levelFunction)
		s.set[""] = d.where(k, join(path, k.Value)) // where the function is named
		out[k.Value] = s
	}
	return out
}

// valueOf returns the node under key in mapping n, nil if absent.
func valueOf(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// stageEntry is one stage of the config.
type stageEntry struct {
	where string
	s     *settings
}

// parsed is a whole config file.
type parsed struct {
	top    *settings
	stages map[string]stageEntry
	// stagesWhere is where the stages key is, "" when the file has none.
	stagesWhere string
}

// parse reads a config document.
func (d *decoder) parse(data []byte) *parsed {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		e := &Error{File: d.file, Msg: "not valid JSON or YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
		if m := regexp.MustCompile(`^yaml: line (\d+): (.*)$`).FindStringSubmatch(err.Error()); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
			e.Column = 1
			e.Msg = "not valid JSON or YAML: " + m[2]
		}
		d.errs = append(d.errs, e)
		return nil
	}
	p := &parsed{stages: map[string]stageEntry{}}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		d.errs = append(d.errs, &Error{File: d.file, Msg: "empty file: want a mapping with at least \"version\" and \"stages\""})
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		d.wrongType(root, "", "a mapping at the top")
		return nil
	}
	p.top = d.settings(root, "", levelTop)
	if fn := valueOf(root, "lambda_functions"); fn != nil {
		p.top.functions = d.functionsOf(fn, "lambda_functions")
	}
	if st := valueOf(root, "stages"); st != nil {
		p.stagesWhere = p.top.set["stages"]
		keys, vals, ok := d.pairs(st, "stages")
		if ok {
			for i, k := range keys {
				path := "stages." + k.Value
				if k.Value == "" || k.Value == "." || k.Value == ".." || strings.ContainsAny(k.Value, `/\`) {
					d.errorf(k, path, "%q is not a valid stage name: it names a directory under the output directory", k.Value)
					continue
				}
				s := d.settings(vals[i], path, levelStage)
				if fn := valueOf(vals[i], "lambda_functions"); fn != nil {
					s.functions = d.functionsOf(fn, path+".lambda_functions")
				}
				p.stages[k.Value] = stageEntry{where: d.where(k, path), s: s}
			}
		}
	}
	return p
}

// fixJSON makes a JSON document that encoding/json accepts readable by the
// YAML parser without moving any line.
func fixJSON(data []byte) []byte { return cfnyaml.FixJSONEscapes(data) }

// jsonSyntax reports a JSON syntax error at its line and column; the YAML
// parser's positions for broken JSON are vague.
func jsonSyntax(file string, data []byte) error {
	if len(strings.TrimSpace(string(data))) == 0 || json.Valid(data) {
		return nil
	}
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return &Error{File: file, Msg: "not valid JSON: " + err.Error()}
	}
	line, col := 1, 1
	for _, c := range data[:min(int(se.Offset), len(data))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	// Offset is just past the offending byte.
	return &Error{File: file, Line: line, Column: max(1, col-1), Msg: "not valid JSON: " + se.Error()}
}

// pathErr drops the (absolute) path from a file error: the message names
// the file already.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
