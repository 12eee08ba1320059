package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/invopop/jsonschema"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/server"
)

type addParams struct {
	A int `json:"a"`
	B int `json:"b"`
}

func add(_ context.Context, p addParams) (int, error) { return p.A + p.B, nil }

func TestAdd_duplicate(t *testing.T) {
	s := server.New()
	if err := s.Add(server.Func("add", add)); err != nil {
		t.Fatal(err)
	}
	err := s.Add(server.Func("add", add))
	if !errors.Is(err, server.ErrMethodExists) {
		t.Fatalf("second Add: %v, want ErrMethodExists", err)
	}
	// In one call too, and then nothing of the call is registered.
	err = s.Add(server.Func("other", add), server.Func("other", add))
	if !errors.Is(err, server.ErrMethodExists) {
		t.Fatalf("Add of a name twice: %v", err)
	}
	if got := s.Methods(); len(got) != 1 || got[0] != "add" {
		t.Fatalf("Methods() = %v after failed Adds", got)
	}
	triple := server.Func("add", func(_ context.Context, p addParams) (int, error) { return 3 * (p.A + p.B), nil })
	if err := s.Replace(triple); err != nil {
		t.Fatalf("Replace: %v", err)
	}
	if got := call(s, `{"jsonrpc":"2.0","method":"add","params":[1,2],"id":1}`); got != `{"jsonrpc":"2.0","id":1,"result":9}` {
		t.Errorf("after Replace: %s", got)
	}
}

func TestAdd_invalid(t *testing.T) {
	for name, m := range map[string]*server.Method{
		"rpc prefix":      server.Func("rpc.add", add),
		"rpc prefix name": server.Func("rpc.discover", add),
		"empty name":      server.Func("", add),
		"int params": server.Func("int", func(_ context.Context, n int) (int, error) {
			return n, nil
		}),
		"slice params": server.Func("slice", func(_ context.Context, n []int) (int, error) {
			return len(n), nil
		}),
		"nil": nil,
	} {
		s := server.New()
		if err := s.Add(server.Func("ok", add), m); err == nil {
			t.Errorf("%s: Add succeeded", name)
		} else if strings.Contains(err.Error(), "int") && name == "int params" && !strings.Contains(err.Error(), "not a struct") {
			t.Errorf("%s: unhelpful error %v", name, err)
		}
		if len(s.Methods()) != 0 {
			t.Errorf("%s: Add registered %v despite the error", name, s.Methods())
		}
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("MustAdd did not panic")
			}
		}()
		server.New().MustAdd(server.Func("rpc.x", add))
	}()
}

func TestFunc_pointerParams(t *testing.T) {
	s := server.New()
	s.MustAdd(server.Func("add", func(_ context.Context, p *addParams) (int, error) { return p.A + p.B, nil }))
	if got := call(s, `{"jsonrpc":"2.0","method":"add","params":{"a":1,"b":2},"id":1}`); got != `{"jsonrpc":"2.0","id":1,"result":3}` {
		t.Errorf("got %s", got)
	}
}

func TestRemove(t *testing.T) {
	s := server.New()
	s.MustAdd(server.Func("add", add), server.Func("add2", add))
	s.Remove("add", "unknown")
	if got := call(s, `{"jsonrpc":"2.0","method":"add","params":[1,2],"id":1}`); !strings.Contains(got, `"code":-32601`) {
		t.Errorf("removed method answered %s", got)
	}
	doc := s.OpenRPC()
	if len(doc.Methods) != 1 || doc.Methods[0].Name != "add2" {
		t.Errorf("document after Remove lists %d methods", len(doc.Methods))
	}
	if got := s.Methods(); len(got) != 1 || got[0] != "add2" {
		t.Errorf("Methods() after Remove: %v", got)
	}
	if err := s.Add(server.Func("add", add)); err != nil {
		t.Errorf("Add after Remove: %v", err)
	}
}

