package framework

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strings"
	"time"
)

// Unit is the unit of a CloudWatch metric.
type Unit string

// The units CloudWatch accepts.
const (
	UnitSeconds         Unit = "Seconds"
	UnitMicroseconds    Unit = "Microseconds"
	UnitMilliseconds    Unit = "Milliseconds"
	UnitBytes           Unit = "Bytes"
	UnitKilobytes       Unit = "Kilobytes"
	UnitMegabytes       Unit = "Megabytes"
	UnitGigabytes       Unit = "Gigabytes"
	UnitTerabytes       Unit = "Terabytes"
	UnitBits            Unit = "Bits"
	UnitKilobits        Unit = "Kilobits"
	UnitMegabits        Unit = "Megabits"
	UnitGigabits        Unit = "Gigabits"
	UnitTerabits        Unit = "Terabits"
	UnitPercent         Unit = "Percent"
	UnitCount           Unit = "Count"
	UnitBytesPerSecond  Unit = "Bytes/Second"
	UnitKilobytesPerSec Unit = "Kilobytes/Second"
	UnitMegabytesPerSec Unit = "Megabytes/Second"
	UnitGigabytesPerSec Unit = "Gigabytes/Second"
	UnitTerabytesPerSec Unit = "Terabytes/Second"
	UnitBitsPerSecond   Unit = "Bits/Second"
	UnitKilobitsPerSec  Unit = "Kilobits/Second"
	UnitMegabitsPerSec  Unit = "Megabits/Second"
	UnitGigabitsPerSec  Unit = "Gigabits/Second"
	UnitTerabitsPerSec  Unit = "Terabits/Second"
	UnitCountPerSecond  Unit = "Count/Second"
	UnitNone            Unit = "None"
)

var units = []Unit{
	UnitSeconds, UnitMicroseconds, UnitMilliseconds, UnitBytes, UnitKilobytes, UnitMegabytes,
	UnitGigabytes, UnitTerabytes, UnitBits, UnitKilobits, UnitMegabits, UnitGigabits, UnitTerabits,
	UnitPercent, UnitCount, UnitBytesPerSecond, UnitKilobytesPerSec, UnitMegabytesPerSec,
	UnitGigabytesPerSec, UnitTerabytesPerSec, UnitBitsPerSecond, UnitKilobitsPerSec, UnitMegabitsPerSec,
	UnitGigabitsPerSec, UnitTerabitsPerSec, UnitCountPerSecond, UnitNone,
}

// Limits of one Embedded Metric Format record.
const (
	maxMetricNameLen = 1024 // namespace, metric and dimension names
	maxDimensions    = 30   // dimensions in one dimension set
	maxMetrics       = 100  // metrics in one directive
	maxValues        = 100  // values of one metric in one record
)

// Metrics builds one CloudWatch Embedded Metric Format (EMF) record: values
// of named metrics, with units, under one namespace and one set of
// dimensions. Emit writes it through the invocation's logger, as one JSON log
// record from which CloudWatch Logs extracts the metrics: no SDK call, no
// extra latency. CloudWatch extracts metrics only from JSON records, so the
// function needs log_format JSON (AWS_LAMBDA_LOG_FORMAT=JSON), and a
// log_level above INFO drops them.
//
//	framework.NewMetrics("Shop").
//		Dimension("Route", r.Path).
//		Count("OrdersPlaced", 1).
//		Timing("CheckoutTime", time.Since(start)).
//		Emit(r.Context())
//
// A Metrics is not safe for concurrent use.
type Metrics struct {
	namespace string
	dims      []slog.Attr // in the order added
	names     []string    // metric names in the order first added
	units     map[string]Unit
	values    map[string][]float64
	errs      []error
}

// NewMetrics starts a record under namespace, e.g. "Shop" or "MyApp/Orders".
func NewMetrics(namespace string) *Metrics {
	m := &Metrics{namespace: namespace, units: map[string]Unit{}, values: map[string][]float64{}}
	if err := checkMetricName("namespace", namespace); err != nil {
		m.errs = append(m.errs, err)
	}
	return m
}

// reservedMetricKeys are the top-level keys a record already has: EMF's
// own, the log record's and the invocation logger's.
var reservedMetricKeys = []string{"_aws", "timestamp", "time", "level", "message", "msg",
	LogKeyRequestID, LogKeyFunction, LogKeyColdStart, LogKeyTraceID}

func checkMetricName(what, name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("metrics: empty %s", what)
	case len(name) > maxMetricNameLen:
		return fmt.Errorf("metrics: %s %.20q... is longer than %d characters", what, name, maxMetricNameLen)
	}
	return nil
}

// Dimension adds a dimension (name and value) to the record's one dimension
// set. A record has at most 30 dimensions.
func (m *Metrics) Dimension(name, value string) *Metrics {
	if err := m.checkKey("dimension", name); err != nil {
		m.errs = append(m.errs, err)
		return m
	}
	if value == "" || len(value) > maxMetricNameLen {
		m.errs = append(m.errs, fmt.Errorf("metrics: dimension %q: the value must have 1 to %d characters", name, maxMetricNameLen))
		return m
	}
	if len(m.dims) == maxDimensions {
		m.errs = append(m.errs, fmt.Errorf("metrics: dimension %q: more than %d dimensions", name, maxDimensions))
		return m
	}
	m.dims = append(m.dims, slog.String(name, value))
	return m
}

