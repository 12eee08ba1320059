package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"

	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
)

// Two demo nodes on one NATS server: a message posted over HTTP to node 2
// reaches a messages subscriber of node 1 over WebSocket.
func TestServe_postMessageReachesAnotherNode(t *testing.T) {
	leakcheck.Check(t)
	ns, err := natsserver.NewServer(&natsserver.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	defer ns.Shutdown()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("NATS not ready")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	var addrs []string
	var done []chan error
	for range 2 {
		ready, errc := make(chan string, 1), make(chan error, 1)
		go func() {
			errc <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--nats", ns.ClientURL(), "--log-level", "error"}, io.Discard, io.Discard, ready)
		}()
		select {
		case a := <-ready:
			addrs = append(addrs, a)
		case err := <-errc:
			t.Fatal(err)
		}
		done = append(done, errc)
	}
	// Like schemarpc serve, each node serves the live docs page.
	page, err := http.Get("http://" + addrs[0] + "/")
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != http.StatusOK || page.Request.URL.Path != "/docs" || !strings.Contains(string(html), `data-method="post_message"`) {
		t.Fatalf("GET / ended at %s with %s, %d bytes", page.Request.URL.Path, page.Status, len(html))
	}
	c, err := wsclient.Dial(ctx, "ws://"+addrs[0]+"/rpc")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := wsclient.Subscribe[demo.Message](ctx, c, "demo", "messages")
	if err != nil {
		t.Fatal(err)
	}
	// The node follows the topic once the producer runs: post until a
	// message arrives (at most once: the first posts may come too early).
	got := make(chan demo.Message, 1)
	go func() {
		if m, ok := <-sub.Events(); ok {
			got <- m
		}
	}()
	for i := 0; ; i++ {
		resp, err := http.Post("http://"+addrs[1]+"/rpc", "application/json",
			bytes.NewReader([]byte(`{"jsonrpc":"2.0","id":1,"method":"post_message","params":{"from":"ann","text":"hi"}}`)))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), `"result":null`) {
			t.Fatalf("post_message: %s", body)
		}
		select {
		case m := <-got:
			if m != (demo.Message{From: "ann", Text: "hi"}) {
				t.Fatalf("message %+v", m)
			}
			c.Close()
			cancel()
			for _, errc := range done {
				if err := <-errc; err != nil {
					t.Fatal(err)
				}
			}
			return
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			t.Fatal("no message reached node 1")
		}
	}
}

func TestServe_usage(t *testing.T) {
	for _, args := range [][]string{nil, {"serve"}, {"serve", "--nats", "nats://x", "--log-level", "loud"}} {
		var ue usageError
		if err := run(t.Context(), args, io.Discard, io.Discard, nil); !asUsage(err, &ue) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

func asUsage(err error, ue *usageError) bool {
	u, ok := err.(usageError)
	*ue = u
	return ok
}
