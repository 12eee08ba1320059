package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/server"
)

// serveOptions are the flags of `schemarpc serve`.
type serveOptions struct {
	addr           string
	allowedOrigins []string
	maxBody        int64
	maxBatch       int
	logLevel       string
	shutdownWait   time.Duration
	nats           string // see servenats.go
}

func newServeCmd() *cobra.Command {
	o := serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the demo service over HTTP and WebSocket",
		Long: `Serve the demo service: JSON-RPC over HTTP POST and WebSocket on /rpc, and its
OpenRPC document on GET /openrpc.json, and its live API reference, where every
method can be tried from the browser, on GET /docs (/ redirects there). Stops gracefully on SIGINT or SIGTERM.`,
		Example: `  schemarpc serve
  schemarpc serve --addr 0.0.0.0:8080 --allowed-origin https://app.example.com --log-level debug
  schemarpc serve --nats nats://127.0.0.1:4222`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.nats != "" {
				return serveWithNATS(cmd)
			}
			return runServe(cmd.Context(), cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port)")
	f.StringArrayVar(&o.allowedOrigins, "allowed-origin", nil, "origin allowed to open WebSocket connections besides the same origin (repeatable; * allows all)")
	f.Int64Var(&o.maxBody, "max-body", server.DefaultReadLimit, "largest HTTP request body and WebSocket message in bytes (<= 0: no limit)")
	f.IntVar(&o.maxBatch, "max-batch", server.DefaultMaxBatch, "largest batch (<= 0: no limit)")
	f.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	f.DurationVar(&o.shutdownWait, "shutdown-timeout", 10*time.Second, "how long a graceful stop may take")
	f.StringVar(&o.nats, "nats", "", "NATS server URL: publish and follow the demo's topics through NATS, so that subscribers on every node get them (runs schemarpc-nats, see docs/scaling.md)")
	return cmd
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("--log-level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

func runServe(ctx context.Context, cmd *cobra.Command, o serveOptions) error {
	level, err := parseLevel(o.logLevel)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
	rpc := demo.New(log,
		server.WithAllowedOrigins(o.allowedOrigins...),
		server.WithReadLimit(o.maxBody),
		server.WithMaxBatch(o.maxBatch),
		server.WithMiddlewares(server.Logging(log)),
	)
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	base := "http://" + ln.Addr().String()
	log.Info("serving", "rpc", "POST "+base+"/rpc", "websocket", strings.Replace(base, "http", "ws", 1)+"/rpc", "openrpc", "GET "+base+"/openrpc.json")
	fmt.Fprintf(cmd.OutOrStdout(), "schemarpc demo listening on %s\n  POST %s/rpc\n  WS   %s/rpc\n  GET  %s/openrpc.json\n  GET  %s/docs\n",
		ln.Addr(), base, strings.Replace(base, "http", "ws", 1), base, base)
	return demo.Serve(ctx, rpc, ln, log, o.shutdownWait) // production timeouts, graceful stop
}
