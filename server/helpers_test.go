package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/server"
)

// serve starts an httptest server for s. Cleanup closes s's WebSocket
// connections, then the listener.
func serve(t testing.TB, s *server.Server) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return ts
}

func wsURL(ts *httptest.Server) string { return "ws" + strings.TrimPrefix(ts.URL, "http") }

// dial opens a WebSocket to ts; cleanup closes it (before the server, as it
// is registered later).
func dial(t testing.TB, ts *httptest.Server, header http.Header) *websocket.Conn {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(wsURL(ts), header)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial: %v (HTTP %d)", err, status)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// roundTrip writes one text frame and reads the next one.
func roundTrip(t testing.TB, ws *websocket.Conn, frame string) string {
	t.Helper()
	send(t, ws, frame)
	return recv(t, ws)
}

func send(t testing.TB, ws *websocket.Conn, frame string) {
	t.Helper()
	ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if err := ws.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
		t.Fatalf("write: %v", err)
	}
}

func recv(t testing.TB, ws *websocket.Conn) string {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, data, err := ws.ReadMessage()
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return string(data)
}

// httpResult is what a POST got back.
type httpResult struct {
	status int
	header http.Header
	body   string
}

// post sends body with the given Content-Type ("" for none).
func post(t testing.TB, url, contentType, body string) httpResult {
	t.Helper()
	return do(t, http.MethodPost, url, contentType, body)
}

func do(t testing.TB, method, url, contentType, body string) httpResult {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return httpResult{resp.StatusCode, resp.Header, string(b)}
}

// call runs one payload through s.Handle.
func call(s *server.Server, payload string) string {
	return string(s.Handle(context.Background(), []byte(payload)))
}

// sameJSON reports whether a and b hold the same JSON value (numbers compared
// as written after decoding into float64, member order ignored).
func sameJSON(t testing.TB, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatalf("not JSON: %v: %s", err, a)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatalf("not JSON: %v: %s", err, b)
	}
	ja, _ := json.Marshal(va)
	jb, _ := json.Marshal(vb)
	return bytes.Equal(ja, jb)
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

type (
	contextT = context.Context
	requestT = schemarpc.Request
)
