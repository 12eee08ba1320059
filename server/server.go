package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/invopop/jsonschema"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/jsonscan"
	"github.com/schemarpc/schemarpc/internal/workpool"
	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/validate"
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
type Middleware func(next Handler) Handler

// Server is a JSON-RPC 2.0 server: a registry of methods, validated against
// their schemas before dispatch, served over HTTP POST and WebSocket by one
// [http.Handler]. Its methods are safe for concurrent use; methods can be
// added while it serves.
type Server struct {
	cfg     config
	chain   Handler
	methods atomic.Pointer[map[string]*Method]

	regMu     sync.Mutex // serialises registration and the reflector
	reflector *schema.Reflector
	docCache  atomic.Pointer[[]byte]

	discoverCache atomic.Pointer[json.RawMessage]

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
	s.decoder = schemarpc.Decoder{MaxBatch: s.cfg.maxBatch, MaxDepth: s.cfg.maxDepth}
	_, s.stdCodec = s.cfg.codec.(schemarpc.JSONCodec)
	empty := map[string]*Method{}
	s.methods.Store(&empty)
	var h Handler = HandlerFunc(s.invoke)
	for i := len(s.cfg.middlewares) - 1; i >= 0; i-- {
		h = s.cfg.middlewares[i](h)
	}
	s.chain = h
	return s
}

// ErrMethodExists is returned by [Server.Add] for a name already registered.
var ErrMethodExists = errors.New("server: method already registered")

// Add registers methods. It fails, registering none of them, when a method
// could not be built (for example its params type is not a struct), its name
// is empty or starts with the reserved prefix "rpc.", or the name is already
// registered (use [Server.Replace] to replace one).
func (s *Server) Add(methods ...*Method) error { return s.add(false, methods) }

// Replace registers methods, replacing those with the same names
// (aiohttp-rpc's add_method(replace=True)).
func (s *Server) Replace(methods ...*Method) error { return s.add(true, methods) }

// MustAdd is like Add but panics on error, for use at program start.
func (s *Server) MustAdd(methods ...*Method) {
	if err := s.Add(methods...); err != nil {
		panic(err)
	}
}

func (s *Server) add(replace bool, methods []*Method) error {
	s.regMu.Lock()
	defer s.regMu.Unlock()
	next := maps.Clone(*s.methods.Load())
	seen := make(map[string]bool, len(methods))
	for _, m := range methods {
		if m == nil {
			return errors.New("server: nil method")
		}
		if m.err != nil {
			return m.err
		}
		if m.name == "" {
			return errors.New("server: method with an empty name")
		}
		if strings.HasPrefix(m.name, "rpc.") {
			return fmt.Errorf("server: method name %q: the prefix \"rpc.\" is reserved", m.name)
		}
		if seen[m.name] || (!replace && next[m.name] != nil) {
			return fmt.Errorf("%w: %q", ErrMethodExists, m.name)
		}
		seen[m.name] = true
		if err := s.compile(m); err != nil {
			return err
		}
		next[m.name] = m
	}
	s.methods.Store(&next)
	s.docCache.Store(nil)
	s.discoverCache.Store(nil)
	return nil
}

// Remove unregisters the named methods; unknown names are ignored.
func (s *Server) Remove(names ...string) {
	s.regMu.Lock()
	defer s.regMu.Unlock()
	next := maps.Clone(*s.methods.Load())
	for _, n := range names {
		delete(next, n)
	}
	s.methods.Store(&next)
	s.docCache.Store(nil)
	s.discoverCache.Store(nil)
}

// Methods returns the names of the registered methods, sorted.
func (s *Server) Methods() []string {
	return slices.Sorted(maps.Keys(*s.methods.Load()))
}

