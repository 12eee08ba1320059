package server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
)

// ServeHTTP serves JSON-RPC over HTTP POST and, for GET requests asking for
// an upgrade, over WebSocket.
//
// Over HTTP: the method must be POST (else 405 with an Allow header); the
// Content-Type must be application/json (else 415); the body is limited
// (else 413). Every JSON-RPC answer is 200 with Content-Type
// application/json; a request or batch of notifications only gets 204 No
// Content with an empty body and Content-Type application/json (so that
// clients decoding every answer as JSON, such as aiohttp-rpc's, read it as
// no answer). Errors before JSON-RPC parsing still carry a JSON-RPC
// error body, never HTML.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && websocket.IsWebSocketUpgrade(r) {
		s.serveWS(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeHTTPError(w, http.StatusMethodNotAllowed, schemarpc.ErrInvalidRequest.WithData("HTTP method "+r.Method+" is not allowed: use POST (or GET with a WebSocket upgrade)"))
		return
	}
	if !isJSONContentType(r.Header.Get("Content-Type")) {
		writeHTTPError(w, http.StatusUnsupportedMediaType, schemarpc.ErrInvalidRequest.WithData("Content-Type must be application/json"))
		return
	}
	if !s.admitHTTP() {
		writeHTTPError(w, http.StatusServiceUnavailable, schemarpc.NewError(schemarpc.CodeOverloaded, "server is shutting down"))
		return
	}
	defer s.httpWG.Done()

	body, err := s.readBody(w, r)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeHTTPError(w, http.StatusRequestEntityTooLarge, schemarpc.ErrInvalidRequest.WithData("request body larger than "+strconv.FormatInt(mbe.Limit, 10)+" bytes"))
			return
		}
		writeHTTPError(w, http.StatusBadRequest, schemarpc.ErrParse.WithData("cannot read request body"))
		return
	}
	ctx, hc := withRequest(r.Context(), r)
	out := s.Handle(ctx, body)
	if hc.aborted.Load() {
		panic(http.ErrAbortHandler)
	}
	if out == nil {
		// No response is due: 204 with no body, as the spec asks. The
		// Content-Type describes the (empty) answer for clients that read
		// every body through a JSON decoder checking the media type, such
		// as aiohttp's ClientResponse.json() in aiohttp-rpc's notify and
		// batch_notify: with it they decode the empty body as "no answer";
		// without it they fail before reading.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(http.StatusOK)
	w.Write(out)
}

func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	rd := r.Body
	if s.cfg.maxBodyBytes > 0 {
		if r.ContentLength > s.cfg.maxBodyBytes {
			return nil, &http.MaxBytesError{Limit: s.cfg.maxBodyBytes}
		}
		rd = http.MaxBytesReader(w, r.Body, s.cfg.maxBodyBytes)
	}
	if r.ContentLength > 0 {
		// net/http never reads past the announced length.
		buf := make([]byte, r.ContentLength)
		if _, err := io.ReadFull(rd, buf); err != nil {
			return nil, err
		}
		return buf, nil
	}
	return io.ReadAll(rd)
}

func isJSONContentType(ct string) bool {
	if ct == "application/json" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/json"
}

// writeHTTPError writes a JSON-RPC error response with a null id and the
// given HTTP status.
func writeHTTPError(w http.ResponseWriter, status int, e *schemarpc.Error) {
	out, _ := (&schemarpc.Response{Error: e}).AppendJSON(nil)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(out)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(out)
}
