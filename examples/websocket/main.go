// Command websocket is the Go form of aiohttp-rpc's "WS Server Example" and
// "WS Client Example": the same server value serves HTTP POST and
// WebSocket on one path, and a WebSocket client calls it, sends
// notifications, builds batch items and sends a batch mixing calls and a
// notification. A handshake from an origin the server does not allow is
// refused with HTTP 403, and so is, with -32600, an HTTP call from such an
// origin (aiohttp-rpc's allowed_origins and check_origins).
//
// It starts the server on -addr (a free port by default), runs the client
// against it and prints:
//
//	pong
//	{"args":["request"],"kwargs":{}}
//	{Method:echo Params:[some request] Notification:false}
//	{Method:echo Params:map[a:1] Notification:true}
//	batch[0] {"args":["test"],"kwargs":{}}
//	batch[1] notification, no result
//	batch[2] "pong"
//	handshake from https://evil.example: HTTP 403
//	HTTP call from https://evil.example: jsonrpc error -32600: Invalid Request (data: "origin not allowed")
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
	"time"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/server"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// EchoResult is what echo answers: positional params in Args, named ones
// in Kwargs.
type EchoResult struct {
	Args   []any          `json:"args"`
	Kwargs map[string]any `json:"kwargs"`
}

func echo(_ context.Context, params json.RawMessage) (any, error) {
	res := EchoResult{Args: []any{}, Kwargs: map[string]any{}}
	var err error
	switch {
	case len(params) == 0:
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

func ping(context.Context) (string, error) { return "pong", nil }

// newServer returns the server. WebSocket handshakes are accepted from the
// same origin, from clients that send no Origin (such as Go programs) and
// from the origins listed (aiohttp-rpc's allowed_origins); the
// server.CheckOrigins middleware does the same for HTTP calls (aiohttp-rpc's
// check_origins).
func newServer() *server.Server {
	s := server.New(
		server.WithAllowedOrigins("https://example.com"),
		server.WithMiddlewares(server.CheckOrigins("https://example.com")),
	)
	s.MustAdd(
		server.FuncNoParams("ping", ping),
		server.Raw("echo", echo),
	)
	return s
}

var (
	pingMethod = client.NewMethod[any, string]("ping")
	echoArgs   = client.NewMethod[[]any, EchoResult]("echo")
	echoKwargs = client.NewMethod[map[string]any, EchoResult]("echo")
)

func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("websocket", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:0", "address to serve on (host:port)")
	if err := flags.Parse(args); err != nil {
		return err
	}

	rpc := newServer()
	mux := http.NewServeMux()
	mux.Handle("/rpc", rpc) // GET with Upgrade: WebSocket; POST: HTTP
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	defer func() {
		// http.Server.Shutdown does not track WebSocket connections;
		// rpc.Shutdown (aiohttp-rpc's on_shutdown) closes them.
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		rpc.Shutdown(sctx)
		hs.Shutdown(sctx)
	}()
	url := "ws://" + ln.Addr().String() + "/rpc"

	c, err := wsclient.Dial(ctx, url) // one connection for every call
	if err != nil {
		return err
	}
	defer c.Close()

	pong, err := pingMethod.Call(ctx, c, nil)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, pong)
	res, err := echoArgs.Call(ctx, c, []any{"request"})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, toJSON(res))
	if err := echoArgs.Notify(ctx, c, []any{"notification"}); err != nil { // no response
		return err
	}
	fmt.Fprintf(stdout, "%+v\n", echoArgs.Request([]any{"some request"})) // a batch item
	fmt.Fprintf(stdout, "%+v\n", echoKwargs.Notification(map[string]any{"a": 1}))
	if err := c.Notify(ctx, "ping", nil); err != nil {
		return err
	}

	batch, err := c.Batch(ctx,
		echoArgs.Request([]any{"test"}),
		echoKwargs.Notification(map[string]any{"a": 1, "b": 2}),
		pingMethod.Request(nil),
	)
	if err != nil {
		return err
	}
	for i, r := range batch.Results {
		switch {
		case r.Err != nil:
			fmt.Fprintf(stdout, "batch[%d] error: %v\n", i, r.Err)
		case r.Response == nil:
			fmt.Fprintf(stdout, "batch[%d] notification, no result\n", i)
		default:
			fmt.Fprintf(stdout, "batch[%d] %s\n", i, r.Response.Result)
		}
	}

	// A browser page from another origin may not open a connection.
	_, err = wsclient.Dial(ctx, url, client.WithHeader("Origin", "https://evil.example"))
	var se *client.HTTPStatusError
	if !errors.As(err, &se) {
		return fmt.Errorf("handshake from another origin: got %v, want an HTTP status error", err)
	}
	fmt.Fprintln(stdout, "handshake from https://evil.example: HTTP", se.StatusCode)
	hc, err := client.NewHTTP("http://"+ln.Addr().String()+"/rpc", client.WithHeader("Origin", "https://evil.example"))
	if err != nil {
		return err
	}
	defer hc.Close()
	fmt.Fprintln(stdout, "HTTP call from https://evil.example:", hc.Call(ctx, "ping", nil, nil))
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
