package wsclient

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/internal/clientcore"
	"github.com/schemarpc/schemarpc/internal/serverlink"
	"github.com/schemarpc/schemarpc/internal/wspeer"
	"github.com/schemarpc/schemarpc/server"
)

// closeTimeout bounds the close handshake of [Client.Close].
const closeTimeout = 2 * time.Second

// Client calls a JSON-RPC server over one WebSocket connection and
// serves methods to it. Any number of calls may run at once: they are
// multiplexed on the connection by id; one goroutine reads, and each frame
// is written by the goroutine that made it. When the connection is lost
// every pending call fails at once with an error matching both
// [client.ErrTransport] and [schemarpc.ErrConnClosed].
//
// The server can call the methods registered with [WithMethods] or
// [Client.Add] and send notifications, which go to those methods or to
// the [WithNotificationHandler] function.
//
// Over WebSocket an answer that carries no usable id, such as the single
// -32600 error a server sends for a batch larger than it accepts, cannot be
// tied to a call: it goes to the [WithUnmatchedHandler] function, and the
// call or batch waits until its context ends (use client.WithTimeout).
//
// A Client is safe for concurrent use. It implements [client.Client].
type Client struct {
	calls   client.Client // the calling verbs, over roundTrip
	cfg     clientcore.Settings
	ws      config
	handler wspeer.Handler // the methods served, by srv
	url     string
	dialer  *websocket.Dialer
	srv     *server.Server

	regMu sync.Mutex                          // serialises Add
	names atomic.Pointer[map[string]struct{}] // methods served

	base   context.Context // parent of handler contexts; canceled by Close
	cancel context.CancelFunc

	mu      sync.Mutex
	peer    *wspeer.Peer  // current connection
	closed  bool          // Close was called
	dialing chan struct{} // closed when the reconnection under way ends
	dialErr error         // why the last reconnection failed
	wg      sync.WaitGroup
	dropped atomic.Uint64 // notifications never handled, over every connection
	subs    subTable      // subscriptions (subscribe.go)
}

type clientKey struct{}

// FromContext returns the WebSocket client whose connection carried the
// call or notification being handled, so that a method the client serves
// can call the server back. It returns nil in any other context.
func FromContext(ctx context.Context) *Client {
	c, _ := ctx.Value(clientKey{}).(*Client)
	return c
}

var _ client.Client = (*Client)(nil)

// Dial connects to rawURL, a ws:// or wss:// URL, and returns a client
// serving the connection. It takes the options of package client (except
// client.WithHTTPClient, which makes it fail) and those of this package.
// ctx bounds the handshake only, and so does client.WithTimeout when set
// (every handshake, reconnections too); the headers client.ContextWithHeader
// put on ctx are sent with that first handshake (after those of
// client.WithHeader, which every handshake sends). A refused handshake returns an
// error matching [client.ErrTransport] and, when the server answered with
// an HTTP status other than 101, wrapping a [*client.HTTPStatusError]; a
// 101 answer that is not a valid WebSocket handshake says what is wrong
// with it.
func Dial(ctx context.Context, rawURL string, opts ...client.Option) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("wsclient: %w", err)
	}
	if u.Scheme != "ws" && u.Scheme != "wss" {
		return nil, fmt.Errorf("wsclient: Dial needs a ws or wss URL, got %q", rawURL)
	}
	opts = append(opts[:len(opts):len(opts)], forWebSocket)
	c := &Client{url: rawURL, cfg: clientcore.Defaults(), ws: config{concurrency: DefaultConnConcurrency}}
	for _, o := range opts {
		if o != nil {
			o.Apply(&c.cfg)
		}
	}
	for _, o := range c.cfg.WebSocket {
		o.(option)(&c.ws)
	}
	calls, err := client.New(client.InvokerFunc(c.roundTrip), opts...)
	if err != nil {
		return nil, err
	}
	c.calls = calls
	c.dialer = c.ws.dialer
	if c.dialer == nil {
		c.dialer = websocket.DefaultDialer
	}
	srvOpts := append([]server.Option{server.WithCodec(c.cfg.Codec), server.WithLogger(c.cfg.Logger)}, c.ws.serverOpts...)
	c.srv = server.New(srvOpts...)
	c.handler = serverlink.PeerHandler(c.srv)
	if err := c.Add(c.ws.methods...); err != nil {
		return nil, err
	}
	c.base, c.cancel = context.WithCancel(context.WithValue(context.Background(), clientKey{}, c))
	ws, err := c.dial(ctx)
	if err != nil {
		c.cancel()
		return nil, err
	}
	c.peer = c.start(ws)
	return c, nil
}

