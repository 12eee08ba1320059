package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc/internal/leakcheck"
	"github.com/schemarpc/schemarpc/server"
)

// loadCounts tallies what the clients of TestShutdown_underLoad saw.
type loadCounts struct {
	sent     atomic.Int64 // calls written (or attempted) by a client
	answered atomic.Int64 // answered with their result
	refused  atomic.Int64 // refused with HTTP 503 or -32097
	notSent  atomic.Int64 // the connection was refused or closed before the call was accepted
}

// workParams are the params of work; the result is N.
type workParams struct {
	N int `json:"n"`
}

// TestShutdown_underLoad shuts a server down while clients hammer it over
// HTTP and WebSocket, as `schemarpc serve` does (Server.Shutdown and
// http.Server.Shutdown together). Every call must be answered with its
// result or refused cleanly; the results received must equal the handler
// runs (a handler that ran and whose answer was lost would show), and
// Shutdown must return within its deadline.
func TestShutdown_underLoad(t *testing.T) {
	leakcheck.Check(t)
	var ran atomic.Int64
	s := server.New()
	s.MustAdd(server.Func("work", func(_ context.Context, p workParams) (int, error) {
		time.Sleep(time.Duration(p.N%3) * time.Millisecond)
		ran.Add(1)
		return p.N, nil
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := server.NewHTTPServer(s, ln.Addr().String())
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	wsu := "ws://" + ln.Addr().String()

	var counts loadCounts
	var bad atomic.Value // the first unexpected answer
	fail := func(format string, args ...any) { bad.CompareAndSwap(nil, errorf(format, args...)) }
	stop := make(chan struct{})
	var clients sync.WaitGroup
	tr := &http.Transport{MaxIdleConnsPerHost: 8}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	for w := range 4 {
		clients.Go(func() { hammerHTTP(hc, url, w, stop, &counts, fail) })
	}
	for w := range 4 {
		clients.Go(func() { hammerWS(wsu, w, stop, &counts, fail) })
	}
	// Let the load build up, then shut down mid-flight.
	deadline := time.Now().Add(5 * time.Second)
	for counts.answered.Load() < 400 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	before := counts.answered.Load()
	// http.Server.Shutdown waits up to 5 s for a connection accepted just
	// before the listener closed whose first request has not arrived (Go
	// issue 22682: such a connection counts as idle only after 5 s). A 5 s
	// deadline raced with that and, once in a while under load, ran out
	// with it; the deadline is what is tested, so give it room.
	const shutdownWait = 10 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), shutdownWait)
	defer cancel()
	start := time.Now()
	rpcErr := make(chan error, 1)
	go func() { rpcErr <- s.Shutdown(ctx) }()
	httpErr := hs.Shutdown(ctx)
	if err := <-rpcErr; err != nil {
		t.Errorf("Server.Shutdown: %v", err)
	}
	took := time.Since(start)
	if httpErr != nil {
		t.Errorf("http.Server.Shutdown: %v", httpErr)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Serve: %v", err)
	}
	if took > shutdownWait {
		t.Errorf("Shutdown took %v, past its %v deadline", took, shutdownWait)
	}
	// New calls are refused cleanly: the listener is gone.
	if _, err := hc.Post(url, "application/json", strings.NewReader(`{"jsonrpc":"2.0","method":"work","params":{"n":1},"id":1}`)); err == nil {
		t.Error("a call after Shutdown was accepted")
	}
	close(stop)
	clients.Wait()
	if v := bad.Load(); v != nil {
		t.Fatal(v)
	}
	sent, answered, refused, notSent := counts.sent.Load(), counts.answered.Load(), counts.refused.Load(), counts.notSent.Load()
	t.Logf("sent %d: %d answered (%d before Shutdown), %d refused (503 or -32097), %d not accepted (connection closed); %d handler runs; Shutdown took %v",
		sent, answered, before, refused, notSent, ran.Load(), took)
	if answered != ran.Load() {
		t.Errorf("%d handler runs but %d results received: %d answers lost", ran.Load(), answered, ran.Load()-answered)
	}
	if answered+refused+notSent != sent {
		t.Errorf("sent %d != answered %d + refused %d + not accepted %d", sent, answered, refused, notSent)
	}
	if refused+notSent == 0 {
		t.Error("no call was refused: the shutdown did not happen under load")
	}
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// hammerHTTP posts calls one after the other until a call is refused by a
// closed listener, or stop.
func hammerHTTP(hc *http.Client, url string, w int, stop chan struct{}, c *loadCounts, fail func(string, ...any)) {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		n := w*1_000_000 + i
		c.sent.Add(1)
		resp, err := hc.Post(url, "application/json", strings.NewReader(`{"jsonrpc":"2.0","method":"work","params":{"n":`+strconv.Itoa(n)+`},"id":`+strconv.Itoa(n)+`}`))
		if err != nil {
			c.notSent.Add(1) // connection refused or closed before an answer
			return
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case err != nil:
			fail("HTTP call %d: body cut: %v", n, err)
			return
		case resp.StatusCode == 503 && strings.Contains(string(body), `"code":-32097`):
			c.refused.Add(1)
		case resp.StatusCode == 200 && string(body) == `{"jsonrpc":"2.0","id":`+strconv.Itoa(n)+`,"result":`+strconv.Itoa(n)+`}`:
			c.answered.Add(1)
		default:
			fail("HTTP call %d: %d %s", n, resp.StatusCode, body)
			return
		}
	}
}

// hammerWS keeps up to 16 calls in flight on one connection until the
// server closes it; calls without an answer at the close were never
// accepted (a call accepted is answered before the close frame).
func hammerWS(url string, w int, stop chan struct{}, c *loadCounts, fail func(string, ...any)) {
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		fail("dial: %v", err)
		return
	}
	defer ws.Close()
	slots := make(chan struct{}, 16)
	var mu sync.Mutex
	outstanding := map[int]bool{}
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		for {
			ws.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, data, err := ws.ReadMessage()
			if err != nil {
				if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
					fail("WS read: %v", err)
				}
				return
			}
			var resp struct {
				ID     int
				Result *int
				Error  *struct{ Code int }
			}
			if err := json.Unmarshal(data, &resp); err != nil {
				fail("WS answer %s: %v", data, err)
				return
			}
			mu.Lock()
			known := outstanding[resp.ID]
			delete(outstanding, resp.ID)
			mu.Unlock()
			switch {
			case !known:
				fail("WS answer with unknown id: %s", data)
			case resp.Result != nil && *resp.Result == resp.ID:
				c.answered.Add(1)
			case resp.Error != nil && resp.Error.Code == -32097:
				c.refused.Add(1)
			default:
				fail("WS answer: %s", data)
			}
			<-slots
		}
	}()
	for i := 0; ; i++ {
		select {
		case slots <- struct{}{}:
		case <-readDone:
			goto done
		case <-stop:
			goto done
		}
		n := 10_000_000 + w*1_000_000 + i
		mu.Lock()
		outstanding[n] = true
		mu.Unlock()
		c.sent.Add(1)
		ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err := ws.WriteMessage(websocket.TextMessage, []byte(`{"jsonrpc":"2.0","method":"work","params":{"n":`+strconv.Itoa(n)+`},"id":`+strconv.Itoa(n)+`}`)); err != nil {
			break
		}
	}
done:
	<-readDone
	mu.Lock()
	c.notSent.Add(int64(len(outstanding)))
	mu.Unlock()
}
