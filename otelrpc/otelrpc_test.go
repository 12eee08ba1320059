package otelrpc_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/codes"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/otelrpc"
)

// httpClient returns an HTTP client of url traced into s.
func httpClient(t *testing.T, s *sdk, url string, c otelrpc.Conventions, more ...otelrpc.Option) *client.HTTPClient {
	t.Helper()
	hc, err := client.NewHTTP(url, client.WithMiddlewares(otelrpc.ClientMiddleware(s.opts(c, more...)...)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hc.Close() })
	return hc
}

// A successful call over HTTP: a client span and a server span named after
// the method, with the stable attributes, and a duration on both sides.
func TestCall(t *testing.T) {
	s := newSDK(t)
	_, ts := newServer(t, s.opts(otelrpc.ConventionsStable))
	hc := httpClient(t, s, ts.URL, otelrpc.ConventionsStable)
	sum, err := client.CallAs[int](t.Context(), hc, "add", AddParams{A: 2, B: 3})
	if err != nil || sum != 5 {
		t.Fatalf("add = %d, %v", sum, err)
	}
	srv, cli := s.server(t, "add"), s.client(t, "add")
	want := map[string]any{
		"rpc.system.name": "jsonrpc", "rpc.method": "add", "jsonrpc.protocol.version": "2.0",
		"jsonrpc.request.id": "1", "error.type": nil, "rpc.response.status_code": nil,
		"rpc.system": nil, "rpc.jsonrpc.request_id": nil, "rpc.method_original": nil,
	}
	wantAttrs(t, "server span", srv.Attributes(), want)
	wantAttrs(t, "client span", cli.Attributes(), want)
	wantAttrs(t, "server span", srv.Attributes(), map[string]any{"network.protocol.name": "http", "schemarpc.batch.size": nil, "network.peer.address": nil})
	if srv.Status().Code != codes.Unset || cli.Status().Code != codes.Unset {
		t.Errorf("statuses %v, %v", srv.Status(), cli.Status())
	}
	for _, name := range []string{"rpc.server.call.duration", "rpc.client.call.duration"} {
		p := s.point(t, name, "s")
		if p.Count != 1 || p.Attributes.Len() != 2 {
			t.Errorf("%s: count %d, attributes %v", name, p.Count, p.Attributes.ToSlice())
		}
		wantAttrs(t, name, p.Attributes.ToSlice(), map[string]any{"rpc.system.name": "jsonrpc", "rpc.method": "add"})
	}
	// By default the server does not trust the caller's trace: a new trace,
	// linked to the client span.
	if srv.SpanContext().TraceID() == cli.SpanContext().TraceID() || srv.Parent().IsValid() {
		t.Errorf("server span in the client's trace (parent %v) by default", srv.Parent())
	}
	if l := srv.Links(); len(l) != 1 || !sameSpan(l[0].SpanContext, cli.SpanContext()) {
		t.Errorf("server span links %+v, want the client span", l)
	}
}

// Error answers: the status is Error, error.type and the status code are
// the code, on both sides and in the metrics; a Go error is -32603.
func TestError(t *testing.T) {
	s := newSDK(t)
	_, ts := newServer(t, s.opts(otelrpc.ConventionsStable))
	hc := httpClient(t, s, ts.URL, otelrpc.ConventionsStable)
	if err := hc.Call(t.Context(), "fail", nil, nil); schemarpc.CodeOf(err) != -32001 {
		t.Fatalf("fail: %v", err)
	}
	if err := hc.Call(t.Context(), "broken", nil, nil); schemarpc.CodeOf(err) != schemarpc.CodeInternalError {
		t.Fatalf("broken: %v", err)
	}
	for _, c := range []struct{ method, code, serverMsg, clientMsg string }{
		{"fail", "-32001", "out of stock", "out of stock"},
		{"broken", "-32603", errBroken.Error(), "Internal error"},
	} {
		srv, cli := s.server(t, c.method), s.client(t, c.method)
		if st := srv.Status(); st.Code != codes.Error || st.Description != c.serverMsg {
			t.Errorf("%s: server status %+v, want Error %q", c.method, st, c.serverMsg)
		}
		if st := cli.Status(); st.Code != codes.Error || st.Description != c.clientMsg {
			t.Errorf("%s: client status %+v, want Error %q", c.method, st, c.clientMsg)
		}
		want := map[string]any{"error.type": c.code, "rpc.response.status_code": c.code}
		wantAttrs(t, c.method+" server span", srv.Attributes(), want)
		wantAttrs(t, c.method+" client span", cli.Attributes(), want)
	}
	for _, name := range []string{"rpc.server.call.duration", "rpc.client.call.duration"} {
		_, points := s.histogram(t, name)
		seen := map[string]bool{}
		for _, p := range points {
			m := attrs(p.Attributes.ToSlice())
			seen[m["rpc.method"].AsString()+" "+m["error.type"].AsString()+" "+m["rpc.response.status_code"].AsString()] = true
		}
		for _, w := range []string{"fail -32001 -32001", "broken -32603 -32603"} {
			if !seen[w] {
				t.Errorf("%s: no series %q in %v", name, w, seen)
			}
		}
	}
}