// URL returns the endpoint the client connects to.
func (c *Client) URL() string { return c.url }

// Add registers more methods for the server to call, as [WithMethods]
// does; it may be called while the connection serves. It fails, adding
// none of them, for the reasons [server.Server.Add] gives.
func (c *Client) Add(methods ...*server.Method) error {
	c.regMu.Lock()
	defer c.regMu.Unlock()
	if err := c.srv.Add(methods...); err != nil {
		return fmt.Errorf("wsclient: %w", err)
	}
	names := make(map[string]struct{})
	for _, n := range c.srv.Methods() {
		names[n] = struct{}{}
	}
	c.names.Store(&names)
	return nil
}

// Pending returns the number of calls of the current connection waiting
// for their response. A call whose context ends is removed at once.
func (c *Client) Pending() int {
	c.mu.Lock()
	p := c.peer
	c.mu.Unlock()
	return p.Pending()
}

// DroppedNotifications returns how many notifications from the server,
// over all of the client's connections, were read but never handled (see
// [WithNotificationHandler]). Each drop is also logged at warning level.
func (c *Client) DroppedNotifications() uint64 { return c.dropped.Load() }

// Close closes the connection with status 1000 (normal closure) after the
// frame being written, if any, waiting up to 2 seconds for the close handshake,
// and returns once every goroutine of the client has ended: the
// notifications already received are handled first, for up to 5 seconds. Calls still
// pending fail with [client.ErrTransport]; later calls fail with [client.ErrClosed].
// Close is idempotent and safe for concurrent use.
func (c *Client) Close() error {
	c.mu.Lock()
	first := !c.closed
	c.closed = true
	p := c.peer
	c.mu.Unlock()
	if first {
		c.cancel() // stops a reconnection under way
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		p.Close(ctx, websocket.CloseNormalClosure, "")
		cancel()
	}
	c.wg.Wait()
	c.srv.Close() // the goroutines it keeps for batches of served calls
	return nil
}

// dial makes one WebSocket connection, within the client.WithTimeout
// duration when one is set.
func (c *Client) dial(ctx context.Context) (*websocket.Conn, error) {
	ctx, cancel := c.handshakeContext(ctx)
	defer cancel()
	ws, resp, err := c.dialer.DialContext(ctx, c.url, handshakeHeader(ctx, c.cfg.Header))
	if err == nil {
		return ws, nil
	}
	if cerr := handshakeTimeout(ctx, err); cerr != nil {
		return nil, cerr
	}
	if resp != nil {
		return nil, handshakeError(resp, err)
	}
	return nil, fmt.Errorf("%w: %w", client.ErrTransport, err)
}

// start runs a peer over ws until the connection ends.
func (c *Client) start(ws *websocket.Conn) *wspeer.Peer {
	p := wspeer.New(ws, wsHandler{c}, wspeer.Config{
		PingInterval: c.ws.pingInterval,
		ReadLimit:    c.cfg.ReadLimit,
		MaxInFlight:  c.ws.concurrency,
		Logger:       c.cfg.Logger,
		OnUnmatched:  c.ws.onUnmatched,
		Dropped:      &c.dropped,
	})
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		err := p.Run(c.base)
		c.subs.dropPeer(p)
		c.cfg.Logger.Debug("jsonrpc: websocket client connection closed", "url", c.url, "cause", err)
	}()
	return p
}

// currentPeer returns the connection to send on, waiting for a
// reconnection when the connection was lost and WithReconnect is set.
func (c *Client) currentPeer(ctx context.Context) (*wspeer.Peer, error) {
	for {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return nil, fmt.Errorf("%w: %w: %w", client.ErrTransport, client.ErrClosed, schemarpc.ErrConnClosed)
		}
		p := c.peer
		select {
		case <-p.Done():
		default:
			c.mu.Unlock()
			return p, nil
		}
		if c.ws.reconnect == nil {
			c.mu.Unlock()
			// Checked here because Peer.Send may still queue a frame on a
			// connection that has ended.
			return nil, fmt.Errorf("%w: %w", schemarpc.ErrConnClosed, p.Err())
		}
		ch := c.dialing
		if ch == nil {
			ch = make(chan struct{})
			c.dialing = ch
			c.wg.Add(1)
			go c.redial(ch)
		}
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, clientcore.CtxError(ctx)
		}
		c.mu.Lock()
		failed, err := c.peer == p, c.dialErr
		c.mu.Unlock()
		if failed && err != nil {
			return nil, fmt.Errorf("%w: reconnecting: %w", schemarpc.ErrConnClosed, err)
		}
	}
}

