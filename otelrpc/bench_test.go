package otelrpc_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/otelrpc"
	"github.com/schemarpc/schemarpc/server"
)

// benchSetups are the variants compared: no middleware; the middleware
// with no-op providers (which it recognises and steps aside for); with the
// global providers while no SDK is installed (spans and measurements are
// made and dropped); and with the SDK on (every span sampled and ended,
// but not exported; metrics aggregated by a manual reader).
func benchSetups(b *testing.B) []struct {
	name string
	opts []otelrpc.Option
} {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		tp.Shutdown(context.Background())
		mp.Shutdown(context.Background())
	})
	return []struct {
		name string
		opts []otelrpc.Option
	}{
		{"none", nil},
		{"noop", []otelrpc.Option{otelrpc.WithTracerProvider(tracenoop.NewTracerProvider()), otelrpc.WithMeterProvider(metricnoop.NewMeterProvider())}},
		{"global", []otelrpc.Option{}},
		{"sdk", []otelrpc.Option{otelrpc.WithTracerProvider(tp), otelrpc.WithMeterProvider(mp), otelrpc.WithPropagator(propagation.TraceContext{})}},
	}
}

// BenchmarkServerOverhead serves a small call in process (Server.Handle:
// decoding, validation, the method, encoding) with each variant.
func BenchmarkServerOverhead(b *testing.B) {
	payload := []byte(`{"jsonrpc":"2.0","method":"add","params":{"a":2,"b":3},"id":7}`)
	for _, setup := range benchSetups(b) {
		b.Run(setup.name, func(b *testing.B) {
			var opts []server.Option
			if setup.opts != nil {
				opts = append(opts, server.WithMiddlewares(otelrpc.ServerMiddleware(setup.opts...)))
			}
			s := server.New(opts...)
			s.MustAdd(server.Func("add", func(_ context.Context, p AddParams) (int, error) { return p.A + p.B, nil }))
			b.Cleanup(func() { s.Close() })
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if out := s.Handle(ctx, payload); len(out) == 0 {
					b.Fatal("no answer")
				}
			}
		})
	}
}

// BenchmarkClientOverhead makes a call through a client whose transport
// answers at once, with each variant: the client's own cost.
func BenchmarkClientOverhead(b *testing.B) {
	result := json.RawMessage(`5`)
	transport := client.InvokerFunc(func(_ context.Context, reqs []*schemarpc.Request, _ bool) ([]*schemarpc.Response, error) {
		return []*schemarpc.Response{{ID: reqs[0].ID, Result: result}}, nil
	})
	for _, setup := range benchSetups(b) {
		b.Run(setup.name, func(b *testing.B) {
			var opts []client.Option
			if setup.opts != nil {
				opts = append(opts, client.WithMiddlewares(otelrpc.ClientMiddleware(setup.opts...)))
			}
			c, err := client.New(transport, opts...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				var sum int
				if err := c.Call(ctx, "add", AddParams{A: 2, B: 3}, &sum); err != nil || sum != 5 {
					b.Fatal(sum, err)
				}
			}
		})
	}
}

// BenchmarkHTTPOverhead makes a call over HTTP on the loopback, traced on
// both sides with each variant: the overhead in proportion to a real
// exchange.
func BenchmarkHTTPOverhead(b *testing.B) {
	for _, setup := range benchSetups(b) {
		b.Run(setup.name, func(b *testing.B) {
			var sopts []server.Option
			var copts []client.Option
			if setup.opts != nil {
				sopts = append(sopts, server.WithMiddlewares(otelrpc.ServerMiddleware(setup.opts...)))
				copts = append(copts, client.WithMiddlewares(otelrpc.ClientMiddleware(setup.opts...)))
			}
			s := server.New(sopts...)
			s.MustAdd(server.Func("add", func(_ context.Context, p AddParams) (int, error) { return p.A + p.B, nil }))
			ts := httptest.NewServer(s)
			b.Cleanup(func() {
				s.Close()
				ts.Close()
			})
			c, err := client.NewHTTP(ts.URL, copts...)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { c.Close() })
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				var sum int
				if err := c.Call(ctx, "add", AddParams{A: 2, B: 3}, &sum); err != nil || sum != 5 {
					b.Fatal(sum, err)
				}
			}
		})
	}
}
