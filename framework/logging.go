package framework

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Log levels Lambda names beyond slog's four (AWS_LAMBDA_LOG_LEVEL accepts
// TRACE, DEBUG, INFO, WARN, ERROR and FATAL).
const (
	LevelTrace = slog.Level(-8)
	LevelFatal = slog.Level(12)
)

// The environment variables Lambda sets from a function's LoggingConfig.
const (
	EnvLogFormat = "AWS_LAMBDA_LOG_FORMAT"
	EnvLogLevel  = "AWS_LAMBDA_LOG_LEVEL"
)

// Attribute keys of every invocation's logger.
const (
	LogKeyRequestID = "requestId"
	LogKeyFunction  = "function"
	LogKeyColdStart = "coldStart"
	LogKeyTraceID   = "xrayTraceId"
)

// traceContextKey is the context key under which aws-lambda-go stores the
// invocation's X-Ray trace header (Lambda-Runtime-Trace-Id). It is a plain
// string key because aws-lambda-go uses one.
const traceContextKey = "x-amzn-trace-id"

// NewLogHandler returns the slog.Handler gochalice logs through when
// App.Logger is nil, writing to w. format is AWS_LAMBDA_LOG_FORMAT: "JSON"
// (any case) gives one JSON object per record with Lambda's key names
// (timestamp, level, message), anything else logfmt-style text. level is
// AWS_LAMBDA_LOG_LEVEL: TRACE, DEBUG, INFO, WARN, ERROR or FATAL (any case);
// "" or an unknown name means INFO.
func NewLogHandler(w io.Writer, format, level string) slog.Handler {
	lvl, _ := ParseLogLevel(level)
	if strings.EqualFold(format, "JSON") {
		return slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lvl, ReplaceAttr: jsonKeys})
	}
	return slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl, ReplaceAttr: levelNames})
}

// ParseLogLevel reads a Lambda log level name (TRACE, DEBUG, INFO, WARN,
// ERROR, FATAL; any case). It reports false, and returns INFO, for "" and
// for any other name.
func ParseLogLevel(name string) (slog.Level, bool) {
	switch strings.ToUpper(name) {
	case "TRACE":
		return LevelTrace, true
	case "DEBUG":
		return slog.LevelDebug, true
	case "INFO":
		return slog.LevelInfo, true
	case "WARN":
		return slog.LevelWarn, true
	case "ERROR":
		return slog.LevelError, true
	case "FATAL":
		return LevelFatal, true
	}
	return slog.LevelInfo, false
}

// levelName is the Lambda name of a level.
func levelName(l slog.Level) string {
	switch {
	case l < slog.LevelDebug:
		return "TRACE"
	case l >= LevelFatal:
		return "FATAL"
	}
	return l.String()
}

func levelNames(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.LevelKey {
		if l, ok := a.Value.Any().(slog.Level); ok {
			a.Value = slog.StringValue(levelName(l))
		}
	}
	return a
}

func jsonKeys(groups []string, a slog.Attr) slog.Attr {
	if len(groups) > 0 {
		return a
	}
	switch a.Key {
	case slog.TimeKey:
		a.Key = "timestamp"
	case slog.MessageKey:
		a.Key = "message"
	case slog.LevelKey:
		return levelNames(groups, a)
	}
	return a
}

// envLogger is the logger of an app without App.Logger: standard error, in
// the format and at the level Lambda's environment asks for.
var envLogger = sync.OnceValue(func() *slog.Logger {
	return slog.New(NewLogHandler(os.Stderr, os.Getenv(EnvLogFormat), os.Getenv(EnvLogLevel)))
})

// baseLogger is the logger every invocation's logger derives from.
func (a *App) baseLogger() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return envLogger()
}

// invocationKey is the context key of the running invocation.
type invocationKey struct{}

// invocation is the context of one invocation: the parent context plus what
// the invocation's logger carries. It is a context.Context itself, so that
// starting an invocation costs one allocation; its logger is built only when
// something logs.
type invocation struct {
	context.Context
	app  *App
	fn   *function
	cold bool

	once sync.Once
	log  *slog.Logger
}

