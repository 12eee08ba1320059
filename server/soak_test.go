package server_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"runtime"
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

// soakCalls is how many calls TestSoak makes: 200 000 with
// SCHEMARPC_SOAK=1, 20 000 by default and 4 000 under -short.
func soakCalls() int {
	switch {
	case os.Getenv("SCHEMARPC_SOAK") == "1":
		return 200_000
	case testing.Short():
		return 4_000
	}
	return 20_000
}

// liveHeap returns the bytes of live heap objects after a full collection.
func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestSoak makes a bounded number of calls over HTTP (kept-alive
// connections) and WebSocket on loopback, half each, and checks that the
// live heap after the run is about what it was after a warm-up, and that
// no goroutine is left once the server is shut down.
func TestSoak(t *testing.T) {
	leakcheck.Check(t)
	total := soakCalls()
	s := server.New()
	s.MustAdd(server.Func("echo", func(_ context.Context, p fuzzEcho) (fuzzEcho, error) { return p, nil }))
	ts := serve(t, s)
	tr := &http.Transport{MaxIdleConnsPerHost: 4}
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	const workers = 4 // per transport
	var conns []*websocket.Conn
	for range workers {
		conns = append(conns, dial(t, ts, nil))
	}
	var failed atomic.Bool
	run := func(perWorker int) {
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := range perWorker {
					if failed.Load() {
						return
					}
					if !soakHTTP(hc, ts.URL, i) {
						failed.Store(true)
					}
				}
			})
			ws := conns[w]
			wg.Go(func() {
				for i := range perWorker {
					if failed.Load() {
						return
					}
					if !soakWS(ws, i) {
						failed.Store(true)
					}
				}
			})
		}
		wg.Wait()
	}
	run(200) // warm up: pools, buffers, caches
	before := liveHeap()
	start := time.Now()
	run(total / (2 * workers))
	took := time.Since(start)
	after := liveHeap()
	if failed.Load() {
		t.Fatal("a call failed")
	}
	t.Logf("%d calls in %v (%.0f/s); live heap %d KiB before, %d KiB after", total, took, float64(total)/took.Seconds(), before>>10, after>>10)
	// Flat: a leak of even 100 bytes per call would add 2 MB at the
	// default count, 20 MB with SCHEMARPC_SOAK=1.
	const slack = 1 << 20
	if after > before+slack {
		t.Errorf("live heap grew from %d to %d bytes over %d calls", before, after, total)
	}
}

func soakHTTP(hc *http.Client, url string, i int) bool {
	n := strconv.Itoa(i)
	resp, err := hc.Post(url, "application/json", strings.NewReader(`{"jsonrpc":"2.0","method":"echo","params":{"message":"soak","n":`+n+`},"id":`+n+`}`))
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return err == nil && string(b) == `{"jsonrpc":"2.0","id":`+n+`,"result":{"message":"soak","n":`+n+`}}`
}

func soakWS(ws *websocket.Conn, i int) bool {
	n := strconv.Itoa(i)
	ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if ws.WriteMessage(websocket.TextMessage, []byte(`{"jsonrpc":"2.0","method":"echo","params":["soak",`+n+`],"id":`+n+`}`)) != nil {
		return false
	}
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, b, err := ws.ReadMessage()
	return err == nil && string(b) == `{"jsonrpc":"2.0","id":`+n+`,"result":{"message":"soak","n":`+n+`}}`
}