// compile reflects the method's schemas, compiles its validator and builds
// its OpenRPC method object. It runs with regMu held.
func (s *Server) compile(m *Method) error {
	doc := &schema.Method{
		Name:        m.name,
		Summary:     m.summary,
		Description: m.description,
		Deprecated:  m.deprecated,
	}
	for _, t := range m.tags {
		doc.Tags = append(doc.Tags, schema.Tag{Name: t})
	}
	var paramsSchema any
	switch m.kind {
	case kindStruct:
		cds, err := s.reflector.Params(m.paramsType)
		if err != nil {
			return fmt.Errorf("server: method %q: %w", m.name, err)
		}
		doc.Params = cds
		m.names = make([]string, len(cds))
		for i, cd := range cds {
			m.names[i] = cd.Name
		}
		paramsSchema = schema.ParamsSchema(cds)
	case kindVariadic:
		item, err := s.reflector.Schema(m.paramsType)
		if err != nil {
			return fmt.Errorf("server: method %q: %w", m.name, err)
		}
		doc.ParamStructure = "by-position"
		doc.Params = []*schema.ContentDescriptor{{Name: m.variadicArg, Schema: item,
			Description: "Variadic: any number of positional values of this schema."}}
		doc.Extensions = map[string]any{"x-variadic": m.variadicArg}
		paramsSchema = map[string]any{"type": "array", "items": item}
	case kindNone:
		doc.Params = []*schema.ContentDescriptor{}
	case kindRaw:
		doc.Params = []*schema.ContentDescriptor{}
		doc.Extensions = map[string]any{"x-raw-params": true}
	}
	m.shape = validate.Params{Method: m.name, Shape: shapes[m.kind], Names: m.names}
	if m.resultType != nil {
		rs, err := s.reflector.Schema(m.resultType)
		if err != nil {
			return fmt.Errorf("server: method %q: result: %w", m.name, err)
		}
		doc.Result = &schema.ContentDescriptor{Name: m.resultName, Schema: rs}
	} else {
		doc.Result = &schema.ContentDescriptor{Name: m.resultName, Schema: nullSchema()}
	}
	for _, e := range m.errors {
		doc.Errors = append(doc.Errors, &schema.ErrorObject{Code: int(e.Code), Message: e.Message, Data: e.Data})
	}
	for _, ex := range m.examples {
		pairing, err := m.examplePairing(ex)
		if err != nil {
			return err
		}
		doc.Examples = append(doc.Examples, pairing)
	}
	if paramsSchema != nil {
		raw, err := json.Marshal(paramsSchema)
		if err != nil {
			return fmt.Errorf("server: method %q: %w", m.name, err)
		}
		var comps []byte
		if c := s.reflector.Components(); c != nil {
			if comps, err = json.Marshal(c.Schemas); err != nil {
				return fmt.Errorf("server: method %q: %w", m.name, err)
			}
		}
		v, err := validate.Compile(raw, validate.WithComponents(comps))
		if err != nil {
			return fmt.Errorf("server: method %q: compiling params schema: %w", m.name, err)
		}
		m.validator = v
	}
	m.doc = doc
	return nil
}

func (m *Method) examplePairing(ex example) (*schema.ExamplePairing, error) {
	p := &schema.ExamplePairing{Name: ex.name, Params: []*schema.Example{}}
	if ex.params != nil {
		raw, err := json.Marshal(ex.params)
		if err != nil {
			return nil, fmt.Errorf("server: method %q: example %q: %w", m.name, ex.name, err)
		}
		switch m.kind {
		case kindVariadic:
			var vals []any
			if err := json.Unmarshal(raw, &vals); err != nil {
				return nil, fmt.Errorf("server: method %q: example %q: params must be a slice", m.name, ex.name)
			}
			for _, v := range vals {
				p.Params = append(p.Params, &schema.Example{Name: m.variadicArg, Value: v})
			}
		default:
			var obj map[string]any
			if err := json.Unmarshal(raw, &obj); err != nil {
				return nil, fmt.Errorf("server: method %q: example %q: params must encode as an object", m.name, ex.name)
			}
			names := m.names
			if m.kind == kindRaw {
				names = slices.Sorted(maps.Keys(obj))
			}
			for _, n := range names {
				if v, ok := obj[n]; ok {
					p.Params = append(p.Params, &schema.Example{Name: n, Value: v})
				}
			}
		}
	}
	var result any
	if ex.result != nil {
		raw, err := json.Marshal(ex.result)
		if err != nil {
			return nil, fmt.Errorf("server: method %q: example %q: %w", m.name, ex.name, err)
		}
		_ = json.Unmarshal(raw, &result)
	}
	p.Result = &schema.Example{Name: m.resultName, Value: result}
	return p, nil
}

