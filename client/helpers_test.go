package client_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
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

// env is a demo server with a few more methods, served by an httptest
// server.
type env struct {
	srv     *server.Server
	ts      *httptest.Server
	entered chan string // block announces each call here
}

func newEnv(t *testing.T, opts ...server.Option) *env {
	t.Helper()
	e := newEnvUnstarted(opts...)
	e.ts = httptest.NewServer(e.srv)
	t.Cleanup(e.close)
	return e
}

func newEnvUnstarted(opts ...server.Option) *env {
	e := &env{entered: make(chan string, 1000)}
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
	)
	return e
}

func (e *env) close() {
	e.srv.Close()
	e.ts.Close()
}

func (e *env) httpURL() string { return e.ts.URL }

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
