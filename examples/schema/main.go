// Command schema is a tour of schema-first validation: struct tags become
// a JSON Schema, the schema is checked before the method runs, a failed
// check answers -32602 Invalid params with one violation per problem
// ({pointer, keyword, message}), and the same schemas make up the OpenRPC
// document that rpc.discover serves.
//
// It starts the server on -addr (a free port by default), makes valid and
// invalid calls and prints their outcome, then the OpenRPC document (see
// main_test.go for the whole output).
package main

import (
	"bytes"
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
	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/server"
	"github.com/schemarpc/schemarpc/validate"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// Address is a postal address; as a named struct it becomes a shared
// component of the OpenRPC document.
type Address struct {
	City    string `json:"city" jsonschema:"minLength=1"`
	Country string `json:"country" jsonschema:"pattern=^[A-Z]{2}$,description=ISO 3166-1 alpha-2 code"`
}

// SignupParams are the params of signup. Each field is one param, in field
// order (the order of params by position). A field is required unless it
// is a pointer or tagged omitempty/omitzero; `jsonschema` tags add
// constraints.
type SignupParams struct {
	Email    string   `json:"email" jsonschema:"format=email"`
	Username string   `json:"username" jsonschema:"minLength=3,maxLength=16,pattern=^[a-z0-9_]+$"`
	Age      int      `json:"age" jsonschema:"minimum=13,maximum=130"`
	Plan     string   `json:"plan,omitempty" jsonschema:"enum=free,enum=pro,description=Defaults to free"`
	Tags     []string `json:"tags,omitempty" jsonschema:"maxItems=3,uniqueItems=true"`
	Address  *Address `json:"address,omitempty"`
}

// Account is the result of signup.
type Account struct {
	Username string `json:"username"`
	Plan     string `json:"plan" jsonschema:"enum=free,enum=pro"`
}

func signup(_ context.Context, p SignupParams) (Account, error) {
	// Only valid params get here: no checks needed.
	if p.Plan == "" {
		p.Plan = "free"
	}
	return Account{Username: p.Username, Plan: p.Plan}, nil
}

func newServer() *server.Server {
	s := server.New(server.WithInfo(schema.Info{Title: "Signup service", Version: "1.0.0"}))
	s.MustAdd(server.Func("signup", signup,
		server.Summary("Create an account"),
		server.Example("minimal", SignupParams{Email: "ann@example.com", Username: "ann", Age: 30}, Account{Username: "ann", Plan: "free"}),
	))
	return s
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("schema", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:0", "address to serve on (host:port)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	rpc := newServer()
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
		name   string
		params any
	}{
		{"by name", SignupParams{Email: "ann@example.com", Username: "ann", Age: 30}},
		{"by position", []any{"bob@example.com", "bob", 40, "pro"}},
		{"every field wrong", map[string]any{
			"email": "not-an-email", "username": "Al", "age": 7, "plan": "gold",
			"tags": []string{"a", "a"}, "address": map[string]any{"city": "", "country": "France"},
			"admin": true,
		}},
		{"missing params", map[string]any{"email": "cy@example.com"}},
		{"wrong types", []any{"dee@example.com", 42, "forty"}},
		{"too many by position", []any{"eve@example.com", "eve", 20, "free", nil, nil, "extra"}},
	}
	for _, call := range calls {
		acct, err := client.CallAs[Account](ctx, c, "signup", call.params)
		var rpcErr *schemarpc.Error
		switch {
		case err == nil:
			fmt.Fprintf(stdout, "%s: %+v\n", call.name, acct)
		case errors.Is(err, schemarpc.ErrInvalidParams) && errors.As(err, &rpcErr):
			fmt.Fprintf(stdout, "%s: %d %s\n", call.name, rpcErr.Code, rpcErr.Message)
			var violations []validate.Violation
			if err := rpcErr.DataAs(&violations); err != nil {
				fmt.Fprintf(stdout, "  data: %s\n", rpcErr.Data)
			}
			for _, v := range violations {
				fmt.Fprintf(stdout, "  %-20s %-20s %s\n", v.Pointer, v.Keyword, v.Message)
			}
		default:
			return err
		}
	}

	// The OpenRPC document, as rpc.discover serves it.
	var discovered json.RawMessage
	if err := c.Call(ctx, "rpc.discover", nil, &discovered); err != nil {
		return err
	}
	if err := validate.OpenRPCDocument(discovered); err != nil {
		return fmt.Errorf("the OpenRPC document is not valid: %w", err)
	}
	var doc bytes.Buffer
	if err := json.Indent(&doc, discovered, "", "  "); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rpc.discover (valid OpenRPC %s):\n%s\n", rpc.OpenRPC().OpenRPC, doc.Bytes())
	return nil
}