func TestFuncNoParams(t *testing.T) {
	var calls atomic.Int32
	s := server.New()
	s.MustAdd(server.FuncNoParams("now", func(context.Context) (string, error) { calls.Add(1); return "ok", nil }))
	for _, p := range []string{``, `,"params":[]`, `,"params":{}`, `,"params":[ ]`} {
		if got := call(s, `{"jsonrpc":"2.0","method":"now","id":1`+p+`}`); got != `{"jsonrpc":"2.0","id":1,"result":"ok"}` {
			t.Errorf("params %q: %s", p, got)
		}
	}
	for _, p := range []string{`[1]`, `{"a":1}`, `[null]`} {
		if got := call(s, `{"jsonrpc":"2.0","method":"now","id":1,"params":`+p+`}`); !strings.Contains(got, `"code":-32602`) {
			t.Errorf("params %s: %s", p, got)
		}
	}
	if calls.Load() != 4 {
		t.Errorf("handler ran %d times, want 4", calls.Load())
	}
}

func TestFuncNoResult(t *testing.T) {
	var got addParams
	s := server.New()
	s.MustAdd(server.FuncNoResult("store", func(_ context.Context, p addParams) error { got = p; return nil }))
	if out := call(s, `{"jsonrpc":"2.0","method":"store","params":[1,2],"id":1}`); out != `{"jsonrpc":"2.0","id":1,"result":null}` {
		t.Errorf("got %s", out)
	}
	if got != (addParams{1, 2}) {
		t.Errorf("params %+v", got)
	}
}

func TestVariadic(t *testing.T) {
	var calls atomic.Int32
	s := server.New()
	s.MustAdd(server.Variadic("join", "words", func(_ context.Context, ws []string) (string, error) {
		calls.Add(1)
		return strings.Join(ws, " "), nil
	}))
	for in, want := range map[string]string{
		`{"jsonrpc":"2.0","method":"join","params":["a","b"],"id":1}`:       `{"jsonrpc":"2.0","id":1,"result":"a b"}`,
		`{"jsonrpc":"2.0","method":"join","params":[],"id":1}`:              `{"jsonrpc":"2.0","id":1,"result":""}`,
		`{"jsonrpc":"2.0","method":"join","id":1}`:                          `{"jsonrpc":"2.0","id":1,"result":""}`,
		`{"jsonrpc":"2.0","method":"join","params":{"words":["a"]},"id":1}`: `{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Invalid params","data":[{"pointer":"","keyword":"type","message":"join takes positional params (an array)"}]}}`,
		`{"jsonrpc":"2.0","method":"join","params":["a",1],"id":1}`:         `{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Invalid params","data":[{"pointer":"/1","keyword":"type","message":"expected string, got number"}]}}`,
	} {
		if got := call(s, in); got != want {
			t.Errorf("%s:\ngot  %s\nwant %s", in, got, want)
		}
	}
	if calls.Load() != 3 {
		t.Errorf("handler ran %d times, want 3", calls.Load())
	}
}

func TestRaw(t *testing.T) {
	var got []string
	var mu sync.Mutex
	s := server.New()
	s.MustAdd(server.Raw("raw", func(_ context.Context, p json.RawMessage) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		if p == nil {
			got = append(got, "<nil>")
		} else {
			got = append(got, string(p))
		}
		return json.RawMessage(`{"as":"is"}`), nil
	}))
	for _, in := range []string{
		`{"jsonrpc":"2.0","method":"raw","id":1}`,
		`{"jsonrpc":"2.0","method":"raw","id":1,"params":[1, 2.50, "\u00e9"]}`,
		`{"jsonrpc":"2.0","method":"raw","id":1,"params":{ "b" : 1 , "a" : [] }}`,
	} {
		if out := call(s, in); out != `{"jsonrpc":"2.0","id":1,"result":{"as":"is"}}` {
			t.Errorf("%s: %s", in, out)
		}
	}
	want := []string{"<nil>", `[1, 2.50, "\u00e9"]`, `{ "b" : 1 , "a" : [] }`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Raw got params %q, want %q", got, want)
	}
}

