package otelrpc_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/otelrpc"
	"github.com/schemarpc/schemarpc/server"
)

// sdk is an in-memory OpenTelemetry SDK: spans in a recorder, metrics in a
// manual reader.
type sdk struct {
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

func newSDK(t *testing.T) *sdk {
	t.Helper()
	s := &sdk{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	s.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(s.spans))
	s.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(s.reader))
	t.Cleanup(func() {
		s.tp.Shutdown(context.Background())
		s.mp.Shutdown(context.Background())
	})
	return s
}

// opts returns the options that record into s, W3C trace context and the
// given conventions.
func (s *sdk) opts(c otelrpc.Conventions, more ...otelrpc.Option) []otelrpc.Option {
	return append([]otelrpc.Option{
		otelrpc.WithTracerProvider(s.tp),
		otelrpc.WithMeterProvider(s.mp),
		otelrpc.WithPropagator(propagation.TraceContext{}),
		otelrpc.WithConventions(c),
	}, more...)
}

// ended returns the ended spans of the given kind, by name.
func (s *sdk) ended(name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, sp := range s.spans.Ended() {
		if sp.Name() == name {
			out = append(out, sp)
		}
	}
	return out
}

// histogram returns the data points of the histogram named name.
func (s *sdk) histogram(t *testing.T, name string) (string, []metricdata.HistogramDataPoint[float64]) {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := s.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name == name {
				h, ok := m.Data.(metricdata.Histogram[float64])
				if !ok {
					t.Fatalf("%s is a %T", name, m.Data)
				}
				return m.Unit, h.DataPoints
			}
		}
	}
	return "", nil
}

// metricNames returns the names of the metrics recorded.
func (s *sdk) metricNames(t *testing.T) []string {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := s.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out = append(out, m.Name)
		}
	}
	return out
}

// attrs returns the attributes as a map of their emitted values.
func attrs(kvs []attribute.KeyValue) map[string]attribute.Value {
	m := make(map[string]attribute.Value, len(kvs))
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value
	}
	return m
}

// wantAttrs checks that got has every attribute of want (a string, an int
// or nil for "absent").
func wantAttrs(t *testing.T, what string, got []attribute.KeyValue, want map[string]any) {
	t.Helper()
	m := attrs(got)
	for k, w := range want {
		v, ok := m[k]
		switch w := w.(type) {
		case nil:
			if ok {
				t.Errorf("%s: attribute %s = %s, want none", what, k, v.String())
			}
		case string:
			if !ok || v.Type() != attribute.STRING || v.AsString() != w {
				t.Errorf("%s: attribute %s = %q (set %v), want %q", what, k, v.String(), ok, w)
			}
		case int:
			if !ok || v.Type() != attribute.INT64 || v.AsInt64() != int64(w) {
				t.Errorf("%s: attribute %s = %s (set %v), want %d", what, k, v.String(), ok, w)
			}
		}
	}
}

type AddParams struct {
	A int `json:"a" jsonschema:"minimum=0"`
	B int `json:"b" jsonschema:"minimum=0"`
}

var errBroken = errors.New("database unreachable")

// newServer returns a server with the test methods, traced by
// ServerMiddleware(opts...), served by an httptest server.
func newServer(t *testing.T, opts []otelrpc.Option, more ...server.Option) (*server.Server, *httptest.Server) {
	t.Helper()
	more = append([]server.Option{server.WithMiddlewares(otelrpc.ServerMiddleware(opts...))}, more...)
	s := server.New(more...)
	s.MustAdd(
		server.Func("add", func(_ context.Context, p AddParams) (int, error) { return p.A + p.B, nil }),
		server.FuncNoParams("fail", func(context.Context) (int, error) {
			return 0, schemarpc.NewError(-32001, "out of stock")
		}),
		server.FuncNoParams("broken", func(context.Context) (int, error) { return 0, errBroken }),
		server.FuncNoParams("panics", func(context.Context) (int, error) { panic("boom") }),
		server.FuncNoParams("note", func(context.Context) (any, error) { return nil, nil }),
		server.FuncNoParams("callback", func(ctx context.Context) (string, error) {
			if err := server.Notify(ctx, "tick", nil); err != nil {
				return "", err
			}
			var who string
			err := server.Call(ctx, "whoami", nil, &who)
			return who, err
		}),
	)
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return s, ts
}

func wsURL(ts *httptest.Server) string { return "ws" + strings.TrimPrefix(ts.URL, "http") }

// kindSpan returns the only ended span named name of the given kind.
func (s *sdk) kindSpan(t *testing.T, name string, kind trace.SpanKind) sdktrace.ReadOnlySpan {
	t.Helper()
	var found []sdktrace.ReadOnlySpan
	for _, sp := range s.ended(name) {
		if sp.SpanKind() == kind {
			found = append(found, sp)
		}
	}
	if len(found) != 1 {
		var names []string
		for _, sp := range s.spans.Ended() {
			names = append(names, sp.Name()+"/"+sp.SpanKind().String())
		}
		t.Fatalf("%d %s spans named %q; ended: %q", len(found), kind, name, names)
	}
	return found[0]
}

func (s *sdk) server(t *testing.T, name string) sdktrace.ReadOnlySpan {
	t.Helper()
	return s.kindSpan(t, name, trace.SpanKindServer)
}

func (s *sdk) client(t *testing.T, name string) sdktrace.ReadOnlySpan {
	t.Helper()
	return s.kindSpan(t, name, trace.SpanKindClient)
}

// point returns the only data point of histogram name.
func (s *sdk) point(t *testing.T, name, unit string) metricdata.HistogramDataPoint[float64] {
	t.Helper()
	u, points := s.histogram(t, name)
	if len(points) != 1 || u != unit {
		t.Fatalf("%s: unit %q (want %q), %d data points: %+v", name, u, unit, len(points), points)
	}
	return points[0]
}

// sameSpan reports whether a and b name the same span, remote or not.
func sameSpan(a, b trace.SpanContext) bool {
	return a.TraceID() == b.TraceID() && a.SpanID() == b.SpanID()
}
