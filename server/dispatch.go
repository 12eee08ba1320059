package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/jsonscan"
	"github.com/schemarpc/schemarpc/validate"
)

// invoke is the innermost handler: look up, normalise, validate and
// decode (in one pass when the method allows it), call, prepare the
// result.
func (s *Server) invoke(ctx context.Context, req *schemarpc.Request) (any, error) {
	if strings.HasPrefix(req.Method, "rpc.") {
		return s.builtin(ctx, req)
	}
	m := s.lookup(req.Method)
	if m == nil {
		return nil, schemarpc.ErrMethodNotFound.WithData("method " + quote(req.Method) + " does not exist")
	}
	if m.subs != nil {
		return s.serveSubscribe(ctx, req, m)
	}
	params, perr := m.normalize(req.Params)
	if perr != nil {
		return nil, perr
	}
	if m.checked != nil && s.cfg.validation {
		// Validated while decoded, in one pass; errUndecided leaves the
		// params to the validator below, which decides and words the outcome.
		if result, err := m.checked(ctx, params); err != errUndecided {
			return s.finish(ctx, req, m, result, err)
		}
	}
	if m.validator != nil && s.cfg.validation {
		if err := m.validator.ValidateCheckedJSON(params); err != nil { // the decoder checked the payload
			var verr *validate.Error
			if errors.As(err, &verr) {
				return nil, schemarpc.ErrInvalidParams.WithData(verr.Violations)
			}
			if errors.Is(err, validate.ErrTooComplex) {
				return nil, schemarpc.ErrInvalidParams.WithData([]validate.Violation{{Keyword: "complexity", Message: "params too complex to check against the method's schema"}})
			}
			return nil, schemarpc.ErrInvalidParams.WithData([]validate.Violation{{Keyword: "json", Message: "params are not valid JSON"}})
		}
	}
	result, err := m.invoke(ctx, s.cfg.codec, params)
	return s.finish(ctx, req, m, result, err)
}

// finish prepares what a method returned.
func (s *Server) finish(ctx context.Context, req *schemarpc.Request, m *registered, result any, err error) (any, error) {
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

// call runs one request through the chain, recovering panics, and returns
// its encoded response (nil for a notification).
func (s *Server) call(ctx context.Context, req *schemarpc.Request) []byte {
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
		return nil
	}
	if err == nil {
		raw, merr := s.encodeResult(result)
		if merr == nil {
			return appendResult(req.ID, raw)
		}
		s.cfg.logger.ErrorContext(ctx, "jsonrpc: cannot encode result", "method", req.Method, "error", merr)
		err = merr
	}
	out, _ := (&schemarpc.Response{ID: req.ID, Error: s.wireError(ctx, req, err)}).AppendJSON(nil)
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

func appendResult(id schemarpc.ID, raw json.RawMessage) []byte {
	out, _ := (&schemarpc.Response{ID: id, Result: raw}).AppendJSON(nil)
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
		return serveError(derr)
	}
	return s.serveMessages(ctx, msgs, batch)
}

// serveError encodes the answer to a payload that could not be decoded as a
// whole: a response with a null id.
func serveError(e *schemarpc.Error) []byte {
	out, _ := (&schemarpc.Response{Error: e}).AppendJSON(nil)
	return out
}

// serveMessages answers decoded messages: one message, or the members of a
// batch (answered in order, running up to the batch concurrency at once).
// A response among msgs is answered with -32600, as it is not a request.
// It returns nil when nothing is to be sent.
func (s *Server) serveMessages(ctx context.Context, msgs []schemarpc.Message, batch bool) []byte {
	if !batch && len(msgs) == 1 {
		out := s.serveOne(ctx, &msgs[0])
		if len(out) == 0 {
			return nil
		}
		return out
	}
	if batch {
		ctx = withBatch(ctx, len(msgs))
	}
	parts := make([][]byte, len(msgs))
	workers := min(s.cfg.batchConcurrency, len(msgs))
	if workers <= 1 {
		for i := range msgs {
			parts[i] = s.serveOne(ctx, &msgs[i])
		}
	} else {
		// Workers take the next member until none is left; this goroutine
		// is one of them. Helpers start one after the other: each that
		// finds a member to serve first starts the next. On idle cores
		// they ramp up within microseconds (and handlers that wait, on I/O
		// for instance, overlap); on busy ones this goroutine serves most
		// of the batch before the first helper runs, and the batch costs
		// one hand-off instead of one per helper.
		var next atomic.Int64
		var wg sync.WaitGroup
		work := func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(msgs) {
					return
				}
				parts[i] = s.serveOne(ctx, &msgs[i])
			}
		}
		var help func(k int)
		help = func(k int) {
			wg.Add(1) // before Wait, or from a counted helper: never from zero during Wait
			s.pool.Go(func() {
				defer wg.Done()
				i := int(next.Add(1)) - 1
				if i >= len(msgs) {
					return
				}
				if k+1 < workers-1 && i+1 < len(msgs) {
					help(k + 1)
				}
				parts[i] = s.serveOne(ctx, &msgs[i])
				work()
			})
		}
		help(0)
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

func (s *Server) serveOne(ctx context.Context, m *schemarpc.Message) []byte {
	switch {
	case m.Request != nil:
		return s.call(ctx, m.Request)
	case m.Err != nil:
		out, _ := (&schemarpc.Response{ID: m.ID, Error: m.Err}).AppendJSON(nil)
		return out
	case m.Response != nil:
		// Only a peer that made calls expects responses; the WebSocket
		// transport routes them before they get here.
		out, _ := (&schemarpc.Response{ID: m.Response.ID, Error: errNotRequest}).AppendJSON(nil)
		return out
	}
	return nil
}

var errNotRequest = schemarpc.ErrInvalidRequest.WithData("expected a request, got a response")
