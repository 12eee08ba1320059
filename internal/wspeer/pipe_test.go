package wspeer_test

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/wspeer"
)

// The tests in this file depend on time: they run in a synctest bubble,
// over an in-memory pipe, so that timeouts pass at once and exactly.

// pipeConns returns the two ends of a WebSocket connection over net.Pipe:
// the server's (upgraded from a real HTTP request) and the client's.
func pipeConns(t *testing.T) (srv, cli *websocket.Conn) {
	t.Helper()
	a, b := net.Pipe()
	type result struct {
		ws  *websocket.Conn
		err error
	}
	done := make(chan result, 1)
	go func() {
		br := bufio.NewReader(a)
		req, err := http.ReadRequest(br)
		if err != nil {
			done <- result{nil, err}
			return
		}
		w := &hijackable{conn: a, brw: bufio.NewReadWriter(br, bufio.NewWriter(a)), h: http.Header{}}
		ws, err := (&websocket.Upgrader{}).Upgrade(wspeer.BatchingWriter(w), req, nil)
		done <- result{ws, err}
	}()
	d := websocket.Dialer{NetDialContext: func(context.Context, string, string) (net.Conn, error) { return b, nil }}
	cli, _, err := d.Dial("ws://pipe/", nil)
	if err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.ws, cli
}

// hijackable is the http.ResponseWriter of a request read by hand.
type hijackable struct {
	conn net.Conn
	brw  *bufio.ReadWriter
	h    http.Header
}

func (w *hijackable) Header() http.Header         { return w.h }
func (w *hijackable) Write(b []byte) (int, error) { return w.conn.Write(b) }
func (w *hijackable) WriteHeader(int)             {}
func (w *hijackable) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.conn, w.brw, nil
}

// run starts p and returns a channel that receives Run's result.
func run(p *wspeer.Peer) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- p.Run(context.Background()) }()
	return ch
}

func TestPeer_silentPeerIsDisconnected(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The server pings; the client side never reads, so it never
		// answers, and the server drops it once PongWait has passed.
		sws, cws := pipeConns(t)
		defer cws.Close()
		start := time.Now()
		p := wspeer.New(sws, &testHandler{serve: echo}, wspeer.Config{PingInterval: 20 * time.Millisecond, PongWait: 60 * time.Millisecond})
		err := <-run(p)
		if err == nil {
			t.Fatal("peer ended without a cause")
		}
		// The ping is written after 20 ms and then blocks (nobody reads)
		// until its write deadline, WriteWait (10 s), or the read deadline
		// ends the connection first: at PongWait, at most.
		if d := time.Since(start); d > 60*time.Millisecond {
			t.Fatalf("dropped after %v, want at most PongWait (60ms)", d)
		}
	})
}

func TestPeer_timedOutCallLeavesPendingTable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		block := make(chan struct{})
		sws, cws := pipeConns(t)
		srv := wspeer.New(sws, &testHandler{serve: func(ctx context.Context, req *schemarpc.Request) *schemarpc.Response {
			<-block
			return echo(ctx, req)
		}}, wspeer.Config{})
		cli := wspeer.New(cws, &testHandler{serve: echo}, wspeer.Config{})
		srvDone, cliDone := run(srv), run(cli)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		if _, err := call(t, ctx, cli, 1, `[]`); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v, want DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 50*time.Millisecond {
			t.Fatalf("call returned after %v, want 50ms", d)
		}
		if n := cli.Pending(); n != 0 {
			t.Fatalf("%d calls still pending after timeout", n)
		}
		close(block)
		cli.Close(context.Background(), websocket.CloseNormalClosure, "")
		<-cliDone
		<-srvDone
	})
}

// After a close handshake the queued notifications are handled for at most
// DrainTimeout: a handler that never returns on its own sees its context
// end then, and the notifications left are counted as dropped.
func TestPeer_drainAfterCloseIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const drain = 50 * time.Millisecond
		started := make(chan struct{})
		var stopped error
		var stoppedAt time.Time
		h := notifyHandler(func(ctx context.Context, r *schemarpc.Request) {
			if string(r.Params) != `[0]` {
				t.Errorf("notification %s handled after the drain timeout", r.Params)
				return
			}
			close(started)
			<-ctx.Done() // until the drain timeout
			stopped, stoppedAt = ctx.Err(), time.Now()
		})
		sws, cws := pipeConns(t)
		srv := wspeer.New(sws, h, wspeer.Config{DrainTimeout: drain})
		cli := wspeer.New(cws, &testHandler{serve: echo}, wspeer.Config{})
		srvDone, cliDone := run(srv), run(cli)
		for i := range 4 {
			frame, _ := (&schemarpc.Request{Method: "note", Params: []byte(`[` + itoa(i) + `]`)}).AppendJSON(nil)
			if err := cli.Send(context.Background(), frame); err != nil {
				t.Fatal(err)
			}
		}
		<-started
		synctest.Wait() // the other three are queued
		closedAt := time.Now()
		cli.Close(context.Background(), websocket.CloseNormalClosure, "")
		<-cliDone
		err := <-srvDone
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != websocket.CloseNormalClosure {
			t.Fatalf("Run returned %v, want close 1000", err)
		}
		if !errors.Is(stopped, context.Canceled) || stoppedAt.Sub(closedAt) != drain {
			t.Fatalf("blocked handler's context ended with %v after %v, want Canceled after %v", stopped, stoppedAt.Sub(closedAt), drain)
		}
		if d := srv.DroppedNotifications(); d != 3 {
			t.Fatalf("DroppedNotifications = %d, want 3", d)
		}
	})
}
