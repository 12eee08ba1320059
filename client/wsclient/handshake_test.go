package wsclient_test

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/wsclient"
)

// badAcceptServer completes the HTTP side of a WebSocket upgrade with 101
// and everything right except Sec-WebSocket-Accept.
func badAcceptServer(t *testing.T) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=\r\n\r\n")
		brw.Flush()
		brw.ReadByte() // until the client hangs up
	}))
	t.Cleanup(ts.Close)
	return "ws" + strings.TrimPrefix(ts.URL, "http")
}

func TestDialWebSocket_badAccept(t *testing.T) {
	checkLeaks(t)
	_, err := wsclient.Dial(testCtx(t), badAcceptServer(t))
	if err == nil {
		t.Fatal("handshake accepted")
	}
	msg := err.Error()
	if !errors.Is(err, client.ErrTransport) || strings.Contains(msg, "unexpected HTTP status") ||
		!strings.Contains(msg, `the server answered 101 Switching Protocols, but its Sec-WebSocket-Accept "bm90IHRoZSByaWdodCBrZXk=" does not match the key sent`) {
		t.Errorf("err = %v", err)
	}
	var se *client.HTTPStatusError
	if errors.As(err, &se) {
		t.Errorf("a 101 is reported as an HTTP status error: %v", se)
	}
}

// silentListener accepts TCP connections and never answers; it returns
// its address.
func silentListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
			go bufio.NewReader(c).ReadString(0) // read and ignore the request
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String()
}

// TestDialWebSocket_timeoutBoundsHandshake: WithTimeout bounds the
// handshake with a server that accepts the connection and never answers
// (gorilla's default dialer would wait 45 s).
func TestDialWebSocket_timeoutBoundsHandshake(t *testing.T) {
	addr := silentListener(t)
	start := time.Now()
	_, err := wsclient.Dial(context.Background(), "ws://"+addr+"/rpc", client.WithTimeout(200*time.Millisecond))
	elapsed := time.Since(start)
	if !errors.Is(err, client.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a timeout", err)
	}
	if elapsed > 3*time.Second {
		t.Errorf("the handshake took %v with a 200ms timeout", elapsed)
	}
}
