// Command middleware shows server and client middlewares, the Go form of
// aiohttp-rpc's middlewares (simple_middleware, logging_middleware and the
// type_conversion_middleware of its "Integration" section).
//
// Server middlewares, outermost first:
//
//   - trace prints each call before and after the rest of the chain runs
//     (aiohttp-rpc's simple_middleware);
//   - server.Logging logs failed calls (aiohttp-rpc's logging_middleware);
//   - renameMethods maps legacy method names to current ones;
//   - convertTypes replaces {"__type__": "user", "uuid": …} params with the
//     user they name (aiohttp-rpc's type_conversion_middleware); it runs
//     before validation, so the method still sees only valid params;
//   - roundResults changes results: floats are rounded to two decimals.
//
// Client middlewares, outermost first: printRequests prints what is sent,
// and cacheCalls answers repeated calls of pure methods without asking the
// server again.
//
// It starts the server on -addr (a free port by default), runs the client
// against it and prints what each middleware does (see main_test.go).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
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

// User is a registered user.
type User struct {
	UUID     string `json:"uuid" jsonschema:"format=uuid"`
	Username string `json:"username"`
	Email    string `json:"email" jsonschema:"format=email"`
}

// users is the example's user database.
var users = map[string]User{
	"3b241101-e2bb-4255-8caf-4136c566a962": {UUID: "3b241101-e2bb-4255-8caf-4136c566a962", Username: "mike", Email: "some@mail.com"},
}

// TokenParams are the params of generate_user_token.
type TokenParams struct {
	User User `json:"user"`
}

func generateUserToken(_ context.Context, p TokenParams) (string, error) {
	return "token-" + strings.Split(p.User.UUID, "-")[0], nil
}

// DivideParams are the params of divide.
type DivideParams struct {
	A float64 `json:"a"`
	B float64 `json:"b"`
}

func divide(_ context.Context, p DivideParams) (float64, error) {
	if p.B == 0 {
		return 0, schemarpc.Errorf(schemarpc.CodeInvalidParams, "division by zero")
	}
	return p.A / p.B, nil
}

func ping(context.Context) (string, error) { return "pong", nil }

// trace prints each call before and after the rest of the chain.
func trace(w io.Writer) server.Middleware {
	return func(next server.Handler) server.Handler {
		return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
			fmt.Fprintf(w, "  server: before %s(%s)\n", req.Method, req.Params)
			result, err := next.ServeRPC(ctx, req)
			fmt.Fprintf(w, "  server: after %s: result %v, error %v\n", req.Method, result, err)
			return result, err
		})
	}
}

// renameMethods lets clients keep calling methods by legacy names: a call
// of a key of names goes to the method named by its value.
func renameMethods(names map[string]string) server.Middleware {
	return func(next server.Handler) server.Handler {
		return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
			if name, ok := names[req.Method]; ok {
				r := *req // the request may be shared: change a copy
				r.Method = name
				req = &r
			}
			return next.ServeRPC(ctx, req)
		})
	}
}

// typed is a value that names its type, as clients send custom types.
type typed struct {
	Type string `json:"__type__"`
	UUID string `json:"uuid"`
}

// convertTypes replaces each param of the form {"__type__": "user",
// "uuid": …} with the user it names; an unknown type or user makes the call
// fail with -32602.
func convertTypes(next server.Handler) server.Handler {
	return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
		if len(req.Params) == 0 || !bytes.Contains(req.Params, []byte(`"__type__"`)) {
			return next.ServeRPC(ctx, req)
		}
		r := *req // the request may be shared: change a copy
		var err error
		if req.Params[0] == '[' {
			var ps []json.RawMessage
			if err := json.Unmarshal(req.Params, &ps); err != nil {
				return nil, schemarpc.ErrInvalidParams
			}
			for i, v := range ps {
				if ps[i], err = replaceType(v); err != nil {
					return nil, err
				}
			}
			r.Params, err = json.Marshal(ps)
		} else {
			var ps map[string]json.RawMessage
			if err := json.Unmarshal(req.Params, &ps); err != nil {
				return nil, schemarpc.ErrInvalidParams
			}
			for k, v := range ps {
				if ps[k], err = replaceType(v); err != nil {
					return nil, err
				}
			}
			r.Params, err = json.Marshal(ps)
		}
		if err != nil {
			return nil, err
		}
		return next.ServeRPC(ctx, &r)
	})
}

