package demo_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
)

// The ticker sends count events {"n"} then ends; a message posted over
// HTTP reaches a messages subscriber over WebSocket.
func TestDemoSubscriptions(t *testing.T) {
	leakcheck.Check(t)
	s := demo.New(nil)
	ts := httptest.NewServer(s)
	defer func() {
		s.Close()
		ts.Close()
	}()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	c, err := wsclient.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	tick, err := wsclient.Subscribe[demo.TickerEvent](ctx, c, "demo", "ticker", demo.TickerParams{Count: 3, IntervalMS: 1})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for ev := range tick.Events() {
		got = append(got, ev.N)
	}
	if len(got) != 3 || got[0] != 1 || got[2] != 3 || tick.Err() != nil {
		t.Fatalf("ticker: %v, Err %v", got, tick.Err())
	}

	msgs, err := wsclient.Subscribe[demo.Message](ctx, c, "demo", "messages")
	if err != nil {
		t.Fatal(err)
	}
	for s.Followers(demo.MessagesTopic) == 0 { // the producer follows the topic once it runs
		if ctx.Err() != nil {
			t.Fatal("the messages subscription does not follow its topic")
		}
		time.Sleep(time.Millisecond)
	}
	resp, err := http.Post(ts.URL, "application/json", bytes.NewReader([]byte(`{"jsonrpc":"2.0","id":1,"method":"post_message","params":{"from":"ann","text":"hello"}}`)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	select {
	case m := <-msgs.Events():
		if m != (demo.Message{From: "ann", Text: "hello"}) {
			t.Fatalf("message %+v", m)
		}
	case <-ctx.Done():
		t.Fatal("no message")
	}
	if err := msgs.Unsubscribe(); err != nil {
		t.Fatal(err)
	}
}
