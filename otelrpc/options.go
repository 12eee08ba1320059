package otelrpc

import (
	"context"
	"os"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/schemarpc/schemarpc"
)

// Option configures the middlewares of this package. Options are applied
// in order when a middleware is made; the middleware then keeps its own
// copy.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// Conventions selects the semantic conventions the middlewares emit (see
// the package documentation for the attributes of each).
type Conventions int

const (
	// ConventionsFromEnv reads OTEL_SEMCONV_STABILITY_OPT_IN when the
	// middleware is made: "rpc" selects ConventionsStable, "rpc/dup"
	// ConventionsBoth (it wins over "rpc"), anything else (unset
	// included) ConventionsOld. It is the default.
	ConventionsFromEnv Conventions = iota
	// ConventionsOld emits the experimental RPC conventions of semantic
	// conventions v1.37.0: rpc.system, rpc.jsonrpc.*, rpc.server.duration
	// and rpc.client.duration in milliseconds.
	ConventionsOld
	// ConventionsStable emits the RPC conventions of v1.43.0:
	// rpc.system.name, jsonrpc.*, rpc.response.status_code, error.type,
	// rpc.server.call.duration and rpc.client.call.duration in seconds.
	ConventionsStable
	// ConventionsBoth emits both sets, for a phased migration.
	ConventionsBoth
)

type config struct {
	tp          trace.TracerProvider
	mp          metric.MeterProvider
	prop        propagation.TextMapPropagator
	filter      func(context.Context, *schemarpc.Request) bool
	noTraces    bool
	noMetrics   bool
	trustRemote bool
	known       map[string]bool // nil: every method is recognized
	conventions Conventions
	peerAddress bool
}

func newConfig(opts []Option) config {
	c := config{
		tp:   otel.GetTracerProvider(),
		mp:   otel.GetMeterProvider(),
		prop: otel.GetTextMapPropagator(),
	}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if c.conventions == ConventionsFromEnv {
		c.conventions = conventionsFromEnv(os.Getenv("OTEL_SEMCONV_STABILITY_OPT_IN"))
	}
	return c
}

// conventionsFromEnv reads a value of OTEL_SEMCONV_STABILITY_OPT_IN: a
// comma-separated list of categories, of which "rpc" and "rpc/dup" are
// ours.
func conventionsFromEnv(v string) Conventions {
	stable := false
	for p := range strings.SplitSeq(v, ",") {
		switch strings.TrimSpace(p) {
		case "rpc/dup":
			return ConventionsBoth
		case "rpc":
			stable = true
		}
	}
	if stable {
		return ConventionsStable
	}
	return ConventionsOld
}

func (c *config) old() bool {
	return c.conventions == ConventionsOld || c.conventions == ConventionsBoth
}
func (c *config) stable() bool {
	return c.conventions == ConventionsStable || c.conventions == ConventionsBoth
}

// WithTracerProvider sets the provider of the tracer. The default (and a
// nil tp) is the global provider, otel.GetTracerProvider().
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) {
		if tp != nil {
			c.tp = tp
		}
	})
}

// WithMeterProvider sets the provider of the meter. The default (and a nil
// mp) is the global provider, otel.GetMeterProvider().
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) {
		if mp != nil {
			c.mp = mp
		}
	})
}

// WithPropagator sets the propagator that writes the trace context into
// the headers of HTTP requests (client) and reads it from them (server).
// The default (and a nil p) is the global propagator,
// otel.GetTextMapPropagator(); install propagation.TraceContext{} there,
// or here, for W3C traceparent headers.
func WithPropagator(p propagation.TextMapPropagator) Option {
	return optionFunc(func(c *config) {
		if p != nil {
			c.prop = p
		}
	})
}

// WithFilter sets a function that decides which calls are traced and
// measured: those for which it returns false are passed on untouched. It
// sees each request (each member of a batch) with the context of the call.
// The default traces and measures every call.
func WithFilter(f func(ctx context.Context, req *schemarpc.Request) bool) Option {
	return optionFunc(func(c *config) { c.filter = f })
}

// WithoutTraces turns spans off: only metrics are recorded.
func WithoutTraces() Option {
	return optionFunc(func(c *config) { c.noTraces = true })
}

// WithoutMetrics turns metrics off: only spans are recorded.
func WithoutMetrics() Option {
	return optionFunc(func(c *config) { c.noMetrics = true })
}

// WithTrustRemote makes the server span of a call the child of the span
// context the caller sent (in the HTTP request's or the WebSocket upgrade
// request's headers), so that client and server share one trace. By
// default, as for a public endpoint, the server span starts a new trace
// and links to the caller's span: a caller cannot then choose the trace,
// nor its sampling, of the server.
func WithTrustRemote() Option {
	return optionFunc(func(c *config) { c.trustRemote = true })
}

// WithMethods sets the method names that are recognized: calls of other
// methods are recorded with rpc.method "_OTHER" (and rpc.method_original
// on spans), the span named "jsonrpc", so that a peer sending arbitrary
// names cannot make the number of span names and metric series grow
// without bound. Whatever this option says, a call answered with -32601
// Method not found counts as unrecognized. By default every other method
// is recognized: the server's are those registered on it, and a client
// calls the methods its program names.
func WithMethods(names ...string) Option {
	return optionFunc(func(c *config) {
		if c.known == nil {
			c.known = make(map[string]bool, len(names))
		}
		for _, n := range names {
			c.known[n] = true
		}
	})
}

// WithConventions selects the semantic conventions emitted, instead of
// OTEL_SEMCONV_STABILITY_OPT_IN (the default, ConventionsFromEnv).
func WithConventions(c Conventions) Option {
	return optionFunc(func(cfg *config) { cfg.conventions = c })
}

// WithPeerAddress adds network.peer.address and network.peer.port, the
// address of the client's end of the connection, to server spans. They
// are off by default: they identify clients, and metrics never carry them.
func WithPeerAddress() Option {
	return optionFunc(func(c *config) { c.peerAddress = true })
}
