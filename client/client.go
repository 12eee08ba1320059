package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"

	"github.com/schemarpc/schemarpc"
)

// Client is what [HTTPClient] and [WSClient] have in common: the calling
// verbs and Close. Implementations are safe for concurrent use.
type Client interface {
	// Call calls method with params and decodes the result into result,
	// which may be nil to discard it. params may be a struct or map (sent
	// by name), a slice or array (sent by position), a json.RawMessage
	// holding an array or object, or nil (no params).
	Call(ctx context.Context, method string, params, result any) error
	// Notify sends a notification: no id, no answer.
	Notify(ctx context.Context, method string, params any) error
	// Batch sends calls and notifications in one batch and returns the
	// results in request order.
	Batch(ctx context.Context, items ...BatchItem) (*BatchResult, error)
	// BatchNotify sends every item as a notification, in one batch.
	BatchNotify(ctx context.Context, items ...BatchItem) error
	// DirectCall sends req as it is and returns the raw response.
	DirectCall(ctx context.Context, req *schemarpc.Request) (*schemarpc.Response, error)
	// DirectBatch sends reqs as one batch and returns the raw responses.
	DirectBatch(ctx context.Context, reqs []*schemarpc.Request) ([]*schemarpc.Response, error)
	// Close releases the client's resources. Calls made afterwards fail
	// with ErrClosed.
	Close() error
}

var (
	_ Client = (*HTTPClient)(nil)
	_ Client = (*WSClient)(nil)
)

// Invoker sends requests to the server and returns the responses it sent
// back. When batch is false reqs holds exactly one request, sent as a
// single message; when batch is true reqs are sent as one batch. For a call
// (or a batch holding calls) the responses come back as received: a
// middleware sees them before they are matched to the requests by id. A
// notification (or a batch of notifications only) returns no responses.
//
// The innermost Invoker is the transport; [Middleware] wraps it. An Invoker
// must be safe for concurrent use.
type Invoker interface {
	// Invoke sends reqs (one message, or a batch when batch is true) and
	// returns the responses received.
	Invoke(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error)
}

// InvokerFunc adapts a function to an [Invoker]; it is as safe for
// concurrent use as the function is.
type InvokerFunc func(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error)

// Invoke calls f.
func (f InvokerFunc) Invoke(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error) {
	return f(ctx, reqs, batch)
}

// Middleware wraps an [Invoker] (aiohttp-rpc's client middlewares). It runs
// around every exchange, batches included, and may change the requests
// before calling next (replace an element of reqs rather than modifying the
// request it points to: that may belong to the caller of DirectCall) and
// the responses or error after. Register middlewares with
// [WithMiddlewares]. The Invoker a Middleware returns is called from many
// goroutines at once and must be safe for concurrent use.
type Middleware func(next Invoker) Invoker

// Dial returns a client for the endpoint rawURL: an [*HTTPClient] for an
// http:// or https:// URL, a connected [*WSClient] for ws:// or wss://. ctx
// bounds the WebSocket handshake only; it is not kept.
func Dial(ctx context.Context, rawURL string, opts ...Option) (Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	switch u.Scheme {
	case "http", "https":
		return NewHTTP(rawURL, opts...)
	case "ws", "wss":
		return DialWebSocket(ctx, rawURL, opts...)
	}
	return nil, fmt.Errorf("client: unsupported URL scheme %q (want http, https, ws or wss)", u.Scheme)
}

// CallAs calls method on c with params and returns the result decoded as
// an R. It is [Client.Call] with the result type given once:
//
//	diff, err := client.CallAs[float64](ctx, c, "subtract", []int{42, 23})
func CallAs[R any](ctx context.Context, c Client, method string, params any) (R, error) {
	var r R
	err := c.Call(ctx, method, params, &r)
	return r, err
}

type headerKey struct{}

// ContextWithHeader returns a copy of ctx carrying HTTP headers for the
// calls made with it (per-call headers). Its values replace, key by key,
// those set with [WithHeader]; calling it again on the returned context
// adds to the headers already there. WebSocket clients ignore them: their
// headers are sent once, with the handshake.
func ContextWithHeader(ctx context.Context, h http.Header) context.Context {
	merged := http.Header{}
	if prev, ok := ctx.Value(headerKey{}).(http.Header); ok {
		merged = prev.Clone()
	}
	for k, vs := range h {
		k = http.CanonicalHeaderKey(k)
		merged[k] = append(merged[k], vs...)
	}
	return context.WithValue(ctx, headerKey{}, merged)
}

func headerFromContext(ctx context.Context) http.Header {
	h, _ := ctx.Value(headerKey{}).(http.Header)
	return h
}

// caller holds what both clients share: the options, the middleware chain
// around the transport, and the calling verbs. Its methods are promoted to
// HTTPClient and WSClient.
type caller struct {
	cfg    config
	chain  Invoker
	nextID atomic.Int64
}

