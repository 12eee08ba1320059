package otelrpc

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	oldconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/server"
)

// Values of error.type for calls that failed in the client, without an
// error answer from the server.
const (
	ErrTypeTimeout         = "timeout"          // client.ErrTimeout, context.DeadlineExceeded
	ErrTypeCanceled        = "canceled"         // context.Canceled
	ErrTypeHTTPStatus      = "http_status"      // *client.HTTPStatusError without a JSON-RPC error
	ErrTypeInvalidResponse = "invalid_response" // client.ErrInvalidResponse
	ErrTypeNoResponse      = "no_response"      // client.ErrEmptyResponse, or no answer in a batch
	ErrTypeTransport       = "transport"        // client.ErrTransport
)

// ClientMiddleware returns a client middleware that traces and measures
// every call and notification the client sends: a CLIENT span named after
// the method, child of the span in the call's context, and a duration
// histogram. Over HTTP it writes the span context into the request's
// headers (client.ContextWithHeader) with the propagator. A batch gets a
// CLIENT span named "jsonrpc batch", the span of its HTTP request: its
// context is the one sent, and the spans of its members are its children.
//
// Over WebSocket nothing is written per call: frames have no headers (see
// the package documentation, and [ContextWithTraceHeaders] for the
// handshake). Install it with client.WithMiddlewares.
func ClientMiddleware(opts ...Option) client.Middleware {
	in := newInstrument(opts, trace.SpanKindClient)
	return func(next client.Invoker) client.Invoker {
		if in.off() {
			return next
		}
		return client.InvokerFunc(func(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error) {
			if !batch && len(reqs) == 1 {
				req := reqs[0]
				if in.skip(ctx, req) {
					return next.Invoke(ctx, reqs, batch)
				}
				ctx, c := in.startCall(ctx, req, nil)
				resps, err := next.Invoke(in.inject(ctx), reqs, batch)
				c.end(ctx, clientOutcome(req, resps, err))
				return resps, err
			}
			return in.batch(ctx, reqs, batch, next)
		})
	}
}

// batch records a batch: a span for the batch, one for each member.
func (in *instrument) batch(ctx context.Context, reqs []*schemarpc.Request, batch bool, next client.Invoker) ([]*schemarpc.Response, error) {
	type member struct {
		req *schemarpc.Request
		c   call
	}
	if in.cfg.filter != nil && !slices.ContainsFunc(reqs, func(r *schemarpc.Request) bool { return !in.skip(ctx, r) }) {
		return next.Invoke(ctx, reqs, batch) // every member filtered out
	}
	var bspan trace.Span
	bctx := ctx
	size := BatchSizeKey.Int(len(reqs))
	if in.tracer != nil {
		attrs := []attribute.KeyValue{size}
		if in.cfg.old() {
			attrs = append(attrs, oldconv.RPCSystemKey.String(systemName))
		}
		if in.cfg.stable() {
			attrs = append(attrs, semconv.RPCSystemNameKey.String(systemName))
		}
		bctx, bspan = in.tracer.Start(ctx, batchSpan, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	}
	members := make([]member, 0, len(reqs))
	for _, req := range reqs {
		if in.skip(ctx, req) {
			continue
		}
		_, c := in.startCall(bctx, req, nil, size)
		members = append(members, member{req, c})
	}
	resps, err := next.Invoke(in.inject(bctx), reqs, batch)
	byID := make(map[schemarpc.ID]*schemarpc.Response, len(resps))
	for _, r := range resps {
		if r != nil && !r.ID.IsZero() && !r.ID.IsNull() {
			if _, dup := byID[r.ID]; !dup {
				byID[r.ID] = r
			}
		}
	}
	for _, m := range members {
		var o outcome
		switch {
		case err != nil:
			o = failure(err)
		case m.req.IsNotification():
		case byID[m.req.ID] == nil:
			o = outcome{errType: ErrTypeNoResponse, message: "no response to the call"}
		case byID[m.req.ID].Error != nil:
			o = errorOutcome(byID[m.req.ID].Error, true)
		}
		m.c.end(bctx, o)
	}
	if bspan != nil {
		if err != nil {
			bspan.SetStatus(codes.Error, err.Error())
		}
		bspan.End()
	}
	return resps, err
}

// inject writes the span context of ctx into the per-call headers.
func (in *instrument) inject(ctx context.Context) context.Context {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return ctx
	}
	h := http.Header{}
	in.cfg.prop.Inject(ctx, propagation.HeaderCarrier(h))
	if len(h) == 0 {
		return ctx
	}
	return client.ContextWithHeader(ctx, h)
}