func TestPrepareResult_and_resultHook(t *testing.T) {
	var order []string
	s := server.New(server.WithResultHook(func(_ context.Context, method string, result any) (any, error) {
		order = append(order, "hook "+method)
		return map[string]any{"method": method, "value": result}, nil
	}))
	s.MustAdd(server.Func("add", add, server.PrepareResult(func(_ context.Context, result any) (any, error) {
		order = append(order, "prepare")
		return result.(int) * 10, nil
	})))
	if got := call(s, `{"jsonrpc":"2.0","method":"add","params":[1,2],"id":1}`); got != `{"jsonrpc":"2.0","id":1,"result":{"method":"add","value":30}}` {
		t.Errorf("got %s", got)
	}
	if strings.Join(order, ",") != "prepare,hook add" {
		t.Errorf("order %v", order)
	}
	failing := server.New()
	failing.MustAdd(server.Func("add", add, server.PrepareResult(func(context.Context, any) (any, error) {
		return nil, schemarpc.NewError(-32050, "cannot prepare")
	})))
	if got := call(failing, `{"jsonrpc":"2.0","method":"add","params":[1,2],"id":1}`); got != `{"jsonrpc":"2.0","id":1,"error":{"code":-32050,"message":"cannot prepare"}}` {
		t.Errorf("failing PrepareResult: %s", got)
	}
}

type signupParams struct {
	Email    string `json:"email" jsonschema:"format=email"`
	ID       string `json:"id" jsonschema:"format=uuid"`
	At       string `json:"at" jsonschema:"format=date-time"`
	Homepage string `json:"homepage" jsonschema:"format=uri"`
	Name     string `json:"name,omitempty" jsonschema:"minLength=2"`
}

func TestValidation_beforeDispatch(t *testing.T) {
	valid := map[string]any{"email": "a@example.com", "id": "3b241101-e2bb-4255-8caf-4136c566a962", "at": "2024-02-29T12:00:00Z", "homepage": "https://example.com/x"}
	invalid := map[string]string{
		"email":    "not-an-email",
		"id":       "3b241101-e2bb-4255-8caf",
		"at":       "2024-02-30 12:00",
		"homepage": "not a uri",
		"name":     "x",
	}
	for _, on := range []bool{true, false} {
		var calls atomic.Int32
		s := server.New(server.WithValidation(on))
		s.MustAdd(server.Func("signup", func(context.Context, signupParams) (bool, error) { calls.Add(1); return true, nil }))
		for field, bad := range invalid {
			p := map[string]any{}
			for k, v := range valid {
				p[k] = v
			}
			p[field] = bad
			req, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "signup", "id": 1, "params": p})
			got := call(s, string(req))
			if on && !strings.Contains(got, `"code":-32602`) || on && !strings.Contains(got, `"pointer":"/`+field+`"`) {
				t.Errorf("validation on, bad %s: %s", field, got)
			}
			if !on && got != `{"jsonrpc":"2.0","id":1,"result":true}` {
				t.Errorf("validation off, bad %s: %s", field, got)
			}
		}
		if on && calls.Load() != 0 {
			t.Errorf("invalid params reached the handler %d times", calls.Load())
		}
		if !on && calls.Load() != int32(len(invalid)) {
			t.Errorf("validation off: handler ran %d times, want %d", calls.Load(), len(invalid))
		}
		calls.Store(0)
		req, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "signup", "id": 1, "params": valid})
		for range 3 {
			if got := call(s, string(req)); got != `{"jsonrpc":"2.0","id":1,"result":true}` {
				t.Errorf("valid params: %s", got)
			}
		}
		if calls.Load() != 3 {
			t.Errorf("valid params reached the handler %d times, want 3", calls.Load())
		}
	}
}

