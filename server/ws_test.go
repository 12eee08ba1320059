package server_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
	"github.com/schemarpc/schemarpc/server"
)

// dialStatus dials and returns the HTTP status of a refused handshake with
// its body, or 101 when the upgrade succeeded.
func dialStatus(t *testing.T, url string, header http.Header) (int, string) {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(url, header)
	if err == nil {
		ws.Close()
		return http.StatusSwitchingProtocols, ""
	}
	if resp == nil {
		t.Fatalf("dial: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestWS_origin(t *testing.T) {
	leakcheck.Check(t)
	var conns atomic.Int32
	onConnect := server.WithOnConnect(func(*server.Conn) { conns.Add(1) })
	t.Run("default", func(t *testing.T) {
		conns.Store(0)
		ts := serve(t, demo.New(nil, onConnect))
		for origin, want := range map[string]int{
			"":                        101,
			ts.URL:                    101,
			"http://evil.example":     403,
			"null":                    403,
			"http://" + "127.0.0.2:1": 403,
		} {
			h := http.Header{}
			if origin != "" {
				h.Set("Origin", origin)
			}
			status, body := dialStatus(t, wsURL(ts), h)
			if status != want {
				t.Errorf("Origin %q: HTTP %d, want %d", origin, status, want)
			}
			if status == 403 && !strings.HasPrefix(body, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600`) {
				t.Errorf("Origin %q: body %s", origin, body)
			}
		}
		// onConnect runs just after the handshake: give it a moment.
		for deadline := time.Now().Add(2 * time.Second); conns.Load() < 2 && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
		if conns.Load() != 2 {
			t.Errorf("%d connections opened, want 2 (refused origins must not reach the upgrade)", conns.Load())
		}
	})
	t.Run("allow list", func(t *testing.T) {
		ts := serve(t, demo.New(nil, server.WithAllowedOrigins("https://app.example", "HTTP://Other.Example/")))
		for origin, want := range map[string]int{
			"https://app.example":      101,
			"http://other.example":     101,
			"http://app.example":       403,
			"https://app.example:8443": 403,
			"https://evil.example":     403,
		} {
			if status, _ := dialStatus(t, wsURL(ts), http.Header{"Origin": {origin}}); status != want {
				t.Errorf("Origin %q: HTTP %d, want %d", origin, status, want)
			}
		}
	})
	t.Run("any", func(t *testing.T) {
		ts := serve(t, demo.New(nil, server.WithAllowedOrigins("*")))
		if status, _ := dialStatus(t, wsURL(ts), http.Header{"Origin": {"https://evil.example"}}); status != 101 {
			t.Errorf("HTTP %d", status)
		}
	})
	t.Run("check func", func(t *testing.T) {
		ts := serve(t, demo.New(nil, server.WithCheckOrigin(func(r *http.Request) bool { return r.Header.Get("X-Ok") == "1" })))
		if status, _ := dialStatus(t, wsURL(ts), http.Header{"X-Ok": {"1"}}); status != 101 {
			t.Errorf("accepted by the check: HTTP %d", status)
		}
		if status, _ := dialStatus(t, wsURL(ts), nil); status != 403 {
			t.Errorf("refused by the check: HTTP %d", status)
		}
	})
}

func TestWS_readLimit(t *testing.T) {
	leakcheck.Check(t)
	ts := serve(t, demo.New(nil, server.WithReadLimit(128)))
	ws := dial(t, ts, nil)
	if got := roundTrip(t, ws, ping); got != `{"jsonrpc":"2.0","id":1,"result":"pong"}` {
		t.Fatalf("small frame: %s", got)
	}
	send(t, ws, `{"jsonrpc":"2.0","method":"echo","id":2,"params":["`+strings.Repeat("x", 200)+`"]}`)
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err := ws.ReadMessage()
	if !websocket.IsCloseError(err, websocket.CloseMessageTooBig) {
		t.Fatalf("got %v, want close 1009", err)
	}
}

func TestWS_badFrame(t *testing.T) {
	leakcheck.Check(t)
	ts := serve(t, demo.New(nil))
	ws := dial(t, ts, nil)
	for _, bad := range []string{`{"jsonrpc":`, "\xff\xfe", `[`, ``} {
		if got := roundTrip(t, ws, bad); !strings.Contains(got, `"code":-32700`) {
			t.Errorf("%q: %s", bad, got)
		}
	}
	if err := ws.WriteMessage(websocket.BinaryMessage, []byte(ping)); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, ws); got != `{"jsonrpc":"2.0","id":1,"result":"pong"}` {
		t.Errorf("binary frame: %s", got)
	}
	if got := roundTrip(t, ws, ping); got != `{"jsonrpc":"2.0","id":1,"result":"pong"}` {
		t.Errorf("after bad frames: %s", got)
	}
}

func TestWS_countdownPushes(t *testing.T) {
	leakcheck.Check(t)
	ts := serve(t, demo.New(nil))
	ws := dial(t, ts, nil)
	send(t, ws, `{"jsonrpc":"2.0","method":"countdown","params":{"n":3},"id":"c"}`)
	for _, want := range []string{
		`{"jsonrpc":"2.0","method":"tick","params":{"remaining":2}}`,
		`{"jsonrpc":"2.0","method":"tick","params":{"remaining":1}}`,
		`{"jsonrpc":"2.0","method":"tick","params":{"remaining":0}}`,
		`{"jsonrpc":"2.0","id":"c","result":3}`,
	} {
		if got := recv(t, ws); got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
	// Over HTTP there is nothing to push to: the same call answers n.
	if r := post(t, ts.URL, "application/json", `{"jsonrpc":"2.0","method":"countdown","params":[1],"id":1}`); r.body != `{"jsonrpc":"2.0","id":1,"result":1}` {
		t.Errorf("over HTTP: %s", r.body)
	}
}

func TestWS_concurrentCalls(t *testing.T) {
	leakcheck.Check(t)
	release := make(chan struct{})
	s := demo.New(nil)
	s.MustAdd(server.FuncNoParams("wait", func(ctx context.Context) (string, error) {
		<-release
		return "done", nil
	}))
	ts := serve(t, s)
	ws := dial(t, ts, nil)
	send(t, ws, `{"jsonrpc":"2.0","method":"wait","id":"slow"}`)
	// A slow call does not hold up the next one on the same connection.
	if got := roundTrip(t, ws, ping); got != `{"jsonrpc":"2.0","id":1,"result":"pong"}` {
		t.Errorf("got %s", got)
	}
	close(release)
	if got := recv(t, ws); got != `{"jsonrpc":"2.0","id":"slow","result":"done"}` {
		t.Errorf("got %s", got)
	}
}

// slowServer has a method "slow" that announces its start on entered and
// answers when release is closed.
func slowServer() (s *server.Server, entered chan struct{}, release chan struct{}) {
	entered, release = make(chan struct{}, 10), make(chan struct{})
	s = demo.New(nil)
	s.MustAdd(server.FuncNoParams("slow", func(ctx context.Context) (string, error) {
		entered <- struct{}{}
		<-release
		return "finished", nil
	}))
	return s, entered, release
}

func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

func TestShutdown_websocket(t *testing.T) {
	leakcheck.Check(t)
	s, entered, release := slowServer()
	ts := serve(t, s)
	ws := dial(t, ts, nil)
	send(t, ws, `{"jsonrpc":"2.0","method":"slow","id":"s"}`)
	waitFor(t, entered, "the slow call")

	shutdownErr := make(chan error, 1)
	go func() { shutdownErr <- s.Shutdown(testCtx(t)) }()

	// New upgrades and HTTP calls are refused with 503 from now on.
	deadline := time.Now().Add(5 * time.Second)
	for {
		status, body := dialStatus(t, wsURL(ts), nil)
		if status == 503 {
			if !strings.Contains(body, `"code":-32097`) {
				t.Errorf("503 body: %s", body)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("upgrade during shutdown: HTTP %d", status)
		}
		time.Sleep(5 * time.Millisecond)
	}
	wantJSONError(t, post(t, ts.URL, "application/json", ping), 503, -32097)
	select {
	case err := <-shutdownErr:
		t.Fatalf("Shutdown returned %v with a call in flight", err)
	default:
	}

	close(release)
	if got := recv(t, ws); got != `{"jsonrpc":"2.0","id":"s","result":"finished"}` {
		t.Errorf("in-flight call: %s", got)
	}
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err := ws.ReadMessage()
	if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Errorf("got %v, want close 1001", err)
	}
	select {
	case err := <-shutdownErr:
		if err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Shutdown did not return")
	}
	if n := len(s.Conns()); n != 0 {
		t.Errorf("%d connections left", n)
	}
}

func TestShutdown_contextEnds(t *testing.T) {
	leakcheck.Check(t)
	s, entered, release := slowServer()
	defer close(release)
	ts := serve(t, s)
	ws := dial(t, ts, nil)
	send(t, ws, `{"jsonrpc":"2.0","method":"slow","id":"s"}`)
	waitFor(t, entered, "the slow call")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := s.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown: %v, want DeadlineExceeded", err)
	}
}

func TestClose(t *testing.T) {
	leakcheck.Check(t)
	s, entered, release := slowServer()
	defer close(release)
	ts := serve(t, s)
	ws1 := dial(t, ts, nil)
	ws2 := dial(t, ts, nil)
	send(t, ws1, `{"jsonrpc":"2.0","method":"slow","id":"s"}`)
	waitFor(t, entered, "the slow call")
	// The clients read, so that they answer the close handshake.
	closed := make(chan error, 2)
	for _, ws := range []*websocket.Conn{ws1, ws2} {
		go func() {
			ws.SetReadDeadline(time.Now().Add(5 * time.Second))
			for {
				if _, _, err := ws.ReadMessage(); err != nil {
					closed <- err
					return
				}
			}
		}()
	}
	start := time.Now()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v", d)
	}
	for range 2 {
		if err := <-closed; !websocket.IsCloseError(err, websocket.CloseGoingAway) {
			t.Errorf("got %v, want close 1001", err)
		}
	}
	if status, _ := dialStatus(t, wsURL(ts), nil); status != 503 {
		t.Errorf("upgrade after Close: HTTP %d", status)
	}
}
