package server

import (
	"context"
	"log/slog"
	"net/http"
	"reflect"
	"time"

	"github.com/invopop/jsonschema"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/schema"
)

// Defaults for the limits a [Server] enforces. Each can be changed with the
// matching option.
const (
	// DefaultReadLimit is the largest request accepted (1 MiB): an HTTP
	// request body, or one WebSocket message.
	DefaultReadLimit = 1 << 20
	// DefaultMaxBatch is the largest batch accepted.
	DefaultMaxBatch = 1000
	// DefaultBatchConcurrency is how many calls of one batch run at once.
	DefaultBatchConcurrency = 16
	// DefaultWSPingInterval is how often the server pings a WebSocket peer.
	DefaultWSPingInterval = 30 * time.Second
	// DefaultConnConcurrency is how many request frames of one WebSocket
	// connection are served at once (see WithConnConcurrency).
	DefaultConnConcurrency = 64
	// DefaultWSWriteTimeout is how long writing one WebSocket frame may
	// take before the connection is dropped (see WithWriteTimeout).
	DefaultWSWriteTimeout = 10 * time.Second
)

// Option configures a [Server]. Options are applied by [New]; the
// configuration is frozen once New returns.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// ResultHook post-processes every successful result (aiohttp-rpc's
// prepare_result at server level). It runs after the method's own
// [PrepareResult], inside the middleware chain.
type ResultHook func(ctx context.Context, method string, result any) (any, error)

type config struct {
	logger           *slog.Logger
	codec            schemarpc.Codec
	middlewares      []Middleware
	validation       bool
	maxBodyBytes     int64
	maxBatch         int
	maxDepth         int
	maxConns         int
	batchConcurrency int
	allowedOrigins   []string
	checkOrigin      func(*http.Request) bool
	wsReadLimit      int64
	wsPingInterval   time.Duration
	wsConcurrency    int
	wsWriteTimeout   time.Duration
	wsPongWait       time.Duration
	wsDrainTimeout   time.Duration    // see WithDrainTimeout (ws.go)
	connMiddlewares  []ConnMiddleware // see WithConnMiddlewares (connmiddleware.go)
	resultHook       ResultHook
	info             schema.Info
	servers          []schema.Server
	exposeErrors     bool
	callTimeout      time.Duration
	typeSchemas      []typeSchema
	onConnect        func(*Conn)
	onDisconnect     func(*Conn)
	broker           Broker // see WithBroker (broker.go)
}

func defaultConfig() config {
	return config{
		logger:           slog.New(slog.DiscardHandler),
		codec:            schemarpc.JSONCodec{},
		validation:       true,
		maxBodyBytes:     DefaultReadLimit,
		maxBatch:         DefaultMaxBatch,
		maxDepth:         schemarpc.DefaultMaxDepth,
		batchConcurrency: DefaultBatchConcurrency,
		wsReadLimit:      DefaultReadLimit,
		wsPingInterval:   DefaultWSPingInterval,
		wsConcurrency:    DefaultConnConcurrency,
		wsWriteTimeout:   DefaultWSWriteTimeout,
		info:             schema.Info{Title: "JSON-RPC API", Version: "0.0.0"},
	}
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

// WithLogger sets the logger for recovered panics, internal errors and
// connection events. The default discards everything.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *config) {
		if l != nil {
			c.logger = l
		}
	})
}

// WithCodec sets the codec used for params and results. The default is
// encoding/json (schemarpc.JSONCodec); with it, the params of Func and
// Variadic methods are decoded in one pass by a decoder that gives exactly
// what json.Unmarshal gives and hands it anything else (an unknown or
// repeated member, a name in another case, a type mismatch), so that the
// values and errors handlers see are encoding/json's.
func WithCodec(codec schemarpc.Codec) Option {
	return optionFunc(func(c *config) {
		if codec != nil {
			c.codec = codec
		}
	})
}

// WithMiddlewares appends middlewares to the chain around every call. The
// first middleware given is the outermost; nil entries are skipped.
func WithMiddlewares(mws ...Middleware) Option {
	return optionFunc(func(c *config) {
		for _, m := range mws {
			if m != nil {
				c.middlewares = append(c.middlewares, m)
			}
		}
	})
}

// WithValidation turns schema validation of params on or off. It is on by
// default; turning it off is meant for measuring its cost.
func WithValidation(on bool) Option {
	return optionFunc(func(c *config) { c.validation = on })
}

// WithMaxBatch limits the number of requests in a batch; a longer batch is
// answered with one -32600 error. n <= 0 removes the limit; the default is
// DefaultMaxBatch.
func WithMaxBatch(n int) Option {
	return optionFunc(func(c *config) { c.maxBatch = n })
}

// WithMaxDepth limits how deeply arrays and objects may nest in a payload
// (a request or a batch, over every transport); a payload nested deeper is
// answered with one -32700 error. n <= 0 means schemarpc.DefaultMaxDepth,
// which is also the most encoding/json decodes, and the default.
func WithMaxDepth(n int) Option {
	return optionFunc(func(c *config) {
		if n <= 0 || n > schemarpc.DefaultMaxDepth {
			n = schemarpc.DefaultMaxDepth
		}
		c.maxDepth = n
	})
}

// WithMaxConns limits how many WebSocket connections are open at once; an
// upgrade beyond the limit is refused with HTTP 503 and a CodeOverloaded
// error body. n <= 0 removes the limit; the default is no limit.
func WithMaxConns(n int) Option {
	return optionFunc(func(c *config) { c.maxConns = n })
}

