package wsclient

import (
	"context"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/internal/clientcore"
	"github.com/schemarpc/schemarpc/server"
)

// config holds the settings of the options of this package.
type config struct {
	dialer       *websocket.Dialer
	methods      []*server.Method
	serverOpts   []server.Option
	onNotify     func(context.Context, *schemarpc.Request)
	onUnmatched  func(*schemarpc.Response)
	reconnect    *Backoff
	pingInterval time.Duration
	concurrency  int
}

// option is a WebSocket-only client.Option: it is recorded among the
// settings for Dial to apply, and makes other constructors fail.
type option func(*config)

func (o option) Apply(s *clientcore.Settings) { s.WebSocket = append(s.WebSocket, o) }

// forWebSocket tells client.New that the WebSocket options are expected.
var forWebSocket = settingsOption(func(s *clientcore.Settings) { s.For = clientcore.WebSocket })

type settingsOption func(*clientcore.Settings)

func (o settingsOption) Apply(s *clientcore.Settings) { o(s) }

// WithDialer sets the dialer the client connects with. The default (and a
// nil d) is websocket.DefaultDialer.
func WithDialer(d *websocket.Dialer) client.Option {
	return option(func(c *config) { c.dialer = d })
}

// WithMethods registers methods that the client serves to the server,
// which can call them with server.Conn.Call or notify them. They are
// registered on a [server.Server] the client holds, so registration rules,
// schema validation and dispatch are the server package's. More can be
// added later with [Client.Add]. A client serves no methods by default.
func WithMethods(methods ...*server.Method) client.Option {
	return option(func(c *config) { c.methods = append(c.methods, methods...) })
}

// WithServerOptions configures the [server.Server] that serves the methods
// of the client (its middlewares, validation, logger, …). By default the
// client passes only its codec and logger.
func WithServerOptions(opts ...server.Option) client.Option {
	return option(func(c *config) { c.serverOpts = append(c.serverOpts, opts...) })
}

// WithNotificationHandler sets the function that receives the
// notifications the server sends for methods the client does not serve
// (for example the demo's tick). Notifications for methods registered with
// [WithMethods] or [Client.Add] go to those methods instead.
//
// Notifications are handled one at a time, in the order they arrived, on a
// goroutine of the connection; answers to calls are routed at once, so f may
// run after the answer of the call that caused the notifications. Keep f
// short: while it runs, later notifications wait in a queue of 256 frames.
// When the queue is full the connection stops reading (the server is slowed
// down) while no call of the client waits for its answer; while one does
// (f may call the server), answers come first and the oldest queued frame
// is dropped instead, counted by [Client.DroppedNotifications]. After a
// close handshake the notifications already received are still handled, for
// up to 5 seconds. The request, including its Params, is valid only until f
// returns.
// By default (and with a nil f) such notifications are dropped.
func WithNotificationHandler(f func(ctx context.Context, n *schemarpc.Request)) client.Option {
	return option(func(c *config) { c.onNotify = f })
}

// WithUnmatchedHandler sets the function that receives responses arriving
// on the connection that match no pending call: answers to calls that
// already timed out, duplicates, and errors with a null id. f runs on the
// connection's reader goroutine and must not block. By default (and with a
// nil f) they are dropped. (Over HTTP, such responses are reported by
// client.BatchResult.)
func WithUnmatchedHandler(f func(*schemarpc.Response)) client.Option {
	return option(func(c *config) { c.onUnmatched = f })
}

// WithPingInterval makes the client ping the server every d and drop the
// connection when nothing (not even a pong) arrives for 2×d; the calls
// pending on it then fail with client.ErrTransport. d <= 0 (the default)
// sends no pings; the server's own pings are answered either way.
func WithPingInterval(d time.Duration) client.Option {
	return option(func(c *config) { c.pingInterval = d })
}

// DefaultConnConcurrency is how many request frames from the server the
// client serves at once (see WithConnConcurrency).
const DefaultConnConcurrency = 16

// WithConnConcurrency bounds how many request frames from the server the
// client serves at once, as server.WithConnConcurrency does for a server's
// connections: up to 16×n more wait their turn, further ones are answered
// with CodeOverloaded. n <= 0 removes the bound; the default is
// DefaultConnConcurrency.
func WithConnConcurrency(n int) client.Option {
	return option(func(c *config) { c.concurrency = n })
}

// Backoff says how the client redials a lost connection. Its zero value is
// usable: every zero field takes the default its documentation gives. It is
// a plain value; the client keeps its own copy.
type Backoff struct {
	// Initial is the pause after the first failed dial. Zero means 100ms.
	Initial time.Duration
	// Max caps the pause between dials. Zero means 5s.
	Max time.Duration
	// Multiplier grows the pause after each failed dial. Values below 1
	// (zero included) mean 2.
	Multiplier float64
	// Attempts is how many dials one reconnection tries before giving up;
	// calls waiting for it then fail with client.ErrTransport, and the next
	// call starts a new reconnection. Zero (or less) means 10.
	Attempts int
}

func (b Backoff) withDefaults() Backoff {
	if b.Initial <= 0 {
		b.Initial = 100 * time.Millisecond
	}
	if b.Max <= 0 {
		b.Max = 5 * time.Second
	}
	if b.Multiplier < 1 {
		b.Multiplier = 2
	}
	if b.Attempts <= 0 {
		b.Attempts = 10
	}
	return b
}

// WithReconnect makes the client redial when its connection is lost.
// Calls in flight when the connection drops still fail at once with
// client.ErrTransport; calls made afterwards wait (within their context)
// for a new connection, dialed in the background with the given backoff;
// jitter of up to ±20% is added to each pause. Without this option (the
// default) every call after a connection loss fails with
// client.ErrTransport.
func WithReconnect(b Backoff) client.Option {
	return option(func(c *config) {
		b = b.withDefaults()
		c.reconnect = &b
	})
}