func (c *caller) init(cfg config, transport Invoker) {
	c.cfg = cfg
	if c.cfg.ids == nil {
		c.cfg.ids = func() schemarpc.ID { return schemarpc.Int64ID(c.nextID.Add(1)) }
	}
	h := transport
	for i := len(cfg.middlewares) - 1; i >= 0; i-- {
		h = cfg.middlewares[i](h)
	}
	c.chain = h
}

func (c *caller) invoke(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error) {
	if c.cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.timeout)
		defer cancel()
	}
	if err := ctxError(ctx); err != nil {
		return nil, err
	}
	resps, err := c.chain.Invoke(ctx, reqs, batch)
	if err != nil {
		// The deadline of WithTimeout is only visible here.
		if cerr := ctxError(ctx); cerr != nil && !errors.Is(err, ErrTimeout) && errors.Is(err, context.DeadlineExceeded) {
			return nil, cerr
		}
		return nil, err
	}
	return resps, nil
}

// encodeParams encodes the params of a call: nil, and values that encode
// as JSON null, mean no params.
func (c *caller) encodeParams(method string, params any) (json.RawMessage, error) {
	raw, err := schemarpc.EncodeParams(c.cfg.codec, params)
	if err != nil {
		return nil, fmt.Errorf("client: params of %q: %w", method, err)
	}
	return raw, nil
}

// mapError returns the error a call answered with e returns.
func (c *caller) mapError(e *schemarpc.Error) error {
	if f := c.cfg.errorMap[e.Code]; f != nil {
		if err := f(e); err != nil {
			return err
		}
	}
	return e
}

// Call calls method with params and decodes the result into result (unless
// result is nil). params may be a struct or map (sent by name), a slice or
// array (sent by position), a json.RawMessage holding an array or object,
// or nil; a value that encodes as JSON null counts as nil.
//
// An error answer comes back as a *schemarpc.Error (errors.Is matches the
// sentinels of package schemarpc by code), or as what the [WithErrorMap]
// function for its code returns. Client-side failures wrap [ErrTimeout],
// [ErrTransport], [ErrEmptyResponse], [ErrInvalidResponse] or are an
// [*HTTPStatusError]; when ctx is canceled the error wraps
// context.Canceled. Call is safe for concurrent use.
func (c *caller) Call(ctx context.Context, method string, params, result any) error {
	raw, err := c.encodeParams(method, params)
	if err != nil {
		return err
	}
	resp, err := c.DirectCall(ctx, &schemarpc.Request{ID: c.cfg.ids(), Method: method, Params: raw})
	if err != nil {
		return err
	}
	if resp.Error != nil {
		return c.mapError(resp.Error)
	}
	if result == nil {
		return nil
	}
	if err := c.cfg.codec.Unmarshal(resp.Result, result); err != nil {
		return fmt.Errorf("client: decoding result of %q: %w", method, err)
	}
	return nil
}

// Notify sends a notification of method with params (see Call for what
// params may be). Over HTTP it returns once the server has accepted it;
// over WebSocket once it is queued for sending. Notify is safe for
// concurrent use.
func (c *caller) Notify(ctx context.Context, method string, params any) error {
	raw, err := c.encodeParams(method, params)
	if err != nil {
		return err
	}
	_, err = c.invoke(ctx, []*schemarpc.Request{{Method: method, Params: raw}}, false)
	return err
}

// DirectCall sends req as it is, through the middlewares, and returns the
// response as received: a server error is in its Error field, not
// returned, and [WithErrorMap] does not apply. A notification returns a nil
// response. A call the server did not answer returns [ErrEmptyResponse].
// DirectCall is safe for concurrent use.
func (c *caller) DirectCall(ctx context.Context, req *schemarpc.Request) (*schemarpc.Response, error) {
	resps, err := c.invoke(ctx, []*schemarpc.Request{req}, false)
	if err != nil || req.IsNotification() {
		return nil, err
	}
	for _, r := range resps {
		if r.ID == req.ID {
			return r, nil
		}
	}
	for _, r := range resps {
		if r.Error != nil { // an error the server could not tie to the request
			return r, nil
		}
	}
	if len(resps) > 0 {
		return nil, fmt.Errorf("%w: response id %s does not match request id %s", ErrInvalidResponse, resps[0].ID, req.ID)
	}
	return nil, fmt.Errorf("%w: no answer to %q (id %s)", ErrEmptyResponse, req.Method, req.ID)
}

// DirectBatch sends reqs as one batch, through the middlewares, and returns
// the responses as received, in no particular order, possibly with
// duplicated ids or ids matching no request. A batch of notifications only
// returns no responses. Most programs use Batch instead. DirectBatch is
// safe for concurrent use.
func (c *caller) DirectBatch(ctx context.Context, reqs []*schemarpc.Request) ([]*schemarpc.Response, error) {
	if len(reqs) == 0 {
		return nil, errEmptyBatch
	}
	return c.invoke(ctx, reqs, true)
}

var errEmptyBatch = errors.New("client: empty batch")
