package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/server"
)

type SubtractParams struct {
	Minuend    float64 `json:"minuend" jsonschema:"description=The number to subtract from"`
	Subtrahend float64 `json:"subtrahend"`
}

// Func turns a typed function into a method. Params may come by name or by
// position (in field order) and are validated before the function runs.
func ExampleFunc() {
	s := server.New()
	s.MustAdd(server.Func("subtract", func(_ context.Context, p SubtractParams) (float64, error) {
		return p.Minuend - p.Subtrahend, nil
	}, server.Summary("Subtract two numbers")))

	for _, req := range []string{
		`{"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":1}`,
		`{"jsonrpc":"2.0","method":"subtract","params":{"subtrahend":23,"minuend":42},"id":2}`,
		`{"jsonrpc":"2.0","method":"subtract","params":{"minuend":42},"id":3}`,
	} {
		fmt.Printf("%s\n", s.Handle(context.Background(), []byte(req)))
	}
	// Output:
	// {"jsonrpc":"2.0","id":1,"result":19}
	// {"jsonrpc":"2.0","id":2,"result":19}
	// {"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"Invalid params","data":[{"pointer":"/subtrahend","keyword":"required","message":"missing required property \"subtrahend\""}]}}
}

// A Server is an http.Handler: mount it and POST JSON-RPC to it. Add
// registers methods; a name already taken is an error unless replaced.
func ExampleServer_Add() {
	s := server.New()
	hello := server.FuncNoParams("hello", func(context.Context) (string, error) { return "hello", nil })
	fmt.Println(s.Add(hello))
	err := s.Add(server.FuncNoParams("hello", func(context.Context) (string, error) { return "again", nil }))
	fmt.Println(errors.Is(err, server.ErrMethodExists))
	fmt.Println(s.Add(server.FuncNoParams("rpc.hello", func(context.Context) (string, error) { return "", nil })))

	ts := httptest.NewServer(s)
	defer ts.Close()
	resp, err := http.Post(ts.URL, "application/json", strings.NewReader(`{"jsonrpc":"2.0","method":"hello","id":1}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// Output:
	// <nil>
	// true
	// server: method name "rpc.hello": the prefix "rpc." is reserved
	// 200 {"jsonrpc":"2.0","id":1,"result":"hello"}
}

// The first middleware given is the outermost: it sees the call first and
// the result last.
func ExampleWithMiddlewares() {
	trace := func(name string) server.Middleware {
		return func(next server.Handler) server.Handler {
			return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
				fmt.Println(name, "before", req.Method)
				res, err := next.ServeRPC(ctx, req)
				fmt.Println(name, "after", req.Method)
				return res, err
			})
		}
	}
	s := server.New(server.WithMiddlewares(trace("outer"), trace("inner")))
	s.MustAdd(server.FuncNoParams("ping", func(context.Context) (string, error) {
		fmt.Println("ping runs")
		return "pong", nil
	}))
	fmt.Printf("%s\n", s.Handle(context.Background(), []byte(`{"jsonrpc":"2.0","method":"ping","id":1}`)))
	// Output:
	// outer before ping
	// inner before ping
	// ping runs
	// inner after ping
	// outer after ping
	// {"jsonrpc":"2.0","id":1,"result":"pong"}
}

// Raw methods get the params exactly as sent, without a schema, and may
// answer a json.RawMessage as is.
func ExampleRaw() {
	s := server.New()
	s.MustAdd(server.Raw("echo", func(_ context.Context, params json.RawMessage) (any, error) {
		if params == nil {
			return "no params", nil
		}
		return params, nil
	}))
	for _, req := range []string{
		`{"jsonrpc":"2.0","method":"echo","id":1}`,
		`{"jsonrpc":"2.0","method":"echo","params":{"a":[1,2.50]},"id":2}`,
	} {
		fmt.Printf("%s\n", s.Handle(context.Background(), []byte(req)))
	}
	// Output:
	// {"jsonrpc":"2.0","id":1,"result":"no params"}
	// {"jsonrpc":"2.0","id":2,"result":{"a":[1,2.50]}}
}

// DescribedFunc serves a method from the schemas of a contract (an OpenRPC
// method object) with typed params: they are validated against exactly
// the contract's schemas, then decoded into the struct.
func ExampleDescribedFunc() {
	type moveParams struct {
		SKU   string `json:"sku"`
		Count int    `json:"count"`
	}
	name, spec, err := server.SpecFromJSON([]byte(`{"name": "stock_move",
	  "params": [
	    {"name": "sku", "required": true, "schema": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"}},
	    {"name": "count", "required": true, "schema": {"type": "integer", "minimum": 1}}],
	  "result": {"name": "moved", "schema": {"type": "string"}}}`))
	if err != nil {
		panic(err)
	}
	s := server.New()
	s.MustAdd(server.DescribedFunc(name, spec, func(_ context.Context, p moveParams) (string, error) {
		return fmt.Sprintf("%d × %s", p.Count, p.SKU), nil
	}))
	for _, req := range []string{
		`{"jsonrpc":"2.0","method":"stock_move","params":{"sku":"ABC-0001","count":3},"id":1}`,
		`{"jsonrpc":"2.0","method":"stock_move","params":["ABC-0001",0],"id":2}`,
	} {
		fmt.Printf("%s\n", s.Handle(context.Background(), []byte(req)))
	}
	// Output:
	// {"jsonrpc":"2.0","id":1,"result":"3 × ABC-0001"}
	// {"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"Invalid params","data":[{"pointer":"/count","keyword":"minimum","message":"expected a number >= 1, got 0"}]}}
}

// Variadic methods take any number of positional params of one type, each
// validated against its schema.
func ExampleVariadic() {
	s := server.New()
	s.MustAdd(server.Variadic("sum", "numbers", func(_ context.Context, numbers []float64) (float64, error) {
		var total float64
		for _, n := range numbers {
			total += n
		}
		return total, nil
	}))
	for _, req := range []string{
		`{"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":1}`,
		`{"jsonrpc":"2.0","method":"sum","params":[1,"two"],"id":2}`,
		`{"jsonrpc":"2.0","method":"sum","params":{"numbers":[1]},"id":3}`,
	} {
		fmt.Printf("%s\n", s.Handle(context.Background(), []byte(req)))
	}
	// Output:
	// {"jsonrpc":"2.0","id":1,"result":7}
	// {"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"Invalid params","data":[{"pointer":"/1","keyword":"type","message":"expected number, got string"}]}}
	// {"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"Invalid params","data":[{"pointer":"","keyword":"type","message":"sum takes positional params (an array)"}]}}
}

// rpc.discover answers the OpenRPC document built from the registry.
func Example_discover() {
	s := server.New(server.WithInfo(schema.Info{Title: "calc", Version: "1.0.0"}))
	s.MustAdd(server.Func("subtract", func(_ context.Context, p SubtractParams) (float64, error) {
		return p.Minuend - p.Subtrahend, nil
	}, server.Summary("Subtract two numbers"), server.Example("42 - 23", SubtractParams{42, 23}, 19)))

	out := s.Handle(context.Background(), []byte(`{"jsonrpc":"2.0","method":"rpc.discover","id":1}`))
	var resp struct{ Result json.RawMessage }
	json.Unmarshal(out, &resp)
	var pretty bytes.Buffer
	json.Indent(&pretty, resp.Result, "", "  ")
	fmt.Println(pretty.String())
	// Output:
	// {
	//   "openrpc": "1.3.2",
	//   "info": {
	//     "title": "calc",
	//     "version": "1.0.0"
	//   },
	//   "methods": [
	//     {
	//       "name": "subtract",
	//       "summary": "Subtract two numbers",
	//       "params": [
	//         {
	//           "name": "minuend",
	//           "description": "The number to subtract from",
	//           "required": true,
	//           "schema": {
	//             "type": "number",
	//             "description": "The number to subtract from"
	//           }
	//         },
	//         {
	//           "name": "subtrahend",
	//           "required": true,
	//           "schema": {
	//             "type": "number"
	//           }
	//         }
	//       ],
	//       "result": {
	//         "name": "result",
	//         "schema": {
	//           "type": "number"
	//         }
	//       },
	//       "examples": [
	//         {
	//           "name": "42 - 23",
	//           "params": [
	//             {
	//               "name": "minuend",
	//               "value": 42
	//             },
	//             {
	//               "name": "subtrahend",
	//               "value": 23
	//             }
	//           ],
	//           "result": {
	//             "name": "result",
	//             "value": 19
	//           }
	//         }
	//       ]
	//     }
	//   ]
	// }
}
