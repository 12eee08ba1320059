package wsclient_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"strings"

	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/examples/demo"
)

// The demo's ticker subscription sends count events, then ends: the channel
// closes and Err is nil.
func ExampleSubscribe() {
	s := demo.New(nil)
	ts := httptest.NewServer(s)
	defer func() {
		s.Close()
		ts.Close()
	}()
	ctx := context.Background()
	c, err := wsclient.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	sub, err := wsclient.Subscribe[demo.TickerEvent](ctx, c, "demo", "ticker", demo.TickerParams{Count: 3, IntervalMS: 10})
	if err != nil {
		log.Fatal(err)
	}
	for ev := range sub.Events() {
		fmt.Println("tick", ev.N)
	}
	fmt.Println("ended, error:", sub.Err())
	// Output:
	// tick 1
	// tick 2
	// tick 3
	// ended, error: <nil>
}

// The demo's messages subscription relays a topic (server.TopicSubscription):
// it has joined the topic when Subscribe returns, so a message posted right
// after it arrives.
func ExampleSubscribe_topic() {
	s := demo.New(nil)
	ts := httptest.NewServer(s)
	defer func() {
		s.Close()
		ts.Close()
	}()
	ctx := context.Background()
	c, err := wsclient.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	sub, err := wsclient.Subscribe[demo.Message](ctx, c, "demo", "messages")
	if err != nil {
		log.Fatal(err)
	}
	if err := c.Call(ctx, "post_message", demo.Message{From: "ann", Text: "hello"}, nil); err != nil {
		log.Fatal(err)
	}
	m := <-sub.Events()
	fmt.Printf("%s: %s\n", m.From, m.Text)
	if err := sub.Unsubscribe(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// ann: hello
}
