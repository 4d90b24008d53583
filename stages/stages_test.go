package stages

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// parse reads a JSON config held in a string, with policy files in dir.
func parse(t *testing.T, dir, config string) *Config {
	t.Helper()
	c, err := Parse(".chalice/config.json", dir, []byte(config))
	if err != nil {
		t.Fatalf("config:\n%s\nerror: %v", config, err)
	}
	return c
}

func stage(t *testing.T, c *Config, name string, o Overrides) Stage {
	t.Helper()
	st, err := c.Stage(name, o)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestNoConfigFile(t *testing.T) {
	c, err := Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Names(); !slices.Equal(got, []string{"dev"}) {
		t.Errorf("Names() = %v, want [dev]", got)
	}
	st := stage(t, c, "dev", Overrides{})
	want := FunctionConfig{MemorySize: 128, Timeout: 60, Architecture: "arm64"}
	if !reflect.DeepEqual(st.Defaults, want) || st.APIGatewayStage != "api" || st.Name != "dev" || st.ConfigFile != "" {
		t.Errorf("implicit dev stage: %+v", st)
	}
	if _, err := c.Stage("prod", Overrides{}); err == nil || !strings.Contains(err.Error(), `unknown stage "prod" (no config file: the only stage is dev)`) {
		t.Errorf("unknown stage: %v", err)
	}
}

// The precedence cases mirror Chalice's tests/unit/test_config.py.
func TestPrecedence(t *testing.T) {
	const config = `{
  "version": "2.0",
  "lambda_memory_size": 256,
  "lambda_timeout": 10,
  "environment_variables": {"VA": "top", "VB": "top", "VC": "top", "VD": "top"},
  "tags": {"t1": "top", "t2": "top", "t3": "top"},
  "lambda_functions": {
    "fn": {
      "lambda_timeout": 20,
      "lambda_memory_size": 384,
      "environment_variables": {"VB": "topfn", "VC": "topfn"},
      "tags": {"t2": "topfn"}
    }
  },
  "stages": {
    "dev": {},
    "prod": {
      "lambda_memory_size": 512,
      "architecture": "x86_64",
      "environment_variables": {"VC": "stage", "VD": "stage"},
      "tags": {"t3": "stage"},
      "lambda_functions": {
        "fn": {"lambda_timeout": 30, "architecture": "arm64", "environment_variables": {"VD": "stagefn", "VE": "stagefn"}},
        "other": {"xray": true}
      }
    }
  }
}`
	c := parse(t, t.TempDir(), config)
	tests := []struct {
		name    string
		stage   string
		fn      string
		o       Overrides
		memory  int
		timeout int
		arch    string
		env     map[string]string
		tags    map[string]string
		xray    bool
	}{
		{name: "top level applies to every function", stage: "dev", fn: "nofn", memory: 256, timeout: 10, arch: "arm64",
			env: map[string]string{"VA": "top", "VB": "top", "VC": "top", "VD": "top"}, tags: map[string]string{"t1": "top", "t2": "top", "t3": "top"}},
		{name: "top-level function overrides top level, env and tags merge", stage: "dev", fn: "fn", memory: 384, timeout: 20, arch: "arm64",
			env: map[string]string{"VA": "top", "VB": "topfn", "VC": "topfn", "VD": "top"}, tags: map[string]string{"t1": "top", "t2": "topfn", "t3": "top"}},
		{name: "stage overrides top level", stage: "prod", fn: "nofn", memory: 512, timeout: 10, arch: "x86_64",
			env: map[string]string{"VA": "top", "VB": "top", "VC": "stage", "VD": "stage"}, tags: map[string]string{"t1": "top", "t2": "top", "t3": "stage"}},
		{name: "stage overrides top-level function", stage: "prod", fn: "fn", memory: 512, timeout: 30, arch: "arm64",
			env: map[string]string{"VA": "top", "VB": "topfn", "VC": "stage", "VD": "stagefn", "VE": "stagefn"}, tags: map[string]string{"t1": "top", "t2": "topfn", "t3": "stage"}},
		{name: "stage function only", stage: "prod", fn: "other", memory: 512, timeout: 10, arch: "x86_64", xray: true,
			env: map[string]string{"VA": "top", "VB": "top", "VC": "stage", "VD": "stage"}, tags: map[string]string{"t1": "top", "t2": "top", "t3": "stage"}},
		{name: "command line overrides the stage", stage: "prod", fn: "other", o: Overrides{Architecture: "arm64"}, memory: 512, timeout: 10, arch: "arm64", xray: true,
			env: map[string]string{"VA": "top", "VB": "top", "VC": "stage", "VD": "stage"}, tags: map[string]string{"t1": "top", "t2": "top", "t3": "stage"}},
		{name: "stage function overrides the command line", stage: "prod", fn: "fn", o: Overrides{Architecture: "x86_64"}, memory: 512, timeout: 30, arch: "arm64",
			env: map[string]string{"VA": "top", "VB": "topfn", "VC": "stage", "VD": "stagefn", "VE": "stagefn"}, tags: map[string]string{"t1": "top", "t2": "topfn", "t3": "stage"}},
		{name: "command line overrides top-level function", stage: "dev", fn: "fn", o: Overrides{Architecture: "x86_64"}, memory: 384, timeout: 20, arch: "x86_64",
			env: map[string]string{"VA": "top", "VB": "topfn", "VC": "topfn", "VD": "top"}, tags: map[string]string{"t1": "top", "t2": "topfn", "t3": "top"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := stage(t, c, tt.stage, tt.o).For(tt.fn)
			if fc.MemorySize != tt.memory || fc.Timeout != tt.timeout || fc.Architecture != tt.arch || fc.XRay != tt.xray {
				t.Errorf("memory %d timeout %d arch %s xray %v, want %d %d %s %v", fc.MemorySize, fc.Timeout, fc.Architecture, fc.XRay, tt.memory, tt.timeout, tt.arch, tt.xray)
			}
			if !reflect.DeepEqual(fc.Environment, tt.env) {
				t.Errorf("environment %v, want %v", fc.Environment, tt.env)
			}
			if !reflect.DeepEqual(fc.Tags, tt.tags) {
				t.Errorf("tags %v, want %v", fc.Tags, tt.tags)
			}
		})
	}
}

func TestLogging(t *testing.T) {
	const config = `{
  "log_format": "JSON",
  "lambda_functions": {"quiet": {"log_level": "ERROR"}},
  "stages": {
    "dev": {"log_level": "DEBUG"},
    "prod": {"lambda_functions": {"plain": {"log_format": "Text"}}}
  }
}`
	c := parse(t, t.TempDir(), config)
	tests := []struct {
		stage, fn     string
		format, level string
	}{
		{"dev", "any", "JSON", "DEBUG"},
		{"dev", "quiet", "JSON", "DEBUG"}, // the stage wins over the top-level function
		{"prod", "any", "JSON", ""},
		{"prod", "quiet", "JSON", "ERROR"},
		{"prod", "plain", "Text", ""},
	}
	for _, tt := range tests {
		fc := stage(t, c, tt.stage, Overrides{}).For(tt.fn)
		if fc.LogFormat != tt.format || fc.LogLevel != tt.level {
			t.Errorf("%s %s: log_format %q log_level %q, want %q %q", tt.stage, tt.fn, fc.LogFormat, fc.LogLevel, tt.format, tt.level)
		}
	}
	// Unset, both are "": no LoggingConfig.
	if fc := stage(t, parse(t, t.TempDir(), `{}`), "dev", Overrides{}).For("f"); fc.LogFormat != "" || fc.LogLevel != "" {
		t.Errorf("defaults %q %q", fc.LogFormat, fc.LogLevel)
	}
}

// A null value is "not set", as in Chalice's lookups: the next level's value
// applies.
func TestNullIsUnset(t *testing.T) {
	c := parse(t, t.TempDir(), `{"lambda_memory_size": 256, "stages": {"dev": {"lambda_memory_size": null, "tags": null}}}`)
	if fc := stage(t, c, "dev", Overrides{}).Defaults; fc.MemorySize != 256 || fc.Tags != nil {
		t.Errorf("memory %d tags %v, want 256 and none", fc.MemorySize, fc.Tags)
	}
}

func TestIntrinsicValues(t *testing.T) {
	c := parse(t, t.TempDir(), `{
  "version": "2.0",
  "parameters": {"Table": {"default": "t"}},
  "environment_variables": {"TABLE": {"Ref": "Table"}, "PLAIN": "x"},
  "tags": {"stack": {"Fn::Sub": "${AWS::StackName}-${Table}"}},
  "iam_role_arn": {"Fn::ImportValue": "shared-role-arn"},
  "manage_iam_role": false,
  "layers": [{"Fn::GetAtt": ["Layer", "Arn"]}, "arn:aws:lambda:us-east-1:123456789012:layer:x:3"],
  "subnet_ids": [{"Ref": "Subnet"}], "security_group_ids": ["sg-12345678"],
  "stages": {"dev": {"environment_variables": {"PLAIN": {"Ref": "Table"}}}}
}`)
	fc := stage(t, c, "dev", Overrides{}).Defaults
	if len(fc.Environment) != 0 || len(fc.EnvironmentIntrinsics) != 2 {
		t.Fatalf("a stage intrinsic replaces a top-level literal: env %v, intrinsics %v", fc.Environment, fc.EnvironmentIntrinsics)
	}
	if got := fc.EnvironmentIntrinsics["TABLE"]; !reflect.DeepEqual(got.Any(), map[string]any{"Ref": "Table"}) || !strings.HasPrefix(got.Where, ".chalice/config.json:4:38: environment_variables.TABLE") {
		t.Errorf("TABLE = %+v", got)
	}
	if got := fc.TagIntrinsics["stack"].Refs(); !slices.Equal(got, []string{"Table"}) {
		t.Errorf("Refs of a Sub = %v, want [Table]", got)
	}
	if !fc.RoleARN.IsIntrinsic() || fc.Policy != nil {
		t.Errorf("RoleARN %+v, Policy %v", fc.RoleARN, fc.Policy)
	}
	if len(fc.Layers) != 2 || fc.Layers[1].Literal == "" || !slices.Equal(fc.Layers[0].Refs(), []string{"Layer"}) {
		t.Errorf("layers %+v", fc.Layers)
	}
	if len(fc.SubnetIDs) != 1 || len(fc.SecurityGroupIDs) != 1 {
		t.Errorf("VPC %+v %+v", fc.SubnetIDs, fc.SecurityGroupIDs)
	}
}

func TestValueRefs(t *testing.T) {
	tests := []struct {
		v    map[string]any
		want []string
	}{
		{map[string]any{"Ref": "P"}, []string{"P"}},
		{map[string]any{"Ref": "AWS::Region"}, nil},
		{map[string]any{"Fn::GetAtt": []any{"R", "Arn"}}, []string{"R"}},
		{map[string]any{"Fn::Sub": "${A}-${B.Arn}-${!Lit}-${AWS::Region}"}, []string{"A", "B"}},
		{map[string]any{"Fn::Sub": []any{"${A}-${X}", map[string]any{"X": map[string]any{"Ref": "Y"}}}}, []string{"A", "Y"}},
		{map[string]any{"Fn::ImportValue": "exported"}, nil},
		{map[string]any{"Fn::Join": []any{"", []any{map[string]any{"Ref": "J"}, "x"}}}, []string{"J"}},
	}
	for _, tt := range tests {
		got := Value{Intrinsic: tt.v}.Refs()
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Refs(%v) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

func TestParametersPerStage(t *testing.T) {
	c := parse(t, t.TempDir(), `{
  "version": "2.0",
  "parameters": {
    "Size": {"type": "Number", "default": 1, "min_value": 1, "max_value": 10, "description": "size"},
    "Env": {"allowed_values": ["dev", "prod"], "default": "dev"},
    "Secret": {"no_echo": true}
  },
  "stages": {
    "dev": {},
    "prod": {"parameters": {"Size": {"default": 5}, "Env": {"default": "prod"}, "Extra": {"type": "CommaDelimitedList", "default": "a,b"}}}
  }
}`)
	dev, prod := stage(t, c, "dev", Overrides{}), stage(t, c, "prod", Overrides{})
	if got := dev.ParameterOverrides(); !slices.Equal(got, []string{"Env=dev", "Size=1"}) {
		t.Errorf("dev overrides %v", got)
	}
	if got := prod.ParameterOverrides(); !slices.Equal(got, []string{"Env=prod", "Extra=a,b", "Size=5"}) {
		t.Errorf("prod overrides %v", got)
	}
	var names []string
	for _, p := range prod.Parameters {
		names = append(names, p.Name+":"+p.Type)
	}
	if !slices.Equal(names, []string{"Env:String", "Extra:CommaDelimitedList", "Secret:String", "Size:Number"}) {
		t.Errorf("prod parameters %v", names)
	}
	if p := prod.Parameters[3]; p.Description != "size" || *p.MinValue != 1 || *p.MaxValue != 10 {
		t.Errorf("a stage default keeps the top-level declaration: %+v", p)
	}
	if p := prod.Parameters[2]; !p.NoEcho || p.Default != nil {
		t.Errorf("Secret %+v", p)
	}
}

func TestAPIConfig(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "api-policy.json"), []byte(`{"Version": "2012-10-17", "Statement": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c := parse(t, dir, `{
  "version": "2.0",
  "api_gateway_endpoint_type": "REGIONAL",
  "minimum_compression_size": 1024,
  "usage_plan": {"throttle": {"rate_limit": 10.5, "burst_limit": 20}, "quota": {"limit": 1000, "period": "DAY"}, "create_api_key": true},
  "stages": {
    "dev": {},
    "prod": {
      "api_gateway_stage": "v1",
      "api_gateway_endpoint_type": "PRIVATE",
      "api_gateway_endpoint_vpce": "vpce-0123456789abcdef0",
      "api_gateway_policy_file": "api-policy.json",
      "xray": true,
      "automatic_layer": true,
      "api_gateway_request_validation": true,
      "api_gateway_custom_domain": {"domain_name": "api.example.com", "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/abc-123", "url_prefix": "/shop/", "tags": {"a": "b"}},
      "websocket_api_custom_domain": {"domain_name": "ws.example.com", "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/abc-124", "tls_version": "TLS_1_0"}
    }
  }
}`)
	if _, err := Parse(".chalice/config.json", dir, []byte(`{"api_gateway_endpoint_vpce": "vpce-12345678", "stages": {"dev": {}}}`)); err != nil {
		t.Errorf("a vpce with an EDGE endpoint (accepted and unused, as Chalice): %v", err)
	}
	dev := stage(t, c, "dev", Overrides{})
	if dev.API.EndpointType != "REGIONAL" || *dev.API.MinimumCompressionSize != 1024 || dev.API.XRay || dev.API.UsagePlan == nil || dev.API.RequestValidation {
		t.Errorf("dev API %+v", dev.API)
	}
	want := UsagePlan{ThrottleRateLimit: 10.5, ThrottleBurstLimit: 20, QuotaLimit: 1000, QuotaPeriod: "DAY", CreateAPIKey: true}
	if *dev.API.UsagePlan != want {
		t.Errorf("usage plan %+v", *dev.API.UsagePlan)
	}
	prod := stage(t, c, "prod", Overrides{})
	a := prod.API
	if prod.APIGatewayStage != "v1" || a.EndpointType != "PRIVATE" || !slices.Equal(a.EndpointVPCEs, []string{"vpce-0123456789abcdef0"}) || !a.XRay || a.Policy["Version"] != "2012-10-17" || !prod.AutomaticLayer || !a.RequestValidation {
		t.Errorf("prod: %+v", prod)
	}
	wantDomain := CustomDomain{DomainName: "api.example.com", CertificateARN: "arn:aws:acm:us-east-1:123456789012:certificate/abc-123", BasePath: "shop", TLSVersion: "TLS_1_2", Tags: map[string]string{"a": "b"}}
	if !reflect.DeepEqual(*a.CustomDomain, wantDomain) {
		t.Errorf("custom domain %+v", *a.CustomDomain)
	}
	if ws := prod.WebsocketCustomDomain; ws == nil || ws.TLSVersion != "TLS_1_0" || ws.DomainName != "ws.example.com" {
		t.Errorf("websocket domain %+v", ws)
	}
	if !prod.Defaults.XRay {
		t.Error("stage xray does not reach the functions")
	}
	if got, want := prod.API.Where["xray"], ".chalice/config.json:13:7: stages.prod.xray"; got != want {
		t.Errorf("where of xray = %q, want %q", got, want)
	}
	if got, want := dev.API.Where["usage_plan"], ".chalice/config.json:5:3: usage_plan"; got != want {
		t.Errorf("where of usage_plan = %q, want %q", got, want)
	}
}

func TestAPIType(t *testing.T) {
	c := parse(t, t.TempDir(), `{
  "api_gateway_throttle": {"rate_limit": 50, "burst_limit": 100},
  "stages": {
    "dev": {},
    "prod": {
      "api_gateway_type": "http",
      "api_gateway_access_log": {"destination_arn": "arn:aws:logs:us-east-1:123456789012:log-group:api-logs"}
    },
    "old": {"api_gateway_type": "rest"}
  }
}`)
	tests := []struct {
		stage     string
		typ       string
		http      bool
		accessLog bool
	}{
		{"dev", "", false, false},
		{"prod", APITypeHTTP, true, true},
		{"old", APITypeREST, false, false},
	}
	for _, tt := range tests {
		st := stage(t, c, tt.stage, Overrides{})
		if st.API.Type != tt.typ || st.API.HTTP() != tt.http || (st.API.AccessLog != nil) != tt.accessLog {
			t.Errorf("%s: API %+v", tt.stage, st.API)
		}
		if st.API.Throttle == nil || *st.API.Throttle != (Throttle{RateLimit: 50, BurstLimit: 100}) {
			t.Errorf("%s: throttle %+v", tt.stage, st.API.Throttle)
		}
	}
	if w := stage(t, c, "prod", Overrides{}).API.Where["api_gateway_type"]; w != ".chalice/config.json:6:7: stages.prod.api_gateway_type" {
		t.Errorf("where of api_gateway_type = %q", w)
	}
}

func TestPolicyFiles(t *testing.T) {
	dir := t.TempDir()
	for name, doc := range map[string]string{
		"policy-dev.json": `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`,
		"fn.json":         `{"Version": "2012-10-17", "Statement": []}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := parse(t, dir, `{"version": "2.0", "stages": {"dev": {"autogen_policy": false, "lambda_functions": {"f": {"iam_policy_file": "fn.json"}}}}}`)
	st := stage(t, c, "dev", Overrides{})
	if st.Defaults.PolicyFile != "policy-dev.json" || st.Defaults.Policy == nil {
		t.Errorf("stage policy %q %v", st.Defaults.PolicyFile, st.Defaults.Policy)
	}
	if fc := st.For("f"); fc.PolicyFile != "fn.json" || fc.Policy == nil {
		t.Errorf("function policy %q %v", fc.PolicyFile, fc.Policy)
	}
}

// A policy file that allows every action works, with a warning.
func TestPolicyGrantingEverythingWarns(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "all.json"), []byte(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "some.json"), []byte(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c := parse(t, dir, `{"version": "2.0", "stages": {"dev": {"lambda_functions": {"f": {"autogen_policy": false, "iam_policy_file": "all.json"}, "g": {"autogen_policy": false, "iam_policy_file": "some.json"}}}, "prod": {"retain_data": false}}}`)
	dev := stage(t, c, "dev", Overrides{})
	if len(dev.Warnings) != 1 || !strings.Contains(dev.Warnings[0], `all.json grants "Action": "*"`) {
		t.Errorf("warnings = %q, want one about all.json", dev.Warnings)
	}
	if dev.NoRetain {
		t.Error("dev: data is retained by default")
	}
	if prod := stage(t, c, "prod", Overrides{}); !prod.NoRetain || len(prod.Warnings) != 0 {
		t.Errorf("prod: NoRetain %v, warnings %q", prod.NoRetain, prod.Warnings)
	}
}

func TestCheckFunctions(t *testing.T) {
	c := parse(t, t.TempDir(), `{
  "version": "2.0",
  "lambda_functions": {"api_handler": {}, "ressize": {}},
  "stages": {"dev": {"lambda_functions": {"gone": {}}}}
}`)
	err := c.CheckFunctions([]string{"api_handler", "resize"})
	for _, want := range []string{
		`.chalice/config.json:3:43: lambda_functions.ressize: the app has no function "ressize" (did you mean "resize"?) (functions: api_handler, resize)`,
		`.chalice/config.json:4:43: stages.dev.lambda_functions.gone: the app has no function "gone"`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v\nwant it to contain %s", err, want)
		}
	}
	if err := c.CheckFunctions([]string{"api_handler", "ressize", "gone"}); err != nil {
		t.Errorf("all present: %v", err)
	}
}

func TestLoadFiles(t *testing.T) {
	write := func(t *testing.T, files map[string]string) string {
		dir := t.TempDir()
		for name, data := range files {
			p := filepath.Join(dir, ".chalice", name)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	t.Run("yaml", func(t *testing.T) {
		dir := write(t, map[string]string{"config.yaml": "version: '2.0'\nstages:\n  dev:\n    lambda_memory_size: 512\n  prod:\n    environment_variables:\n      TABLE: !Ref Table\n"})
		c, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.Names(), []string{"dev", "prod"}) || c.File() != filepath.ToSlash(filepath.Join(dir, ".chalice", "config.yaml")) {
			t.Errorf("names %v file %q", c.Names(), c.File())
		}
		if st := stage(t, c, "dev", Overrides{}); st.Defaults.MemorySize != 512 {
			t.Errorf("memory %d", st.Defaults.MemorySize)
		}
		if v := stage(t, c, "prod", Overrides{}).Defaults.EnvironmentIntrinsics["TABLE"]; !reflect.DeepEqual(v.Any(), map[string]any{"Ref": "Table"}) {
			t.Errorf("short-form !Ref: %+v", v)
		}
	})
	t.Run("both", func(t *testing.T) {
		dir := write(t, map[string]string{"config.json": "{}", "config.yaml": "{}"})
		if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "found config.json and config.yaml: keep one config file") {
			t.Errorf("both files: %v", err)
		}
	})
	t.Run("json escapes", func(t *testing.T) {
		dir := write(t, map[string]string{"config.json": "{\n\t\"version\": \"2.0\",\n\t\"environment_variables\": {\"URL\": \"https:\\/\\/x\"}\n}\n"})
		c, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got := stage(t, c, "dev", Overrides{}).Defaults.Environment["URL"]; got != "https://x" {
			t.Errorf("URL %q", got)
		}
	})
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name   string
		config string
		want   string // the whole error, or one line of it
	}{
		{"unknown key", `{"version": "2.0",
 "lambda_memroy_size": 256}`, `.chalice/config.json:2:2: lambda_memroy_size: unknown key (did you mean "lambda_memory_size"?)`},
		{"key at the wrong level", `{"version": "2.0", "lambda_functions": {"f": {
  "api_gateway_stage": "v1"}}}`, `.chalice/config.json:2:3: lambda_functions.f.api_gateway_stage: not allowed here: api_gateway_stage is accepted at the top level, a stage`},
		{"stages in a stage", `{"stages": {"dev": {"stages": {}}}}`, `.chalice/config.json:1:21: stages.dev.stages: not allowed here: stages is accepted at the top level`},
		{"memory out of range", `{"version": "2.0", "stages": {
  "prod": {
    "lambda_memory_size": 64}}}`, `.chalice/config.json:3:27: stages.prod.lambda_memory_size: 64 is out of range (128–10240)`},
		{"memory wrong type", `{"lambda_memory_size": "512"}`, `.chalice/config.json:1:24: lambda_memory_size: wrong type: want an integer, got the string "512"`},
		{"timeout", `{"lambda_timeout": 901}`, `.chalice/config.json:1:20: lambda_timeout: 901 is out of range (1–900)`},
		{"timeout zero", `{"lambda_timeout": 0}`, `lambda_timeout: 0 is out of range (1–900)`},
		{"reserved concurrency", `{"reserved_concurrency": -1}`, `.chalice/config.json:1:26: reserved_concurrency: -1 is out of range (≥ 0)`},
		{"log retention", `{"log_retention_in_days": 10}`, `.chalice/config.json:1:27: log_retention_in_days: 10 is not a retention CloudWatch Logs accepts (one of 1, 3, 5, 7, 14,`},
		{"request validation type", `{"stages": {"dev": {
  "api_gateway_request_validation": "on"}}}`, `.chalice/config.json:2:37: stages.dev.api_gateway_request_validation: wrong type: want true or false, got the string "on"`},
		{"request validation per function", `{"lambda_functions": {"f": {"api_gateway_request_validation": true}}}`, `lambda_functions.f.api_gateway_request_validation: not allowed here: api_gateway_request_validation is accepted at the top level, a stage`},
		{"xray type", `{"xray": "yes"}`, `.chalice/config.json:1:10: xray: wrong type: want true or false, got the string "yes"`},
		{"architecture", `{"architecture": "amd64"}`, `.chalice/config.json:1:18: architecture: "amd64" is not one of arm64, x86_64`},
		{"version", `{"version": "3.0"}`, `.chalice/config.json:1:13: version: unsupported version "3.0" (want one of 1.0, 2.0)`},
		{"env value type", `{"environment_variables": {"DEBUG": 1}}`, `.chalice/config.json:1:37: environment_variables.DEBUG: wrong type: want a string or an intrinsic function`},
		{"env reserved", `{"environment_variables": {"AWS_REGION": "x"}}`, `.chalice/config.json:1:28: environment_variables.AWS_REGION: "AWS_REGION" is reserved by Lambda`},
		{"forced tag", `{"tags": {"gochalice": "x"}}`, `.chalice/config.json:1:11: tags.gochalice: tag key "gochalice" is set by gochalice and cannot be overridden`},
		{"bad intrinsic", `{"tags": {"a": {"Fn::Bogus": "x"}}}`, `.chalice/config.json:1:16: tags.a: "Fn::Bogus" is not an intrinsic function a value may be`},
		{"subnet id", `{"subnet_ids": ["subnet-123"], "security_group_ids": ["sg-12345678"]}`, `.chalice/config.json:1:17: subnet_ids[0]: "subnet-123" is not a valid subnet id`},
		{"sg id", `{"subnet_ids": ["subnet-12345678"], "security_group_ids": ["sg-xyz"]}`, `.chalice/config.json:1:60: security_group_ids[0]: "sg-xyz" is not a valid security group id`},
		{"environment too big", `{"stages": {"dev": {
  "environment_variables": {"AB": "` + strings.Repeat("x", 4095) + `"}}}}`, `.chalice/config.json:2:3: stages.dev.environment_variables: the environment variables take 4097 bytes; Lambda allows 4096 in all`},
		{"subnets without groups", `{"version": "2.0",
  "subnet_ids": ["subnet-12345678"]}`, `.chalice/config.json:2:3: subnet_ids: subnet_ids is set but security_group_ids is not`},
		{"layer arn", `{"layers": ["arn:aws:lambda:us-east-1:123456789012:layer:x"]}`, `.chalice/config.json:1:13: layers[0]: "arn:aws:lambda:us-east-1:123456789012:layer:x" is not a valid layer version ARN`},
		{"role arn", `{"iam_role_arn": "role"}`, `.chalice/config.json:1:18: iam_role_arn: "role" is not a valid IAM role ARN`},
		{"unmanaged role without arn", `{
  "manage_iam_role": false}`, `.chalice/config.json:2:3: manage_iam_role: manage_iam_role is false but no iam_role_arn is set`},
		{"missing policy file", `{"stages": {"prod": {
  "autogen_policy": false}}}`, `.chalice/config.json:2:3: stages.prod.autogen_policy: autogen_policy is false: cannot read the policy file .chalice/policy-prod.json: no such file or directory`},
		{"missing api policy file", `{"api_gateway_policy_file": "nope.json"}`, `.chalice/config.json:1:29: api_gateway_policy_file: cannot read .chalice/nope.json: no such file or directory`},
		{"endpoint type", `{"api_gateway_endpoint_type": "regional"}`, `.chalice/config.json:1:31: api_gateway_endpoint_type: "regional" is not one of EDGE, REGIONAL, PRIVATE (did you mean "REGIONAL"?)`},
		{"private without vpce", `{
  "api_gateway_endpoint_type": "PRIVATE"}`, `.chalice/config.json:2:3: api_gateway_endpoint_type: a PRIVATE endpoint needs api_gateway_endpoint_vpce`},
		{"compression", `{"minimum_compression_size": -1}`, `.chalice/config.json:1:30: minimum_compression_size: -1 is out of range (0–10485760)`},
		{"custom domain missing cert", `{"api_gateway_custom_domain": {"domain_name": "api.example.com"}}`, `.chalice/config.json:1:31: api_gateway_custom_domain: missing certificate_arn`},
		{"custom domain unknown key", `{"api_gateway_custom_domain": {"domain_name": "api.example.com", "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/x", "tls": "TLS_1_2"}}`, `api_gateway_custom_domain.tls: unknown key`},
		{"usage plan period", `{"usage_plan": {"quota": {"limit": 5, "period": "YEAR"}}}`, `.chalice/config.json:1:49: usage_plan.quota.period: "YEAR" is not one of DAY, WEEK, MONTH`},
		{"api type", `{"api_gateway_type": "htpp"}`, `.chalice/config.json:1:22: api_gateway_type: "htpp" is not one of rest, http (did you mean "http"?)`},
		{"api type case", `{"api_gateway_type": "HTTP"}`, `api_gateway_type: "HTTP" is not one of rest, http (did you mean "http"?)`},
		{"api type at a function", `{"lambda_functions": {"f": {
  "api_gateway_type": "http"}}}`, `.chalice/config.json:2:3: lambda_functions.f.api_gateway_type: not allowed here: api_gateway_type is accepted at the top level, a stage`},
		{"api type key typo", `{"api_gateway_typ": "http"}`, `api_gateway_typ: unknown key (did you mean "api_gateway_type"?)`},
		{"throttle rate", `{"api_gateway_throttle": {"rate_limit": 0}}`, `.chalice/config.json:1:41: api_gateway_throttle.rate_limit: 0 is out of range (> 0)`},
		{"throttle empty", `{"api_gateway_throttle": {}}`, `.chalice/config.json:1:26: api_gateway_throttle: give rate_limit, burst_limit or both`},
		{"access log arn", `{"api_gateway_access_log": {"destination_arn": "logs"}}`, `.chalice/config.json:1:48: api_gateway_access_log.destination_arn: "logs" is not a CloudWatch Logs log group ARN`},
		{"access log format", `{"api_gateway_access_log": {"destination_arn": "arn:aws:logs:us-east-1:123456789012:log-group:api", "format": "$context.path"}}`, `api_gateway_access_log.format: the format must include $context.requestId`},
		{"parameter type", `{"parameters": {"P": {"type": "Strin"}}}`, `.chalice/config.json:1:31: parameters.P.type: "Strin" is not a CloudFormation parameter type (String, Number, List<Number>, CommaDelimitedList or an AWS-specific type) (did you mean "String"?)`},
		{"parameter name", `{"parameters": {"my-param": {}}}`, `.chalice/config.json:1:17: parameters.my-param: "my-param" is not a valid parameter name`},
		{"parameter default not allowed", `{"parameters": {"P": {"allowed_values": ["a"], "default": "b"}}}`, `.chalice/config.json:1:17: parameters.P: default "b" is not one of allowed_values ("a")`},
		{"number parameter", `{"parameters": {"P": {"type": "Number", "default": "x"}}}`, `default "x" of a Number parameter is not a number`},
		{"duplicate key", `{"lambda_timeout": 1,
 "lambda_timeout": 2}`, `.chalice/config.json:2:2: lambda_timeout: duplicate key`},
		{"syntax", `{"version": "2.0",
 "stages": {]}`, `.chalice/config.json:2:13: not valid JSON: invalid character ']' looking for beginning of object key string`},
		{"not a mapping", `[1, 2]`, `.chalice/config.json:1:1: wrong type: want a mapping at the top, got a list`},
		{"empty", ``, `.chalice/config.json: empty file`},
		{"env name one character", `{"environment_variables": {"A": "x"}}`, `.chalice/config.json:1:28: environment_variables.A: "A" is not a valid environment variable name (Lambda wants [a-zA-Z][a-zA-Z0-9_]+`},
		{"env name dash", `{"stages": {"dev": {"environment_variables": {"MY-VAR": "x"}}}}`, `stages.dev.environment_variables.MY-VAR: "MY-VAR" is not a valid environment variable name`},
		{"env reserved handler", `{"environment_variables": {"AWS_LAMBDA_RUNTIME_API": "x"}}`, `"AWS_LAMBDA_RUNTIME_API" is reserved by Lambda`},
		{"too many tags", `{"tags": {` + manyTags(50, "k") + `}}`, `.chalice/config.json:1:10: tags: 50 tags; Lambda allows 50 per function and gochalice sets one (gochalice), so at most 49 here`},
		{"too many tags merged", `{"tags": {` + manyTags(30, "a") + `}, "stages": {"dev": {"lambda_functions": {"f": {"tags": {` + manyTags(20, "b") + `}}}}}}`, `lambda_functions.f.tags: the tags of the top level, the stage and the function add up to 50; Lambda allows 50 per function`},
		{"tag key too long", `{"tags": {"` + strings.Repeat("k", 129) + `": "v"}}`, `has 129 characters; Lambda allows 128`},
		{"tag value too long", `{"tags": {"k": "` + strings.Repeat("v", 257) + `"}}`, `.chalice/config.json:1:16: tags.k: the value of tag "k" has 257 characters; Lambda allows 256`},
		{"access log retention", `{"api_gateway_access_log": {"retention_in_days": 2}}`, `.chalice/config.json:1:50: api_gateway_access_log.retention_in_days: 2 is not a retention CloudWatch Logs accepts`},
		{"access log retention of an own group", `{"api_gateway_access_log": {"destination_arn": "arn:aws:logs:us-east-1:123456789012:log-group:api", "retention_in_days": 7}}`, `api_gateway_access_log.retention_in_days: retention_in_days applies to the log group gochalice creates without destination_arn`},
		{"bad stage name", `{"stages": {"../x": {}}}`, `.chalice/config.json:1:13: stages.../x: "../x" is not a valid stage name`},
		{"log format", `{"log_format": "json"}`, `.chalice/config.json:1:16: log_format: "json" is not one of Text, JSON (did you mean "JSON"?)`},
		{"log level", `{"stages": {"dev": {"log_format": "JSON", "log_level": "VERBOSE"}}}`, `.chalice/config.json:1:56: stages.dev.log_level: "VERBOSE" is not one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL`},
		{"log level type", `{"log_level": 3}`, `.chalice/config.json:1:15: log_level: wrong type: want a string, got the number 3`},
		{"log level without JSON", `{"version": "2.0",
  "log_level": "WARN"}`, `.chalice/config.json:2:3: log_level: log_level WARN needs log_format JSON`},
		{"log level of a function with Text", `{"log_format": "JSON", "lambda_functions": {"f": {"log_level": "DEBUG"}},
  "stages": {"dev": {"lambda_functions": {"f": {"log_format": "Text"}}}}}`, `.chalice/config.json:1:51: lambda_functions.f.log_level: log_level DEBUG needs log_format JSON`},
		{"policy file outside .chalice", `{"iam_policy_file": "../secrets/policy.json"}`, `.chalice/config.json:1:21: iam_policy_file: ../secrets/policy.json is outside .chalice/: policy files are read from .chalice/ (no absolute paths, no ..)`},
		{"absolute policy file", `{"stages": {"dev": {"lambda_functions": {"f": {"iam_policy_file": "/etc/policy.json"}}}}}`, `.chalice/config.json:1:67: stages.dev.lambda_functions.f.iam_policy_file: /etc/policy.json is outside .chalice/`},
		{"api policy outside .chalice", `{"api_gateway_policy_file": "sub/../../api.json"}`, `api_gateway_policy_file: sub/../../api.json is outside .chalice/`},
		{"retain_data not a boolean", `{"retain_data": "no"}`, `.chalice/config.json:1:17: retain_data: wrong type`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(".chalice/config.json", t.TempDir(), []byte(tt.config))
			if err == nil {
				_, err = c.Stage("dev", Overrides{})
			}
			if err == nil {
				t.Fatalf("no error for\n%s", tt.config)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
		})
	}
}

// manyTags is n JSON tag pairs "<prefix>0": "v", ...
func manyTags(n int, prefix string) string {
	pairs := make([]string, n)
	for i := range pairs {
		pairs[i] = fmt.Sprintf("%q: \"v\"", prefix+strconv.Itoa(i))
	}
	return strings.Join(pairs, ", ")
}

// Every problem is reported at once, each as an *Error with its position.
func TestErrorsAll(t *testing.T) {
	_, err := Parse(".chalice/config.yaml", t.TempDir(), []byte("version: '2.0'\nlambda_timeout: 0\nstages:\n  dev:\n    lambda_memory_size: 1\n"))
	var lines []int
	for _, e := range unjoin(err) {
		var ce *Error
		if errors.As(e, &ce) {
			lines = append(lines, ce.Line)
		}
	}
	if !slices.Equal(lines, []int{2, 5}) {
		t.Errorf("error lines %v, want [2 5]; error: %v", lines, err)
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestUnknownStage(t *testing.T) {
	c := parse(t, t.TempDir(), `{"stages": {"dev": {}, "prod": {}}}`)
	_, err := c.Stage("prd", Overrides{})
	if err == nil || err.Error() != `unknown stage "prd" (did you mean "prod"?) (.chalice/config.json defines dev, prod)` {
		t.Errorf("unknown stage: %v", err)
	}
	if _, err := c.Stage("dev", Overrides{Architecture: "mips"}); err == nil || !strings.Contains(err.Error(), `unknown architecture "mips"`) {
		t.Errorf("bad override: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`{"version": "2.0", "stages": {"dev": {"lambda_memory_size": 256}}}`,
		`{"environment_variables": {"A": {"Ref": "P"}}, "parameters": {"P": {"default": 1}}}`,
		"version: '2.0'\nstages:\n  dev:\n    tags: {a: !Sub '${X}'}\n",
		`{"lambda_functions": {"f": {"subnet_ids": ["subnet-12345678"]}}}`,
		`{"usage_plan": {"throttle": {"rate_limit": 1}}, "api_gateway_custom_domain": {"domain_name": "a.b.co"}}`,
		"&a [*a]", "!Ref", "{", "",
	} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		// As JSON (checked by encoding/json first) and as YAML.
		for _, file := range []string{".chalice/config.json", ".chalice/config.yaml"} {
			c, err := Parse(file, dir, data)
			if err != nil {
				continue
			}
			for _, name := range c.Names() {
				st, err := c.Stage(name, Overrides{})
				if err != nil {
					t.Fatalf("stage %s resolved at Load but not later: %v", name, err)
				}
				_ = st.ParameterOverrides()
				_ = st.For("x")
			}
			_ = c.CheckFunctions([]string{"api_handler"})
		}
	})
}

func TestErrorsYAMLAndFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.json"), []byte(`{"Version": `), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "nostatement.json"), []byte(`{"Version": "2012-10-17"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, config, want string
	}{
		{"yaml unknown key", "version: '2.0'\nstages:\n  prod:\n    lambda_memory: 256\n",
			`.chalice/config.yaml:4:5: stages.prod.lambda_memory: unknown key (did you mean "lambda_memory_size"?)`},
		{"yaml wrong type", "stages:\n  dev:\n    layers: arn:aws:lambda:us-east-1:123456789012:layer:x:1\n",
			`.chalice/config.yaml:3:13: stages.dev.layers: wrong type: want a list, got the string`},
		{"yaml alias", "a: &x {}\nstages: *x\n", `.chalice/config.yaml:2:9: stages: wrong type: want a mapping, got an alias`},
		{"invalid api policy", "api_gateway_policy_file: bad.json\n", `.chalice/config.yaml:1:26: api_gateway_policy_file: bad.json is not a JSON object: unexpected end of JSON input`},
		{"policy without statement", "stages:\n  dev:\n    autogen_policy: false\n    iam_policy_file: nostatement.json\n",
			`.chalice/config.yaml:4:5: stages.dev.iam_policy_file: autogen_policy is false: the policy file .chalice/nostatement.json has no Statement`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(".chalice/config.yaml", dir, []byte(tt.config))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
		})
	}
}

