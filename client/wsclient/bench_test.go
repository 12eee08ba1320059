package wsclient_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/server"
)

// The benchmarks call the demo's subtract (params validated against their
// schema) and echo (raw params, never validated) over WebSocket, with
// validation on and off (see client's benchmarks for HTTP).

func benchCases(b *testing.B, run func(b *testing.B, ts *httptest.Server, method string, params any)) {
	for _, v := range []struct {
		name string
		on   bool
	}{{"validation=on", true}, {"validation=off", false}} {
		for _, m := range []struct {
			name   string
			params any
		}{
			{"subtract", demo.SubtractParams{Minuend: 42, Subtrahend: 23}},
			{"echo", []any{1, "two", 3.0}},
		} {
			b.Run(m.name+"/"+v.name, func(b *testing.B) {
				ts := httptest.NewServer(demo.New(nil, server.WithValidation(v.on)))
				b.Cleanup(ts.Close)
				run(b, ts, m.name, m.params)
			})
		}
	}
}

func BenchmarkWSCall(b *testing.B) {
	benchCases(b, func(b *testing.B, ts *httptest.Server, method string, params any) {
		c, err := wsclient.Dial(context.Background(), "ws"+strings.TrimPrefix(ts.URL, "http"))
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if err := c.Call(ctx, method, params, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWSParallel pipelines calls from GOMAXPROCS goroutines on one
// connection.
func BenchmarkWSParallel(b *testing.B) {
	benchCases(b, func(b *testing.B, ts *httptest.Server, method string, params any) {
		c, err := wsclient.Dial(context.Background(), "ws"+strings.TrimPrefix(ts.URL, "http"))
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := c.Call(ctx, method, params, nil); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
