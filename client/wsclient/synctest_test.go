package wsclient_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/internal/memnet"
)

// network is an in-memory network inside a synctest bubble on which a
// server can go down and come back; the clients' dialer reaches whichever
// server is up.
type network struct {
	mu  sync.Mutex
	ln  *memnet.Listener // nil while the server is down
	env *env
	hs  *http.Server
}

func (n *network) up() *env {
	e := newEnvUnstarted()
	ln := memnet.Listen()
	hs := &http.Server{Handler: e.srv}
	go hs.Serve(ln)
	n.mu.Lock()
	n.ln, n.env, n.hs = ln, e, hs
	n.mu.Unlock()
	return e
}

func (n *network) down() {
	n.mu.Lock()
	ln, e, hs := n.ln, n.env, n.hs
	n.ln = nil
	n.mu.Unlock()
	if ln != nil {
		e.srv.Close()
		hs.Close()
		ln.Close()
	}
}

func (n *network) dialer() *websocket.Dialer {
	return &websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		n.mu.Lock()
		ln := n.ln
		n.mu.Unlock()
		if ln == nil {
			return nil, errors.New("connection refused")
		}
		return ln.Dial(ctx, network, addr)
	}}
}

// The client redials with the backoff it was given, measured on the
// bubble's clock: a call made while the server is down fails once the
// attempts are spent, and the next call after the server is back redials.
func TestWSReconnect_backoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n network
		e := n.up()
		ctx := context.Background()
		b := wsclient.Backoff{Initial: time.Second, Multiplier: 2, Max: 3 * time.Second, Attempts: 4}
		c, err := wsclient.Dial(ctx, "ws://memnet/rpc", wsclient.WithDialer(n.dialer()), wsclient.WithReconnect(b))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		done := make(chan error)
		go func() { done <- c.Call(ctx, "block", nil, nil) }()
		<-e.entered

		// The server goes away: the call in flight fails at once.
		n.down()
		if err := <-done; !errors.Is(err, client.ErrTransport) || !errors.Is(err, schemarpc.ErrConnClosed) {
			t.Fatalf("in-flight call: err = %v", err)
		}
		// A call waits for the 4 dials and the 3 pauses between them (1s,
		// 2s, then 3s: capped), each within ±20%.
		start := time.Now()
		if err := c.Call(ctx, "ping", nil, nil); !errors.Is(err, client.ErrTransport) || !errors.Is(err, schemarpc.ErrConnClosed) {
			t.Fatalf("server down: err = %v", err)
		}
		if d, want := time.Since(start), 6*time.Second; d < want*8/10 || d > want*12/10 {
			t.Fatalf("gave up after %v, want %v ± 20%%", d, want)
		}
		// Back up: the next call redials at once and succeeds.
		n.up()
		defer n.down()
		start = time.Now()
		if s, err := client.CallAs[string](ctx, c, "ping", nil); err != nil || s != "pong" {
			t.Fatalf("after restart: ping = %q, %v", s, err)
		}
		if d := time.Since(start); d != 0 {
			t.Fatalf("the first redial waited %v", d)
		}
	})
}

// A call waiting for a reconnection gives up when its context ends, and
// Close stops a reconnection that is pausing.
func TestWSReconnect_waitsWithinContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n network
		n.up()
		ctx := context.Background()
		c, err := wsclient.Dial(ctx, "ws://memnet/rpc", wsclient.WithDialer(n.dialer()),
			wsclient.WithReconnect(wsclient.Backoff{Initial: time.Hour, Attempts: 2}))
		if err != nil {
			t.Fatal(err)
		}
		n.down()
		synctest.Wait() // the client has seen the loss
		sctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		if err := c.Call(sctx, "ping", nil, nil); !errors.Is(err, client.ErrTimeout) {
			t.Fatalf("err = %v", err)
		}
		if d := time.Since(start); d != 100*time.Millisecond {
			t.Fatalf("gave up after %v, want the context's 100ms", d)
		}
		start = time.Now()
		c.Close()
		if d := time.Since(start); d != 0 {
			t.Fatalf("Close waited %v for the pause to end", d)
		}
	})
}

// With pings on, a server that stops answering is dropped after twice the
// interval, and the call pending on it fails.
func TestWS_pingDropsSilentServer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ln := memnet.Listen()
		stop := make(chan struct{})
		up := websocket.Upgrader{}
		hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ws, err := up.Upgrade(w, r, nil)
			if err != nil {
				return
			}
			<-stop // never reads: pings go unanswered
			ws.Close()
		})}
		go hs.Serve(ln)
		defer func() {
			close(stop)
			hs.Close()
			ln.Close()
		}()
		c, err := wsclient.Dial(context.Background(), "ws://memnet/",
			wsclient.WithDialer(&websocket.Dialer{NetDialContext: ln.Dial}), wsclient.WithPingInterval(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		start := time.Now()
		err = c.Call(context.Background(), "ping", nil, nil)
		if !errors.Is(err, client.ErrTransport) {
			t.Fatalf("err = %v, want ErrTransport", err)
		}
		if d := time.Since(start); d != 2*time.Second {
			t.Fatalf("dropped after %v, want 2×1s", d)
		}
	})
}

// An HTTP-only option makes Dial fail instead of being ignored.
func TestDial_refusesHTTPOnlyOptions(t *testing.T) {
	_, err := wsclient.Dial(context.Background(), "ws://127.0.0.1:1/", client.WithHTTPClient(http.DefaultClient))
	if err == nil || !strings.Contains(err.Error(), "WithHTTPClient") {
		t.Fatalf("err = %v, want one naming WithHTTPClient", err)
	}
}
