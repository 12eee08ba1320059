package server_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
	"github.com/schemarpc/schemarpc/server"
)

// Each limit of docs/security.md is tested here, with a small value so the
// tests stay fast; the default values are checked by TestLimits_defaults.

func TestLimits_defaults(t *testing.T) {
	hs := server.NewHTTPServer(http.NotFoundHandler(), "127.0.0.1:0")
	for name, got := range map[string][2]int64{
		"ReadHeaderTimeout": {int64(hs.ReadHeaderTimeout), int64(server.DefaultReadHeaderTimeout)},
		"ReadTimeout":       {int64(hs.ReadTimeout), int64(server.DefaultReadTimeout)},
		"WriteTimeout":      {int64(hs.WriteTimeout), int64(server.DefaultWriteTimeout)},
		"IdleTimeout":       {int64(hs.IdleTimeout), int64(server.DefaultIdleTimeout)},
		"MaxHeaderBytes":    {int64(hs.MaxHeaderBytes), server.DefaultMaxHeaderBytes},
	} {
		if got[0] != got[1] || got[0] <= 0 {
			t.Errorf("NewHTTPServer: %s = %d, want %d", name, got[0], got[1])
		}
	}
	if hs.Addr != "127.0.0.1:0" {
		t.Errorf("Addr %q", hs.Addr)
	}
}

func nested(depth int) string {
	return `{"jsonrpc":"2.0","method":"raw","params":` + strings.Repeat("[", depth-1) + strings.Repeat("]", depth-1) + `,"id":1}`
}

func TestLimits_maxDepth(t *testing.T) {
	leakcheck.Check(t)
	s := fuzzServer(server.WithMaxDepth(8))
	ts := serve(t, s)
	ws := dial(t, ts, nil)
	tooDeep := `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error","data":"nested too deeply"}}`
	for _, c := range []struct {
		payload, want string
	}{
		{nested(8), `{"jsonrpc":"2.0","id":1,"result":` + strings.Repeat("[", 7) + strings.Repeat("]", 7) + `}`},
		{nested(9), tooDeep},
		{"[" + nested(7) + "]", `[{"jsonrpc":"2.0","id":1,"result":` + strings.Repeat("[", 6) + strings.Repeat("]", 6) + `}]`},
		{"[" + nested(8) + "]", tooDeep},
	} {
		if got := call(s, c.payload); got != c.want {
			t.Errorf("Handle %.40s…: %s, want %s", c.payload, got, c.want)
		}
		if r := post(t, ts.URL, "application/json", c.payload); r.status != 200 || r.body != c.want {
			t.Errorf("HTTP %.40s…: %d %s, want %s", c.payload, r.status, r.body, c.want)
		}
		if got := roundTrip(t, ws, c.payload); got != c.want {
			t.Errorf("WS %.40s…: %s, want %s", c.payload, got, c.want)
		}
	}
	// The default is encoding/json's limit.
	if got := call(fuzzServer(server.WithMaxDepth(0)), nested(schemarpc.DefaultMaxDepth+1)); got != tooDeep {
		t.Errorf("default limit: %.80s", got)
	}
}