// WithBatchConcurrency bounds how many calls of one batch run at once.
// n <= 0 runs them one at a time; the default is DefaultBatchConcurrency.
func WithBatchConcurrency(n int) Option {
	return optionFunc(func(c *config) { c.batchConcurrency = n })
}

// WithAllowedOrigins allows WebSocket upgrades from the listed origins
// (scheme://host[:port], compared case-insensitively) in addition to the
// same origin. "*" allows every origin.
func WithAllowedOrigins(origins ...string) Option {
	return optionFunc(func(c *config) { c.allowedOrigins = append(c.allowedOrigins, origins...) })
}

// WithCheckOrigin replaces the WebSocket origin check with f. By default
// only same-origin requests, requests without an Origin header and the
// origins given to WithAllowedOrigins are accepted.
func WithCheckOrigin(f func(*http.Request) bool) Option {
	return optionFunc(func(c *config) { c.checkOrigin = f })
}

// WithReadLimit limits the size of one request, over either transport, as
// client.WithReadLimit does for answers: a larger HTTP request body is
// answered with 413 (and not read past the limit); a larger WebSocket
// message closes the connection with status 1009. n <= 0 removes the limit;
// the default is DefaultReadLimit.
func WithReadLimit(n int64) Option {
	return optionFunc(func(c *config) { c.maxBodyBytes, c.wsReadLimit = n, n })
}

// WithPingInterval sets how often the server pings each WebSocket peer; a
// peer that sends nothing (not even a pong) for two intervals is
// disconnected. d <= 0 disables pings; the default is
// DefaultWSPingInterval.
func WithPingInterval(d time.Duration) Option {
	return optionFunc(func(c *config) { c.wsPingInterval = d })
}

// WithWriteTimeout bounds how long writing one WebSocket frame (an answer,
// a notification, a ping) may take; a peer that does not read for that long
// is disconnected, so it cannot pin the server's goroutines or memory.
// d <= 0 means the default, DefaultWSWriteTimeout.
func WithWriteTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d <= 0 {
			d = DefaultWSWriteTimeout
		}
		c.wsWriteTimeout = d
	})
}

// WithPongWait sets how long a WebSocket peer may stay silent (sending no
// frame, not even a pong) before it is disconnected; it only applies while
// pings are on (see WithPingInterval). d <= 0 means the default, twice the
// ping interval.
func WithPongWait(d time.Duration) Option {
	return optionFunc(func(c *config) { c.wsPongWait = d })
}

// WithConnConcurrency bounds how many request frames of one WebSocket
// connection are served at once. Up to 16×n more wait their turn; frames
// beyond that are answered at once with CodeOverloaded. The connection keeps
// being read either way, so handlers that call the client back always get
// their answers. n <= 0 removes the bound; the default is
// DefaultConnConcurrency.
func WithConnConcurrency(n int) Option {
	return optionFunc(func(c *config) { c.wsConcurrency = n })
}

// WithCallTimeout gives every call a deadline. When it passes the call is
// answered with CodeDeadlineExceeded (-32099) at once, even when the handler
// ignores its context: the handler's goroutine is left to finish and its
// late result is dropped (and it is not waited for by Shutdown). d <= 0
// (the default) sets no deadline, and calls run on the goroutine that
// serves the request.
func WithCallTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) { c.callTimeout = d })
}

// WithResultHook sets a hook that post-processes every successful result.
func WithResultHook(h ResultHook) Option {
	return optionFunc(func(c *config) { c.resultHook = h })
}

// WithInfo sets the info object of the OpenRPC document. The default has
// the title "JSON-RPC API" and the version "0.0.0".
func WithInfo(info schema.Info) Option {
	return optionFunc(func(c *config) { c.info = info })
}

// WithServers lists the servers of the OpenRPC document. There are none
// by default.
func WithServers(servers ...schema.Server) Option {
	return optionFunc(func(c *config) { c.servers = append(c.servers, servers...) })
}

// WithExposeErrors sends the text of uncoded handler errors to clients in
// the data of -32603 errors. Meant for debugging only: by default clients
// get a generic message and the text goes to the log.
func WithExposeErrors(on bool) Option {
	return optionFunc(func(c *config) { c.exposeErrors = on })
}

type typeSchema struct {
	t reflect.Type
	s *jsonschema.Schema
}

// WithTypeSchema makes every occurrence of T in params and results reflect
// to schema instead of T's own. Use it for a type with its own MarshalJSON,
// whose form reflection cannot know (without it such a type accepts any
// JSON value), and together with a custom codec that gives T another wire
// form, so that the OpenRPC document and the validation agree with what is
// sent: with a codec writing time.Time as Unix seconds,
//
//	server.WithTypeSchema[time.Time](&jsonschema.Schema{Type: "integer"})
func WithTypeSchema[T any](schema *jsonschema.Schema) Option {
	return optionFunc(func(c *config) {
		c.typeSchemas = append(c.typeSchemas, typeSchema{reflect.TypeFor[T](), schema})
	})
}

// WithOnConnect sets a hook called when a WebSocket connection opens, before
// its first message is read. The hook may keep the *Conn to call the client
// later.
func WithOnConnect(f func(*Conn)) Option {
	return optionFunc(func(c *config) { c.onConnect = f })
}

// WithOnDisconnect sets a hook called when a WebSocket connection has
// closed.
func WithOnDisconnect(f func(*Conn)) Option {
	return optionFunc(func(c *config) { c.onDisconnect = f })
}
