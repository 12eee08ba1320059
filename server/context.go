package server

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
)

type ctxKey int

const (
	requestKey ctxKey = iota
	connKey
)

// RequestFromContext returns the HTTP request that carried the call: the
// POST for HTTP calls, the upgrade request for WebSocket calls. It returns
// nil outside a call served over HTTP or WebSocket. It replaces aiohttp-rpc's
// pass_extra_kwargs/rpc_request.
func RequestFromContext(ctx context.Context) *http.Request {
	if hc := httpCallFromContext(ctx); hc != nil {
		return hc.req
	}
	return nil
}

// httpCall is what the context of a call carries about its HTTP request.
type httpCall struct {
	req     *http.Request
	aborted atomic.Bool // a handler panicked with http.ErrAbortHandler
}

func httpCallFromContext(ctx context.Context) *httpCall {
	hc, _ := ctx.Value(requestKey).(*httpCall)
	return hc
}

// ConnFromContext returns the WebSocket connection that carried the call,
// or nil for calls over HTTP.
func ConnFromContext(ctx context.Context) *Conn {
	c, _ := ctx.Value(connKey).(*Conn)
	return c
}

// ErrNoConnection is returned by [Notify] and [Call] when the call did not
// arrive over a WebSocket connection.
var ErrNoConnection = errors.New("server: the call has no WebSocket connection")

// Notify sends a notification to the WebSocket connection that carried the
// current call. Over HTTP it returns ErrNoConnection.
func Notify(ctx context.Context, method string, params any) error {
	c := ConnFromContext(ctx)
	if c == nil {
		return ErrNoConnection
	}
	return c.Notify(ctx, method, params)
}

// Call calls a method served by the client on the WebSocket connection that
// carried the current call and decodes its result into result (which may be
// nil). Over HTTP it returns ErrNoConnection.
func Call(ctx context.Context, method string, params, result any) error {
	c := ConnFromContext(ctx)
	if c == nil {
		return ErrNoConnection
	}
	return c.Call(ctx, method, params, result)
}

func withRequest(ctx context.Context, r *http.Request) (context.Context, *httpCall) {
	hc := &httpCall{req: r}
	return context.WithValue(ctx, requestKey, hc), hc
}
