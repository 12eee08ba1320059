package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/server"
)

// The floor of the peer benchmark, in process: a JSON-RPC batch answered
// with encoding/json alone and no library, one member after the other,
// next to Server.Handle on the same batch. On a busy machine the rates
// follow whatever share of the CPUs the run gets; cpu-ns/op (the process's
// CPU time per batch) is what to compare.

type floorEcho struct {
	Message string `json:"message"`
	N       int    `json:"n"`
}

type floorRequest struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
}

type floorResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  any             `json:"result,omitempty"`
	Error   any             `json:"error,omitempty"`
}

// floorHandle answers a batch of echo calls as the peer benchmark's raw
// server does: decode the array, decode each member's params, encode the
// array of responses.
func floorHandle(body []byte) []byte {
	var reqs []floorRequest
	if err := json.Unmarshal(body, &reqs); err != nil {
		panic(err)
	}
	out := make([]floorResponse, 0, len(reqs))
	for _, r := range reqs {
		var p floorEcho
		if err := json.Unmarshal(r.Params, &p); err != nil {
			out = append(out, floorResponse{JSONRPC: "2.0", ID: r.ID, Error: err.Error()})
			continue
		}
		out = append(out, floorResponse{JSONRPC: "2.0", ID: r.ID, Result: p})
	}
	b, err := json.Marshal(out)
	if err != nil {
		panic(err)
	}
	return b
}

func echoBatch(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"jsonrpc":"2.0","id":` + strconv.Itoa(i+1) + `,"method":"echo","params":{"message":"hello","n":42}}`)
	}
	b.WriteByte(']')
	return b.Bytes()
}

func echoServer() *server.Server {
	s := server.New()
	s.MustAdd(server.Func("echo", func(_ context.Context, p floorEcho) (floorEcho, error) { return p, nil }))
	return s
}

// BenchmarkBatchVersusFloor runs batches of 100 echo calls (the peer
// benchmark's batch mode) through the floor and through Server.Handle,
// from one goroutine and from 16 goroutines per CPU (a loaded server, where
// the batch's helper goroutines cannot run on an idle core).
func BenchmarkBatchVersusFloor(b *testing.B) {
	body := echoBatch(100)
	s := echoServer()
	defer s.Close()
	ctx := context.Background()
	var want, got []any
	if err := json.Unmarshal(floorHandle(body), &want); err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal(s.Handle(ctx, body), &got); err != nil || len(got) != len(want) || strings.Contains(string(s.Handle(ctx, body)), `"error"`) {
		b.Fatalf("schemarpc answers %d members (%v), the floor %d", len(got), err, len(want))
	}
	handlers := []struct {
		name string
		fn   func() []byte
	}{
		{"floor", func() []byte { return floorHandle(body) }},
		{"schemarpc", func() []byte { return s.Handle(ctx, body) }},
	}
	for _, load := range []struct {
		name string
		par  int
	}{{"serial", 0}, {"loaded", 16}} {
		for _, h := range handlers {
			b.Run(load.name+"/"+h.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(body)))
				defer reportCPU(b)()
				if load.par == 0 {
					for b.Loop() {
						h.fn()
					}
					return
				}
				b.SetParallelism(load.par)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						h.fn()
					}
				})
			})
		}
	}
}

// floorServeHTTP serves one call as the peer benchmark's raw server does.
func floorServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var req floorRequest
	if err := json.Unmarshal(body, &req); err != nil {
		panic(err)
	}
	var p floorEcho
	if err := json.Unmarshal(req.Params, &p); err != nil {
		panic(err)
	}
	out, err := json.Marshal(floorResponse{JSONRPC: "2.0", ID: req.ID, Result: p})
	if err != nil {
		panic(err)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(out)))
	w.Write(out)
}

// discardWriter is a ResponseWriter that keeps only the status.
type discardWriter struct {
	h      http.Header
	status int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(s int)           { d.status = s }

// BenchmarkSingleVersusFloor serves one echo call per HTTP request through
// the floor's handler and through Server.ServeHTTP, without a network:
// what each adds to net/http's own work.
func BenchmarkSingleVersusFloor(b *testing.B) {
	body := []byte(`{"jsonrpc":"2.0","id":7,"method":"echo","params":{"message":"hello","n":42}}`)
	s := echoServer()
	defer s.Close()
	for _, h := range []struct {
		name string
		h    http.Handler
	}{{"floor", http.HandlerFunc(floorServeHTTP)}, {"schemarpc", s}} {
		b.Run(h.name, func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			rd := bytes.NewReader(body)
			r := httptest.NewRequest(http.MethodPost, "/rpc", rd)
			r.Header.Set("Content-Type", "application/json")
			w := &discardWriter{h: http.Header{}}
			for b.Loop() {
				rd.Reset(body)
				r.Body = io.NopCloser(rd)
				clear(w.h)
				w.status = 0
				h.h.ServeHTTP(w, r)
			}
			if w.status != 0 && w.status != http.StatusOK {
				b.Fatalf("status %d", w.status)
			}
		})
	}
}
