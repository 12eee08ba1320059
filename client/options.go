package client

import (
	"context"
	"log/slog"
	"maps"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/server"
)

// Option configures a client. Options are applied by [Dial], [NewHTTP] and
// [DialWebSocket] in order; the configuration is frozen once they return.
// Options that concern only one transport are ignored by the other, as
// their documentation says. An Option is an immutable value and may be
// shared by clients created concurrently.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	httpClient  *http.Client
	dialer      *websocket.Dialer
	header      http.Header
	timeout     time.Duration
	ids         func() schemarpc.ID
	codec       schemarpc.Codec
	middlewares []Middleware
	errorMap    map[schemarpc.Code]func(*schemarpc.Error) error
	logger      *slog.Logger

	// WebSocket only.
	methods      []*server.Method
	serverOpts   []server.Option
	onNotify     func(context.Context, *schemarpc.Request)
	onUnmatched  func(*schemarpc.Response)
	reconnect    *Backoff
	pingInterval time.Duration
	readLimit    int64
	inFlight     int
}

func newConfig(opts []Option) config {
	c := config{
		codec:  schemarpc.JSONCodec{},
		header: http.Header{},
		logger: slog.New(slog.DiscardHandler),

		readLimit: DefaultReadLimit,
		inFlight:  DefaultConcurrency,
	}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}

// WithOptions bundles several options into one.
func WithOptions(opts ...Option) Option {
	return optionFunc(func(c *config) {
		for _, o := range opts {
			if o != nil {
				o.apply(c)
			}
		}
	})
}

// WithHTTPClient sets the *http.Client an HTTP client posts with. The
// caller keeps ownership: Close leaves it alone. By default (and when hc is
// nil) each client gets its own http.Client over a clone of
// http.DefaultTransport, whose idle connections Close closes. WebSocket
// clients ignore this option.
func WithHTTPClient(hc *http.Client) Option {
	return optionFunc(func(c *config) { c.httpClient = hc })
}

// WithDialer sets the dialer a WebSocket client connects with. The default
// (and a nil d) is websocket.DefaultDialer. HTTP clients ignore this option.
func WithDialer(d *websocket.Dialer) Option {
	return optionFunc(func(c *config) { c.dialer = d })
}

// WithHeader adds a header sent with every HTTP request, or with the
// WebSocket handshake (and so, once, for the whole connection). It may be
// given several times; values accumulate. For per-call headers over HTTP
// use [ContextWithHeader]. There are no extra headers by default; an HTTP
// client always sends Content-Type and Accept: application/json.
func WithHeader(key, value string) Option {
	return optionFunc(func(c *config) { c.header.Add(key, value) })
}

// WithHeaders adds every value of h, as [WithHeader] does.
func WithHeaders(h http.Header) Option {
	return optionFunc(func(c *config) {
		for k, vs := range h {
			for _, v := range vs {
				c.header.Add(k, v)
			}
		}
	})
}

// WithTimeout bounds every call, notification and batch: each runs under a
// context with this timeout, on top of whatever deadline the caller's
// context has. A call that runs out of time fails with an error matching
// both [ErrTimeout] and context.DeadlineExceeded. It bounds each WebSocket
// handshake too (see [DialWebSocket]). d <= 0 (the default) sets no
// timeout; use a context deadline for one call.
func WithTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) { c.timeout = d })
}

// WithIDGenerator sets the function that gives each call its id. It must
// be safe for concurrent use and never return the same id twice while the
// calls are pending. The default (and a nil gen) numbers calls 1, 2, 3, …
// per client; [RandomUUID] gives UUID strings as aiohttp-rpc does.
func WithIDGenerator(gen func() schemarpc.ID) Option {
	return optionFunc(func(c *config) { c.ids = gen })
}

// WithCodec sets the codec that encodes params and decodes results (and,
// for a WebSocket client, is passed on to the methods it serves). The
// default (and a nil codec) is encoding/json. The JSON-RPC envelope is
// always encoded by package schemarpc.
func WithCodec(codec schemarpc.Codec) Option {
	return optionFunc(func(c *config) {
		if codec != nil {
			c.codec = codec
		}
	})
}

// WithMiddlewares appends middlewares around every exchange with the
// server. The first middleware given is the outermost; nil entries are
// skipped. There are none by default.
func WithMiddlewares(mws ...Middleware) Option {
	return optionFunc(func(c *config) {
		for _, m := range mws {
			if m != nil {
				c.middlewares = append(c.middlewares, m)
			}
		}
	})
}

// WithErrorMap maps error codes to application errors (aiohttp-rpc's
// error_map). When a call, or a member of a batch, is answered with an
// error whose code is in m, the function's result is returned instead of
// the *schemarpc.Error; a function returning nil leaves the *schemarpc.Error
// as it is. Maps given several times are merged, later entries winning. The
// default is no mapping. The Direct forms return raw responses and are not
// affected.
func WithErrorMap(m map[schemarpc.Code]func(*schemarpc.Error) error) Option {
	return optionFunc(func(c *config) {
		if c.errorMap == nil {
			c.errorMap = make(map[schemarpc.Code]func(*schemarpc.Error) error, len(m))
		}
		maps.Copy(c.errorMap, m)
	})
}

