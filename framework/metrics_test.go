package framework

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gochalice/gochalice/internal/testtool"
)

// checkEMF validates one log record against the CloudWatch Embedded Metric
// Format specification (CloudWatch_Embedded_Metric_Format_Specification):
// written from the spec, not from the code under test.
//
//   - the root is a JSON object with an _aws object member;
//   - _aws.Timestamp is a number of milliseconds since the epoch;
//   - _aws.CloudWatchMetrics is an array of MetricDirective objects;
//   - a MetricDirective has Namespace (a string, 1 to 1024 characters),
//     Dimensions (an array of DimensionSets, each an array of at most 30
//     strings, each naming a root member whose value is a string) and
//     Metrics (an array of at most 100 MetricDefinitions), and nothing else;
//   - a MetricDefinition has Name (a string of 1 to 1024 characters naming a
//     root member whose value is a number or an array of at most 100
//     numbers), optionally Unit (one of the CloudWatch units) and
//     StorageResolution (1 or 60), and nothing else.
func checkEMF(rec map[string]any) error {
	aws, ok := rec["_aws"].(map[string]any)
	if !ok {
		return fmt.Errorf("no _aws object")
	}
	ts, ok := aws["Timestamp"].(float64)
	if !ok || ts != math.Trunc(ts) || ts < 1e12 {
		return fmt.Errorf("_aws.Timestamp %v is not epoch milliseconds", aws["Timestamp"])
	}
	dirs, ok := aws["CloudWatchMetrics"].([]any)
	if !ok || len(dirs) == 0 {
		return fmt.Errorf("_aws.CloudWatchMetrics %v is not a non-empty array", aws["CloudWatchMetrics"])
	}
	allowed := []string{"Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
		"Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
		"Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second",
		"Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
		"Terabits/Second", "Count/Second", "None"}
	for i, d := range dirs {
		dir, ok := d.(map[string]any)
		if !ok {
			return fmt.Errorf("directive %d is not an object", i)
		}
		for k := range dir {
			if !slices.Contains([]string{"Namespace", "Dimensions", "Metrics"}, k) {
				return fmt.Errorf("directive %d: unexpected member %q", i, k)
			}
		}
		if ns, ok := dir["Namespace"].(string); !ok || ns == "" || len(ns) > 1024 {
			return fmt.Errorf("directive %d: Namespace %v", i, dir["Namespace"])
		}
		sets, ok := dir["Dimensions"].([]any)
		if !ok {
			return fmt.Errorf("directive %d: Dimensions %v is not an array", i, dir["Dimensions"])
		}
		for _, s := range sets {
			set, ok := s.([]any)
			if !ok || len(set) > 30 {
				return fmt.Errorf("directive %d: dimension set %v", i, s)
			}
			for _, name := range set {
				n, ok := name.(string)
				if !ok {
					return fmt.Errorf("directive %d: dimension %v is not a string", i, name)
				}
				if _, ok := rec[n].(string); !ok {
					return fmt.Errorf("directive %d: dimension %q has no string member at the root", i, n)
				}
			}
		}
		metrics, ok := dir["Metrics"].([]any)
		if !ok || len(metrics) > 100 {
			return fmt.Errorf("directive %d: Metrics %v", i, dir["Metrics"])
		}
		for _, m := range metrics {
			def, ok := m.(map[string]any)
			if !ok {
				return fmt.Errorf("directive %d: metric %v is not an object", i, m)
			}
			for k := range def {
				if !slices.Contains([]string{"Name", "Unit", "StorageResolution"}, k) {
					return fmt.Errorf("metric %v: unexpected member %q", def, k)
				}
			}
			name, ok := def["Name"].(string)
			if !ok || name == "" || len(name) > 1024 {
				return fmt.Errorf("metric %v: Name", def)
			}
			if u, ok := def["Unit"]; ok && !slices.Contains(allowed, fmt.Sprint(u)) {
				return fmt.Errorf("metric %q: unit %v is not a CloudWatch unit", name, u)
			}
			if r, ok := def["StorageResolution"]; ok && r != 1.0 && r != 60.0 {
				return fmt.Errorf("metric %q: StorageResolution %v", name, r)
			}
			switch v := rec[name].(type) {
			case float64:
			case []any:
				if len(v) == 0 || len(v) > 100 {
					return fmt.Errorf("metric %q: %d values", name, len(v))
				}
				for _, x := range v {
					if _, ok := x.(float64); !ok {
						return fmt.Errorf("metric %q: value %v is not a number", name, x)
					}
				}
			default:
				return fmt.Errorf("metric %q: root member %v is not a number or an array of numbers", name, rec[name])
			}
		}
	}
	return nil
}