// With validation off, a decode failure still answers -32602 with a pointer
// and no Go type names.
func TestValidationOff_decodeError(t *testing.T) {
	s := server.New(server.WithValidation(false))
	s.MustAdd(server.Func("add", add))
	got := call(s, `{"jsonrpc":"2.0","method":"add","params":{"a":"x","b":1.5},"id":1}`)
	want := `{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Invalid params","data":[{"pointer":"/a","keyword":"type","message":"expected integer, got string"}]}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	got = call(s, `{"jsonrpc":"2.0","method":"add","params":{"a":1.5},"id":1}`)
	want = `{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Invalid params","data":[{"pointer":"/a","keyword":"type","message":"expected integer, got number 1.5"}]}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestMiddleware_rewrites(t *testing.T) {
	rename := func(next server.Handler) server.Handler {
		return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
			if req.Method == "plus" {
				r := *req
				r.Method = "add"
				req = &r
			}
			return next.ServeRPC(ctx, req)
		})
	}
	double := func(next server.Handler) server.Handler { // doubles params a and b
		return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
			if req.Method == "add" && len(req.Params) > 0 && req.Params[0] == '{' {
				var p addParams
				json.Unmarshal(req.Params, &p)
				p.A, p.B = 2*p.A, 2*p.B
				r := *req
				r.Params, _ = json.Marshal(p)
				req = &r
			}
			return next.ServeRPC(ctx, req)
		})
	}
	wrap := func(next server.Handler) server.Handler { // wraps results
		return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
			res, err := next.ServeRPC(ctx, req)
			if err != nil {
				return nil, err
			}
			return map[string]any{"wrapped": res}, nil
		})
	}
	s := server.New(server.WithMiddlewares(nil, wrap, rename, double))
	s.MustAdd(server.Func("add", add))
	for in, want := range map[string]string{
		`{"jsonrpc":"2.0","method":"plus","params":{"a":1,"b":2},"id":1}`:                                                                  `{"jsonrpc":"2.0","id":1,"result":{"wrapped":6}}`,
		`{"jsonrpc":"2.0","method":"add","params":[1,2],"id":1}`:                                                                           `{"jsonrpc":"2.0","id":1,"result":{"wrapped":3}}`,
		`[{"jsonrpc":"2.0","method":"plus","params":{"a":1,"b":1},"id":1},{"jsonrpc":"2.0","method":"add","params":{"a":5,"b":0},"id":2}]`: `[{"jsonrpc":"2.0","id":1,"result":{"wrapped":4}},{"jsonrpc":"2.0","id":2,"result":{"wrapped":10}}]`,
	} {
		if got := call(s, in); got != want {
			t.Errorf("%s:\ngot  %s\nwant %s", in, got, want)
		}
	}
	// Over WebSocket too.
	leakcheck.Check(t)
	ts := serve(t, s)
	ws := dial(t, ts, nil)
	if got := roundTrip(t, ws, `[{"jsonrpc":"2.0","method":"plus","params":{"a":1,"b":1},"id":1}]`); got != `[{"jsonrpc":"2.0","id":1,"result":{"wrapped":4}}]` {
		t.Errorf("over WebSocket: %s", got)
	}
}

// logBuffer is a slog handler writing JSON lines to a buffer, safe for
// concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

type secretPanic struct{ Password string }

func TestPanic_recovered(t *testing.T) {
	leakcheck.Check(t)
	var logs logBuffer
	s := server.New(server.WithLogger(logs.logger()))
	s.MustAdd(
		server.Func("boom", func(context.Context, addParams) (int, error) {
			panic(secretPanic{"hunter2"})
		}),
		server.Func("add", add),
	)
	want := `{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error"}}`
	if got := call(s, `{"jsonrpc":"2.0","method":"boom","params":[1,2],"id":1}`); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	ts := serve(t, s)
	r := post(t, ts.URL, "application/json", `[{"jsonrpc":"2.0","method":"boom","params":[1,2],"id":1},{"jsonrpc":"2.0","method":"add","params":[1,2],"id":2}]`)
	if r.status != 200 || r.body != `[`+want+`,{"jsonrpc":"2.0","id":2,"result":3}]` {
		t.Errorf("batch with a panic: %d %s", r.status, r.body)
	}
	for _, leak := range []string{"hunter2", "secretPanic", "goroutine", ".go:"} {
		if strings.Contains(r.body, leak) {
			t.Errorf("response leaks %q: %s", leak, r.body)
		}
	}
	log := logs.String()
	if !strings.Contains(log, "hunter2") || !strings.Contains(log, "panicked") || !strings.Contains(log, `"method":"boom"`) {
		t.Errorf("panic not logged: %s", log)
	}
	// Still serving.
	if r := post(t, ts.URL, "application/json", `{"jsonrpc":"2.0","method":"add","params":[1,2],"id":3}`); r.body != `{"jsonrpc":"2.0","id":3,"result":3}` {
		t.Errorf("after panic: %s", r.body)
	}
}

