package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc/internal/memnet"
	"github.com/schemarpc/schemarpc/server"
)

// bubbleServer serves s over an in-memory network inside the current
// synctest bubble. stop closes the connections, the server and the
// listener; the bubble then checks that no goroutine is left.
type bubbleServer struct {
	s  *server.Server
	hs *http.Server
	ln *memnet.Listener
}

func serveInBubble(s *server.Server) *bubbleServer {
	b := &bubbleServer{s: s, hs: &http.Server{Handler: s}, ln: memnet.Listen()}
	go b.hs.Serve(b.ln)
	return b
}

// dial opens a WebSocket to the server.
func (b *bubbleServer) dial(t *testing.T) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{NetDialContext: b.ln.Dial}
	ws, _, err := d.Dial("ws://memnet/", nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return ws
}

// httpClient returns a client whose requests reach the server.
func (b *bubbleServer) httpClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: b.ln.Dial}}
}

func (b *bubbleServer) stop() {
	b.s.Close()
	b.hs.Close()
	b.ln.Close()
}

// readAll reads ws until it fails, answering pings (gorilla's default ping
// handler) as it goes, then closes it.
func readAll(ws *websocket.Conn) {
	defer ws.Close()
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			return
		}
	}
}

// A peer that sends nothing, not even a pong, is cut once the pong wait
// passes; one that answers pings stays, however long it is idle.
func TestWS_silentClientCutByPongWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const ping, pongWait = time.Second, 3 * time.Second
		b := serveInBubble(fuzzServer(server.WithPingInterval(ping), server.WithPongWait(pongWait)))
		defer b.stop()

		silent := b.dial(t) // never reads, so never answers a ping
		defer silent.Close()
		synctest.Wait()
		start := time.Now()
		if n := len(b.s.Conns()); n != 1 {
			t.Fatalf("%d connections, want 1", n)
		}
		time.Sleep(pongWait - time.Nanosecond)
		synctest.Wait()
		if n := len(b.s.Conns()); n != 1 {
			t.Fatalf("silent client cut after %v, before the pong wait", time.Since(start))
		}
		time.Sleep(time.Nanosecond)
		synctest.Wait()
		if n := len(b.s.Conns()); n != 0 {
			t.Fatalf("silent client still connected %v after it connected", time.Since(start))
		}

		reading := b.dial(t)
		go readAll(reading)
		time.Sleep(100 * pongWait)
		synctest.Wait()
		if n := len(b.s.Conns()); n != 1 {
			t.Fatalf("a client answering pings was disconnected (%d connections)", n)
		}
	})
}

// Shutdown waits for an HTTP call in flight.
func TestShutdown_http(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, entered, release := slowServer()
		b := serveInBubble(s)
		defer b.stop()
		hc := b.httpClient()
		defer hc.CloseIdleConnections()
		answer := make(chan string, 1)
		go func() {
			resp, err := hc.Post("http://memnet/", "application/json", strings.NewReader(`{"jsonrpc":"2.0","method":"slow","id":1}`))
			if err != nil {
				answer <- err.Error()
				return
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			answer <- string(body)
		}()
		<-entered
		shutdownErr := make(chan error, 1)
		go func() { shutdownErr <- s.Shutdown(context.Background()) }()
		synctest.Wait() // everything waits for the slow call
		select {
		case err := <-shutdownErr:
			t.Fatalf("Shutdown returned %v with an HTTP call in flight", err)
		default:
		}
		close(release)
		if got := <-answer; got != `{"jsonrpc":"2.0","id":1,"result":"finished"}` {
			t.Errorf("in-flight call: %s", got)
		}
		if err := <-shutdownErr; err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
}

// poolWorkers counts the goroutines of work pools, running or idle.
func poolWorkers() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return bytes.Count(buf, []byte("internal/workpool.(*Pool).worker("))
}

// Shutdown and Close stop the goroutines the server keeps for reuse: no
// pool worker waits out its idle timeout.
func TestShutdown_stopsThePool(t *testing.T) {
	for _, stop := range []struct {
		name string
		f    func(*server.Server)
	}{
		{"Shutdown", func(s *server.Server) { s.Shutdown(context.Background()) }},
		{"Close", func(s *server.Server) { s.Close() }},
	} {
		t.Run(stop.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				before := poolWorkers()
				s := server.New(server.WithBatchConcurrency(4))
				s.MustAdd(server.FuncNoParams("one", func(context.Context) (int, error) { return 1, nil }))
				req := `{"jsonrpc":"2.0","method":"one","id":1}`
				call(s, "["+strings.Repeat(req+",", 7)+req+"]")
				synctest.Wait()
				if poolWorkers() == before {
					t.Fatal("the batch ran on no pooled goroutine")
				}
				stop.f(s)
				synctest.Wait()                         // no time passes: idle timeouts cannot fire
				if n := poolWorkers() - before; n > 0 { // workers of earlier tests may still be ending
					t.Fatalf("%d pool goroutines left after %s", n, stop.name)
				}
			})
		})
	}
}
