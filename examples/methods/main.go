// Command methods shows the ways to register methods, the Go form of
// aiohttp-rpc's "More examples": plain functions, a name that differs from
// the function's, replacing and removing methods, a method that reads the
// HTTP request (aiohttp-rpc's rpc_request), variadic params (its sum), a
// result post-processor (prepare_result), and a package-level method list
// (the Go stand-in for its @rpc_method decorator).
//
// It starts the server on -addr (a free port by default), calls every
// method and prints:
//
//	add ping_1 again: server: method already registered: "ping_1"
//	methods: [ping_1 ping_3 ping_with_request sum third_ping zip]
//	ping_1: "pong 1 (replaced)"
//	ping_3: "pong 3"
//	ping_with_request: "pong with request from Go-http-client/1.1"
//	sum: 6
//	sum: 0.3
//	third_ping: "pong 3"
//	zip: [["a",1],["b",2]]
//	ping_2: jsonrpc error -32601: Method not found (data: "method \"ping_2\" does not exist")
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
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

func ping1(context.Context) (string, error) { return "pong 1", nil }
func ping2(context.Context) (string, error) { return "pong 2", nil }
func ping3(context.Context) (string, error) { return "pong 3", nil }

// pingWithRequest reads the HTTP request that carried the call.
func pingWithRequest(ctx context.Context) (string, error) {
	return "pong with request from " + server.RequestFromContext(ctx).UserAgent(), nil
}

// sum adds any number of positional params: sum(1, 2, 3).
func sum(_ context.Context, numbers []float64) (float64, error) {
	var total float64
	for _, n := range numbers {
		total += n
	}
	return total, nil
}

// ZipParams are the params of zip.
type ZipParams struct {
	Left  []any `json:"left"`
	Right []any `json:"right"`
}

// zip pairs the elements of two lists.
func zip(_ context.Context, p ZipParams) ([][2]any, error) {
	pairs := make([][2]any, min(len(p.Left), len(p.Right)))
	for i := range pairs {
		pairs[i] = [2]any{p.Left[i], p.Right[i]}
	}
	return pairs, nil
}

// roundSum is sum's result post-processor (aiohttp-rpc's prepare_result):
// it hides floating-point noise such as 0.1 + 0.2 = 0.30000000000000004.
func roundSum(_ context.Context, result any) (any, error) {
	return math.Round(result.(float64)*1e9) / 1e9, nil
}

// defaultMethods lists methods to register together at start-up: Go has
// no decorators, a list next to the functions does the job of
// @rpc_method. (A *server.Method is an immutable description, so the same
// list could be registered on several servers.)
func defaultMethods() []*server.Method {
	return []*server.Method{
		server.FuncNoParams("ping_1", ping1),
		server.FuncNoParams("ping_2", ping2),
	}
}

// newServer returns the server, printing to w what registration refused.
func newServer(w io.Writer) (*server.Server, error) {
	s := server.New()
	s.MustAdd(defaultMethods()...)
	s.MustAdd(
		server.FuncNoParams("third_ping", ping3), // JSONRPCMethod(ping_3, name="third_ping"): the name is an argument
		server.FuncNoParams("ping_3", ping3),
		server.FuncNoParams("ping_with_request", pingWithRequest),
		server.Variadic("sum", "numbers", sum, server.PrepareResult(roundSum)),
		server.Func("zip", zip),
	)
	// Add refuses a name already registered; Replace replaces it
	// (aiohttp-rpc's add_method(..., replace=True)).
	err := s.Add(server.FuncNoParams("ping_1", ping1))
	if !errors.Is(err, server.ErrMethodExists) {
		return nil, fmt.Errorf("adding ping_1 twice: got %v, want server.ErrMethodExists", err)
	}
	fmt.Fprintln(w, "add ping_1 again:", err)
	if err := s.Replace(server.FuncNoParams("ping_1", func(context.Context) (string, error) {
		return "pong 1 (replaced)", nil
	})); err != nil {
		return nil, err
	}
	s.Remove("ping_2")
	return s, nil
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("methods", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:0", "address to serve on (host:port)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	rpc, err := newServer(stdout)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "methods:", rpc.Methods())
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: rpc, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	defer hs.Shutdown(context.Background())
	defer rpc.Shutdown(context.Background()) // WebSocket connections and reused goroutines

	c, err := client.NewHTTP("http://" + ln.Addr().String())
	if err != nil {
		return err
	}
	defer c.Close()
	calls := []struct {
		method string
		params any
	}{
		{"ping_1", nil},
		{"ping_3", nil},
		{"ping_with_request", nil},
		{"sum", []float64{1, 2, 3}},
		{"sum", []float64{0.1, 0.2}}, // rounded by roundSum
		{"third_ping", nil},
		{"zip", [][]any{{"a", "b"}, {1, 2}}}, // params by position
		{"ping_2", nil},                      // removed
	}
	for _, call := range calls {
		var result json.RawMessage
		if err := c.Call(ctx, call.method, call.params, &result); err != nil {
			fmt.Fprintf(stdout, "%s: %v\n", call.method, err)
		} else {
			fmt.Fprintf(stdout, "%s: %s\n", call.method, result)
		}
	}
	return nil
}