// BenchmarkParseTooManyTags measures how fast a config with 200,000 tags is
// rejected (the count is checked before any tag is decoded).
func BenchmarkParseTooManyTags(b *testing.B) {
	config := []byte(`{"tags": {` + manyTags(200000, "k") + `}}`)
	dir := b.TempDir()
	for b.Loop() {
		if _, err := Parse(".chalice/config.json", dir, config); err == nil || !strings.Contains(err.Error(), "200000 tags") {
			b.Fatalf("error %v, want one counting 200000 tags", err)
		}
	}
}

func TestAppName(t *testing.T) {
	for _, tc := range []struct {
		config, name, where string
	}{
		{`{"version": "2.0"}`, "", ""},
		{`{"version": "2.0",
  "app_name": "shop"}`, "shop", ".chalice/config.json:2:3: app_name"},
	} {
		name, where := parse(t, t.TempDir(), tc.config).AppName()
		if name != tc.name || where != tc.where {
			t.Errorf("AppName() = %q, %q; want %q, %q", name, where, tc.name, tc.where)
		}
	}
}

// manyStages is a config with n stages, each with a parameter default and a
// function setting.
func manyStages(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"version": "2.0", "parameters": {"P": {"type": "String"}}, "stages": {`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"s%d": {"lambda_memory_size": 256, "parameters": {"P": {"default": "x"}}, "lambda_functions": {"f": {"lambda_timeout": 5}}}`, i)
	}
	b.WriteString(`}}`)
	return []byte(b.String())
}

// BenchmarkParseStages shows that loading a config (which resolves every
// stage once) grows linearly with the number of stages.
func BenchmarkParseStages(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		config := manyStages(n)
		dir := b.TempDir()
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				c, err := Parse(".chalice/config.json", dir, config)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := c.Stage("s1", Overrides{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