func TestPanic_abortHandler(t *testing.T) {
	leakcheck.Check(t)
	s := server.New()
	s.MustAdd(server.FuncNoParams("abort", func(context.Context) (int, error) { panic(http.ErrAbortHandler) }))
	ts := serve(t, s)
	req, _ := http.NewRequest("POST", ts.URL, strings.NewReader(`{"jsonrpc":"2.0","method":"abort","id":1}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("http.ErrAbortHandler did not abort the response: HTTP %d", resp.StatusCode)
	}
}

func TestInternalErrors_hidden(t *testing.T) {
	for _, expose := range []bool{false, true} {
		var logs logBuffer
		s := server.New(server.WithLogger(logs.logger()), server.WithExposeErrors(expose))
		s.MustAdd(server.FuncNoParams("db", func(context.Context) (int, error) {
			return 0, errors.New("db password wrong")
		}))
		got := call(s, `{"jsonrpc":"2.0","method":"db","id":1}`)
		want := `{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error"}}`
		if expose {
			want = `{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error","data":"db password wrong"}}`
		}
		if got != want {
			t.Errorf("expose %v: got %s, want %s", expose, got, want)
		}
		if !strings.Contains(logs.String(), "db password wrong") {
			t.Errorf("expose %v: error not logged: %s", expose, logs.String())
		}
	}
}

func TestHandlerErrors(t *testing.T) {
	s := server.New()
	s.MustAdd(
		server.FuncNoParams("coded", func(context.Context) (int, error) {
			return 0, fmtWrap(schemarpc.NewError(-32010, "Quota exceeded").WithData(map[string]int{"limit": 3}))
		}),
		server.FuncNoParams("domain", func(context.Context) (int, error) { return 0, lockedErr{} }),
		server.FuncNoParams("timeout", func(context.Context) (int, error) { return 0, context.DeadlineExceeded }),
		server.FuncNoParams("canceled", func(context.Context) (int, error) { return 0, context.Canceled }),
	)
	for in, want := range map[string]string{
		`{"jsonrpc":"2.0","method":"coded","id":1}`:    `{"jsonrpc":"2.0","id":1,"error":{"code":-32010,"message":"Quota exceeded","data":{"limit":3}}}`,
		`{"jsonrpc":"2.0","method":"domain","id":1}`:   `{"jsonrpc":"2.0","id":1,"error":{"code":-32011,"message":"Locked"}}`,
		`{"jsonrpc":"2.0","method":"timeout","id":1}`:  `{"jsonrpc":"2.0","id":1,"error":{"code":-32099,"message":"Request timed out"}}`,
		`{"jsonrpc":"2.0","method":"canceled","id":1}`: `{"jsonrpc":"2.0","id":1,"error":{"code":-32098,"message":"Request canceled"}}`,
	} {
		if got := call(s, in); got != want {
			t.Errorf("%s:\ngot  %s\nwant %s", in, got, want)
		}
	}
}

func fmtWrap(err error) error { return errors.Join(errors.New("context"), err) }

type lockedErr struct{}

func (lockedErr) Error() string              { return "locked" }
func (lockedErr) RPCError() *schemarpc.Error { return schemarpc.NewError(-32011, "Locked") }

// A call past WithCallTimeout is answered with -32099 exactly when the
// deadline passes, whether the handler honours its context or ignores it;
// a late result is dropped.
func TestCallTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const timeout = 20 * time.Millisecond
		release := make(chan struct{})
		s := server.New(server.WithCallTimeout(timeout))
		defer s.Close() // after the handlers return: stops the pool's goroutines
		defer close(release)
		s.MustAdd(
			server.FuncNoParams("slow", func(ctx context.Context) (int, error) {
				<-ctx.Done()
				return 0, ctx.Err()
			}),
			server.FuncNoParams("stuck", func(ctx context.Context) (int, error) {
				<-release // ignores its context
				return 1, nil
			}),
		)
		timedOut := `{"jsonrpc":"2.0","id":1,"error":{"code":-32099,"message":"Request timed out"}}`
		for _, method := range []string{"slow", "stuck"} {
			start := time.Now()
			if got := call(s, `{"jsonrpc":"2.0","method":"`+method+`","id":1}`); got != timedOut {
				t.Errorf("%s: got %s", method, got)
			}
			if d := time.Since(start); d != timeout {
				t.Errorf("%s: answered after %v, want %v", method, d, timeout)
			}
		}
	})
}

// unixCodec encodes time.Time as Unix seconds and everything else with
// encoding/json.
type unixCodec struct{ schemarpc.JSONCodec }

func (c unixCodec) Marshal(v any) ([]byte, error) {
	if t, ok := v.(time.Time); ok {
		return json.Marshal(t.Unix())
	}
	return c.JSONCodec.Marshal(v)
}

