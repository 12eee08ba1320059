package server_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/schemarpc/schemarpc/server"
)

// BenchmarkHTTPServerTimeouts measures one validated call per POST over
// keep-alive loopback connections (b.RunParallel, one connection per
// goroutine, a minimal HTTP/1.1 client) against the same handler under
// http.Server set-ups that differ only in their timeouts:
//
//   - header-only: ReadHeaderTimeout and IdleTimeout, as the peer
//     benchmark's servers run;
//   - production: what NewHTTPServer sets (ReadTimeout and WriteTimeout too,
//     so net/http arms a read and a write deadline per request).
//
// Compare the variants within one run (-count 5).
func BenchmarkHTTPServerTimeouts(b *testing.B) {
	s := server.New()
	type addParams struct {
		A int `json:"a"`
		B int `json:"b"`
	}
	s.MustAdd(server.Func("add", func(_ context.Context, p addParams) (int, error) { return p.A + p.B, nil }))
	for _, v := range []struct {
		name string
		tune func(*http.Server)
	}{
		{"header-only", func(hs *http.Server) { hs.ReadTimeout, hs.WriteTimeout = 0, 0 }},
		{"production", func(*http.Server) {}},
		{"handler-deadline", func(hs *http.Server) {
			// The same bounds set by the handler, read and write at one
			// instant, which the runtime serves with one timer.
			hs.ReadTimeout, hs.WriteTimeout = 0, 0
			h := hs.Handler
			hs.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rc := http.NewResponseController(w)
				dl := time.Now().Add(server.DefaultWriteTimeout)
				rc.SetReadDeadline(dl)
				rc.SetWriteDeadline(dl)
				h.ServeHTTP(w, r)
			})
		}},
	} {
		b.Run(v.name, func(b *testing.B) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			hs := server.NewHTTPServer(s, ln.Addr().String())
			v.tune(hs)
			done := make(chan struct{})
			go func() { defer close(done); hs.Serve(ln) }()
			defer func() { hs.Close(); <-done }()
			body := `{"jsonrpc":"2.0","method":"add","params":{"a":3,"b":4},"id":1}`
			req := []byte("POST / HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: " +
				strconv.Itoa(len(body)) + "\r\n\r\n" + body)
			want := []byte(`{"jsonrpc":"2.0","id":1,"result":7}`)
			b.SetParallelism(16) // 32 connections on 2 cores, as the peer benchmark
			cpu0 := processCPU()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				conn, err := net.Dial("tcp", ln.Addr().String())
				if err != nil {
					b.Error(err)
					return
				}
				defer conn.Close()
				br := bufio.NewReader(conn)
				buf := make([]byte, 256)
				for pb.Next() {
					if _, err := conn.Write(req); err != nil {
						b.Error(err)
						return
					}
					n, err := readHTTPBody(br, buf)
					if err != nil || !bytes.Equal(buf[:n], want) {
						b.Errorf("answer %q, %v", buf[:n], err)
						return
					}
				}
			})
			b.StopTimer()
			// CPU time of the process (server and client) per call: less
			// sensitive than ns/op to other load on a shared machine.
			b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// readHTTPBody reads one response with a Content-Length into buf and
// returns the body's length.
func readHTTPBody(br *bufio.Reader, buf []byte) (int, error) {
	length := -1
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return 0, err
		}
		if len(line) <= 2 {
			break
		}
		if v, ok := bytes.CutPrefix(line, []byte("Content-Length: ")); ok {
			length, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
		}
	}
	if length < 0 || length > len(buf) {
		return 0, io.ErrUnexpectedEOF
	}
	_, err := io.ReadFull(br, buf[:length])
	return length, err
}
