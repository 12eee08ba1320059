package otelrpc_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/otelrpc"
	"github.com/schemarpc/schemarpc/server"
)

// With WithTrustRemote the server span is the child of the client span,
// across a real listener: one trace on both sides.
func TestPropagationTrusted(t *testing.T) {
	s := newSDK(t)
	_, ts := newServer(t, s.opts(otelrpc.ConventionsStable, otelrpc.WithTrustRemote()))
	hc := httpClient(t, s, ts.URL, otelrpc.ConventionsStable)
	ctx, parent := s.tp.Tracer("test").Start(t.Context(), "request")
	if _, err := client.CallAs[int](ctx, hc, "add", AddParams{A: 1, B: 2}); err != nil {
		t.Fatal(err)
	}
	parent.End()
	cli, srv := s.client(t, "add"), s.server(t, "add")
	if !sameSpan(cli.Parent(), parent.SpanContext()) {
		t.Errorf("client span's parent %v, want the caller's span", cli.Parent())
	}
	if srv.SpanContext().TraceID() != parent.SpanContext().TraceID() {
		t.Errorf("server trace %s, client trace %s", srv.SpanContext().TraceID(), parent.SpanContext().TraceID())
	}
	if !sameSpan(srv.Parent(), cli.SpanContext()) || !srv.Parent().IsRemote() || len(srv.Links()) != 0 {
		t.Errorf("server span's parent %v (links %v), want the client span, remote", srv.Parent(), srv.Links())
	}
}

// A span of the server's process already in the request's context (an
// HTTP server span, as otelhttp makes) is the parent of the call spans,
// whatever the headers say.
func TestLocalParent(t *testing.T) {
	s := newSDK(t)
	srv, _ := newServer(t, s.opts(otelrpc.ConventionsStable))
	tracer := s.tp.Tracer("http")
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, span := tracer.Start(r.Context(), "POST", trace.WithSpanKind(trace.SpanKindServer))
		defer span.End()
		srv.ServeHTTP(w, r.WithContext(ctx))
	}))
	defer ts.Close()
	hc := httpClient(t, s, ts.URL, otelrpc.ConventionsStable)
	if _, err := client.CallAs[int](t.Context(), hc, "add", AddParams{}); err != nil {
		t.Fatal(err)
	}
	post := s.server(t, "POST")
	call := s.server(t, "add")
	if !sameSpan(call.Parent(), post.SpanContext()) || len(call.Links()) != 0 {
		t.Errorf("call span's parent %v, links %v; want the HTTP span", call.Parent(), call.Links())
	}
}

// A batch over HTTP: the client makes a "jsonrpc batch" span, the span of
// the HTTP request, with a child per member; the server makes a span per
// member, linked to the batch's span (by default) and counting the batch.
func TestBatch(t *testing.T) {
	s := newSDK(t)
	_, ts := newServer(t, s.opts(otelrpc.ConventionsStable))
	hc := httpClient(t, s, ts.URL, otelrpc.ConventionsStable)
	res, err := hc.Batch(t.Context(),
		client.BatchItem{Method: "add", Params: AddParams{A: 1, B: 2}},
		client.BatchItem{Method: "fail"},
		client.BatchItem{Method: "note", Notification: true})
	if err != nil {
		t.Fatal(err)
	}
	if schemarpc.CodeOf(res.Results[1].Err) != -32001 {
		t.Fatalf("batch results %+v", res.Results)
	}
	batch := s.client(t, "jsonrpc batch")
	wantAttrs(t, "batch span", batch.Attributes(), map[string]any{"schemarpc.batch.size": 3, "rpc.system.name": "jsonrpc"})
	for _, m := range []string{"add", "fail", "note"} {
		cli, srv := s.client(t, m), s.server(t, m)
		if !sameSpan(cli.Parent(), batch.SpanContext()) {
			t.Errorf("%s: client span's parent %v, want the batch span", m, cli.Parent())
		}
		if l := srv.Links(); len(l) != 1 || !sameSpan(l[0].SpanContext, batch.SpanContext()) {
			t.Errorf("%s: server span links %v, want the batch span", m, l)
		}
		wantAttrs(t, m+" server span", srv.Attributes(), map[string]any{"schemarpc.batch.size": 3})
		wantAttrs(t, m+" client span", cli.Attributes(), map[string]any{"schemarpc.batch.size": 3})
	}
	wantAttrs(t, "fail client span", s.client(t, "fail").Attributes(), map[string]any{"error.type": "-32001", "rpc.response.status_code": "-32001"})
	wantAttrs(t, "note client span", s.client(t, "note").Attributes(), map[string]any{"jsonrpc.request.id": nil, "error.type": nil})
	if s.client(t, "add").Status().Code == codes.Error {
		t.Error("add failed")
	}
}