// Value implements context.Context.
func (inv *invocation) Value(key any) any {
	if key == (invocationKey{}) {
		return inv
	}
	return inv.Context.Value(key)
}

// logger returns the invocation's logger, built on first use.
func (inv *invocation) logger() *slog.Logger {
	inv.once.Do(func() {
		attrs := make([]any, 0, 8)
		if lc, ok := lambdacontext.FromContext(inv.Context); ok && lc.AwsRequestID != "" {
			attrs = append(attrs, slog.String(LogKeyRequestID, lc.AwsRequestID))
		}
		attrs = append(attrs, slog.String(LogKeyFunction, inv.fn.name), slog.Bool(LogKeyColdStart, inv.cold))
		if id := TraceHeader(inv.Context); id != "" {
			attrs = append(attrs, slog.String(LogKeyTraceID, traceRoot(id)))
		}
		inv.log = inv.app.baseLogger().With(attrs...)
	})
	return inv.log
}

// startInvocation returns the context of a new invocation of fn. The first
// invocation an app serves is its cold start.
func (a *App) startInvocation(ctx context.Context, fn *function) *invocation {
	cold := !a.served.Load() && !a.served.Swap(true)
	return &invocation{Context: ctx, app: a, fn: fn, cold: cold}
}

// Logger returns the logger of the invocation ctx belongs to: it carries the
// request ID, the function's name, whether this is the cold start and the
// X-Ray trace ID, and writes JSON or text as AWS_LAMBDA_LOG_FORMAT says, at
// the level AWS_LAMBDA_LOG_LEVEL says (or through App.Logger when set).
// Event functions get it from their context; views from Request.Logger.
// Outside an invocation it returns the logger built from the environment.
func Logger(ctx context.Context) *slog.Logger {
	if inv, ok := ctx.Value(invocationKey{}).(*invocation); ok {
		return inv.logger()
	}
	return envLogger()
}

// Logger returns the logger of the request's invocation (see the package
// function Logger).
func (r *Request) Logger() *slog.Logger { return Logger(r.Context()) }

// TraceHeader returns the X-Ray trace header of the invocation ctx belongs
// to ("Root=1-...;Parent=...;Sampled=1"), or "" when Lambda sent none. On
// Lambda it is also in the _X_AMZN_TRACE_ID environment variable, where the
// AWS SDK for Go v2 reads it to join the trace.
func TraceHeader(ctx context.Context) string {
	s, _ := ctx.Value(traceContextKey).(string)
	return s
}

// WithTraceHeader returns a context carrying an X-Ray trace header the way
// Lambda mode's contexts do, for App.Invoke in tests and local servers.
func WithTraceHeader(ctx context.Context, header string) context.Context {
	return context.WithValue(ctx, traceContextKey, header) //nolint:staticcheck // aws-lambda-go's key
}

// traceRoot returns the Root=... part of a trace header, the trace ID
// CloudWatch and X-Ray search by; the whole header when it has no Root.
func traceRoot(header string) string {
	for part := range strings.SplitSeq(header, ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "Root="); ok {
			return v
		}
	}
	return header
}

// reportf logs an unexpected error of an invocation: through ErrorLog when
// it is set, else as one ERROR record of the invocation's logger, with the
// stack trace, when there is one, in its "stack" attribute.
func (a *App) reportf(ctx context.Context, stack []byte, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if a.ErrorLog != nil {
		if stack != nil {
			a.ErrorLog.Printf("%s\n%s", msg, stack)
		} else {
			a.ErrorLog.Print(msg)
		}
		return
	}
	l := a.baseLogger()
	if inv, ok := ctx.Value(invocationKey{}).(*invocation); ok {
		l = inv.logger()
	}
	if stack != nil {
		l.ErrorContext(ctx, msg, slog.String("stack", string(stack)))
		return
	}
	l.ErrorContext(ctx, msg)
}

// logf logs a notice that belongs to no invocation (the local gateway's
// warnings, for example): through ErrorLog when it is set, else as a WARN
// record of the app's base logger.
func (a *App) logf(format string, args ...any) {
	if a.ErrorLog != nil {
		a.ErrorLog.Printf(format, args...)
		return
	}
	a.baseLogger().Warn(fmt.Sprintf(format, args...))
}