// shapes maps each kind of method to the shape of its params.
var shapes = map[paramKind]validate.ParamsShape{
	kindStruct:   validate.Named,
	kindNone:     validate.NoParams,
	kindVariadic: validate.VariadicParams,
	kindRaw:      validate.AnyParams,
}

func (s *Server) lookup(name string) *Method { return (*s.methods.Load())[name] }

// invoke is the innermost handler: look up, normalise, validate, decode,
// call, prepare the result.
func (s *Server) invoke(ctx context.Context, req *schemarpc.Request) (any, error) {
	if strings.HasPrefix(req.Method, "rpc.") {
		return s.builtin(ctx, req)
	}
	m := s.lookup(req.Method)
	if m == nil {
		return nil, schemarpc.ErrMethodNotFound.WithData("method " + quote(req.Method) + " does not exist")
	}
	params, perr := m.normalize(req.Params)
	if perr != nil {
		return nil, perr
	}
	if m.validator != nil && s.cfg.validation {
		if err := m.validator.ValidateJSON(params); err != nil {
			var verr *validate.Error
			if errors.As(err, &verr) {
				return nil, schemarpc.ErrInvalidParams.WithData(verr.Violations)
			}
			return nil, schemarpc.ErrInvalidParams.WithData([]validate.Violation{{Keyword: "json", Message: "params are not valid JSON"}})
		}
	}
	result, err := m.invoke(ctx, s.cfg.codec, params)
	if err != nil {
		return nil, err
	}
	if m.prepare != nil {
		if result, err = m.prepare(ctx, result); err != nil {
			return nil, err
		}
	}
	if s.cfg.resultHook != nil {
		return s.cfg.resultHook(ctx, req.Method, result)
	}
	return result, nil
}

var discoverParams = validate.Params{Method: "rpc.discover", Shape: validate.NoParams}

func (s *Server) builtin(ctx context.Context, req *schemarpc.Request) (any, error) {
	if req.Method != "rpc.discover" {
		return nil, schemarpc.ErrMethodNotFound.WithData("method " + quote(req.Method) + " does not exist")
	}
	if _, verr := discoverParams.Normalize(req.Params); verr != nil {
		return nil, schemarpc.ErrInvalidParams.WithData(verr.Violations)
	}
	doc, err := s.openRPCCompact()
	if err != nil {
		return nil, err
	}
	return doc, nil
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// call runs one request through the chain, recovering panics, and returns
// its encoded response (nil for a notification).
func (s *Server) call(ctx context.Context, req *schemarpc.Request, buf []byte) []byte {
	var (
		result any
		err    error
	)
	if s.cfg.callTimeout > 0 {
		result, err = s.serveWithin(ctx, req, s.cfg.callTimeout)
	} else {
		result, err = s.safeServe(ctx, req)
	}
	if req.IsNotification() {
		if err != nil {
			s.cfg.logger.DebugContext(ctx, "jsonrpc: notification failed", "method", req.Method, "error", err)
		}
		return buf
	}
	if err == nil {
		raw, merr := s.encodeResult(result)
		if merr == nil {
			return appendResult(buf, req.ID, raw)
		}
		s.cfg.logger.ErrorContext(ctx, "jsonrpc: cannot encode result", "method", req.Method, "error", merr)
		err = merr
	}
	out, _ := (&schemarpc.Response{ID: req.ID, Error: s.wireError(ctx, req, err)}).AppendJSON(buf)
	return out
}

func (s *Server) safeServe(ctx context.Context, req *schemarpc.Request) (result any, err error) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				// The handler asks to abort the HTTP response; ServeHTTP
				// re-panics in its own goroutine.
				if hc := httpCallFromContext(ctx); hc != nil {
					hc.aborted.Store(true)
				}
				result, err = nil, errPanic
				return
			}
			s.cfg.logger.ErrorContext(ctx, "jsonrpc: handler panicked", "method", req.Method, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			result, err = nil, errPanic
		}
	}()
	return s.chain.ServeRPC(ctx, req)
}

var errPanic = errors.New("handler panicked")

