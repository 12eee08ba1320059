package otelrpc_test

import (
	"slices"
	"testing"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/otelrpc"
)

// OTEL_SEMCONV_STABILITY_OPT_IN switches the attributes and metrics: the
// old conventions (v1.37.0) by default, the stable ones (v1.43.0) with
// "rpc", both with "rpc/dup" (which wins over "rpc").
func TestConventionsFromEnv(t *testing.T) {
	oldSpan := map[string]any{"rpc.system": "jsonrpc", "rpc.method": "fail", "rpc.jsonrpc.version": "2.0", "rpc.jsonrpc.request_id": "1", "rpc.jsonrpc.error_code": -32001, "rpc.jsonrpc.error_message": "out of stock"}
	newSpan := map[string]any{"rpc.system.name": "jsonrpc", "rpc.method": "fail", "jsonrpc.protocol.version": "2.0", "jsonrpc.request.id": "1", "error.type": "-32001", "rpc.response.status_code": "-32001"}
	absent := func(m map[string]any) map[string]any {
		out := map[string]any{}
		for k := range m {
			if k != "rpc.method" {
				out[k] = nil
			}
		}
		return out
	}
	oldMetric := map[string]any{"rpc.system": "jsonrpc", "rpc.method": "fail", "rpc.jsonrpc.error_code": -32001}
	newMetric := map[string]any{"rpc.system.name": "jsonrpc", "rpc.method": "fail", "error.type": "-32001", "rpc.response.status_code": "-32001"}
	for _, c := range []struct {
		env      string
		old, new bool
	}{
		{"", true, false},
		{"http", true, false},
		{"rpc", false, true},
		{"http, rpc", false, true},
		{"rpc/dup", true, true},
		{"rpc,rpc/dup", true, true},
	} {
		t.Run(c.env, func(t *testing.T) {
			t.Setenv("OTEL_SEMCONV_STABILITY_OPT_IN", c.env)
			s := newSDK(t)
			_, ts := newServer(t, s.opts(otelrpc.ConventionsFromEnv))
			hc := httpClient(t, s, ts.URL, otelrpc.ConventionsFromEnv)
			if err := hc.Call(t.Context(), "fail", nil, nil); schemarpc.CodeOf(err) != -32001 {
				t.Fatalf("fail: %v", err)
			}
			for _, sp := range s.ended("fail") {
				what := sp.SpanKind().String() + " span"
				if c.old {
					wantAttrs(t, what, sp.Attributes(), oldSpan)
				} else {
					wantAttrs(t, what, sp.Attributes(), absent(oldSpan))
				}
				if c.new {
					wantAttrs(t, what, sp.Attributes(), newSpan)
				} else {
					wantAttrs(t, what, sp.Attributes(), absent(newSpan))
				}
			}
			var want []string
			if c.old {
				want = append(want, "rpc.server.duration", "rpc.client.duration")
				for _, name := range []string{"rpc.server.duration", "rpc.client.duration"} {
					p := s.point(t, name, "ms")
					wantAttrs(t, name, p.Attributes.ToSlice(), oldMetric)
					if p.Attributes.Len() != len(oldMetric) {
						t.Errorf("%s: attributes %v", name, p.Attributes.ToSlice())
					}
				}
			}
			if c.new {
				want = append(want, "rpc.server.call.duration", "rpc.client.call.duration")
				for _, name := range []string{"rpc.server.call.duration", "rpc.client.call.duration"} {
					p := s.point(t, name, "s")
					wantAttrs(t, name, p.Attributes.ToSlice(), newMetric)
					if p.Attributes.Len() != len(newMetric) {
						t.Errorf("%s: attributes %v", name, p.Attributes.ToSlice())
					}
				}
			}
			got := s.metricNames(t)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("metrics %q, want %q", got, want)
			}
		})
	}
}

// WithConventions overrides the environment.
func TestWithConventions(t *testing.T) {
	t.Setenv("OTEL_SEMCONV_STABILITY_OPT_IN", "rpc/dup")
	s := newSDK(t)
	_, ts := newServer(t, s.opts(otelrpc.ConventionsOld))
	if _, err := client.CallAs[int](t.Context(), httpClient(t, s, ts.URL, otelrpc.ConventionsOld), "add", AddParams{}); err != nil {
		t.Fatal(err)
	}
	wantAttrs(t, "server span", s.server(t, "add").Attributes(), map[string]any{"rpc.system": "jsonrpc", "rpc.system.name": nil})
	if names := s.metricNames(t); len(names) != 2 {
		t.Errorf("metrics %q", names)
	}
}
