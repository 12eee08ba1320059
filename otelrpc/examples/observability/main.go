// Command observability runs a schemarpc server and its clients, over HTTP
// and WebSocket, traced and measured with OpenTelemetry through package
// otelrpc, and prints the spans and metrics with the stdout exporters: one
// JSON object per span as it ends, then the metrics.
//
// The server trusts its callers' trace context (otelrpc.WithTrustRemote),
// so that each HTTP call's client and server spans share one trace; the
// WebSocket connection carries the trace context of its handshake.
//
//	go run .
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/otelrpc"
	"github.com/schemarpc/schemarpc/server"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "observability:", err)
		os.Exit(1)
	}
}

// AddParams are the params of add.
type AddParams struct {
	A int `json:"a" jsonschema:"minimum=0"`
	B int `json:"b" jsonschema:"minimum=0"`
}

// setup installs the SDK, exporting to w, as the global providers, with
// the W3C trace context propagator. shutdown flushes and stops it.
func setup(w io.Writer) (shutdown func(context.Context) error, err error) {
	spans, err := stdouttrace.New(stdouttrace.WithWriter(w))
	if err != nil {
		return nil, err
	}
	metrics, err := stdoutmetric.New(stdoutmetric.WithWriter(w))
	if err != nil {
		return nil, err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	// The periodic reader exports on Shutdown (and every minute).
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(metrics, sdkmetric.WithInterval(time.Minute))))
	otel.SetTracerProvider(tp)
	otel.SetMeterProvider(mp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	return func(ctx context.Context) error {
		terr := tp.Shutdown(ctx)
		merr := mp.Shutdown(ctx)
		if terr != nil {
			return terr
		}
		return merr
	}, nil
}

// newServer returns the traced server: its calls, and its calls to
// WebSocket clients.
func newServer() *server.Server {
	srv := server.New(
		server.WithMiddlewares(otelrpc.ServerMiddleware(otelrpc.WithTrustRemote())),
		server.WithConnMiddlewares(otelrpc.ConnMiddleware()),
	)
	srv.MustAdd(
		server.Func("add", func(_ context.Context, p AddParams) (int, error) { return p.A + p.B, nil }),
		server.FuncNoParams("log", func(context.Context) (any, error) { return nil, nil }),
		server.FuncNoParams("greet", func(ctx context.Context) (string, error) {
			// Ask the WebSocket client its name: a server-to-client call.
			var name string
			if err := server.Call(ctx, "name", nil, &name); err != nil {
				return "", err
			}
			return "hello, " + name, nil
		}),
	)
	return srv
}

// run serves on a loopback port, makes the calls, and exports everything
// to w.
func run(ctx context.Context, w io.Writer) error {
	shutdown, err := setup(w)
	if err != nil {
		return err
	}
	srv := newServer()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	url := "http://" + ln.Addr().String()

	err = calls(ctx, url)
	srv.Shutdown(ctx)
	hs.Shutdown(ctx)
	if serr := shutdown(ctx); err == nil {
		err = serr
	}
	return err
}

// calls makes one of each kind of call, under a span of the program.
func calls(ctx context.Context, url string) error {
	ctx, span := otel.Tracer("observability").Start(ctx, "calls")
	defer span.End()

	hc, err := client.NewHTTP(url, client.WithMiddlewares(otelrpc.ClientMiddleware()))
	if err != nil {
		return err
	}
	defer hc.Close()
	if _, err := client.CallAs[int](ctx, hc, "add", AddParams{A: 2, B: 3}); err != nil {
		return err
	}
	// Invalid params: -32602, with the violation count on both spans.
	if err := hc.Call(ctx, "add", AddParams{A: -1, B: -2}, nil); schemarpc.CodeOf(err) != schemarpc.CodeInvalidParams {
		return fmt.Errorf("add(-1, -2): %v, want -32602", err)
	}
	if err := hc.Notify(ctx, "log", nil); err != nil {
		return err
	}
	if _, err := hc.Batch(ctx, client.BatchItem{Method: "add", Params: AddParams{A: 1, B: 1}}, client.BatchItem{Method: "log", Notification: true}); err != nil {
		return err
	}

	// WebSocket: the handshake carries the trace context.
	ws, err := wsclient.Dial(otelrpc.ContextWithTraceHeaders(ctx), "ws"+url[len("http"):],
		client.WithMiddlewares(otelrpc.ClientMiddleware()),
		wsclient.WithServerOptions(server.WithMiddlewares(otelrpc.ServerMiddleware())),
		wsclient.WithMethods(server.FuncNoParams("name", func(context.Context) (string, error) { return "gopher", nil })))
	if err != nil {
		return err
	}
	defer ws.Close()
	greeting, err := client.CallAs[string](ctx, ws, "greet", nil)
	if err != nil {
		return err
	}
	if greeting != "hello, gopher" {
		return fmt.Errorf("greet = %q", greeting)
	}
	return nil
}