// -32602: the span counts the schema violations, on both sides.
func TestInvalidParams(t *testing.T) {
	s := newSDK(t)
	_, ts := newServer(t, s.opts(otelrpc.ConventionsStable))
	hc := httpClient(t, s, ts.URL, otelrpc.ConventionsStable)
	err := hc.Call(t.Context(), "add", map[string]int{"a": -1, "b": -2}, nil)
	if schemarpc.CodeOf(err) != schemarpc.CodeInvalidParams {
		t.Fatalf("add: %v", err)
	}
	want := map[string]any{"error.type": "-32602", "rpc.response.status_code": "-32602", "schemarpc.params.violations": 2}
	wantAttrs(t, "server span", s.server(t, "add").Attributes(), want)
	wantAttrs(t, "client span", s.client(t, "add").Attributes(), want)
}

// A method the server does not have: span named "jsonrpc", rpc.method
// _OTHER with the original name beside it, and _OTHER in the metrics.
func TestUnknownMethod(t *testing.T) {
	s := newSDK(t)
	_, ts := newServer(t, s.opts(otelrpc.ConventionsStable))
	hc := httpClient(t, s, ts.URL, otelrpc.ConventionsStable)
	for _, m := range []string{"nope1", "nope2"} {
		if err := hc.Call(t.Context(), m, nil, nil); schemarpc.CodeOf(err) != schemarpc.CodeMethodNotFound {
			t.Fatalf("%s: %v", m, err)
		}
	}
	if n := len(s.ended("nope1")) + len(s.ended("nope2")); n != 0 {
		t.Errorf("%d spans named after unknown methods", n)
	}
	if n := len(s.ended("jsonrpc")); n != 4 {
		t.Fatalf("%d spans named jsonrpc, want 4", n)
	}
	for _, sp := range s.ended("jsonrpc") {
		m := attrs(sp.Attributes())
		if m["rpc.method"].AsString() != "_OTHER" || m["rpc.method_original"].AsString() == "" {
			t.Errorf("%s span: rpc.method %q, original %q", sp.SpanKind(), m["rpc.method"].String(), m["rpc.method_original"].String())
		}
	}
	for _, name := range []string{"rpc.server.call.duration", "rpc.client.call.duration"} {
		p := s.point(t, name, "s")
		if p.Count != 2 {
			t.Errorf("%s: count %d, want 2 (one series)", name, p.Count)
		}
		wantAttrs(t, name, p.Attributes.ToSlice(), map[string]any{"rpc.method": "_OTHER", "rpc.method_original": nil, "error.type": "-32601"})
	}
}

// WithMethods folds unlisted methods at once, before any answer.
func TestWithMethods(t *testing.T) {
	s := newSDK(t)
	_, ts := newServer(t, s.opts(otelrpc.ConventionsStable, otelrpc.WithMethods("fail")))
	hc := httpClient(t, s, ts.URL, otelrpc.ConventionsStable)
	if _, err := client.CallAs[int](t.Context(), hc, "add", AddParams{A: 1, B: 1}); err != nil {
		t.Fatal(err)
	}
	srv := s.server(t, "jsonrpc")
	wantAttrs(t, "server span", srv.Attributes(), map[string]any{"rpc.method": "_OTHER", "rpc.method_original": "add"})
	s.client(t, "add") // the client recognizes every method
}

// A notification: traced on both sides, without a request id.
func TestNotification(t *testing.T) {
	s := newSDK(t)
	_, ts := newServer(t, s.opts(otelrpc.ConventionsBoth))
	hc := httpClient(t, s, ts.URL, otelrpc.ConventionsBoth)
	if err := hc.Notify(t.Context(), "note", nil); err != nil {
		t.Fatal(err)
	}
	none := map[string]any{"jsonrpc.request.id": nil, "rpc.jsonrpc.request_id": nil, "rpc.method": "note", "error.type": nil}
	wantAttrs(t, "server span", s.server(t, "note").Attributes(), none)
	wantAttrs(t, "client span", s.client(t, "note").Attributes(), none)
	// A notification that fails is an error span, with no status code: no
	// response carried one.
	if err := hc.Notify(t.Context(), "fail", nil); err != nil {
		t.Fatal(err)
	}
	srv := s.server(t, "fail")
	if srv.Status().Code != codes.Error {
		t.Errorf("failed notification: status %v", srv.Status())
	}
	wantAttrs(t, "failed notification", srv.Attributes(), map[string]any{"error.type": "-32001", "rpc.response.status_code": nil, "rpc.jsonrpc.error_code": -32001})
}