func TestCodec_custom(t *testing.T) {
	s := server.New(server.WithCodec(unixCodec{}))
	s.MustAdd(server.FuncNoParams("epoch", func(context.Context) (time.Time, error) {
		return time.Date(2001, 9, 9, 1, 46, 40, 0, time.UTC), nil
	}))
	if got := call(s, `{"jsonrpc":"2.0","method":"epoch","id":1}`); got != `{"jsonrpc":"2.0","id":1,"result":1000000000}` {
		t.Errorf("got %s", got)
	}
}

// WithTypeSchema makes the document and the validation describe the
// codec's wire form of a type.
func TestWithTypeSchema(t *testing.T) {
	type Since struct {
		Since time.Time `json:"since"`
	}
	var calls int
	s := server.New(server.WithCodec(unixCodec{}), server.WithTypeSchema[time.Time](&jsonschema.Schema{Type: "integer"}))
	s.MustAdd(
		server.FuncNoParams("epoch", func(context.Context) (time.Time, error) { return time.Unix(1e9, 0), nil }),
		server.Func("since", func(context.Context, Since) (bool, error) { calls++; return true, nil }),
	)
	doc, err := s.OpenRPCJSON()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(doc), "date-time") || strings.Count(string(doc), `"type": "integer"`) != 2 {
		t.Errorf("time.Time is not an integer in the document:\n%s", doc)
	}
	if got := call(s, `{"jsonrpc":"2.0","method":"since","params":{"since":"2001-09-09T01:46:40Z"},"id":1}`); !strings.Contains(got, `"code":-32602`) || calls != 0 {
		t.Errorf("a string time passed validation: %s", got)
	}
}

// brokenCodec returns bytes that are not JSON.
type brokenCodec struct{ schemarpc.JSONCodec }

func (brokenCodec) Marshal(any) ([]byte, error) { return []byte("{not json"), nil }

func TestCodec_invalidOutput(t *testing.T) {
	s := server.New(server.WithCodec(brokenCodec{}))
	s.MustAdd(server.Func("add", add))
	got := call(s, `[{"jsonrpc":"2.0","method":"add","params":[1,2],"id":1}]`)
	if !json.Valid([]byte(got)) || !strings.Contains(got, `"code":-32603`) {
		t.Errorf("a codec writing invalid JSON broke the response: %s", got)
	}
}

func TestResultEncodeError(t *testing.T) {
	s := server.New()
	s.MustAdd(server.Raw("chan", func(context.Context, json.RawMessage) (any, error) { return make(chan int), nil }))
	if got := call(s, `{"jsonrpc":"2.0","method":"chan","id":1}`); got != `{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error"}}` {
		t.Errorf("got %s", got)
	}
}

