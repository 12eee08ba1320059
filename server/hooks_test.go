package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/server"
)

// A middleware sees whether a call arrived in a batch, and the batch's
// size, over HTTP and WebSocket; single calls report 0.
func TestBatchSizeFromContext(t *testing.T) {
	var mu sync.Mutex
	sizes := map[string]int{}
	record := func(next server.Handler) server.Handler {
		return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
			mu.Lock()
			sizes[req.ID.Raw()] = server.BatchSizeFromContext(ctx)
			mu.Unlock()
			return next.ServeRPC(ctx, req)
		})
	}
	s := server.New(server.WithMiddlewares(record))
	s.MustAdd(server.FuncNoParams("ping", func(context.Context) (string, error) { return "pong", nil }))
	ts := serve(t, s)

	post := func(body string) {
		t.Helper()
		resp, err := http.Post(ts.URL, "application/json", bytes.NewBufferString(body))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	post(`{"jsonrpc":"2.0","method":"ping","id":"single"}`)
	post(`[{"jsonrpc":"2.0","method":"ping","id":"b1"},{"jsonrpc":"2.0","method":"ping","id":"b2"},{"jsonrpc":"2.0","method":"ping"}]`)
	post(`[{"jsonrpc":"2.0","method":"ping","id":"alone"}]`)
	ws := dial(t, ts, nil)
	roundTrip(t, ws, `[{"jsonrpc":"2.0","method":"ping","id":"w1"},{"jsonrpc":"2.0","method":"ping","id":"w2"}]`)
	roundTrip(t, ws, `{"jsonrpc":"2.0","method":"ping","id":"wsingle"}`)

	mu.Lock()
	defer mu.Unlock()
	want := map[string]int{`"single"`: 0, `"b1"`: 3, `"b2"`: 3, "": 3, `"alone"`: 1, `"w1"`: 2, `"w2"`: 2, `"wsingle"`: 0}
	for id, n := range want {
		if got, ok := sizes[id]; !ok || got != n {
			t.Errorf("call %s: BatchSizeFromContext = %d (seen %v), want %d", id, got, ok, n)
		}
	}
	if server.BatchSizeFromContext(context.Background()) != 0 {
		t.Error("BatchSizeFromContext outside a call is not 0")
	}
}

// Connection middlewares run around the calls and notifications the server
// sends to a WebSocket client, in order, and see their answers.
func TestWithConnMiddlewares(t *testing.T) {
	var mu sync.Mutex
	var log []string
	mw := func(name string) server.ConnMiddleware {
		return func(next server.ConnInvoker) server.ConnInvoker {
			return server.ConnInvokerFunc(func(ctx context.Context, req *schemarpc.Request) (*schemarpc.Response, error) {
				mu.Lock()
				log = append(log, name+">"+req.Method)
				mu.Unlock()
				resp, err := next.InvokeConn(ctx, req)
				out := name + "<" + req.Method
				if resp != nil {
					out += " " + string(resp.Result)
				}
				if err != nil {
					out += " error"
				}
				mu.Lock()
				log = append(log, out)
				mu.Unlock()
				return resp, err
			})
		}
	}
	s := server.New(server.WithConnMiddlewares(mw("outer"), nil, mw("inner")))
	s.MustAdd(server.FuncNoParams("callback", func(ctx context.Context) (string, error) {
		if err := server.Notify(ctx, "note", nil); err != nil {
			return "", err
		}
		var got string
		err := server.Call(ctx, "whoami", nil, &got)
		return got, err
	}))
	ts := serve(t, s)

	notes := make(chan string, 1)
	c, err := wsclient.Dial(t.Context(), wsURL(ts),
		wsclient.WithMethods(server.FuncNoParams("whoami", func(context.Context) (string, error) { return "client", nil })),
		wsclient.WithNotificationHandler(func(_ context.Context, n *schemarpc.Request) { notes <- n.Method }))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := client.CallAs[string](t.Context(), c, "callback", nil)
	if err != nil || got != "client" {
		t.Fatalf("callback = %q, %v", got, err)
	}
	if n := <-notes; n != "note" {
		t.Errorf("notification %q", n)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"outer>note", "inner>note", "inner<note", "outer<note", "outer>whoami", "inner>whoami", `inner<whoami "client"`, `outer<whoami "client"`}
	if !slices.Equal(log, want) {
		t.Errorf("middleware log\n got %q\nwant %q", log, want)
	}
}

// A connection middleware that answers a call without a response makes the
// call fail rather than panic.
func TestConnMiddlewareWithoutResponse(t *testing.T) {
	s := server.New(server.WithConnMiddlewares(func(server.ConnInvoker) server.ConnInvoker {
		return server.ConnInvokerFunc(func(context.Context, *schemarpc.Request) (*schemarpc.Response, error) { return nil, nil })
	}))
	s.MustAdd(server.FuncNoParams("callback", func(ctx context.Context) (string, error) {
		return "", server.Call(ctx, "whoami", nil, nil)
	}))
	ts := serve(t, s)
	c, err := wsclient.Dial(t.Context(), wsURL(ts))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.Call(t.Context(), "callback", nil, nil)
	if schemarpc.CodeOf(err) != schemarpc.CodeInternalError {
		t.Fatalf("callback: %v, want an internal error", err)
	}
}
