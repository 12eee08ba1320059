package geth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
	"github.com/schemarpc/schemarpc/server"
)

type header struct {
	Number uint64 `json:"number"`
	Hash   string `json:"hash"`
}

type headsParams struct {
	Count int `json:"count" jsonschema:"minimum=1"`
}

// startServer serves namespace eth with newHeads (Count headers, then the
// end) and forever (nothing until unsubscribed, reported on ended).
func startServer(t *testing.T, ended chan<- struct{}) string {
	t.Helper()
	s := server.New()
	s.MustAdd(
		server.Subscription("eth", "newHeads", func(ctx context.Context, p headsParams, sink *server.Sink[header]) error {
			for i := range p.Count {
				if err := sink.Send(header{Number: uint64(i), Hash: "0xabc"}); err != nil {
					return err
				}
			}
			return nil
		}),
		server.Subscription("eth", "forever", func(ctx context.Context, _ struct{}, _ *server.Sink[header]) error {
			<-ctx.Done()
			ended <- struct{}{}
			return nil
		}),
	)
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return "ws" + strings.TrimPrefix(ts.URL, "http")
}

func dial(t *testing.T, url string) *rpc.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	c, err := rpc.DialWebsocket(ctx, url, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// go-ethereum's Client.Subscribe gets the id, then every event in order,
// decoded into its own channel type; the end notification schemarpc sends
// is ignored, and Unsubscribe works.
func TestGeth_subscribeReceivesEventsInOrder(t *testing.T) {
	leakcheck.Check(t)
	c := dial(t, startServer(t, nil))
	for round := range 10 {
		ch := make(chan header, 100)
		sub, err := c.Subscribe(t.Context(), "eth", ch, "newHeads", headsParams{Count: 50})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 50 {
			select {
			case h := <-ch:
				if h.Number != uint64(i) || h.Hash != "0xabc" {
					t.Fatalf("round %d: header %d is %+v", round, i, h)
				}
			case err := <-sub.Err():
				t.Fatalf("round %d: subscription failed: %v", round, err)
			case <-time.After(10 * time.Second):
				t.Fatalf("round %d: header %d did not come", round, i)
			}
		}
		sub.Unsubscribe()
		if err, open := <-sub.Err(); open || err != nil {
			t.Fatalf("Err after Unsubscribe: %v (open %v)", err, open)
		}
	}
}

func TestGeth_unsubscribeEndsTheProducer(t *testing.T) {
	leakcheck.Check(t)
	ended := make(chan struct{}, 1)
	c := dial(t, startServer(t, ended))
	ch := make(chan header)
	sub, err := c.Subscribe(t.Context(), "eth", ch, "forever")
	if err != nil {
		t.Fatal(err)
	}
	sub.Unsubscribe()
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Fatal("the producer still runs after go-ethereum's Unsubscribe")
	}
}

// go-ethereum's client gets the server's -32602 with its message.
func TestGeth_invalidParams(t *testing.T) {
	leakcheck.Check(t)
	c := dial(t, startServer(t, nil))
	_, err := c.Subscribe(t.Context(), "eth", make(chan header), "newHeads", headsParams{Count: 0})
	var e rpc.Error
	if !errors.As(err, &e) || e.ErrorCode() != int(schemarpc.CodeInvalidParams) {
		t.Fatalf("Subscribe with count 0: %v", err)
	}
	_, err = c.Subscribe(t.Context(), "eth", make(chan header), "nope")
	var de rpc.DataError
	if !errors.As(err, &de) || !strings.Contains(fmt.Sprint(de.ErrorData()), `no subscription "nope" in namespace eth; known: forever, newHeads`) {
		t.Fatalf("unknown subscription: %v (data %v)", err, de)
	}
}

// Over HTTP, go-ethereum's client refuses to subscribe by itself; a raw
// call shows schemarpc's answer.
func TestGeth_overHTTP(t *testing.T) {
	leakcheck.Check(t)
	url := "http" + strings.TrimPrefix(startServer(t, nil), "ws")
	c, err := rpc.DialHTTP(url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var id string
	err = c.CallContext(t.Context(), &id, "eth_subscribe", "newHeads", headsParams{Count: 1})
	if err == nil || !strings.Contains(err.Error(), "subscriptions need a WebSocket connection") {
		t.Fatalf("eth_subscribe over HTTP: %v", err)
	}
}

// go-ethereum's client subscribes to a topic relayed with
// TopicSubscription: what is published once Subscribe has returned reaches
// it, in order.
func TestGethClient_topicSubscription(t *testing.T) {
	leakcheck.Check(t)
	s := server.New()
	s.MustAdd(server.TopicSubscription[struct{}, header]("eth", "heads", func(context.Context, struct{}) (string, error) {
		return "heads", nil
	}))
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	c := dial(t, "ws"+strings.TrimPrefix(ts.URL, "http"))
	ch := make(chan header, 16)
	sub, err := c.Subscribe(t.Context(), "eth", ch, "heads")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	for i := range 10 {
		if err := s.Publish(t.Context(), "heads", header{Number: uint64(i), Hash: "0xabc"}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 10 {
		select {
		case h := <-ch:
			if h.Number != uint64(i) {
				t.Fatalf("event %d: %+v", i, h)
			}
		case err := <-sub.Err():
			t.Fatalf("subscription ended: %v", err)
		case <-time.After(10 * time.Second):
			t.Fatalf("event %d did not arrive", i)
		}
	}
}
