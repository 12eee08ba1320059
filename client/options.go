package client

import (
	"context"
	"log/slog"
	"maps"
	"net/http"
	"time"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client/internal/clientcore"
)

// Option configures a client. Options are applied by [NewHTTP], [New] and
// wsclient.Dial in order; the configuration is frozen once they return.
// The options of this package apply to every transport, except
// [WithHTTPClient]; options that configure one transport only (WithHTTPClient,
// those of package client/wsclient) make the constructors of the other
// transports fail rather than be ignored. An Option is an immutable value
// and may be shared by clients created concurrently.
//
// Only the With* functions of this module make Options: the type of
// Apply's argument cannot be named outside it.
type Option interface {
	// Apply records the option in s.
	Apply(s *clientcore.Settings)
}

type optionFunc func(*clientcore.Settings)

func (f optionFunc) Apply(s *clientcore.Settings) { f(s) }

// settings applies opts to the defaults.
func settings(opts []Option) clientcore.Settings {
	s := clientcore.Defaults()
	for _, o := range opts {
		if o != nil {
			o.Apply(&s)
		}
	}
	return s
}

// WithOptions bundles several options into one.
func WithOptions(opts ...Option) Option {
	return optionFunc(func(s *clientcore.Settings) {
		for _, o := range opts {
			if o != nil {
				o.Apply(s)
			}
		}
	})
}

// WithHTTPClient sets the *http.Client an HTTP client posts with. The
// caller keeps ownership: Close leaves it alone. By default (and when hc is
// nil) each client gets its own http.Client over a clone of
// http.DefaultTransport, whose idle connections Close closes. It applies to
// HTTP clients only: other constructors fail when given it.
func WithHTTPClient(hc *http.Client) Option {
	return optionFunc(func(s *clientcore.Settings) { s.HTTPClient = hc })
}

// WithHeader adds a header sent with every HTTP request, or with the
// WebSocket handshake (and so, once, for the whole connection). It may be
// given several times; values accumulate. For per-call headers over HTTP
// use [ContextWithHeader]. There are no extra headers by default; an HTTP
// client always sends Content-Type and Accept: application/json.
func WithHeader(key, value string) Option {
	return optionFunc(func(s *clientcore.Settings) { s.Header.Add(key, value) })
}

// WithHeaders adds every value of h, as [WithHeader] does.
func WithHeaders(h http.Header) Option {
	return optionFunc(func(s *clientcore.Settings) {
		for k, vs := range h {
			for _, v := range vs {
				s.Header.Add(k, v)
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
	return optionFunc(func(s *clientcore.Settings) { s.Timeout = d })
}

// WithIDGenerator sets the function that gives each call its id. It must
// be safe for concurrent use and never return the same id twice while the
// calls are pending. The default (and a nil gen) numbers calls 1, 2, 3, …
// per client; [RandomUUID] gives UUID strings as aiohttp-rpc does.
func WithIDGenerator(gen func() schemarpc.ID) Option {
	return optionFunc(func(s *clientcore.Settings) { s.IDs = gen })
}

// WithCodec sets the codec that encodes params and decodes results (and,
// for a WebSocket client, is passed on to the methods it serves). The
// default (and a nil codec) is encoding/json. The JSON-RPC envelope is
// always encoded by package schemarpc.
func WithCodec(codec schemarpc.Codec) Option {
	return optionFunc(func(s *clientcore.Settings) {
		if codec != nil {
			s.Codec = codec
		}
	})
}

// WithMiddlewares appends middlewares around every exchange with the
// server. The first middleware given is the outermost; nil entries are
// skipped. There are none by default.
func WithMiddlewares(mws ...Middleware) Option {
	return optionFunc(func(s *clientcore.Settings) {
		for _, m := range mws {
			if m != nil {
				s.Middlewares = append(s.Middlewares, func(next clientcore.Invoker) clientcore.Invoker { return m(next) })
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
	return optionFunc(func(s *clientcore.Settings) {
		if s.ErrorMap == nil {
			s.ErrorMap = make(map[schemarpc.Code]func(*schemarpc.Error) error, len(m))
		}
		maps.Copy(s.ErrorMap, m)
	})
}

// WithLogger sets the logger of the client: every failed exchange is
// logged at debug level, and a WebSocket client also logs its connection
// events and the methods it serves. The default (and a nil l) discards
// everything.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(s *clientcore.Settings) {
		if l != nil {
			s.Logger = l
		}
	})
}

// DefaultReadLimit is the largest answer a client accepts (16 MiB): answers
// can be large, so it is more generous than the server's request limit.
const DefaultReadLimit = clientcore.DefaultReadLimit

// WithReadLimit limits the size of one answer: an HTTP response body, or
// one WebSocket message. A larger HTTP answer fails the call with
// ErrTransport; a larger WebSocket message closes the connection with
// status 1009 and fails the pending calls. n <= 0 removes the limit; the
// default is DefaultReadLimit.
func WithReadLimit(n int64) Option {
	return optionFunc(func(s *clientcore.Settings) { s.ReadLimit = n })
}

// ContextWithHeader returns a copy of ctx carrying HTTP headers for the
// calls made with it (per-call headers). Its values replace, key by key,
// those set with [WithHeader]; calling it again on the returned context
// adds to the headers already there. They apply to HTTP requests only: a
// WebSocket client sends its headers once, with the handshake
// ([WithHeader]); the context given to wsclient.Dial adds its per-call
// headers to that first handshake (not to reconnections), which is how a
// trace context reaches the server of a WebSocket connection.
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

type headerKey = clientcore.HeaderKey

var headerFromContext = clientcore.HeaderFromContext
