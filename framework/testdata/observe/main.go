// Command observe is the app the framework's emulator tests run: view and
// function middleware, the invocation logger, EMF metrics and panics.
package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	app := framework.New("observe")
	app.Use(func(next framework.Handler) framework.Handler {
		return func(r *framework.Request) (any, error) {
			start := time.Now()
			res, err := next(r)
			if resp, ok := res.(*framework.Response); ok {
				resp.Headers["X-Mw"] = "1"
			}
			r.Logger().Info("request", "path", r.Path, "error", err != nil, "ms", time.Since(start).Milliseconds())
			return res, err
		}
	})
	app.UseFunctions(func(next framework.FunctionHandler) framework.FunctionHandler {
		return func(ctx context.Context, inv *framework.Invocation) ([]byte, error) {
			framework.Logger(ctx).Debug("invocation", "kind", inv.Kind, "sources", inv.Sources, "bytes", len(inv.Payload))
			return next(ctx, inv)
		}
	})
	app.Route("/hello/{name}", func(r *framework.Request) (any, error) {
		r.Logger().Debug("hello", "name", r.PathParam("name"))
		err := framework.NewMetrics("Observe").
			Dimension("Route", r.Path).
			Count("Hellos", 1).
			Timing("Work", 2*time.Millisecond).
			Emit(r.Context())
		return map[string]string{"hello": r.PathParam("name")}, err
	})
	app.Route("/panic", func(r *framework.Request) (any, error) { panic("view exploded") })
	app.Schedule("tick", framework.Rate(1, framework.Hours), func(ctx context.Context, ev events.EventBridgeEvent) error {
		l := framework.Logger(ctx)
		l.Info("tick info")
		l.Warn("tick warn", "id", ev.ID)
		l.Log(ctx, framework.LevelTrace, "tick trace")
		l.Log(ctx, slog.LevelError, "tick error")
		slog.Warn("global slog")
		slog.Info("global info")
		return nil
	})
	app.Run()
}
