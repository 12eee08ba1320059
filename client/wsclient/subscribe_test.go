package wsclient_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/server"
)

type countParams struct {
	Count int `json:"count" jsonschema:"minimum=0"`
}

type countEvent struct {
	N int `json:"n"`
}

// subServer serves namespace "t": count sends Count events at once and
// ends; wait sends nothing until its context ends (and reports that on
// ended); fail ends with an application error.
func subServer(t *testing.T, ended chan<- struct{}) (*server.Server, string) {
	t.Helper()
	s := server.New()
	s.MustAdd(
		server.Subscription("t", "count", func(_ context.Context, p countParams, sink *server.Sink[countEvent]) error {
			for i := range p.Count {
				if err := sink.Send(countEvent{i}); err != nil {
					return err
				}
			}
			return nil
		}, server.SubscriptionBuffer(10000)),
		server.Subscription("t", "wait", func(ctx context.Context, _ struct{}, _ *server.Sink[countEvent]) error {
			<-ctx.Done()
			if ended != nil {
				ended <- struct{}{}
			}
			return nil
		}),
		server.Subscription("t", "fail", func(context.Context, struct{}, *server.Sink[countEvent]) error {
			return schemarpc.NewError(-32011, "no feed")
		}),
	)
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return s, "ws" + strings.TrimPrefix(ts.URL, "http")
}

func dialT(t *testing.T, url string) *wsclient.Client {
	t.Helper()
	c, err := wsclient.Dial(testCtx(t), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Events arrive typed and in order, including those the server sends at
// once after its answer (which may be handled before Subscribe has the
// id); the server's end closes the channel with no error.
func TestSubscribe_eventsInOrderThenEnd(t *testing.T) {
	checkLeaks(t)
	_, url := subServer(t, nil)
	c := dialT(t, url)
	for round := range 30 {
		sub, err := wsclient.Subscribe[countEvent](testCtx(t), c, "t", "count", countParams{Count: 20})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(sub.ID(), "0x") {
			t.Fatalf("id %q", sub.ID())
		}
		i := 0
		for ev := range recvAll(t, sub) {
			if ev.N != i {
				t.Fatalf("round %d: event %d is %d", round, i, ev.N)
			}
			i++
		}
		if i != 20 || sub.Err() != nil {
			t.Fatalf("round %d: %d events, Err %v", round, i, sub.Err())
		}
	}
}

func TestSubscribe_unsubscribe(t *testing.T) {
	checkLeaks(t)
	ended := make(chan struct{}, 1)
	s, url := subServer(t, ended)
	c := dialT(t, url)
	sub, err := wsclient.Subscribe[countEvent](testCtx(t), c, "t", "wait")
	if err != nil {
		t.Fatal(err)
	}
	if err := sub.Unsubscribe(); err != nil {
		t.Fatal(err)
	}
	<-ended
	if _, open := <-sub.Events(); open || sub.Err() != nil {
		t.Fatalf("after Unsubscribe: channel open %v, Err %v", open, sub.Err())
	}
	if n := s.Subscriptions(); n != 0 {
		t.Fatalf("server has %d subscriptions", n)
	}
	if err := sub.Unsubscribe(); err != nil {
		t.Fatalf("second Unsubscribe: %v", err)
	}
}

func TestSubscribe_errors(t *testing.T) {
	checkLeaks(t)
	_, url := subServer(t, nil)
	c := dialT(t, url)
	_, err := wsclient.Subscribe[countEvent](testCtx(t), c, "t", "count", countParams{Count: -1})
	if !errors.Is(err, schemarpc.ErrInvalidParams) {
		t.Fatalf("invalid args: %v", err)
	}
	_, err = wsclient.Subscribe[countEvent](testCtx(t), c, "nope", "count")
	if !errors.Is(err, schemarpc.ErrMethodNotFound) {
		t.Fatalf("unknown namespace: %v", err)
	}
	sub, err := wsclient.Subscribe[countEvent](testCtx(t), c, "t", "fail")
	if err != nil {
		t.Fatal(err)
	}
	for range recvAll(t, sub) {
		t.Fatal("event from fail")
	}
	var e *schemarpc.Error
	if !errors.As(sub.Err(), &e) || e.Code != -32011 || e.Message != "no feed" {
		t.Fatalf("Err: %v", sub.Err())
	}
	// A wrong event type ends the subscription with the decoding error.
	bad, err := wsclient.Subscribe[string](testCtx(t), c, "t", "count", countParams{Count: 1})
	if err != nil {
		t.Fatal(err)
	}
	for range recvAll(t, bad) {
		t.Fatal("event decoded into the wrong type")
	}
	if err := bad.Err(); err == nil || !strings.Contains(err.Error(), "decoding an event") {
		t.Fatalf("Err: %v", err)
	}
}

func TestSubscribe_endsWithAnErrorWhenTheConnectionDrops(t *testing.T) {
	checkLeaks(t)
	s, url := subServer(t, nil)
	c := dialT(t, url)
	sub, err := wsclient.Subscribe[countEvent](testCtx(t), c, "t", "wait")
	if err != nil {
		t.Fatal(err)
	}
	s.Close() // close frames, no end notification
	for range recvAll(t, sub) {
		t.Fatal("event from wait")
	}
	if err := sub.Err(); !errors.Is(err, client.ErrTransport) || !errors.Is(err, schemarpc.ErrConnClosed) {
		t.Fatalf("Err: %v", err)
	}
}

func TestSubscribe_overflowWhenEventsAreNotRead(t *testing.T) {
	checkLeaks(t)
	_, url := subServer(t, nil)
	c := dialT(t, url)
	sub, err := wsclient.Subscribe[countEvent](testCtx(t), c, "t", "count", countParams{Count: wsclient.DefaultSubscriptionBuffer + 100})
	if err != nil {
		t.Fatal(err)
	}
	// Nothing is read until the subscription has ended; the channel then
	// holds the first events.
	for deadline := time.Now().Add(10 * time.Second); sub.Err() == nil; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no overflow within 10s")
		}
	}
	n := 0
	for range recvAll(t, sub) {
		n++
	}
	if n != wsclient.DefaultSubscriptionBuffer || !errors.Is(sub.Err(), wsclient.ErrSubscriptionOverflow) {
		t.Fatalf("%d events, Err %v", n, sub.Err())
	}
}

