package wsclient_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
	"github.com/schemarpc/schemarpc/server"
)

// checkLeaks fails t if goroutines started during the test outlive it.
func checkLeaks(t *testing.T) {
	t.Helper()
	leakcheck.Check(t)
}

// env is a demo server with a few more methods, served over HTTP and
// WebSocket by an httptest server.
type env struct {
	srv     *server.Server
	ts      *httptest.Server
	entered chan string       // block announces each call here
	conns   chan *server.Conn // WebSocket connections, as they open
}

type addParams struct {
	A int `json:"a"`
	B int `json:"b"`
}

func newEnv(t *testing.T, opts ...server.Option) *env {
	t.Helper()
	e := newEnvUnstarted(opts...)
	e.ts = httptest.NewServer(e.srv)
	t.Cleanup(e.close)
	return e
}

func newEnvUnstarted(opts ...server.Option) *env {
	e := &env{entered: make(chan string, 1000), conns: make(chan *server.Conn, 16)}
	opts = append([]server.Option{server.WithOnConnect(func(c *server.Conn) {
		select {
		case e.conns <- c:
		default:
		}
	})}, opts...)
	e.srv = demo.New(nil, opts...)
	e.srv.MustAdd(
		// block waits until the call's context ends.
		server.Raw("block", func(ctx context.Context, params json.RawMessage) (any, error) {
			e.entered <- string(params)
			<-ctx.Done()
			return nil, ctx.Err()
		}),
		// header answers the values of an HTTP header of the call.
		server.Raw("header", func(ctx context.Context, params json.RawMessage) (any, error) {
			var name []string
			if err := json.Unmarshal(params, &name); err != nil || len(name) != 1 {
				return nil, schemarpc.ErrInvalidParams
			}
			return server.RequestFromContext(ctx).Header.Values(name[0]), nil
		}),
		// callback calls the client's add method and answers 10 times its
		// result.
		server.Func("callback", func(ctx context.Context, p addParams) (int, error) {
			var r int
			if err := server.Call(ctx, "client_add", p, &r); err != nil {
				return 0, err
			}
			return 10 * r, nil
		}),
		// push sends the notification named by its param to the caller.
		server.Raw("push", func(ctx context.Context, params json.RawMessage) (any, error) {
			var name []string
			if err := json.Unmarshal(params, &name); err != nil || len(name) != 1 {
				return nil, schemarpc.ErrInvalidParams
			}
			return true, server.Notify(ctx, name[0], map[string]int{"n": 1})
		}),
	)
	return e
}

func (e *env) close() {
	e.srv.Close()
	e.ts.Close()
}

func (e *env) wsURL() string { return "ws" + strings.TrimPrefix(e.ts.URL, "http") }

// waitEntered waits until a call of block has started.
func (e *env) waitEntered(t *testing.T) string {
	t.Helper()
	select {
	case p := <-e.entered:
		return p
	case <-time.After(5 * time.Second):
		t.Fatal("block was not called")
		return ""
	}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