// redial dials until a connection is made, the attempts run out or the
// client closes, then closes ch.
func (c *Client) redial(ch chan struct{}) {
	defer c.wg.Done()
	defer close(ch)
	b := *c.ws.reconnect
	pause := b.Initial
	var err error
	for attempt := 1; ; attempt++ {
		var ws *websocket.Conn
		if ws, err = c.dial(c.base); err == nil {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.dialing = nil
			if c.closed {
				ws.Close()
				c.dialErr = client.ErrClosed
				return
			}
			c.peer, c.dialErr = c.start(ws), nil
			return
		}
		c.cfg.Logger.Debug("jsonrpc: websocket client redial failed", "url", c.url, "attempt", attempt, "error", err)
		if attempt >= b.Attempts {
			break
		}
		t := time.NewTimer(jitter(pause))
		select {
		case <-t.C:
		case <-c.base.Done():
			t.Stop()
			err = client.ErrClosed
		}
		if errors.Is(err, client.ErrClosed) {
			break
		}
		pause = min(time.Duration(float64(pause)*b.Multiplier), b.Max)
	}
	c.mu.Lock()
	c.dialing, c.dialErr = nil, err
	c.mu.Unlock()
}

// jitter returns d changed by up to ±20%.
func jitter(d time.Duration) time.Duration {
	return d + time.Duration((rand.Float64()*0.4-0.2)*float64(d))
}

// roundTrip is the transport: one frame per payload over the current
// connection.
func (c *Client) roundTrip(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error) {
	p, err := c.currentPeer(ctx)
	if err != nil {
		return nil, wsError(ctx, err)
	}
	if !batch && len(reqs) == 1 && !reqs[0].IsNotification() {
		resp, err := p.Call(ctx, reqs[0])
		if err != nil {
			return nil, wsError(ctx, err)
		}
		return []*schemarpc.Response{resp}, nil
	}
	frame, err := clientcore.EncodePayload(reqs, batch)
	if err != nil {
		return nil, err
	}
	var ids []schemarpc.ID
	for _, r := range reqs {
		if !r.IsNotification() {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil, wsError(ctx, p.Send(ctx, frame))
	}
	resps, err := p.Batch(ctx, frame, ids)
	if err != nil {
		return nil, wsError(ctx, err)
	}
	return resps, nil
}

// wsError classifies an error of the peer: the end of ctx, a lost
// connection (client.ErrTransport), or an error of the call itself (as it is).
func wsError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if cerr := clientcore.CtxError(ctx); cerr != nil {
		return cerr
	}
	if errors.Is(err, schemarpc.ErrConnClosed) && !errors.Is(err, client.ErrTransport) {
		return fmt.Errorf("%w: %w", client.ErrTransport, err)
	}
	return err
}

// wsHandler serves the requests the server sends: notifications for
// methods not served go to the notification handler, everything else to
// the client's server.Server.
type wsHandler struct{ c *Client }

func (h wsHandler) ServeMessages(ctx context.Context, msgs []schemarpc.Message, batch bool) []byte {
	if msgs = h.c.subs.route(msgs); len(msgs) == 0 {
		return nil
	}
	if f := h.c.ws.onNotify; f != nil {
		names := *h.c.names.Load()
		divert := func(m *schemarpc.Message) bool {
			if r := m.Request; r != nil && r.IsNotification() {
				_, served := names[r.Method]
				return !served
			}
			return false
		}
		n := 0
		for i := range msgs {
			if divert(&msgs[i]) {
				n++
			}
		}
		if n > 0 {
			rest := make([]schemarpc.Message, 0, len(msgs)-n)
			for i := range msgs {
				if divert(&msgs[i]) {
					f(ctx, msgs[i].Request)
				} else {
					rest = append(rest, msgs[i])
				}
			}
			if len(rest) == 0 {
				return nil
			}
			msgs = rest
		}
	}
	return h.c.handler.ServeMessages(ctx, msgs, batch)
}

func (h wsHandler) ServeError(e *schemarpc.Error) []byte { return h.c.handler.ServeError(e) }