// ContextWithTraceHeaders returns ctx carrying, as per-call HTTP headers
// (client.ContextWithHeader), the span context of ctx written by the
// propagator of opts (by default the global one). Give it to wsclient.Dial:
// the WebSocket handshake then carries the trace context, and the server
// spans of the connection's calls link to (or, with WithTrustRemote,
// descend from) the span of ctx. HTTP calls through [ClientMiddleware] do
// not need it.
func ContextWithTraceHeaders(ctx context.Context, opts ...Option) context.Context {
	c := newConfig(opts)
	in := &instrument{cfg: c}
	return in.inject(ctx)
}

// clientOutcome describes how the exchange of one request ended.
func clientOutcome(req *schemarpc.Request, resps []*schemarpc.Response, err error) outcome {
	if err != nil {
		return failure(err)
	}
	if req.IsNotification() {
		return outcome{}
	}
	var resp *schemarpc.Response
	for _, r := range resps {
		if r != nil && r.ID == req.ID {
			resp = r
			break
		}
		if r != nil && r.Error != nil && resp == nil {
			resp = r // an error the server could not tie to the call
		}
	}
	switch {
	case resp == nil:
		return outcome{errType: ErrTypeNoResponse, message: "no response to the call"}
	case resp.Error != nil:
		return errorOutcome(resp.Error, true)
	}
	return outcome{}
}

// failure describes a call that failed without a response.
func failure(err error) outcome {
	if e := schemarpc.AsError(err); e != nil { // for example in an HTTP error status
		return errorOutcome(e, true)
	}
	o := outcome{message: err.Error()}
	var se *client.HTTPStatusError
	switch {
	case errors.Is(err, context.Canceled):
		o.errType = ErrTypeCanceled
	case errors.Is(err, client.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		o.errType = ErrTypeTimeout
	case errors.As(err, &se):
		o.errType = ErrTypeHTTPStatus
	case errors.Is(err, client.ErrInvalidResponse):
		o.errType = ErrTypeInvalidResponse
	case errors.Is(err, client.ErrEmptyResponse):
		o.errType = ErrTypeNoResponse
	case errors.Is(err, client.ErrTransport), errors.Is(err, schemarpc.ErrConnClosed):
		o.errType = ErrTypeTransport
	default:
		o.errType = otherMethod // "_OTHER", the conventions' fallback
	}
	return o
}

// ConnMiddleware returns a server connection middleware that traces and
// measures the calls and notifications the server sends to its WebSocket
// clients (server.Conn.Call, server.Notify, …) as a client does: a CLIENT
// span named after the method, child of the span in the context given
// (the server span of the handler making the call, typically), and the
// client duration histogram. Install it with server.WithConnMiddlewares.
func ConnMiddleware(opts ...Option) server.ConnMiddleware {
	in := newInstrument(opts, trace.SpanKindClient)
	return func(next server.ConnInvoker) server.ConnInvoker {
		if in.off() {
			return next
		}
		return server.ConnInvokerFunc(func(ctx context.Context, req *schemarpc.Request) (*schemarpc.Response, error) {
			if in.skip(ctx, req) {
				return next.InvokeConn(ctx, req)
			}
			ctx, c := in.startCall(ctx, req, nil, semconv.NetworkProtocolName("websocket"))
			resp, err := next.InvokeConn(ctx, req)
			var resps []*schemarpc.Response
			if resp != nil {
				resps = []*schemarpc.Response{resp}
			}
			c.end(ctx, clientOutcome(req, resps, err))
			return resp, err
		})
	}
}