// outcome is what a handler returned.
type outcome struct {
	result any
	err    error
}

// serveWithin runs the chain on a pooled goroutine and waits for it at most
// d. When d passes first, the call is answered with CodeDeadlineExceeded;
// the handler keeps running with its context canceled, and what it returns
// later is dropped.
func (s *Server) serveWithin(ctx context.Context, req *schemarpc.Request, d time.Duration) (any, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	done := make(chan outcome, 1) // buffered: a late handler never blocks
	s.pool.Go(func() {
		result, err := s.safeServe(ctx, req)
		done <- outcome{result, err}
	})
	select {
	case o := <-done:
		cancel()
		return o.result, o.err
	case <-ctx.Done():
		cancel()
		select {
		case o := <-done: // finished at the same moment: keep its answer
			return o.result, o.err
		default:
		}
		// DeadlineExceeded answers CodeDeadlineExceeded; Canceled (the
		// connection went away) CodeCanceled.
		return nil, ctx.Err()
	}
}

var errInvalidResultJSON = errors.New("server: the result is not valid JSON")

// encodeResult encodes a result with the codec. Bytes that do not come from
// encoding/json (a json.RawMessage result, a custom codec) are checked, as
// invalid JSON would corrupt the whole response or batch.
func (s *Server) encodeResult(result any) (json.RawMessage, error) {
	switch r := result.(type) {
	case nil:
		return nil, nil
	case json.RawMessage:
		if len(r) > 0 && jsonscan.Check(r, 0) != nil {
			return nil, errInvalidResultJSON
		}
		return r, nil
	}
	b, err := s.cfg.codec.Marshal(result)
	if err == nil && !s.stdCodec && jsonscan.Check(b, 0) != nil {
		return nil, errInvalidResultJSON
	}
	return b, err
}

func appendResult(buf []byte, id schemarpc.ID, raw json.RawMessage) []byte {
	out, _ := (&schemarpc.Response{ID: id, Result: raw}).AppendJSON(buf)
	return out
}

// wireError turns a handler error into the error object sent to the client.
func (s *Server) wireError(ctx context.Context, req *schemarpc.Request, err error) *schemarpc.Error {
	if e := schemarpc.AsError(err); e != nil {
		return e
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return schemarpc.CodeDeadlineExceeded.Err()
	case errors.Is(err, context.Canceled):
		return schemarpc.CodeCanceled.Err()
	}
	if err != errPanic {
		s.cfg.logger.ErrorContext(ctx, "jsonrpc: handler failed", "method", req.Method, "error", err)
	}
	e := schemarpc.ErrInternal
	if s.cfg.exposeErrors {
		return e.WithData(err.Error())
	}
	return e
}

// Handle answers one payload (a request or a batch) read from any
// transport and returns the encoded answer, or nil when there is nothing to
// send (notifications only).
func (s *Server) Handle(ctx context.Context, payload []byte) []byte {
	msgs, batch, derr := s.decoder.Decode(payload)
	if derr != nil {
		return s.ServeError(derr)
	}
	return s.ServeMessages(ctx, msgs, batch)
}

// ServeError encodes the answer to a payload that could not be decoded as a
// whole: a response with a null id.
func (s *Server) ServeError(e *schemarpc.Error) []byte {
	out, _ := (&schemarpc.Response{Error: e}).AppendJSON(nil)
	return out
}

// ServeMessages answers decoded messages: one message, or the members of a
// batch (answered in order, running up to the batch concurrency at once).
// A response among msgs is answered with -32600, as it is not a request.
// It returns nil when nothing is to be sent.
func (s *Server) ServeMessages(ctx context.Context, msgs []schemarpc.Message, batch bool) []byte {
	if !batch && len(msgs) == 1 {
		out := s.serveOne(ctx, &msgs[0], nil)
		if len(out) == 0 {
			return nil
		}
		return out
	}
	parts := make([][]byte, len(msgs))
	workers := min(s.cfg.batchConcurrency, len(msgs))
	if workers <= 1 {
		for i := range msgs {
			parts[i] = s.serveOne(ctx, &msgs[i], nil)
		}
	} else {
		// Workers take the next member until none is left; this goroutine
		// is one of them.
		var next atomic.Int64
		var wg sync.WaitGroup
		work := func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(msgs) {
					return
				}
				parts[i] = s.serveOne(ctx, &msgs[i], nil)
			}
		}
		wg.Add(workers - 1)
		for range workers - 1 {
			s.pool.Go(func() {
				defer wg.Done()
				work()
			})
		}
		work()
		wg.Wait()
	}
	size, n := 2, 0
	for _, p := range parts {
		if len(p) > 0 {
			size += len(p) + 1
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]byte, 0, size)
	out = append(out, '[')
	first := true
	for _, p := range parts {
		if len(p) == 0 {
			continue
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		out = append(out, p...)
	}
	return append(out, ']')
}

