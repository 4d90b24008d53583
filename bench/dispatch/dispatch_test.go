package dispatch

import (
	"bytes"
	"context"
	"os"
	"testing"
)

// browserEvent is GET /hello/gopher as API Gateway delivers it for a
// browser (the framework's benchmark event).
func browserEvent(tb testing.TB) []byte {
	payload, err := os.ReadFile("../../framework/testdata/browser_event.json")
	if err != nil {
		tb.Fatal(err)
	}
	return payload
}

// All three answer the event with the same body.
func TestHandlersAgree(t *testing.T) {
	payload := browserEvent(t)
	for _, h := range Handlers {
		out, err := h.Handler().Invoke(context.Background(), payload)
		if err != nil {
			t.Fatalf("%s: %v", h.Name, err)
		}
		if !bytes.Contains(out, []byte(`"statusCode":200`)) || !bytes.Contains(out, []byte(`{\"hello\":\"gopher\"}`)) {
			t.Errorf("%s answered %s", h.Name, out)
		}
	}
}

func BenchmarkDispatch(b *testing.B) {
	payload := browserEvent(b)
	ctx := context.Background()
	for _, h := range Handlers {
		b.Run(h.Name, func(b *testing.B) {
			handler := h.Handler()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := handler.Invoke(ctx, payload); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
