package server

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/workpool"
	"github.com/schemarpc/schemarpc/schema"
)

// Handler handles one call. The innermost handler of a [Server] looks the
// method up, validates the params and runs the method; middlewares wrap it.
// A Handler returns the result (any value the codec can encode, or a
// json.RawMessage sent as is) or an error.
type Handler interface {
	ServeRPC(ctx context.Context, req *schemarpc.Request) (any, error)
}

// HandlerFunc adapts a function to a [Handler].
type HandlerFunc func(ctx context.Context, req *schemarpc.Request) (any, error)

// ServeRPC calls f.
func (f HandlerFunc) ServeRPC(ctx context.Context, req *schemarpc.Request) (any, error) {
	return f(ctx, req)
}

// Middleware wraps a Handler. It runs around every call over every
// transport, batches included, and may change the request (rename the
// method, rewrite params) before calling next and the result or error after.
// Rewritten params must be valid JSON (an array or an object): they are
// validated and decoded as they are, not checked for syntax again.
type Middleware func(next Handler) Handler

// Server is a JSON-RPC 2.0 server: a registry of methods, validated against
// their schemas before dispatch, served over HTTP POST and WebSocket by one
// [http.Handler]. Its methods are safe for concurrent use; methods can be
// added while it serves.
type Server struct {
	cfg     config
	chain   Handler
	methods atomic.Pointer[map[string]*registered]

	regMu     sync.Mutex // serialises registration, the reflector and building docs
	reflector *schema.Reflector
	docs      atomic.Pointer[documents] // nil until built; reset under regMu

	decoder  schemarpc.Decoder
	pool     workpool.Pool // runs batch members and WebSocket frames on reused goroutines
	stdCodec bool          // the codec is encoding/json, whose output needs no check

	connMu  sync.Mutex
	conns   map[*Conn]struct{}
	closing atomic.Bool
	lifeMu  sync.RWMutex // orders httpWG.Add before Shutdown's Wait
	httpWG  sync.WaitGroup
	connWG  sync.WaitGroup
	wsOpen  atomic.Int64 // WebSocket connections open or being upgraded (with WithMaxConns)

	subs   subscriptions // open subscriptions (subscription.go)
	topics topicTable    // broker subscriptions by topic (broker.go)
}

var _ http.Handler = (*Server)(nil)

// New returns a server configured by opts.
func New(opts ...Option) *Server {
	s := &Server{cfg: defaultConfig(), reflector: schema.NewReflector(), conns: make(map[*Conn]struct{})}
	for _, o := range opts {
		if o != nil {
			o.apply(&s.cfg)
		}
	}
	for _, ts := range s.cfg.typeSchemas {
		s.reflector.MapType(ts.t, ts.s)
	}
	s.decoder = schemarpc.Decoder{MaxBatch: s.cfg.maxBatch, MaxDepth: s.cfg.maxDepth}
	_, s.stdCodec = s.cfg.codec.(schemarpc.JSONCodec)
	empty := map[string]*registered{}
	s.methods.Store(&empty)
	var h Handler = HandlerFunc(s.invoke)
	for i := len(s.cfg.middlewares) - 1; i >= 0; i-- {
		h = s.cfg.middlewares[i](h)
	}
	s.chain = h
	return s
}

// Shutdown stops the server gracefully: new HTTP calls and WebSocket
// upgrades are refused with 503, calls in flight are answered, then every
// WebSocket connection is closed with status 1001 (going away). It returns
// when all of that is done, or with ctx.Err() when ctx ends first (the
// connections left are then closed at once). Either way it then lets the
// goroutines the server keeps for reuse exit. Use it together with
// http.Server.Shutdown, which does not track WebSocket connections.
func (s *Server) Shutdown(ctx context.Context) error {
	defer s.pool.Stop()
	conns := s.stop()
	subsErr := s.endSubscriptions(ctx, true) // told while their connections are open
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Go(func() { c.peer.Shutdown(ctx) })
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		s.httpWG.Wait()
		s.connWG.Wait()
		close(done)
	}()
	select {
	case <-done:
		return subsErr
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close refuses new calls and closes every WebSocket connection at once
// with status 1001, without waiting for calls in flight: their contexts are
// canceled and their answers dropped. It returns once the connections are
// closed (at most about a second for the close handshakes), and lets the
// goroutines the server keeps for reuse exit.
func (s *Server) Close() error {
	defer s.pool.Stop()
	conns := s.stop()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	s.endSubscriptions(ctx, false)
	for _, c := range conns {
		// peer.Close returns only after the connection's handlers have; do
		// not wait for them here.
		go c.peer.Close(ctx, websocket.CloseGoingAway, "server closed")
	}
	for _, c := range conns {
		select {
		case <-c.peer.Done():
		case <-ctx.Done():
		}
	}
	return nil
}

// stop marks the server as closing and returns the open connections. No
// HTTP call or connection is admitted after it returns.
func (s *Server) stop() []*Conn {
	s.lifeMu.Lock()
	s.closing.Store(true)
	s.lifeMu.Unlock()
	s.connMu.Lock()
	defer s.connMu.Unlock()
	return slices.Collect(maps.Keys(s.conns))
}

// admitHTTP registers an HTTP call in flight, unless the server is closing.
func (s *Server) admitHTTP() bool {
	s.lifeMu.RLock()
	defer s.lifeMu.RUnlock()
	if s.closing.Load() {
		return false
	}
	s.httpWG.Add(1)
	return true
}
