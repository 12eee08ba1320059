package otelrpc_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/otelrpc"
	"github.com/schemarpc/schemarpc/server"
)

// A server and an HTTP client traced into an in-memory recorder; the
// server trusts the client's trace context, so both spans share a trace.
// Programs usually install the SDK as the global provider
// (otel.SetTracerProvider) and give no options.
func Example() {
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	defer tp.Shutdown(context.Background())
	opts := []otelrpc.Option{
		otelrpc.WithTracerProvider(tp),
		otelrpc.WithPropagator(propagation.TraceContext{}),
		otelrpc.WithoutMetrics(),
	}

	srv := server.New(server.WithMiddlewares(otelrpc.ServerMiddleware(append(opts, otelrpc.WithTrustRemote())...)))
	srv.MustAdd(server.Func("add", func(_ context.Context, p AddParams) (int, error) { return p.A + p.B, nil }))
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close()

	c, err := client.NewHTTP(ts.URL, client.WithMiddlewares(otelrpc.ClientMiddleware(opts...)))
	if err != nil {
		panic(err)
	}
	defer c.Close()
	sum, err := client.CallAs[int](context.Background(), c, "add", AddParams{A: 2, B: 3})
	fmt.Println(sum, err)

	ended := spans.Ended()
	for _, s := range ended {
		fmt.Println(s.Name(), s.SpanKind())
	}
	fmt.Println("one trace:", ended[0].SpanContext().TraceID() == ended[1].SpanContext().TraceID())
	// Output:
	// 5 <nil>
	// add server
	// add client
	// one trace: true
}