func TestLimits_maxConns(t *testing.T) {
	leakcheck.Check(t)
	s := fuzzServer(server.WithMaxConns(2))
	ts := serve(t, s)
	ws1 := dial(t, ts, nil)
	dial(t, ts, nil)
	status, body := dialStatus(t, wsURL(ts), nil)
	if status != http.StatusServiceUnavailable || body != `{"jsonrpc":"2.0","id":null,"error":{"code":-32097,"message":"too many connections"}}` {
		t.Fatalf("third connection: HTTP %d %s", status, body)
	}
	// HTTP calls are not connections in this sense.
	if r := post(t, ts.URL, "application/json", `{"jsonrpc":"2.0","method":"none","id":1}`); r.status != 200 {
		t.Errorf("HTTP call at the connection limit: %d %s", r.status, r.body)
	}
	ws1.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		status, _ := dialStatus(t, wsURL(ts), nil)
		if status == http.StatusSwitchingProtocols {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no connection admitted after one closed: HTTP %d", status)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stuckServer has a method "stuck" that ignores its context and waits for
// release, and "quick". entered receives once per stuck call.
func stuckServer(opts ...server.Option) (s *server.Server, entered chan struct{}, release func()) {
	s = server.New(opts...)
	entered = make(chan struct{}, 64)
	gate := make(chan struct{})
	s.MustAdd(
		server.FuncNoParams("stuck", func(context.Context) (string, error) {
			entered <- struct{}{}
			<-gate
			return "late", nil
		}),
		server.FuncNoParams("quick", func(context.Context) (string, error) { return "quick", nil }),
	)
	var once atomic.Bool
	return s, entered, func() {
		if once.CompareAndSwap(false, true) {
			close(gate)
		}
	}
}

func TestCallTimeout_handlerIgnoresContext(t *testing.T) {
	leakcheck.Check(t)
	s, _, release := stuckServer(server.WithCallTimeout(50 * time.Millisecond))
	t.Cleanup(release) // after the server has closed: the handlers end too
	ts := serve(t, s)
	timedOut := `{"jsonrpc":"2.0","id":1,"error":{"code":-32099,"message":"Request timed out"}}`
	check := func(transport string, f func() string, want string) {
		t.Helper()
		start := time.Now()
		got := f()
		if got != want {
			t.Errorf("%s: %s, want %s", transport, got, want)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: answered after %v", transport, d)
		}
	}
	stuck := `{"jsonrpc":"2.0","method":"stuck","id":1}`
	check("Handle", func() string { return call(s, stuck) }, timedOut)
	check("HTTP", func() string { return post(t, ts.URL, "application/json", stuck).body }, timedOut)
	ws := dial(t, ts, nil)
	check("WS", func() string { return roundTrip(t, ws, stuck) }, timedOut)
	batch := `[{"jsonrpc":"2.0","method":"quick","id":0},` + stuck + `]`
	check("batch", func() string { return post(t, ts.URL, "application/json", batch).body },
		`[{"jsonrpc":"2.0","id":0,"result":"quick"},`+timedOut+`]`)
	// The late results are dropped; the connection still serves.
	release()
	check("after", func() string { return roundTrip(t, ws, `{"jsonrpc":"2.0","method":"quick","id":2}`) },
		`{"jsonrpc":"2.0","id":2,"result":"quick"}`)
}

// listen serves h on a loopback listener with the http.Server that
// NewHTTPServer builds, after tune has adjusted it.
func listen(t *testing.T, h http.Handler, tune func(*http.Server)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := server.NewHTTPServer(h, ln.Addr().String())
	tune(hs)
	done := make(chan struct{})
	go func() {
		defer close(done)
		hs.Serve(ln)
	}()
	t.Cleanup(func() {
		hs.Close()
		<-done
	})
	return ln.Addr().String()
}

// closedWithin reports whether the server closes conn (a read returns an
// error other than a timeout) within d while trickle keeps writing.
func closedWithin(t *testing.T, conn net.Conn, d time.Duration) (bool, string) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(d))
	b, err := io.ReadAll(conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return false, string(b)
	}
	return true, string(b)
}

func TestHTTPServer_slowlorisCutByReadHeaderTimeout(t *testing.T) {
	leakcheck.Check(t)
	addr := listen(t, fuzzServer(), func(hs *http.Server) { hs.ReadHeaderTimeout = 200 * time.Millisecond })
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// One header byte every 20ms, forever: only the timeout ends it.
	stop := make(chan struct{})
	trickled := make(chan struct{})
	go func() {
		defer close(trickled)
		head := "POST / HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("a", 1000)
		for i := 0; i < len(head); i++ {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			if _, err := conn.Write([]byte{head[i]}); err != nil {
				return
			}
		}
	}()
	defer func() { close(stop); <-trickled }()
	start := time.Now()
	closed, _ := closedWithin(t, conn, 3*time.Second)
	if !closed {
		t.Fatal("a client sending one header byte at a time was not cut off")
	}
	if d := time.Since(start); d < 150*time.Millisecond || d > 2*time.Second {
		t.Errorf("cut off after %v, want about the 200ms ReadHeaderTimeout", d)
	}
}

func TestHTTPServer_slowBodyCutByReadTimeout(t *testing.T) {
	leakcheck.Check(t)
	addr := listen(t, fuzzServer(), func(hs *http.Server) { hs.ReadTimeout = 300 * time.Millisecond })
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"jsonrpc":"2.0","method":"none","id":1}`
	io.WriteString(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "+
		itoa(len(body))+"\r\n\r\n"+body[:5])
	start := time.Now()
	closed, answer := closedWithin(t, conn, 3*time.Second)
	if !closed {
		t.Fatal("a client that stopped sending its body was not cut off")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cut off after %v", d)
	}
	// The handler saw the read fail and answered it as unreadable.
	if !strings.HasPrefix(answer, "HTTP/1.1 400") || !strings.Contains(answer, `"code":-32700`) {
		t.Errorf("answer %q", answer)
	}
}

func TestHTTPServer_idleConnectionCutByIdleTimeout(t *testing.T) {
	leakcheck.Check(t)
	addr := listen(t, fuzzServer(), func(hs *http.Server) { hs.IdleTimeout = 200 * time.Millisecond })
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"jsonrpc":"2.0","method":"none","id":1}`
	io.WriteString(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "+itoa(len(body))+"\r\n\r\n"+body)
	conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("HTTP %d", resp.StatusCode)
	}
	start := time.Now()
	if closed, _ := closedWithin(t, conn, 3*time.Second); !closed {
		t.Fatal("an idle kept-alive connection was not closed")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("closed after %v", d)
	}
}