func TestHandle_responseIsNotARequest(t *testing.T) {
	s := server.New()
	want := `{"jsonrpc":"2.0","id":7,"error":{"code":-32600,"message":"Invalid Request","data":"expected a request, got a response"}}`
	if got := call(s, `{"jsonrpc":"2.0","id":7,"result":1}`); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestNotify_overHTTP(t *testing.T) {
	leakcheck.Check(t)
	s := server.New()
	s.MustAdd(server.FuncNoParams("push", func(ctx context.Context) (string, error) {
		if server.ConnFromContext(ctx) != nil {
			return "", errors.New("a connection over HTTP")
		}
		if err := server.Notify(ctx, "x", nil); !errors.Is(err, server.ErrNoConnection) {
			return "", err
		}
		if err := server.Call(ctx, "x", nil, nil); !errors.Is(err, server.ErrNoConnection) {
			return "", err
		}
		return "no connection", nil
	}))
	ts := serve(t, s)
	if r := post(t, ts.URL, "application/json", `{"jsonrpc":"2.0","method":"push","id":1}`); r.body != `{"jsonrpc":"2.0","id":1,"result":"no connection"}` {
		t.Errorf("got %s", r.body)
	}
}

func TestRequestFromContext(t *testing.T) {
	leakcheck.Check(t)
	s := server.New()
	s.MustAdd(server.FuncNoParams("whoami", func(ctx context.Context) (map[string]any, error) {
		r := server.RequestFromContext(ctx)
		if r == nil {
			return nil, errors.New("no request")
		}
		return map[string]any{"agent": r.Header.Get("X-Agent"), "ws": server.ConnFromContext(ctx) != nil, "method": r.Method}, nil
	}))
	if got := call(s, `{"jsonrpc":"2.0","method":"whoami","id":1}`); !strings.Contains(got, `"code":-32603`) {
		t.Errorf("in process: %s", got)
	}
	ts := serve(t, s)
	req, _ := http.NewRequest("POST", ts.URL, strings.NewReader(`{"jsonrpc":"2.0","method":"whoami","id":1}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Agent", "http-client")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	resp.Body.Close()
	if want := `{"jsonrpc":"2.0","id":1,"result":{"agent":"http-client","method":"POST","ws":false}}`; body.String() != want {
		t.Errorf("over HTTP: %s", body.String())
	}
	ws := dial(t, ts, http.Header{"X-Agent": {"ws-client"}})
	if got, want := roundTrip(t, ws, `{"jsonrpc":"2.0","method":"whoami","id":2}`), `{"jsonrpc":"2.0","id":2,"result":{"agent":"ws-client","method":"GET","ws":true}}`; got != want {
		t.Errorf("over WebSocket: %s", got)
	}
}

func TestBatch_concurrentInOrder(t *testing.T) {
	const n = 12
	var inflight, peak atomic.Int32
	s := server.New(server.WithBatchConcurrency(n))
	s.MustAdd(server.Func("sleep", func(_ context.Context, p struct {
		I int `json:"i"`
	}) (int, error) {
		cur := inflight.Add(1)
		defer inflight.Add(-1)
		for {
			old := peak.Load()
			if cur <= old || peak.CompareAndSwap(old, cur) {
				break
			}
		}
		time.Sleep(time.Duration(n-p.I) * 3 * time.Millisecond) // the first sleeps longest
		return p.I, nil
	}))
	var req, want strings.Builder
	req.WriteString("[")
	want.WriteString("[")
	for i := range n {
		if i > 0 {
			req.WriteString(",")
			want.WriteString(",")
		}
		req.WriteString(`{"jsonrpc":"2.0","method":"sleep","params":[` + itoa(i) + `],"id":` + itoa(i) + `}`)
		want.WriteString(`{"jsonrpc":"2.0","id":` + itoa(i) + `,"result":` + itoa(i) + `}`)
	}
	req.WriteString("]")
	want.WriteString("]")
	if got := call(s, req.String()); got != want.String() {
		t.Errorf("got  %s\nwant %s", got, want.String())
	}
	if peak.Load() < 2 {
		t.Errorf("batch ran sequentially (peak %d)", peak.Load())
	}
}

// A batch runs as many members at once as its concurrency allows, and no
// more: every member of the first batch waits until all of them run (the
// helpers that start one another must all have started), and the second
// batch, twice the concurrency long, never has more in flight.
func TestBatch_concurrencyReachedNotExceeded(t *testing.T) {
	const n = 8
	var inflight, peak atomic.Int32
	all := make(chan struct{})
	var closeAll sync.Once
	s := server.New(server.WithBatchConcurrency(n))
	s.MustAdd(server.Func("wait", func(_ context.Context, p struct {
		All bool `json:"all"`
	}) (int, error) {
		cur := inflight.Add(1)
		defer inflight.Add(-1)
		for old := peak.Load(); cur > old && !peak.CompareAndSwap(old, cur); old = peak.Load() {
		}
		if !p.All {
			time.Sleep(time.Millisecond)
			return 0, nil
		}
		if cur == n {
			closeAll.Do(func() { close(all) })
		}
		select {
		case <-all:
			return 1, nil
		case <-time.After(10 * time.Second):
			return 0, errors.New("not every member of the batch ran at once")
		}
	}))
	batch := func(members int, all bool) string {
		var b strings.Builder
		b.WriteString("[")
		for i := range members {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"jsonrpc":"2.0","method":"wait","params":{"all":%t},"id":%d}`, all, i)
		}
		return b.String() + "]"
	}
	if got := call(s, batch(n, true)); strings.Contains(got, "error") {
		t.Fatalf("got %s", got)
	}
	peak.Store(0)
	if got := call(s, batch(2*n, false)); strings.Contains(got, "error") {
		t.Fatalf("got %s", got)
	}
	if p := peak.Load(); p > n {
		t.Errorf("%d members ran at once, more than the concurrency %d", p, n)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// Method options that only change the document.
func TestMethodOptions_document(t *testing.T) {
	s := server.New(server.WithOptions(server.WithInfo(schema.Info{Title: "t", Version: "2"}), nil))
	s.MustAdd(server.FuncNoParams("old", func(context.Context) (int, error) { return 1, nil },
		server.Deprecated(), server.Tags("legacy", "math"), server.ResultName("one")))
	doc := s.OpenRPC()
	m := doc.Methods[0]
	if !m.Deprecated || len(m.Tags) != 2 || m.Tags[1].Name != "math" || m.Result.Name != "one" {
		t.Errorf("method document %+v", m)
	}
	if doc.Info.Title != "t" || doc.Info.Version != "2" {
		t.Errorf("WithOptions did not apply WithInfo: %+v", doc.Info)
	}
}

// OnConnect and OnDisconnect see each WebSocket connection open and close,
// with the request that opened it.
func TestConnHooks(t *testing.T) {
	leakcheck.Check(t)
	opened := make(chan *server.Conn, 1)
	closed := make(chan *server.Conn, 1)
	s := server.New(
		server.WithOnConnect(func(c *server.Conn) { opened <- c }),
		server.WithOnDisconnect(func(c *server.Conn) { closed <- c }),
	)
	ts := serve(t, s)
	ws := dial(t, ts, http.Header{"X-Who": {"alice"}})
	c := <-opened
	if got := c.Request().Header.Get("X-Who"); got != "alice" {
		t.Errorf("Request() header %q", got)
	}
	ws.Close()
	select {
	case d := <-closed:
		if d != c {
			t.Error("OnDisconnect got another connection")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("OnDisconnect not called")
	}
	select {
	case <-c.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("Done not closed after disconnect")
	}
}

// Params a middleware rewrites into invalid JSON never reach the handler.
func TestMiddleware_invalidParamsNeverDispatched(t *testing.T) {
	var calls atomic.Int32
	breakParams := func(next server.Handler) server.Handler {
		return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
			req.Params = json.RawMessage(`{"minuend":1,`)
			return next.ServeRPC(ctx, req)
		})
	}
	type sub struct {
		Minuend float64 `json:"minuend"`
	}
	s := server.New(server.WithMiddlewares(breakParams))
	s.MustAdd(server.Func("f", func(_ context.Context, p sub) (float64, error) { calls.Add(1); return p.Minuend, nil }))
	got := call(s, `{"jsonrpc":"2.0","method":"f","params":{"minuend":1},"id":1}`)
	if !strings.Contains(got, `"code":-32602`) || calls.Load() != 0 {
		t.Fatalf("got %s after %d calls", got, calls.Load())
	}
}

// A number the general validator cannot compare (an exponent beyond a
// million) where the schema compares numbers is refused as too complex to
// check, a -32602 like any other the server cannot check; it used to
// panic inside the validator and come back as -32603. Where the schema
// does not compare it, a float64 cannot hold it: a -32602 that says so.
func TestParams_hugeExponent(t *testing.T) {
	type params struct {
		X float64 `json:"x" jsonschema:"minimum=0"`
		Y any     `json:"y,omitempty"`
	}
	s := server.New()
	s.MustAdd(server.Func("m", func(_ context.Context, p params) (float64, error) { return p.X, nil }))
	for in, want := range map[string]string{
		`{"x":1e1000001}`:        `"code":-32602,"message":"Invalid params","data":[{"pointer":"","keyword":"complexity"`,
		`{"x":-1e-1000001}`:      `"code":-32602,"message":"Invalid params","data":[{"pointer":"","keyword":"complexity"`,
		`{"x":1,"y":1e1000001}`:  `[{"pointer":"/y","keyword":"maximum","message":"number 1e1000001 is out of range: expected a number of magnitude below 1.8e308"}]`,
		`{"x":1,"y":-1e400}`:     `[{"pointer":"/y","keyword":"minimum","message":"number -1e400 is out of range: expected a number of magnitude below 1.8e308"}]`,
		`{"x":1,"y":1e-1000001}`: `"result":1`,
		`{"x":-1,"y":1e1000001}`: `"pointer":"/x","keyword":"minimum"`,
	} {
		out := string(s.Handle(context.Background(), []byte(`{"jsonrpc":"2.0","id":1,"method":"m","params":`+in+`}`)))
		if !strings.Contains(out, want) {
			t.Errorf("%s: got %s, want %s in it", in, out, want)
		}
	}
}
