package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/callparams"
	"github.com/schemarpc/schemarpc/internal/wspeer"
)

// Conn is a server-side WebSocket connection. Handlers reach it with
// [ConnFromContext]; [WithOnConnect] hands it out as it opens. Through it
// the server notifies the client and calls methods the client serves. Its
// methods are safe for concurrent use.
type Conn struct {
	srv  *Server
	req  *http.Request
	peer *wspeer.Peer
	ids  atomic.Int64
	out  ConnInvoker // the connection middlewares; nil when there are none
}

// Request returns the HTTP request that opened the connection.
func (c *Conn) Request() *http.Request { return c.req }

// Done is closed when the connection has closed.
func (c *Conn) Done() <-chan struct{} { return c.peer.Done() }

// Notify sends a notification to the client.
func (c *Conn) Notify(ctx context.Context, method string, params any) error {
	raw, err := c.encodeParams(params)
	if err != nil {
		return err
	}
	_, err = c.send(ctx, &schemarpc.Request{Method: method, Params: raw})
	return err
}

// Call calls a method served by the client and decodes its result into
// result (unless result is nil). An error answer comes back as a
// *schemarpc.Error; a connection lost before the answer as an error
// wrapping schemarpc.ErrConnClosed; ctx ending first as ctx.Err().
func (c *Conn) Call(ctx context.Context, method string, params, result any) error {
	raw, err := c.encodeParams(params)
	if err != nil {
		return err
	}
	id := schemarpc.StringID(fmt.Sprintf("s%d", c.ids.Add(1)))
	resp, err := c.send(ctx, &schemarpc.Request{ID: id, Method: method, Params: raw})
	if err != nil {
		return err
	}
	if resp == nil { // a ConnMiddleware returned neither
		return fmt.Errorf("server: no response to %q", method)
	}
	if resp.Error != nil {
		return resp.Error
	}
	if result == nil {
		return nil
	}
	return c.srv.cfg.codec.Unmarshal(resp.Result, result)
}

func (c *Conn) encodeParams(params any) (json.RawMessage, error) {
	raw, err := callparams.Encode(c.srv.cfg.codec, params)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	return raw, nil
}

// DroppedNotifications returns how many notifications the client sent on
// this connection that were read but never handled: dropped because the
// queue of notifications waiting to be handled (256 frames) was full while
// a call to the client waited for its answer, or left when the connection
// ended (see [WithDrainTimeout]). Each drop is also logged at warning level.
func (c *Conn) DroppedNotifications() uint64 { return c.peer.DroppedNotifications() }

// WithDrainTimeout bounds how long the notifications a WebSocket client
// sent before closing the connection are still handled after the close
// handshake. Notifications from one connection are handled one at a time,
// in order, and wait in a queue of 256 frames; when the connection ends
// with a close handshake (the client's Close, or the server's Shutdown),
// those already read are handled until the queue is empty or d has passed,
// and their handlers' context ends then. Shutdown waits for that drain
// within its own context. When the connection ends any other way (a lost
// connection, a silent peer, Close after its deadline) the queue is
// discarded; [Conn.DroppedNotifications] counts what was lost. d < 0
// discards at once; the default (and d == 0) is 5 seconds.
//
// When the queue is full, the connection's reader waits for room (the
// client is slowed down through TCP) while no call to the client waits for
// its answer; while one does, for example a call made by a notification
// handler, answers are routed first and the oldest queued notification
// frame is dropped instead, so that such a handler never deadlocks the
// connection.
func WithDrainTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) { c.wsDrainTimeout = d })
}

// Close closes the connection with status 1000 (normal closure) after the
// frame being written, if any.
func (c *Conn) Close() error {
	return c.peer.Close(context.Background(), websocket.CloseNormalClosure, "")
}