func TestMetricsEmitEMF(t *testing.T) {
	var buf testtool.Output
	app := New("metrics")
	app.Logger = slog.New(NewLogHandler(&buf, "JSON", ""))
	app.Route("/orders", func(r *Request) (any, error) {
		err := NewMetrics("Shop").
			Dimension("Route", r.Path).
			Dimension("Method", r.Method).
			Count("Orders", 1).
			Count("Orders", 2).
			Timing("Checkout", 1500*time.Microsecond).
			Add("Payload", 512, UnitBytes).
			Emit(r.Context())
		return nil, err
	}, Methods("POST"))
	before := time.Now().UnixMilli()
	if resp := invokeAPI(t, app, proxyEvent("POST", "/orders", nil)); resp.StatusCode != 200 {
		t.Fatalf("status %d %s", resp.StatusCode, resp.Body)
	}
	recs := jsonRecords(t, buf.String())
	if len(recs) != 1 {
		t.Fatalf("%d records:\n%s", len(recs), buf.String())
	}
	rec := recs[0]
	checkLambdaRecord(t, rec)
	if err := checkEMF(rec); err != nil {
		t.Fatalf("not EMF: %v\n%s", err, buf.String())
	}
	aws := rec["_aws"].(map[string]any)
	if ts := int64(aws["Timestamp"].(float64)); ts < before || ts > time.Now().UnixMilli() {
		t.Errorf("Timestamp %d is not now", ts)
	}
	dir := aws["CloudWatchMetrics"].([]any)[0].(map[string]any)
	if got := strings.TrimSpace(fmt.Sprintln(dir["Namespace"], dir["Dimensions"], dir["Metrics"])); got != "Shop [[Route Method]] [map[Name:Orders Unit:Count] map[Name:Checkout Unit:Milliseconds] map[Name:Payload Unit:Bytes]]" {
		t.Errorf("directive %s", got)
	}
	if got := strings.TrimSpace(fmt.Sprintln(rec["Route"], rec["Method"], rec["Orders"], rec["Checkout"], rec["Payload"], rec["function"])); got != "/orders POST [1 2] 1.5 512 api_handler" {
		t.Errorf("members %s", got)
	}
}

func TestCheckEMFRejects(t *testing.T) {
	// The validator must be able to fail: each record breaks one rule.
	good := func() map[string]any {
		return map[string]any{
			"_aws": map[string]any{"Timestamp": 1732780800000.0, "CloudWatchMetrics": []any{map[string]any{
				"Namespace": "N", "Dimensions": []any{[]any{"D"}}, "Metrics": []any{map[string]any{"Name": "M", "Unit": "Count"}},
			}}},
			"D": "d", "M": 1.0,
		}
	}
	if err := checkEMF(good()); err != nil {
		t.Fatalf("good record rejected: %v", err)
	}
	dir := func(r map[string]any) map[string]any {
		return r["_aws"].(map[string]any)["CloudWatchMetrics"].([]any)[0].(map[string]any)
	}
	breaks := map[string]func(r map[string]any){
		"no _aws":           func(r map[string]any) { delete(r, "_aws") },
		"seconds timestamp": func(r map[string]any) { r["_aws"].(map[string]any)["Timestamp"] = 1732780800.0 },
		"empty namespace":   func(r map[string]any) { dir(r)["Namespace"] = "" },
		"missing dimension": func(r map[string]any) { delete(r, "D") },
		"numeric dimension": func(r map[string]any) { r["D"] = 3.0 },
		"missing value":     func(r map[string]any) { delete(r, "M") },
		"string value":      func(r map[string]any) { r["M"] = "1" },
		"bad unit":          func(r map[string]any) { dir(r)["Metrics"].([]any)[0].(map[string]any)["Unit"] = "Widgets" },
		"extra member":      func(r map[string]any) { dir(r)["Extra"] = 1 },
	}
	for name, brk := range breaks {
		r := good()
		brk(r)
		if checkEMF(r) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestMetricsErrors(t *testing.T) {
	tests := []struct {
		name string
		m    *Metrics
		want string
	}{
		{"empty namespace", NewMetrics(" ").Count("a", 1), "empty namespace"},
		{"no metrics", NewMetrics("N").Dimension("D", "d"), "no metric to emit"},
		{"unknown unit", NewMetrics("N").Add("a", 1, "Widgets"), `unknown unit "Widgets"`},
		{"unit changes", NewMetrics("N").Count("a", 1).Add("a", 1, UnitSeconds), "unit Seconds, earlier Count"},
		{"reserved name", NewMetrics("N").Count("requestId", 1), `"requestId" is a key every log record has`},
		{"dimension and metric clash", NewMetrics("N").Dimension("a", "x").Count("a", 1), `"a" is already a dimension`},
		{"empty dimension value", NewMetrics("N").Dimension("a", "").Count("b", 1), `dimension "a": the value must have`},
		{"NaN", NewMetrics("N").Add("a", math.NaN(), UnitNone), "not a number CloudWatch accepts"},
		{"too many dimensions", func() *Metrics {
			m := NewMetrics("N")
			for i := range 31 {
				m.Dimension(fmt.Sprint("d", i), "v")
			}
			return m.Count("a", 1)
		}(), "more than 30 dimensions"},
		{"too many metrics", func() *Metrics {
			m := NewMetrics("N")
			for i := range 101 {
				m.Count(fmt.Sprint("m", i), 1)
			}
			return m
		}(), "more than 100 metrics"},
		{"too many values", func() *Metrics {
			m := NewMetrics("N")
			for range 101 {
				m.Count("m", 1)
			}
			return m
		}(), "more than 100 values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf testtool.Output
			err := tt.m.emitTo(context.Background(), slog.New(NewLogHandler(&buf, "JSON", "")), time.Now())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Emit = %v, want %q", err, tt.want)
			}
			if buf.String() != "" {
				t.Errorf("wrote %q", buf.String())
			}
		})
	}
}