// WebSocket: the handshake carries the trace context (ContextWithTraceHeaders),
// and the server spans of the connection's calls link to it, or descend
// from it with WithTrustRemote; a call's own client span is not carried
// (frames have no headers). The server's calls to the client are traced
// by ConnMiddleware as client spans, children of the handler's span, and
// the client's served methods by ServerMiddleware on the client.
func TestWebSocket(t *testing.T) {
	for _, trusted := range []bool{false, true} {
		name := "default"
		if trusted {
			name = "trusted"
		}
		t.Run(name, func(t *testing.T) {
			s := newSDK(t)
			more := []otelrpc.Option{}
			if trusted {
				more = append(more, otelrpc.WithTrustRemote())
			}
			_, ts := newServer(t, s.opts(otelrpc.ConventionsStable, more...),
				server.WithConnMiddlewares(otelrpc.ConnMiddleware(s.opts(otelrpc.ConventionsStable)...)))
			ctx, dialSpan := s.tp.Tracer("test").Start(t.Context(), "dial")
			ctx = otelrpc.ContextWithTraceHeaders(ctx, s.opts(otelrpc.ConventionsStable)...)
			c, err := wsclient.Dial(ctx, wsURL(ts),
				client.WithMiddlewares(otelrpc.ClientMiddleware(s.opts(otelrpc.ConventionsStable)...)),
				wsclient.WithServerOptions(server.WithMiddlewares(otelrpc.ServerMiddleware(s.opts(otelrpc.ConventionsStable)...))),
				wsclient.WithMethods(server.FuncNoParams("whoami", func(context.Context) (string, error) { return "client", nil })))
			dialSpan.End()
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if sum, err := client.CallAs[int](t.Context(), c, "add", AddParams{A: 1, B: 1}); err != nil || sum != 2 {
				t.Fatalf("add = %d, %v", sum, err)
			}
			if who, err := client.CallAs[string](t.Context(), c, "callback", nil); err != nil || who != "client" {
				t.Fatalf("callback = %q, %v", who, err)
			}
			for _, m := range []string{"add", "callback"} {
				srv := s.server(t, m)
				wantAttrs(t, m, srv.Attributes(), map[string]any{"network.protocol.name": "websocket"})
				if trusted {
					if !sameSpan(srv.Parent(), dialSpan.SpanContext()) {
						t.Errorf("%s: parent %v, want the dial span", m, srv.Parent())
					}
				} else if l := srv.Links(); len(l) != 1 || !sameSpan(l[0].SpanContext, dialSpan.SpanContext()) || srv.Parent().IsValid() {
					t.Errorf("%s: links %v, parent %v; want a root linked to the dial span", m, l, srv.Parent())
				}
			}
			// The server's call to the client: a client span under the
			// handler's server span; the client serves it under a server
			// span of its own (no trace context travels in a frame).
			out := s.client(t, "whoami")
			if !sameSpan(out.Parent(), s.server(t, "callback").SpanContext()) {
				t.Errorf("server-to-client call's parent %v, want the callback span", out.Parent())
			}
			wantAttrs(t, "server-to-client call", out.Attributes(), map[string]any{"network.protocol.name": "websocket", "jsonrpc.request.id": "s1"})
			tick := s.client(t, "tick")
			if !sameSpan(tick.Parent(), s.server(t, "callback").SpanContext()) {
				t.Errorf("server-to-client notification's parent %v, want the callback span", tick.Parent())
			}
			wantAttrs(t, "server-to-client notification", tick.Attributes(), map[string]any{"jsonrpc.request.id": nil, "rpc.method": "tick"})
			in := s.server(t, "whoami")
			wantAttrs(t, "served by the client", in.Attributes(), map[string]any{"jsonrpc.request.id": "s1", "rpc.method": "whoami"})
		})
	}
}