// A handler that panics: the server span ends with -32603.
func TestPanic(t *testing.T) {
	s := newSDK(t)
	_, ts := newServer(t, s.opts(otelrpc.ConventionsStable))
	hc := httpClient(t, s, ts.URL, otelrpc.ConventionsStable)
	if err := hc.Call(t.Context(), "panics", nil, nil); schemarpc.CodeOf(err) != schemarpc.CodeInternalError {
		t.Fatalf("panics: %v", err)
	}
	srv := s.server(t, "panics")
	if srv.Status().Code != codes.Error {
		t.Errorf("status %v", srv.Status())
	}
	wantAttrs(t, "server span", srv.Attributes(), map[string]any{"error.type": "-32603"})
}

// A client-side failure has an error.type of its own.
func TestClientFailure(t *testing.T) {
	s := newSDK(t)
	hc := httpClient(t, s, "http://127.0.0.1:1/", otelrpc.ConventionsStable)
	if err := hc.Call(t.Context(), "add", nil, nil); err == nil {
		t.Fatal("call to a closed port succeeded")
	}
	cli := s.client(t, "add")
	wantAttrs(t, "client span", cli.Attributes(), map[string]any{"error.type": otelrpc.ErrTypeTransport, "rpc.response.status_code": nil})
}

// The filter and WithoutTraces / WithoutMetrics.
func TestFilterAndSwitches(t *testing.T) {
	s := newSDK(t)
	notAdd := otelrpc.WithFilter(func(_ context.Context, r *schemarpc.Request) bool { return r.Method != "add" })
	_, ts := newServer(t, s.opts(otelrpc.ConventionsStable, notAdd, otelrpc.WithoutMetrics()))
	hc := httpClient(t, s, ts.URL, otelrpc.ConventionsStable, otelrpc.WithoutTraces())
	if _, err := client.CallAs[int](t.Context(), hc, "add", AddParams{}); err != nil {
		t.Fatal(err)
	}
	_ = hc.Call(t.Context(), "fail", nil, nil)
	if n := len(s.ended("add")); n != 0 {
		t.Errorf("%d spans for a filtered method", n)
	}
	s.server(t, "fail")
	if n := len(s.ended("fail")); n != 1 {
		t.Errorf("%d spans for fail, want the server's only", n)
	}
	if names := s.metricNames(t); len(names) != 1 || names[0] != "rpc.client.call.duration" {
		t.Errorf("metrics %q, want the client's only", names)
	}
	_, points := s.histogram(t, "rpc.client.call.duration")
	if len(points) != 2 {
		t.Errorf("client measured %d series, want 2", len(points))
	}
	// A batch whose members are all filtered out gets no batch span.
	hc2 := httpClient(t, s, ts.URL, otelrpc.ConventionsStable, notAdd)
	if _, err := hc2.Batch(t.Context(), client.BatchItem{Method: "add", Params: AddParams{}}); err != nil {
		t.Fatal(err)
	}
	if n := len(s.ended("jsonrpc batch")) + len(s.ended("add")); n != 0 {
		t.Errorf("%d spans for a batch filtered out", n)
	}
}

// WithPeerAddress adds the client's address to server spans, never to
// metrics.
func TestWithPeerAddress(t *testing.T) {
	s := newSDK(t)
	_, ts := newServer(t, s.opts(otelrpc.ConventionsStable, otelrpc.WithPeerAddress()))
	if _, err := client.CallAs[int](t.Context(), httpClient(t, s, ts.URL, otelrpc.ConventionsStable), "add", AddParams{}); err != nil {
		t.Fatal(err)
	}
	m := attrs(s.server(t, "add").Attributes())
	if m["network.peer.address"].AsString() != "127.0.0.1" || m["network.peer.port"].AsInt64() == 0 {
		t.Errorf("peer %q port %d", m["network.peer.address"].AsString(), m["network.peer.port"].AsInt64())
	}
	p := s.point(t, "rpc.server.call.duration", "s")
	wantAttrs(t, "metric", p.Attributes.ToSlice(), map[string]any{"network.peer.address": nil})
}