// replaceType returns the JSON of the value v names, or v itself when it
// names no type.
func replaceType(v json.RawMessage) (json.RawMessage, error) {
	var t typed
	if json.Unmarshal(v, &t) != nil || t.Type == "" {
		return v, nil
	}
	if t.Type == "user" {
		if u, ok := users[t.UUID]; ok {
			return json.Marshal(u)
		}
	}
	return nil, schemarpc.ErrInvalidParams.WithData(fmt.Sprintf("no %s %q", t.Type, t.UUID))
}

// roundResults rounds float results to two decimals.
func roundResults(next server.Handler) server.Handler {
	return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
		result, err := next.ServeRPC(ctx, req)
		if f, ok := result.(float64); ok {
			result = math.Round(f*100) / 100
		}
		return result, err
	})
}

// newServer returns the server with its middlewares; they print to w.
func newServer(w io.Writer) *server.Server {
	logger := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" { // keep the output stable
				return slog.Attr{}
			}
			return a
		},
	}))
	s := server.New(server.WithMiddlewares(
		trace(w),
		server.Logging(logger),
		renameMethods(map[string]string{"ping_v1": "ping"}),
		convertTypes,
		roundResults,
	))
	s.MustAdd(
		server.FuncNoParams("ping", ping),
		server.Func("generate_user_token", generateUserToken),
		server.Func("divide", divide),
	)
	return s
}

// printRequests prints the requests sent and how many responses came back.
func printRequests(w io.Writer) client.Middleware {
	return func(next client.Invoker) client.Invoker {
		return client.InvokerFunc(func(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error) {
			for _, r := range reqs {
				fmt.Fprintf(w, "client: send %s(%s)\n", r.Method, r.Params)
			}
			resps, err := next.Invoke(ctx, reqs, batch)
			fmt.Fprintf(w, "client: %d response(s)\n", len(resps))
			return resps, err
		})
	}
}

// cacheCalls answers single calls of the listed pure methods from a cache
// once the server has answered them with a result.
func cacheCalls(methods ...string) client.Middleware {
	var (
		mu    sync.Mutex
		cache = map[string]json.RawMessage{} // method and params → result
	)
	return func(next client.Invoker) client.Invoker {
		return client.InvokerFunc(func(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error) {
			if batch || reqs[0].IsNotification() || !slices.Contains(methods, reqs[0].Method) {
				return next.Invoke(ctx, reqs, batch)
			}
			key := reqs[0].Method + string(reqs[0].Params)
			mu.Lock()
			result, ok := cache[key]
			mu.Unlock()
			if ok {
				return []*schemarpc.Response{{ID: reqs[0].ID, Result: result}}, nil
			}
			resps, err := next.Invoke(ctx, reqs, batch)
			if err == nil && len(resps) == 1 && resps[0].Error == nil {
				mu.Lock()
				cache[key] = resps[0].Result
				mu.Unlock()
			}
			return resps, err
		})
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("middleware", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:0", "address to serve on (host:port)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	rpc := newServer(stdout)
	hs := &http.Server{Handler: rpc, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	defer hs.Shutdown(context.Background())
	defer rpc.Shutdown(context.Background()) // WebSocket connections and reused goroutines

	c, err := client.NewHTTP("http://"+ln.Addr().String(),
		client.WithMiddlewares(printRequests(stdout), cacheCalls("divide")))
	if err != nil {
		return err
	}
	defer c.Close()

	calls := []struct {
		method string
		params any
	}{
		{"ping_v1", nil}, // renamed to ping
		{"generate_user_token", map[string]any{"user": typed{Type: "user", UUID: "3b241101-e2bb-4255-8caf-4136c566a962"}}},
		{"generate_user_token", map[string]any{"user": typed{Type: "user", UUID: "00000000-0000-4000-8000-000000000000"}}},
		{"divide", DivideParams{A: 10, B: 3}}, // rounded by the server
		{"divide", DivideParams{A: 10, B: 3}}, // answered by the client's cache
		{"nope", nil},                         // logged by server.Logging
	}
	for _, call := range calls {
		var result any
		err := c.Call(ctx, call.method, call.params, &result)
		fmt.Fprintf(stdout, "=> %s: result %v, error %v\n", call.method, result, err)
	}
	return nil
}
