// Command schemarpc-nats serves the schemarpc demo service with NATS as its
// broker: `schemarpc-nats serve --nats URL` takes the flags of
// `schemarpc serve`, which runs it when given --nats (the core module, and
// so the schemarpc command, does not depend on NATS). Several of them
// behind a load balancer form one service: a message posted with
// post_message on any node reaches the messages subscribers of every node.
//
//	cd natsbroker && go install ./cmd/schemarpc-nats   # in a checkout of schemarpc
//	schemarpc serve --nats nats://127.0.0.1:4222 --addr 127.0.0.1:8081
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/natsbroker"
	"github.com/schemarpc/schemarpc/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "schemarpc-nats:", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

type usageError struct{ error }

type origins []string

func (o *origins) String() string     { return strings.Join(*o, ",") }
func (o *origins) Set(v string) error { *o = append(*o, v); return nil }

// run serves until ctx ends; ready, when not nil, receives the listening
// address.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready chan<- string) error {
	if len(args) == 0 || args[0] != "serve" {
		return usageError{errors.New("usage: schemarpc-nats serve --nats URL [--addr host:port] [flags of schemarpc serve]")}
	}
	fs := flag.NewFlagSet("schemarpc-nats serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		allowed      origins
		addr         = fs.String("addr", "127.0.0.1:8080", "address to listen on (host:port)")
		maxBody      = fs.Int64("max-body", server.DefaultReadLimit, "largest HTTP request body and WebSocket message in bytes (<= 0: no limit)")
		maxBatch     = fs.Int("max-batch", server.DefaultMaxBatch, "largest batch (<= 0: no limit)")
		logLevel     = fs.String("log-level", "info", "log level: debug, info, warn or error")
		shutdownWait = fs.Duration("shutdown-timeout", 10*time.Second, "how long a graceful stop may take")
		natsURL      = fs.String("nats", "", "NATS server URL(s), comma-separated (required)")
	)
	fs.Var(&allowed, "allowed-origin", "origin allowed to open WebSocket connections besides the same origin (repeatable)")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err}
	}
	if *natsURL == "" {
		return usageError{errors.New("--nats URL is required")}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return usageError{fmt.Errorf("--log-level %q: want debug, info, warn or error", *logLevel)}
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	broker, err := natsbroker.Connect(*natsURL, nil)
	if err != nil {
		return err
	}
	defer broker.Close()
	rpc := demo.New(log,
		server.WithBroker(broker),
		server.WithAllowedOrigins(allowed...),
		server.WithReadLimit(*maxBody),
		server.WithMaxBatch(*maxBatch),
		server.WithMiddlewares(server.Logging(log)),
	)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "schemarpc demo (NATS broker %s) listening on %s\n  POST %s/rpc\n  WS   %s/rpc\n  GET  %s/openrpc.json\n  GET  %s/docs\n",
		*natsURL, ln.Addr(), base, strings.Replace(base, "http", "ws", 1), base, base)
	if ready != nil {
		ready <- ln.Addr().String()
	}
	return demo.Serve(ctx, rpc, ln, log, *shutdownWait)
}
