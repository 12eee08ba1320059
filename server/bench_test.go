package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/server"
)

const subtractByName = `{"jsonrpc":"2.0","method":"subtract","params":{"minuend":42,"subtrahend":23},"id":1}`

func benchHandle(b *testing.B, payload string, opts ...server.Option) {
	s := demo.New(nil, opts...)
	ctx := context.Background()
	p := []byte(payload)
	if out := s.Handle(ctx, p); len(out) == 0 || strings.Contains(string(out), `"error"`) {
		b.Fatalf("bad answer: %.200s", out)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		s.Handle(ctx, p)
	}
}

func batchOf(n int, req string) string {
	return "[" + strings.TrimSuffix(strings.Repeat(req+",", n), ",") + "]"
}

// BenchmarkHandle measures one call of subtract by name through
// Server.Handle (decode, validate, dispatch, encode), with validation on and
// off, alone and in a batch of 100.
func BenchmarkHandle(b *testing.B) {
	b.Run("call/validated", func(b *testing.B) { benchHandle(b, subtractByName) })
	b.Run("call/unvalidated", func(b *testing.B) { benchHandle(b, subtractByName, server.WithValidation(false)) })
	b.Run("batch100/validated", func(b *testing.B) { benchHandle(b, batchOf(100, subtractByName)) })
	b.Run("batch100/unvalidated", func(b *testing.B) {
		benchHandle(b, batchOf(100, subtractByName), server.WithValidation(false))
	})
}

// BenchmarkHandleBatchUnderLoad runs batches of 100 from 16 goroutines per
// CPU at once, as a loaded HTTP server does: every core is busy with other
// batches, so what a batch's helper goroutines cost is not paid back.
func BenchmarkHandleBatchUnderLoad(b *testing.B) {
	s := demo.New(nil)
	defer s.Close()
	ctx := context.Background()
	p := []byte(batchOf(100, subtractByName))
	if out := s.Handle(ctx, p); len(out) == 0 || strings.Contains(string(out), `"error"`) {
		b.Fatalf("bad answer: %.200s", out)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(p)))
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s.Handle(ctx, p)
		}
	})
}
