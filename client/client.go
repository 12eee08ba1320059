package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client/internal/clientcore"
	"github.com/schemarpc/schemarpc/internal/callparams"
)

// Client is what every client has: the calling verbs and Close. [NewHTTP]
// returns one over HTTP, package client/wsclient one over WebSocket, and
// [New] one over any [Invoker]. Implementations are safe for concurrent
// use.
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

var _ Client = (*HTTPClient)(nil)

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

// New returns a client that sends every exchange through transport, the
// innermost [Invoker], wrapped by the middlewares of [WithMiddlewares]. It
// suits transports of your own (a test double, an in-process server, a
// message queue); [NewHTTP] and wsclient.Dial are built on it. Close on
// the returned client makes later calls fail with [ErrClosed] and closes
// transport when it is an io.Closer. New fails when an option configures
// one transport only, such as [WithHTTPClient].
func New(transport Invoker, opts ...Option) (Client, error) {
	s := settings(opts)
	if err := checkTransport(s, clientcore.AnyTransport); err != nil {
		return nil, err
	}
	c := &transportClient{transport: transport}
	c.caller.init(s, InvokerFunc(c.roundTrip))
	return c, nil
}

// checkTransport refuses options meant for another transport than t.
func checkTransport(s clientcore.Settings, t clientcore.Transport) error {
	if s.For != clientcore.AnyTransport {
		t = s.For
	}
	if s.HTTPClient != nil && t != clientcore.HTTP {
		return errors.New("client: WithHTTPClient applies to HTTP clients only (use NewHTTP)")
	}
	if len(s.WebSocket) > 0 && t != clientcore.WebSocket {
		return errors.New("client: an option of package wsclient applies to WebSocket clients only (use wsclient.Dial)")
	}
	return nil
}

// transportClient is the client New returns.
type transportClient struct {
	caller
	transport Invoker
	closed    atomic.Bool
}

func (c *transportClient) Close() error {
	if !c.closed.CompareAndSwap(false, true) {
		return nil
	}
	if cl, ok := c.transport.(io.Closer); ok {
		return cl.Close()
	}
	return nil
}

func (c *transportClient) roundTrip(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error) {
	if c.closed.Load() {
		return nil, fmt.Errorf("%w: %w", ErrTransport, ErrClosed)
	}
	return c.transport.Invoke(ctx, reqs, batch)
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

// caller holds what every client shares: the options, the middleware chain
// around the transport, and the calling verbs. Its methods are promoted to
// HTTPClient and transportClient.
type caller struct {
	cfg    clientcore.Settings
	chain  Invoker
	nextID atomic.Int64
}

func (c *caller) init(cfg clientcore.Settings, transport Invoker) {
	c.cfg = cfg
	if c.cfg.IDs == nil {
		c.cfg.IDs = func() schemarpc.ID { return schemarpc.Int64ID(c.nextID.Add(1)) }
	}
	h := transport
	for i := len(cfg.Middlewares) - 1; i >= 0; i-- {
		h = cfg.Middlewares[i](h)
	}
	c.chain = h
}

func (c *caller) invoke(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error) {
	if c.cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
	}
	if err := ctxError(ctx); err != nil {
		return nil, err
	}
	resps, err := c.chain.Invoke(ctx, reqs, batch)
	if err != nil {
		c.cfg.Logger.DebugContext(ctx, "jsonrpc: exchange failed", "requests", len(reqs), "error", err)
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
	raw, err := callparams.Encode(c.cfg.Codec, params)
	if err != nil {
		return nil, fmt.Errorf("client: params of %q: %w", method, err)
	}
	return raw, nil
}

// mapError returns the error a call answered with e returns.
func (c *caller) mapError(e *schemarpc.Error) error {
	if f := c.cfg.ErrorMap[e.Code]; f != nil {
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
	resp, err := c.DirectCall(ctx, &schemarpc.Request{ID: c.cfg.IDs(), Method: method, Params: raw})
	if err != nil {
		return err
	}
	if resp.Error != nil {
		return c.mapError(resp.Error)
	}
	if result == nil {
		return nil
	}
	if err := c.cfg.Codec.Unmarshal(resp.Result, result); err != nil {
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

// Shared with package wsclient.
var (
	errEmptyBatch = clientcore.ErrEmptyBatch
	ctxError      = clientcore.CtxError
	encodePayload = clientcore.EncodePayload
)
