// Command quickstart is the quick start of the README: a server with one
// method whose params are validated against the schema reflected from
// their struct tags, and a client calling it with params by position, by
// name, and with params the schema refuses.
//
// It prints:
//
//	42 - 23 = 19
//	jsonrpc error -32602: Invalid params (data: [{"pointer":"/subtrahend","keyword":"minimum","message":"expected a number >= 0, got -1"}])
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
	"time"

	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/server"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// SubtractParams are the params of subtract, by name or (in field order)
// by position.
type SubtractParams struct {
	Minuend    float64 `json:"minuend"`
	Subtrahend float64 `json:"subtrahend" jsonschema:"minimum=0"`
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:0", "address to serve on (host:port)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}

	// The README's quick start begins here.
	s := server.New()
	s.MustAdd(server.Func("subtract", func(ctx context.Context, p SubtractParams) (float64, error) {
		return p.Minuend - p.Subtrahend, nil
	}, server.Summary("Subtract two numbers")))
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second} // POST and WebSocket
	go hs.Serve(ln)
	defer hs.Shutdown(ctx)

	c, err := client.NewHTTP("http://" + ln.Addr().String()) // wsclient.Dial for "ws://…"
	if err != nil {
		return err
	}
	defer c.Close()
	diff, err := client.CallAs[float64](ctx, c, "subtract", []float64{42, 23})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "42 - 23 =", diff)
	_, err = client.CallAs[float64](ctx, c, "subtract", SubtractParams{Minuend: 1, Subtrahend: -1})
	fmt.Fprintln(stdout, err)
	// The README's quick start ends here.
	return nil
}