// Conns returns the open WebSocket connections.
func (s *Server) Conns() []*Conn {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	out := make([]*Conn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	return out
}

func (s *Server) upgrader() *websocket.Upgrader {
	check := s.cfg.checkOrigin
	if check == nil {
		check = s.sameOriginOrAllowed
	}
	return &websocket.Upgrader{
		ReadBufferSize: 0, // reuse the HTTP server's buffers: 8 KiB less per connection
		CheckOrigin:    check,
		Error: func(w http.ResponseWriter, r *http.Request, status int, reason error) {
			w.Header().Del("Sec-Websocket-Version")
			writeHTTPError(w, status, schemarpc.ErrInvalidRequest.WithData("websocket: "+reason.Error()))
		},
	}
}

// sameOriginOrAllowed accepts requests without an Origin header (non-browser
// clients), from the same origin as the request, or from an allowed origin.
func (s *Server) sameOriginOrAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, a := range s.cfg.allowedOrigins {
		if a == "*" || strings.EqualFold(strings.TrimSuffix(a, "/"), origin) {
			return true
		}
	}
	return false
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	if s.closing.Load() {
		writeHTTPError(w, http.StatusServiceUnavailable, schemarpc.NewError(schemarpc.CodeOverloaded, "server is shutting down"))
		return
	}
	up := s.upgrader()
	if !up.CheckOrigin(r) {
		writeHTTPError(w, http.StatusForbidden, schemarpc.ErrInvalidRequest.WithData("websocket: origin not allowed"))
		return
	}
	if max := s.cfg.maxConns; max > 0 {
		if s.wsOpen.Add(1) > int64(max) {
			s.wsOpen.Add(-1)
			writeHTTPError(w, http.StatusServiceUnavailable, schemarpc.NewError(schemarpc.CodeOverloaded, "too many connections"))
			return
		}
		defer s.wsOpen.Add(-1)
	}
	ws, err := up.Upgrade(wspeer.BatchingWriter(w), r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	c := &Conn{srv: s, req: r}
	c.out = s.connChain(c)
	c.peer = wspeer.New(ws, connHandler{s}, wspeer.Config{
		ReadLimit:    s.cfg.wsReadLimit,
		PingInterval: s.cfg.wsPingInterval,
		PongWait:     s.cfg.wsPongWait,
		WriteWait:    s.cfg.wsWriteTimeout,
		MaxInFlight:  s.cfg.wsConcurrency,
		MaxBatch:     s.cfg.maxBatch,
		MaxDepth:     s.cfg.maxDepth,
		DrainTimeout: s.cfg.wsDrainTimeout,
		Logger:       s.cfg.logger,
		Go:           s.pool.Go,
	})
	s.connMu.Lock()
	if s.closing.Load() {
		s.connMu.Unlock()
		ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down"), deadlineSoon())
		ws.Close()
		return
	}
	s.conns[c] = struct{}{}
	s.connWG.Add(1)
	s.connMu.Unlock()
	defer func() {
		s.connMu.Lock()
		delete(s.conns, c)
		s.connMu.Unlock()
		if s.cfg.onDisconnect != nil {
			s.cfg.onDisconnect(c)
		}
		s.connWG.Done()
	}()
	if s.cfg.onConnect != nil {
		s.cfg.onConnect(c)
	}
	// The connection outlives the upgrade request's context.
	base := context.WithoutCancel(r.Context())
	base, _ = withRequest(base, r)
	base = context.WithValue(base, connKey, c)
	err = c.peer.Run(base)
	s.cfg.logger.Debug("jsonrpc: websocket closed", "remote", r.RemoteAddr, "cause", err)
}

// connHandler serves the requests of one connection.
type connHandler struct{ s *Server }

func (h connHandler) ServeMessages(ctx context.Context, msgs []schemarpc.Message, batch bool) []byte {
	if h.s.subs.declared.Load() {
		return h.s.serveHoldingEvents(ctx, msgs, batch) // subscription.go
	}
	return h.s.serveMessages(ctx, msgs, batch)
}

func (h connHandler) ServeError(e *schemarpc.Error) []byte { return serveError(e) }

func deadlineSoon() time.Time { return time.Now().Add(time.Second) }