// WithLogger sets the logger of a WebSocket client's connection events and
// served methods. The default (and a nil l) discards everything. HTTP
// clients log nothing.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *config) {
		if l != nil {
			c.logger = l
		}
	})
}

// WithMethods registers methods that a WebSocket client serves to the
// server, which can call them with server.Conn.Call or notify them. They
// are registered on a [server.Server] the client holds, so registration
// rules, schema validation and dispatch are the server package's. More can
// be added later with [WSClient.Add]. A client serves no methods by
// default. HTTP clients ignore this option.
func WithMethods(methods ...*server.Method) Option {
	return optionFunc(func(c *config) { c.methods = append(c.methods, methods...) })
}

// WithServerOptions configures the [server.Server] that serves the methods
// of a WebSocket client (its middlewares, validation, logger, …). By default
// the client passes only its codec and logger. HTTP clients ignore this
// option.
func WithServerOptions(opts ...server.Option) Option {
	return optionFunc(func(c *config) { c.serverOpts = append(c.serverOpts, opts...) })
}

// WithNotificationHandler sets the function that receives the
// notifications the server sends to a WebSocket client for methods the
// client does not serve (for example the demo's tick). Notifications for
// methods registered with [WithMethods] or [WSClient.Add] go to those
// methods instead.
//
// Notifications are handled one at a time, in the order they arrived, on a
// goroutine of the connection; answers to calls are routed at once, so f may
// run after the answer of the call that caused the notifications. Keep f
// short: while it runs, later notifications wait (up to 256 frames, then
// the connection stops reading). f may call the server. The request,
// including its Params, is valid only until f returns.
// By default (and with a nil f) such notifications are dropped. HTTP
// clients ignore this option.
func WithNotificationHandler(f func(ctx context.Context, n *schemarpc.Request)) Option {
	return optionFunc(func(c *config) { c.onNotify = f })
}

// WithUnmatchedHandler sets the function that receives responses arriving
// on a WebSocket connection that match no pending call: answers to calls
// that already timed out, duplicates, and errors with a null id. f runs on
// the connection's reader goroutine and must not block. By default (and
// with a nil f) they are dropped. HTTP clients ignore this option; over
// HTTP such responses are reported by [BatchResult].
func WithUnmatchedHandler(f func(*schemarpc.Response)) Option {
	return optionFunc(func(c *config) { c.onUnmatched = f })
}

// WithPingInterval makes a WebSocket client ping the server every d and
// drop the connection when nothing (not even a pong) arrives for 2×d; the
// calls pending on it then fail with [ErrTransport]. d <= 0 (the default)
// sends no pings; the server's own pings are answered either way. HTTP
// clients ignore this option.
func WithPingInterval(d time.Duration) Option {
	return optionFunc(func(c *config) { c.pingInterval = d })
}

// DefaultReadLimit is the largest answer a client accepts (16 MiB): answers
// can be large, so it is more generous than the server's request limit.
const DefaultReadLimit = 16 << 20

// DefaultConcurrency is how many requests from the server a WebSocket
// client serves at once (see WithConcurrency).
const DefaultConcurrency = 16

// WithReadLimit limits the size of one answer: an HTTP response body, or
// one WebSocket message. A larger HTTP answer fails the call with
// ErrTransport; a larger WebSocket message closes the connection with
// status 1009 and fails the pending calls. n <= 0 removes the limit; the
// default is DefaultReadLimit.
func WithReadLimit(n int64) Option {
	return optionFunc(func(c *config) { c.readLimit = n })
}

// WithConcurrency bounds how many request frames from the server a
// WebSocket client serves at once; up to 16×n more wait their turn, further
// ones are answered with CodeOverloaded. n <= 0 removes the bound; the
// default is DefaultConcurrency. HTTP clients ignore this option.
func WithConcurrency(n int) Option {
	return optionFunc(func(c *config) { c.inFlight = n })
}

// Backoff says how a WebSocket client redials a lost connection. Its zero
// value is usable: every zero field takes the default its documentation
// gives. It is a plain value; the client keeps its own copy.
type Backoff struct {
	// Initial is the pause after the first failed dial. Zero means 100ms.
	Initial time.Duration
	// Max caps the pause between dials. Zero means 5s.
	Max time.Duration
	// Multiplier grows the pause after each failed dial. Values below 1
	// (zero included) mean 2.
	Multiplier float64
	// Attempts is how many dials one reconnection tries before giving up;
	// calls waiting for it then fail with [ErrTransport], and the next call
	// starts a new reconnection. Zero (or less) means 10.
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

// WithReconnect makes a WebSocket client redial when its connection is
// lost. Calls in flight when the connection drops still fail at once with
// [ErrTransport]; calls made afterwards wait (within their context) for a
// new connection, dialed in the background with the given backoff; jitter
// of up to ±20% is added to each pause. Without this option (the default)
// every call after a connection loss fails with [ErrTransport]. HTTP
// clients ignore this option.
func WithReconnect(b Backoff) Option {
	return optionFunc(func(c *config) {
		b = b.withDefaults()
		c.reconnect = &b
	})
}
