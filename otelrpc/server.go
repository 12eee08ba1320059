package otelrpc

import (
	"context"
	"net"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/server"
)

// ServerMiddleware returns a server middleware that traces and measures
// every call the server receives, over HTTP and WebSocket, batch members
// and notifications included: a SERVER span named after the method and a
// duration histogram (see the package documentation for their attributes).
//
// The parent of the span is, in this order: a span of this process already
// in the call's context (for example the HTTP server span of otelhttp
// wrapping the server); else the span context the caller sent in the
// headers of the HTTP request (for a WebSocket call, of the upgrade
// request), which the span links to and, with [WithTrustRemote], descends
// from; else none (a new trace).
//
// Install it with server.WithMiddlewares; put it first so that it
// measures the other middlewares too.
func ServerMiddleware(opts ...Option) server.Middleware {
	in := newInstrument(opts, trace.SpanKindServer)
	return func(next server.Handler) server.Handler {
		if in.off() {
			return next
		}
		return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
			if in.skip(ctx, req) {
				return next.ServeRPC(ctx, req)
			}
			return in.serve(ctx, req, next)
		})
	}
}

func (in *instrument) serve(ctx context.Context, req *schemarpc.Request, next server.Handler) (result any, err error) {
	var extra []attribute.KeyValue
	var opts []trace.SpanStartOption
	parent := ctx
	if in.tracer != nil {
		parent, opts = in.serverParent(ctx)
		extra = in.serverAttributes(ctx)
	}
	ctx, c := in.startCall(parent, req, opts, extra...)
	ended := false
	defer func() {
		if !ended { // the handler panicked: the server answers -32603
			c.end(ctx, outcome{code: schemarpc.CodeInternalError, message: "handler panicked", answered: !c.notify})
		}
	}()
	result, err = next.ServeRPC(ctx, req)
	ended = true
	c.end(ctx, serverOutcome(err, !c.notify))
	return result, err
}

// serverOutcome describes the answer the server sends for err.
func serverOutcome(err error, answered bool) outcome {
	if err == nil {
		return outcome{}
	}
	if e := schemarpc.AsError(err); e != nil {
		return errorOutcome(e, answered)
	}
	return outcome{code: schemarpc.CodeOf(err), message: err.Error(), answered: answered}
}

// serverParent returns the parent context of a server span and the
// options that link it to the caller's span.
func (in *instrument) serverParent(ctx context.Context) (context.Context, []trace.SpanStartOption) {
	sc := trace.SpanContextFromContext(ctx)
	if sc.IsValid() && !sc.IsRemote() {
		return ctx, nil // a span of this process, such as otelhttp's
	}
	remote := ctx
	if r := server.RequestFromContext(ctx); r != nil {
		remote = in.cfg.prop.Extract(ctx, propagation.HeaderCarrier(r.Header))
	}
	rsc := trace.SpanContextFromContext(remote)
	if !rsc.IsValid() {
		return ctx, nil
	}
	if in.cfg.trustRemote {
		return remote, nil
	}
	return ctx, []trace.SpanStartOption{trace.WithNewRoot(), trace.WithLinks(trace.Link{SpanContext: rsc})}
}

// serverAttributes returns the attributes a server span gets from the
// call's context: transport, batch size and, on request, peer address.
func (in *instrument) serverAttributes(ctx context.Context) []attribute.KeyValue {
	var attrs []attribute.KeyValue
	r := server.RequestFromContext(ctx)
	switch {
	case server.ConnFromContext(ctx) != nil:
		attrs = append(attrs, semconv.NetworkProtocolName("websocket"))
	case r != nil:
		attrs = append(attrs, semconv.NetworkProtocolName("http"))
	}
	if n := server.BatchSizeFromContext(ctx); n > 0 {
		attrs = append(attrs, BatchSizeKey.Int(n))
	}
	if in.cfg.peerAddress && r != nil {
		if host, port, err := net.SplitHostPort(r.RemoteAddr); err == nil {
			attrs = append(attrs, semconv.NetworkPeerAddress(host))
			if p, err := strconv.Atoi(port); err == nil {
				attrs = append(attrs, semconv.NetworkPeerPort(p))
			}
		}
	}
	return attrs
}
