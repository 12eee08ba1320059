package wspeer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc/server"
)

// The peer benchmark's WebSocket mode in process: conns connections, each
// keeping depth echo calls in flight, against a schemarpc server and
// against a floor server written with gorilla/websocket and encoding/json
// alone (one message handled at a time per connection, no library).
// Compare the two within one run: b.N calls are spread over conns.

type echoParams struct {
	Message string `json:"message"`
	N       int    `json:"n"`
}

func schemarpcServer() http.Handler {
	s := server.New()
	s.MustAdd(server.Func("echo", func(_ context.Context, p echoParams) (echoParams, error) { return p, nil }))
	return s
}

// floorServer answers each message before reading the next one.
func floorServer() http.Handler {
	up := websocket.Upgrader{}
	type req struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Method  string          `json:"method"`
		Params  echoParams      `json:"params"`
	}
	type resp struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Result  echoParams      `json:"result"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			var q req
			if json.Unmarshal(data, &q) != nil || q.Method != "echo" {
				return
			}
			out, _ := json.Marshal(resp{"2.0", q.ID, q.Params})
			if ws.WriteMessage(websocket.TextMessage, out) != nil {
				return
			}
		}
	})
}

func benchPipelined(b *testing.B, h http.Handler, conns, depth int) {
	ts := httptest.NewServer(h)
	defer ts.Close()
	url := "ws" + strings.TrimPrefix(ts.URL, "http")
	wss := make([]*websocket.Conn, conns)
	for i := range wss {
		ws, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer ws.Close()
		wss[i] = ws
	}
	var left atomic.Int64
	left.Store(int64(b.N))
	want := []byte(`"result":{"message":"hello","n":42}`)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	defer func() {
		// CPU time of the process (server and load) per call: on a shared,
		// loaded machine it moves much less than wall time.
		b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
	}()
	var wg sync.WaitGroup
	for _, ws := range wss {
		wg.Go(func() {
			id := 0
			send := func() bool {
				if left.Add(-1) < 0 {
					return false
				}
				id++
				msg := `{"jsonrpc":"2.0","id":` + strconv.Itoa(id) + `,"method":"echo","params":{"message":"hello","n":42}}`
				if err := ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
					b.Error(err)
					return false
				}
				return true
			}
			inflight := 0
			for range depth {
				if send() {
					inflight++
				}
			}
			for inflight > 0 {
				_, data, err := ws.ReadMessage()
				if err != nil {
					b.Error(err)
					return
				}
				if !bytes.Contains(data, want) {
					b.Errorf("answer %s", data)
					return
				}
				inflight--
				if send() {
					inflight++
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkServerPipelined is the peer benchmark's ws mode (32
// connections, 4 calls in flight on each): compare schemarpc with floor.
func BenchmarkServerPipelined(b *testing.B) {
	for _, s := range []struct {
		name string
		h    func() http.Handler
	}{{"floor", floorServer}, {"schemarpc", schemarpcServer}} {
		b.Run(s.name, func(b *testing.B) { benchPipelined(b, s.h(), 32, 4) })
	}
}

// cpuTime returns the CPU time (user and system) used by the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