// recvAll yields the events of sub until its channel closes, failing t when
// that takes more than 10 seconds.
func recvAll[E any](t *testing.T, sub *wsclient.Subscription[E]) func(func(E) bool) {
	return func(yield func(E) bool) {
		timeout := time.After(10 * time.Second)
		for {
			select {
			case ev, ok := <-sub.Events():
				if !ok || !yield(ev) {
					return
				}
			case <-timeout:
				t.Fatal("subscription still open after 10s")
			}
		}
	}
}

// A Subscribe whose context ends before the answer leaves no subscription
// on the server: the answer that comes later is unsubscribed at once.
func TestSubscribe_contextEndsBeforeTheAnswer(t *testing.T) {
	checkLeaks(t)
	created, release := make(chan struct{}), make(chan struct{})
	s := server.New(server.WithMiddlewares(func(next server.Handler) server.Handler {
		return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
			res, err := next.ServeRPC(ctx, req)
			if req.Method == "t_subscribe" {
				close(created) // the server holds the subscription; its answer waits
				<-release
			}
			return res, err
		})
	}))
	s.MustAdd(server.Subscription("t", "wait", func(ctx context.Context, _ struct{}, _ *server.Sink[countEvent]) error {
		<-ctx.Done()
		return nil
	}))
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	c := dialT(t, "ws"+strings.TrimPrefix(ts.URL, "http"))

	ctx, cancel := context.WithCancel(testCtx(t))
	errc := make(chan error, 1)
	go func() {
		_, err := wsclient.Subscribe[countEvent](ctx, c, "t", "wait")
		errc <- err
	}()
	<-created
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Subscribe: %v, want context.Canceled", err)
	}
	if n := s.Subscriptions(); n != 1 {
		t.Fatalf("before the answer the server has %d subscriptions, want 1", n)
	}
	close(release)
	deadline := time.Now().Add(5 * time.Second)
	for s.Subscriptions() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the subscription answered after Subscribe gave up is still open on the server")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
