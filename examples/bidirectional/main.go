// Command bidirectional shows calls in both directions over one WebSocket
// connection. The client serves methods to the server
// (wsclient.WithMethods, aiohttp-rpc's json_request_handler) and receives the
// notifications the server pushes (wsclient.WithNotificationHandler). The
// server calls the client while handling a call (server.Call,
// server.Notify) and at any other time through the *server.Conn it kept
// when the connection opened (server.WithOnConnect). A method the client
// serves may itself call the server back (wsclient.FromContext).
//
// It starts the server on -addr (a free port by default), runs the client
// against it and prints:
//
//	server called client_version: bidirectional-example/1.0
//	transfer 100: transferred 100
//	transfer 900: jsonrpc error 1: Transfer declined
//	notification progress {"step":1,"of":2}
//	notification progress {"step":2,"of":2}
//	notification welcome {"motd":"hello"}
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"slices"
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

// TransferParams are the params of transfer (served by the server) and of
// confirm (served by the client).
type TransferParams struct {
	Amount int `json:"amount" jsonschema:"minimum=1"`
}

// Progress is the params of the progress notification.
type Progress struct {
	Step int `json:"step"`
	Of   int `json:"of"`
}

// ErrDeclined is answered when the client declines a transfer.
var ErrDeclined = schemarpc.NewError(1, "Transfer declined")

// transfer asks the client that called it to confirm, then reports its
// progress to it with notifications.
func transfer(ctx context.Context, p TransferParams) (string, error) {
	var ok bool
	if err := server.Call(ctx, "confirm", p, &ok); err != nil {
		return "", err
	}
	if !ok {
		return "", ErrDeclined
	}
	for step := 1; step <= 2; step++ {
		if err := server.Notify(ctx, "progress", Progress{Step: step, Of: 2}); err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("transferred %d", p.Amount), nil
}

func limit(context.Context) (int, error) { return 500, nil }

// newServer returns the server; it sends every connection it accepts on
// conns, after greeting it with a welcome notification.
func newServer(conns chan<- *server.Conn) *server.Server {
	s := server.New(server.WithOnConnect(func(c *server.Conn) {
		c.Notify(context.Background(), "welcome", map[string]string{"motd": "hello"})
		select {
		case conns <- c:
		default: // only the first connection is wanted
		}
	}))
	s.MustAdd(
		server.Func("transfer", transfer, server.Errors(ErrDeclined)),
		server.FuncNoParams("limit", limit),
	)
	return s
}

// confirm is served by the client: it asks the server for the limit and
// accepts transfers within it.
func confirm(ctx context.Context, p TransferParams) (bool, error) {
	var most int
	if err := wsclient.FromContext(ctx).Call(ctx, "limit", nil, &most); err != nil {
		return false, err
	}
	return p.Amount <= most, nil
}

func clientVersion(context.Context) (string, error) { return "bidirectional-example/1.0", nil }

func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("bidirectional", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:0", "address to serve on (host:port)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()

	conns := make(chan *server.Conn, 1)
	rpc := newServer(conns)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: rpc, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		rpc.Shutdown(sctx)
		hs.Shutdown(sctx)
	}()

	// Notification handlers run concurrently, in any order: collect the
	// notifications, print them sorted.
	notes := make(chan string, 8)
	c, err := wsclient.Dial(ctx, "ws://"+ln.Addr().String(),
		wsclient.WithMethods(
			server.Func("confirm", confirm),
			server.FuncNoParams("client_version", clientVersion),
		),
		wsclient.WithNotificationHandler(func(_ context.Context, n *schemarpc.Request) {
			notes <- fmt.Sprintf("notification %s %s", n.Method, n.Params)
		}))
	if err != nil {
		return err
	}
	defer c.Close()

	// The server calls the client outside any call, on the connection it
	// kept.
	var conn *server.Conn
	select {
	case conn = <-conns:
	case <-ctx.Done():
		return ctx.Err()
	}
	var version string
	if err := conn.Call(ctx, "client_version", nil, &version); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "server called client_version:", version)

	// The server calls the client back while handling the client's call.
	for _, amount := range []int{100, 900} {
		res, err := client.CallAs[string](ctx, c, "transfer", TransferParams{Amount: amount})
		if err != nil {
			fmt.Fprintf(stdout, "transfer %d: %v\n", amount, err)
		} else {
			fmt.Fprintf(stdout, "transfer %d: %s\n", amount, res)
		}
	}

	var got []string
	for len(got) < 3 { // welcome and two progress notifications
		select {
		case n := <-notes:
			got = append(got, n)
		case <-ctx.Done():
			return fmt.Errorf("%d notifications received: %w", len(got), ctx.Err())
		}
	}
	slices.Sort(got)
	for _, n := range got {
		fmt.Fprintln(stdout, n)
	}
	return nil
}