// checkKey checks the name of a new top-level member of the record.
func (m *Metrics) checkKey(what, name string) error {
	if err := checkMetricName(what+" name", name); err != nil {
		return err
	}
	if slices.Contains(reservedMetricKeys, name) {
		return fmt.Errorf("metrics: %s name %q is a key every log record has; choose another", what, name)
	}
	if slices.ContainsFunc(m.dims, func(a slog.Attr) bool { return a.Key == name }) {
		return fmt.Errorf("metrics: %s name %q is already a dimension", what, name)
	}
	return nil
}

// Add records a value of the named metric in unit. Adding to a metric again
// adds another value (at most 100), which CloudWatch aggregates; its unit
// must stay the same. A record has at most 100 metrics.
func (m *Metrics) Add(name string, value float64, unit Unit) *Metrics {
	if math.IsNaN(value) || math.IsInf(value, 0) {
		m.errs = append(m.errs, fmt.Errorf("metrics: metric %q: %v is not a number CloudWatch accepts", name, value))
		return m
	}
	if !slices.Contains(units, unit) {
		m.errs = append(m.errs, fmt.Errorf("metrics: metric %q: unknown unit %q", name, unit))
		return m
	}
	if prev, ok := m.units[name]; ok {
		switch {
		case prev != unit:
			m.errs = append(m.errs, fmt.Errorf("metrics: metric %q: unit %s, earlier %s", name, unit, prev))
		case len(m.values[name]) == maxValues:
			m.errs = append(m.errs, fmt.Errorf("metrics: metric %q: more than %d values in one record", name, maxValues))
		default:
			m.values[name] = append(m.values[name], value)
		}
		return m
	}
	if err := m.checkKey("metric", name); err != nil {
		m.errs = append(m.errs, err)
		return m
	}
	if len(m.names) == maxMetrics {
		m.errs = append(m.errs, fmt.Errorf("metrics: metric %q: more than %d metrics in one record", name, maxMetrics))
		return m
	}
	m.names = append(m.names, name)
	m.units[name] = unit
	m.values[name] = []float64{value}
	return m
}

// Count adds n to a counter (unit Count).
func (m *Metrics) Count(name string, n float64) *Metrics { return m.Add(name, n, UnitCount) }

// Timing records a duration in milliseconds.
func (m *Metrics) Timing(name string, d time.Duration) *Metrics {
	return m.Add(name, float64(d)/float64(time.Millisecond), UnitMilliseconds)
}

// emfDirective and emfMetric are the EMF metadata, in the spec's shape.
type emfDirective struct {
	Namespace  string      `json:"Namespace"`
	Dimensions [][]string  `json:"Dimensions"`
	Metrics    []emfMetric `json:"Metrics"`
}

type emfMetric struct {
	Name string `json:"Name"`
	Unit Unit   `json:"Unit"`
}

type emfMetadata struct {
	Timestamp         int64          `json:"Timestamp"`
	CloudWatchMetrics []emfDirective `json:"CloudWatchMetrics"`
}

// Emit writes the record, at INFO, through the logger of the invocation ctx
// belongs to (see Logger). It writes nothing and returns every mistake made
// while building the record (an empty namespace or name, an unknown unit,
// too many dimensions, metrics or values), or an error for a record without
// metrics.
func (m *Metrics) Emit(ctx context.Context) error {
	return m.emitTo(ctx, Logger(ctx), time.Now())
}

func (m *Metrics) emitTo(ctx context.Context, l *slog.Logger, now time.Time) error {
	if len(m.errs) > 0 {
		return errors.Join(m.errs...)
	}
	if len(m.names) == 0 {
		return fmt.Errorf("metrics: namespace %s: no metric to emit", m.namespace)
	}
	d := emfDirective{Namespace: m.namespace, Dimensions: [][]string{{}}, Metrics: make([]emfMetric, len(m.names))}
	attrs := make([]slog.Attr, 0, 1+len(m.dims)+len(m.names))
	for _, a := range m.dims {
		d.Dimensions[0] = append(d.Dimensions[0], a.Key)
		attrs = append(attrs, a)
	}
	for i, name := range m.names {
		d.Metrics[i] = emfMetric{Name: name, Unit: m.units[name]}
		if vs := m.values[name]; len(vs) == 1 {
			attrs = append(attrs, slog.Float64(name, vs[0]))
		} else {
			attrs = append(attrs, slog.Any(name, vs))
		}
	}
	meta := emfMetadata{Timestamp: now.UnixMilli(), CloudWatchMetrics: []emfDirective{d}}
	attrs = append(attrs, slog.Any("_aws", meta))
	l.LogAttrs(ctx, slog.LevelInfo, "metrics", attrs...)
	return nil
}
