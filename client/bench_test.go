package client_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/server"
)

// The benchmarks call the demo's subtract (params validated against their
// schema) and echo (raw params, never validated) on an in-process server,
// with validation on and off, to show what the schema check costs next to
// the transport.

func benchServer(b *testing.B, validation bool) *httptest.Server {
	ts := httptest.NewServer(demo.New(nil, server.WithValidation(validation)))
	b.Cleanup(ts.Close)
	return ts
}

func benchCases(b *testing.B, run func(b *testing.B, ts *httptest.Server, method string, params any)) {
	for _, v := range []struct {
		name string
		on   bool
	}{{"validation=on", true}, {"validation=off", false}} {
		for _, m := range []struct {
			name   string
			params any
		}{
			{"subtract", demo.SubtractParams{Minuend: 42, Subtrahend: 23}},
			{"echo", []any{1, "two", 3.0}},
		} {
			b.Run(m.name+"/"+v.name, func(b *testing.B) {
				run(b, benchServer(b, v.on), m.name, m.params)
			})
		}
	}
}

func BenchmarkHTTPCall(b *testing.B) {
	benchCases(b, func(b *testing.B, ts *httptest.Server, method string, params any) {
		c, err := client.NewHTTP(ts.URL)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if err := c.Call(ctx, method, params, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkHTTPBatch10(b *testing.B) {
	ts := benchServer(b, true)
	c, err := client.NewHTTP(ts.URL)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	items := make([]client.BatchItem, 10)
	for i := range items {
		items[i] = client.BatchItem{Method: "subtract", Params: []int{i, 1}}
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := c.Batch(ctx, items...)
		if err != nil || res.Err() != nil {
			b.Fatal(err, res.Err())
		}
	}
}
