package wspeer_test

// End-to-end tests of the peer through a real server.Server and a real
// wsclient.Client over loopback.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
	"github.com/schemarpc/schemarpc/internal/wspeer"
	"github.com/schemarpc/schemarpc/server"
)

// seq is the params of the test methods.
type seq struct {
	N int `json:"n"`
}

func startServer(t *testing.T, srv *server.Server) string {
	t.Helper()
	t.Cleanup(func() { srv.Close() }) // after ts.Close: stops the work pool
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return "ws" + strings.TrimPrefix(ts.URL, "http")
}

// Issue 12 item 1: the notifications a client sends before a normal close
// are all handled, not dropped when the connection ends.
func TestE2E_notificationsSentBeforeCloseAreHandled(t *testing.T) {
	leakcheck.Check(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	const sent = 1000
	var handled atomic.Int64
	gone := make(chan *server.Conn, 1)
	srv := server.New(server.WithOnDisconnect(func(c *server.Conn) { gone <- c }))
	srv.MustAdd(server.FuncNoResult("note", func(_ context.Context, _ seq) error {
		time.Sleep(100 * time.Microsecond) // a handler that does some work
		handled.Add(1)
		return nil
	}))
	c, err := wsclient.Dial(ctx, startServer(t, srv))
	if err != nil {
		t.Fatal(err)
	}
	for i := range sent {
		if err := c.Notify(ctx, "note", seq{i}); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()
	select {
	case conn := <-gone: // after the connection's Run has returned
		if n := handled.Load(); n != sent {
			t.Fatalf("server handled %d of %d notifications sent before Close", n, sent)
		}
		if d := conn.DroppedNotifications(); d != 0 {
			t.Fatalf("DroppedNotifications = %d, want 0", d)
		}
	case <-ctx.Done():
		t.Fatalf("connection still open; %d of %d handled", handled.Load(), sent)
	}
}

// Issue 12 item 2: a notification handler that calls the server keeps
// getting answers while far more notifications arrive than the queue holds.
func TestE2E_notificationHandlerCallingBackNeverDeadlocks(t *testing.T) {
	leakcheck.Check(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	const ticks = 2000
	lastAck := make(chan struct{})
	srv := server.New()
	srv.MustAdd(
		server.FuncNoResult("subscribe", func(ctx context.Context, _ struct{}) error {
			conn := server.ConnFromContext(ctx)
			go func() {
				for i := range ticks {
					if conn.Notify(context.Background(), "tick", seq{i}) != nil {
						return
					}
				}
			}()
			return nil
		}),
		server.Func("ack", func(_ context.Context, p seq) (int, error) {
			if p.N == ticks-1 {
				close(lastAck)
			}
			return p.N, nil
		}),
	)
	var (
		seen     atomic.Int64
		last     atomic.Int64
		failures atomic.Int64
		firstErr atomic.Value
	)
	last.Store(-1)
	onTick := func(ctx context.Context, n *schemarpc.Request) {
		var p seq
		if err := json.Unmarshal(n.Params, &p); err != nil {
			failures.Add(1)
			return
		}
		if prev := last.Swap(int64(p.N)); int64(p.N) <= prev {
			firstErr.CompareAndSwap(nil, fmt.Errorf("tick %d after %d: out of order", p.N, prev))
		}
		seen.Add(1)
		var got int
		if err := wsclient.FromContext(ctx).Call(ctx, "ack", p, &got); err != nil || got != p.N {
			failures.Add(1)
			firstErr.CompareAndSwap(nil, fmt.Errorf("ack %d: %v (got %d)", p.N, err, got))
		}
	}
	c, err := wsclient.Dial(ctx, startServer(t, srv), wsclient.WithNotificationHandler(onTick))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Call(ctx, "subscribe", struct{}{}, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-lastAck:
	case <-ctx.Done():
		t.Fatalf("deadlock: %d of %d ticks handled, %d dropped", seen.Load(), ticks, c.DroppedNotifications())
	}
	if err, _ := firstErr.Load().(error); err != nil {
		t.Fatal(err)
	}
	// The last tick is never dropped (the oldest go first), and every tick
	// before it was handled or dropped by the time it is handled.
	if s, d := seen.Load(), c.DroppedNotifications(); s+int64(d) != ticks || failures.Load() != 0 {
		t.Fatalf("%d ticks handled + %d dropped != %d sent; %d calls failed", s, d, ticks, failures.Load())
	}
	t.Logf("%d ticks handled, %d dropped", seen.Load(), c.DroppedNotifications())
}

// A call made while the reader waits for room in a full notification queue
// wakes it up: the answer is routed, and the queue drops its oldest frames.
func TestE2E_callWhileNotificationQueueFullIsAnswered(t *testing.T) {
	leakcheck.Check(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	const flood = 300 // 1 being handled + 256 queued + more
	pushed := make(chan struct{})
	srv := server.New()
	srv.MustAdd(
		// flood is notified: while it pushes, no call of the client waits,
		// so the client's reader waits for room in its queue.
		server.FuncNoResult("flood", func(ctx context.Context, _ struct{}) error {
			conn := server.ConnFromContext(ctx)
			defer close(pushed)
			for i := range flood {
				if err := conn.Notify(ctx, "tick", seq{i}); err != nil {
					return err
				}
			}
			return nil
		}),
		// echo answers after every tick, so the answer can only be read
		// past the ticks that do not fit in the queue.
		server.Func("echo", func(_ context.Context, p seq) (seq, error) {
			<-pushed
			return p, nil
		}),
	)
	release := make(chan struct{})
	first := make(chan struct{})
	var handled atomic.Int64
	onTick := func(ctx context.Context, n *schemarpc.Request) {
		if handled.Add(1) == 1 {
			close(first)
			<-release // the first tick holds the queue up
		}
	}
	c, err := wsclient.Dial(ctx, startServer(t, srv), wsclient.WithNotificationHandler(onTick))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Notify(ctx, "flood", struct{}{}); err != nil {
		t.Fatal(err)
	}
	<-first
	var got seq
	err = c.Call(ctx, "echo", seq{7}, &got)
	close(release)
	if err != nil || got.N != 7 {
		t.Fatalf("call with a full notification queue: %v %v", err, got)
	}
	if d := c.DroppedNotifications(); d == 0 || d > flood-1-wspeer.DefaultNotifyQueue {
		t.Fatalf("DroppedNotifications = %d, want 1..%d", d, flood-1-wspeer.DefaultNotifyQueue)
	}
}

// A server handler that calls the client back gets its answer while every
// dispatch slot on both sides is taken (concurrency 1 on each side, more
// calls than slots).
func TestE2E_handlerCallsClientBackAtTheConcurrencyLimit(t *testing.T) {
	leakcheck.Check(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	srv := server.New(server.WithConnConcurrency(1))
	srv.MustAdd(server.Func("outer", func(ctx context.Context, p seq) (int, error) {
		var got int
		if err := server.ConnFromContext(ctx).Call(ctx, "inner", p, &got); err != nil {
			return 0, err
		}
		return got + 1, nil
	}))
	inner := server.Func("inner", func(_ context.Context, p seq) (int, error) { return p.N * 10, nil })
	c, err := wsclient.Dial(ctx, startServer(t, srv), wsclient.WithConnConcurrency(1), wsclient.WithMethods(inner))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const calls = 8 // 1 served and up to 16 waiting on each side
	errs := make(chan error, calls)
	for i := range calls {
		go func() {
			var got int
			err := c.Call(ctx, "outer", seq{i}, &got)
			if err == nil && got != i*10+1 {
				err = fmt.Errorf("outer(%d) = %d, want %d", i, got, i*10+1)
			}
			errs <- err
		}()
	}
	for range calls {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
