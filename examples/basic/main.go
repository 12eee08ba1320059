// Command basic is the Go form of aiohttp-rpc's "HTTP Server Example" and
// "HTTP Client Example": a server with ping and echo over HTTP POST, and a
// client that calls them every way the client package offers (typed stubs,
// plain calls, a notification, a direct call, a batch and a batch of
// notifications).
//
// It starts the server on -addr (a free port by default), runs the client
// against it and prints:
//
//	#1 pong
//	#2 {"args":["one","two"],"kwargs":{}}
//	#3 {"args":[],"kwargs":{"three":"3"}}
//	#4 {"args":[],"kwargs":{"three":"3"}}
//	#5 {"jsonrpc":"2.0","id":123,"result":"pong"}
//	#6 ["pong",{"args":["one","two"],"kwargs":{}},{"args":[],"kwargs":{"three":"3"}}]
//	notifications handled by the server: 4
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/server"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// EchoResult is what echo answers: positional params in Args, named ones
// in Kwargs, like aiohttp-rpc's echo(*args, **kwargs).
type EchoResult struct {
	Args   []any          `json:"args"`
	Kwargs map[string]any `json:"kwargs"`
}

// echo accepts any params, so it is a Raw method: no schema, no validation.
func echo(_ context.Context, params json.RawMessage) (any, error) {
	res := EchoResult{Args: []any{}, Kwargs: map[string]any{}}
	var err error
	switch {
	case len(params) == 0: // no params
	case params[0] == '[':
		err = json.Unmarshal(params, &res.Args)
	default:
		err = json.Unmarshal(params, &res.Kwargs)
	}
	if err != nil {
		return nil, schemarpc.ErrInvalidParams
	}
	return res, nil
}

// ping takes no params. The HTTP request that carried the call, aiohttp-rpc's
// rpc_request, is server.RequestFromContext(ctx).
func ping(ctx context.Context) (string, error) {
	if server.RequestFromContext(ctx) == nil {
		return "", errors.New("ping: not called over HTTP")
	}
	return "pong", nil
}

// newServer returns the RPC server. notifications counts the notifications
// it handles.
func newServer(notifications *atomic.Int64) *server.Server {
	countNotifications := func(next server.Handler) server.Handler {
		return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
			if req.IsNotification() {
				notifications.Add(1)
			}
			return next.ServeRPC(ctx, req)
		})
	}
	s := server.New(server.WithMiddlewares(countNotifications))
	s.MustAdd(
		server.FuncNoParams("ping", ping, server.Summary(`Answer "pong"`)),
		server.Raw("echo", echo, server.Summary("Echo the params back")),
	)
	return s
}

// Typed stubs for the remote methods: aiohttp-rpc's rpc.methods.ping and
// rpc.methods.echo. echo takes positional or named params, so it gets one
// stub per form.
var (
	pingMethod = client.NewMethod[any, string]("ping")
	echoArgs   = client.NewMethod[[]any, EchoResult]("echo")
	echoKwargs = client.NewMethod[map[string]any, EchoResult]("echo")
)

func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("basic", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:0", "address to serve on (host:port)")
	if err := flags.Parse(args); err != nil {
		return err
	}

	// The server: mount it on /rpc of any mux, as aiohttp-rpc's
	// web.post('/rpc', rpc_server.handle_http_request).
	var notifications atomic.Int64
	rpc := newServer(&notifications)
	mux := http.NewServeMux()
	mux.Handle("/rpc", rpc)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		rpc.Shutdown(sctx)
		hs.Shutdown(sctx)
	}()

	// The client.
	c, err := client.NewHTTP("http://" + ln.Addr().String() + "/rpc")
	if err != nil {
		return err
	}
	defer c.Close()

	// Idiomatic calls.
	pong, err := pingMethod.Call(ctx, c, nil) // no params
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "#1", pong)
	res, err := echoArgs.Call(ctx, c, []any{"one", "two"}) // positional params
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "#2", toJSON(res))
	res, err = echoKwargs.Call(ctx, c, map[string]any{"three": "3"}) // named params
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "#3", toJSON(res))

	// Lower-level calls.
	var out EchoResult
	if err := c.Call(ctx, "echo", map[string]string{"three": "3"}, &out); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "#4", toJSON(out))
	if err := c.Notify(ctx, "echo", []int{123}); err != nil { // a notification
		return err
	}

	// A direct call sends a prepared request and returns the raw response.
	resp, err := c.DirectCall(ctx, &schemarpc.Request{ID: schemarpc.Int64ID(123), Method: "ping"})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "#5", toJSON(resp))

	// A batch: the results come back in the order of the items.
	batch, err := c.Batch(ctx,
		pingMethod.Request(nil),
		echoArgs.Request([]any{"one", "two"}),
		echoKwargs.Request(map[string]any{"three": "3"}),
	)
	if err != nil {
		return err
	}
	if err := batch.Err(); err != nil {
		return err
	}
	results := make([]json.RawMessage, len(batch.Results))
	for i, r := range batch.Results {
		results[i] = r.Response.Result
	}
	fmt.Fprintln(stdout, "#6", toJSON(results))

	// A batch of notifications: fire and forget.
	if err := c.BatchNotify(ctx,
		pingMethod.Notification(nil),
		echoArgs.Notification([]any{"one", "two"}),
		echoKwargs.Notification(map[string]any{"three": "3"}),
	); err != nil {
		return err
	}
	// Over HTTP the server has handled the notifications when Notify and
	// BatchNotify return (it answers 204 No Content afterwards).
	fmt.Fprintln(stdout, "notifications handled by the server:", notifications.Load())
	return nil
}

// toJSON returns the compact JSON encoding of v.
func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return string(b)
}
