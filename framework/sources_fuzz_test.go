package framework

import (
	"context"
	"testing"
)

// FuzzEventShape checks that classifying any payload never panics and that
// a shape-checked function answers every payload with a result or an error.
func FuzzEventShape(f *testing.F) {
	for _, s := range []string{scheduleEvent, sqsEvent, s3Event, preSignUp, wsConnect, `{"Records":[{}]}`, `[]`, `null`, `{"source":1}`} {
		f.Add([]byte(s))
	}
	app := eventsApp()
	f.Fuzz(func(t *testing.T, payload []byte) {
		_ = classify(payload).String()
		for _, h := range []string{"refresh", "auto_confirm", "websocket_connect"} {
			_, _ = app.Invoke(context.Background(), h, payload)
		}
	})
}

// FuzzCron checks that Cron never panics and that what it accepts has six
// fields with exactly one "?" among day-of-month and day-of-week.
func FuzzCron(f *testing.F) {
	f.Add("0", "10", "*", "*", "?", "*")
	f.Add("0/5", "1-5", "?", "JAN", "MON#2", "2027")
	f.Fuzz(func(t *testing.T, a, b, c, d, e, g string) {
		s := Cron(a, b, c, d, e, g)
		if s.Err() == nil && (c == "?") == (e == "?") {
			t.Errorf("Cron accepted %q with day-of-month %q and day-of-week %q", s.String(), c, e)
		}
	})
}