func (s *Server) serveOne(ctx context.Context, m *schemarpc.Message, buf []byte) []byte {
	switch {
	case m.Request != nil:
		return s.call(ctx, m.Request, buf)
	case m.Err != nil:
		out, _ := (&schemarpc.Response{ID: m.ID, Error: m.Err}).AppendJSON(buf)
		return out
	case m.Response != nil:
		// Only a peer that made calls expects responses; the WebSocket
		// transport routes them before they get here.
		out, _ := (&schemarpc.Response{ID: m.Response.ID, Error: errNotRequest}).AppendJSON(buf)
		return out
	}
	return buf
}

var errNotRequest = schemarpc.ErrInvalidRequest.WithData("expected a request, got a response")

// openRPCCompact returns the document as compact JSON for rpc.discover.
func (s *Server) openRPCCompact() (json.RawMessage, error) {
	if b := s.discoverCache.Load(); b != nil {
		return *b, nil
	}
	pretty, err := s.OpenRPCJSON()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, pretty); err != nil {
		return nil, err
	}
	b := json.RawMessage(buf.Bytes())
	s.discoverCache.Store(&b)
	return b, nil
}

// OpenRPCJSON returns the server's OpenRPC document as indented JSON. The
// document is built from the registry on first use and cached until the
// registry changes.
func (s *Server) OpenRPCJSON() ([]byte, error) {
	if b := s.docCache.Load(); b != nil {
		return *b, nil
	}
	doc := s.OpenRPC()
	b, err := schema.Marshal(doc)
	if err != nil {
		return nil, err
	}
	s.docCache.Store(&b)
	return b, nil
}

// OpenRPC returns the server's OpenRPC 1.3.2 document, built from the
// registry: methods sorted by name, shared schemas in components.
// rpc.discover itself is not listed.
func (s *Server) OpenRPC() *schema.Document {
	s.regMu.Lock()
	defer s.regMu.Unlock()
	methods := *s.methods.Load()
	doc := &schema.Document{
		OpenRPC: "1.3.2",
		Info: schema.Info{
			Title:       s.cfg.info.Title,
			Description: s.cfg.info.Description,
			Version:     s.cfg.info.Version,
		},
		Methods:    make([]*schema.Method, 0, len(methods)),
		Components: s.reflector.Components(),
	}
	for _, srv := range s.cfg.servers {
		doc.Servers = append(doc.Servers, schema.Server{Name: srv.Name, URL: srv.URL, Summary: srv.Summary, Description: srv.Description})
	}
	for _, name := range slices.Sorted(maps.Keys(methods)) {
		doc.Methods = append(doc.Methods, methods[name].doc)
	}
	return doc
}

func nullSchema() *jsonschema.Schema { return &jsonschema.Schema{Type: "null"} }

// Shutdown stops the server gracefully: new HTTP calls and WebSocket
// upgrades are refused with 503, calls in flight are answered, then every
// WebSocket connection is closed with status 1001 (going away). It returns
// when all of that is done, or with ctx.Err() when ctx ends first (the
// connections left are then closed at once). Use it together with
// http.Server.Shutdown, which does not track WebSocket connections.
func (s *Server) Shutdown(ctx context.Context) error {
	conns := s.stop()
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
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close refuses new calls and closes every WebSocket connection at once
// with status 1001, without waiting for calls in flight: their contexts are
// canceled and their answers dropped. It returns once the connections are
// closed (at most about a second for the close handshakes).
func (s *Server) Close() error {
	conns := s.stop()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
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