// waitNoConns waits until s has no WebSocket connection left.
func waitNoConns(t *testing.T, s *server.Server, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for len(s.Conns()) > 0 {
		if time.Since(start) > within {
			t.Fatalf("%d connection(s) still open after %v", len(s.Conns()), within)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

func TestWS_clientThatNeverReadsIsDropped(t *testing.T) {
	leakcheck.Check(t)
	conns := make(chan *server.Conn, 1)
	s := fuzzServer(server.WithWriteTimeout(200*time.Millisecond), server.WithPingInterval(0),
		server.WithOnConnect(func(c *server.Conn) { conns <- c }))
	ts := serve(t, s)
	dial(t, ts, nil) // never reads
	c := <-conns
	// Push until the socket buffers are full and a write stalls past the
	// write timeout: the push fails and the connection is dropped.
	payload := map[string]string{"blob": strings.Repeat("x", 64<<10)}
	start := time.Now()
	var sent int
	var err error
	for sent = 0; sent < 100000; sent++ {
		if err = c.Notify(context.Background(), "blob", payload); err != nil {
			break
		}
	}
	if err == nil {
		t.Fatalf("%d notifications of 64 KiB to a client that never reads all succeeded", sent)
	}
	t.Logf("%d notifications (%d MiB) pushed before the write timeout; dropped after %v: %v", sent, sent/16, time.Since(start), err)
	select {
	case <-c.Done():
	case <-time.After(3 * time.Second):
		t.Fatal("connection not closed")
	}
	waitNoConns(t, s, 3*time.Second)
}

func TestWS_answersToAClientThatNeverReads(t *testing.T) {
	leakcheck.Check(t)
	s := fuzzServer(server.WithWriteTimeout(200*time.Millisecond), server.WithPingInterval(0))
	ts := serve(t, s)
	ws := dial(t, ts, nil)
	// Calls with big answers, never read: the server's writes stall, time
	// out, and the connection goes; the client's writes then fail.
	big := `{"jsonrpc":"2.0","method":"raw","params":["` + strings.Repeat("y", 64<<10) + `"],"id":1}`
	ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	for i := 0; i < 5000; i++ {
		if err := ws.WriteMessage(websocket.TextMessage, []byte(big)); err != nil {
			break
		}
		if i%50 == 0 && len(s.Conns()) == 0 {
			break
		}
	}
	waitNoConns(t, s, 5*time.Second)
}

func TestWS_connConcurrencyOverloaded(t *testing.T) {
	leakcheck.Check(t)
	s, entered, release := stuckServer(server.WithConnConcurrency(1))
	ts := serve(t, s)
	ws := dial(t, ts, nil)
	t.Cleanup(release)
	send(t, ws, `{"jsonrpc":"2.0","method":"stuck","id":0}`)
	waitFor(t, entered, "the first call")
	// 16 more wait in the backlog; the next is refused at once.
	for i := 1; i <= 16; i++ {
		send(t, ws, `{"jsonrpc":"2.0","method":"quick","id":`+itoa(i)+`}`)
	}
	if got := roundTrip(t, ws, `{"jsonrpc":"2.0","method":"quick","id":17}`); got != `{"jsonrpc":"2.0","id":17,"error":{"code":-32097,"message":"too many concurrent calls on this connection"}}` {
		t.Fatalf("over the backlog: %s", got)
	}
	release()
	if got := recv(t, ws); got != `{"jsonrpc":"2.0","id":0,"result":"late"}` {
		t.Errorf("first call: %s", got)
	}
	for i := 1; i <= 16; i++ {
		if got := recv(t, ws); got != `{"jsonrpc":"2.0","id":`+itoa(i)+`,"result":"quick"}` {
			t.Errorf("backlog call %d: %s", i, got)
		}
	}
}
