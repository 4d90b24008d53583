package cfn

import (
	"fmt"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

// LoggingConfig comes from log_format and log_level, per function, and
// lives on the same function resource as its Events (one resource model).
func TestLoggingConfig(t *testing.T) {
	st := devStage()
	st.Defaults.LogFormat = stages.LogFormatJSON
	st.Defaults.LogLevel = "WARN"
	plain := st.Defaults
	plain.LogFormat, plain.LogLevel = "", ""
	text := st.Defaults
	text.LogFormat, text.LogLevel = stages.LogFormatText, ""
	st.Functions = map[string]stages.FunctionConfig{"plain": plain, "text": text}
	m := &manifest.Manifest{SchemaVersion: 1, App: "x", FrameworkVersion: "0.1.0", Functions: []manifest.Function{
		lambdaFn("fed", sqsEv("q")), lambdaFn("plain"), lambdaFn("text"),
	}}
	tree := built(t, m, st)
	tests := []struct {
		id   string
		want string // LoggingConfig, "" for none
	}{
		{"Fed", "map[ApplicationLogLevel:WARN LogFormat:JSON]"},
		{"Plain", ""},
		{"Text", "map[LogFormat:Text]"},
	}
	for _, tt := range tests {
		props := dig(t, tree, "Resources", tt.id, "Properties").(map[string]any)
		got := ""
		if lc, ok := props["LoggingConfig"]; ok {
			got = fmt.Sprint(lc)
		}
		if got != tt.want {
			t.Errorf("%s: LoggingConfig %q, want %q", tt.id, got, tt.want)
		}
	}
	if _, ok := dig(t, tree, "Resources", "Fed", "Properties").(map[string]any)["Events"]; !ok {
		t.Error("Fed lost its Events")
	}
}
