package server

import (
	"context"

	"github.com/schemarpc/schemarpc"
)

// ConnInvoker sends one request of the server to the client of a WebSocket
// connection: a call, whose response it returns, or a notification, for
// which it returns a nil response once the frame is queued. [Conn.Call],
// [Conn.Notify] and the package functions [Call] and [Notify] go through
// it. The innermost ConnInvoker writes to the connection; a
// [ConnMiddleware] wraps it.
type ConnInvoker interface {
	InvokeConn(ctx context.Context, req *schemarpc.Request) (*schemarpc.Response, error)
}

// ConnInvokerFunc adapts a function to a [ConnInvoker].
type ConnInvokerFunc func(ctx context.Context, req *schemarpc.Request) (*schemarpc.Response, error)

// InvokeConn calls f.
func (f ConnInvokerFunc) InvokeConn(ctx context.Context, req *schemarpc.Request) (*schemarpc.Response, error) {
	return f(ctx, req)
}

// ConnMiddleware wraps the [ConnInvoker] of a WebSocket connection: it runs
// around every call and notification the server sends to a client (the
// counterpart of [Middleware], which runs around the calls the server
// receives). It may read or replace the request (replace it rather than
// modify it: it belongs to the caller) and the response or error. The
// context is the one given to Conn.Call or Conn.Notify; the connection is
// available as [ConnFromContext] only when that context is a handler's.
// The ConnInvoker it returns is called from many goroutines at once.
type ConnMiddleware func(next ConnInvoker) ConnInvoker

// WithConnMiddlewares appends middlewares around every call and
// notification the server sends over its WebSocket connections. The first
// middleware given is the outermost; nil entries are skipped. There are
// none by default.
func WithConnMiddlewares(mws ...ConnMiddleware) Option {
	return optionFunc(func(c *config) {
		for _, m := range mws {
			if m != nil {
				c.connMiddlewares = append(c.connMiddlewares, m)
			}
		}
	})
}

// connChain returns the ConnInvoker of c: its transmit wrapped by the
// connection middlewares, or nil when there are none.
func (s *Server) connChain(c *Conn) ConnInvoker {
	if len(s.cfg.connMiddlewares) == 0 {
		return nil
	}
	var h ConnInvoker = ConnInvokerFunc(c.transmit)
	for i := len(s.cfg.connMiddlewares) - 1; i >= 0; i-- {
		h = s.cfg.connMiddlewares[i](h)
	}
	return h
}

// send sends req through the connection middlewares.
func (c *Conn) send(ctx context.Context, req *schemarpc.Request) (*schemarpc.Response, error) {
	if c.out != nil {
		return c.out.InvokeConn(ctx, req)
	}
	return c.transmit(ctx, req)
}

// transmit writes req to the connection and, for a call, waits for its
// response.
func (c *Conn) transmit(ctx context.Context, req *schemarpc.Request) (*schemarpc.Response, error) {
	if req.IsNotification() {
		frame, err := req.AppendJSON(nil)
		if err != nil {
			return nil, err
		}
		return nil, c.peer.Send(ctx, frame)
	}
	return c.peer.Call(ctx, req)
}
