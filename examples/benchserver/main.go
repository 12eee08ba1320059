// Command benchserver is a minimal JSON-RPC service for load tests, with
// schemas and validation on, as a production service would run:
//
//	echo({"message": string, "n": int}) → the same object
//	add({"a": int, "b": int})           → a + b
//
// Both take named params (an object) or positional ones. HTTP POST and
// WebSocket are served on /rpc. The http.Server has production timeouts,
// and nothing is logged per call.
//
// Usage:
//
//	go run ./examples/benchserver -addr 127.0.0.1:8080
//
// It prints the endpoints once listening, and stops gracefully on SIGINT
// or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// EchoParams are the params, and the result, of echo.
type EchoParams struct {
	Message string `json:"message"`
	N       int    `json:"n"`
}

// AddParams are the params of add.
type AddParams struct {
	A int `json:"a"`
	B int `json:"b"`
}

func echo(_ context.Context, p EchoParams) (EchoParams, error) { return p, nil }

func add(_ context.Context, p AddParams) (int, error) { return p.A + p.B, nil }

func newServer() *server.Server {
	s := server.New(server.WithInfo(schema.Info{Title: "benchserver", Version: "1.0.0"}))
	s.MustAdd(
		server.Func("echo", echo, server.Summary("Answer the params")),
		server.Func("add", add, server.Summary("Add two integers")),
	)
	return s
}

// run serves until ctx ends, then shuts down gracefully.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("benchserver", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:8080", "address to serve on (host:port)")
	shutdownTimeout := flags.Duration("shutdown-timeout", 10*time.Second, "how long a graceful stop may take")
	readTimeout := flags.Duration("read-timeout", server.DefaultReadTimeout, "http.Server ReadTimeout (0: none, as in the peer benchmark's common server set-up)")
	writeTimeout := flags.Duration("write-timeout", server.DefaultWriteTimeout, "http.Server WriteTimeout (0: none, as in the peer benchmark's common server set-up)")
	if err := flags.Parse(args); err != nil {
		return err
	}

	rpc := newServer()
	mux := http.NewServeMux()
	mux.Handle("/rpc", rpc)
	hs := server.NewHTTPServer(mux, *addr) // production timeouts; WebSocket connections are exempt once upgraded
	hs.ReadTimeout, hs.WriteTimeout = *readTimeout, *writeTimeout
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "benchserver: POST http://%s/rpc, WebSocket ws://%[1]s/rpc\n", ln.Addr())

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}

	sctx, cancel := context.WithTimeout(context.Background(), *shutdownTimeout)
	defer cancel()
	rpcErr := make(chan error, 1)
	go func() { rpcErr <- rpc.Shutdown(sctx) }() // WebSocket connections
	httpErr := hs.Shutdown(sctx)
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return errors.Join(<-rpcErr, httpErr)
}
