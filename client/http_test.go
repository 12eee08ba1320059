package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/server"
)

func newHTTP(t *testing.T, e *env, opts ...client.Option) *client.HTTPClient {
	t.Helper()
	c, err := client.NewHTTP(e.httpURL(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestHTTPCall(t *testing.T) {
	checkLeaks(t)
	e := newEnv(t)
	c := newHTTP(t, e)
	ctx := testCtx(t)

	var pong string
	if err := c.Call(ctx, "ping", nil, &pong); err != nil || pong != "pong" {
		t.Fatalf("ping = %q, %v", pong, err)
	}
	var diff float64
	if err := c.Call(ctx, "subtract", []int{42, 23}, &diff); err != nil || diff != 19 {
		t.Fatalf("subtract by position = %v, %v", diff, err)
	}
	if err := c.Call(ctx, "subtract", demo.SubtractParams{Minuend: 23, Subtrahend: 42}, &diff); err != nil || diff != -19 {
		t.Fatalf("subtract by name = %v, %v", diff, err)
	}
	if err := c.Call(ctx, "subtract", map[string]int{"subtrahend": 1, "minuend": 3}, &diff); err != nil || diff != 2 {
		t.Fatalf("subtract with a map = %v, %v", diff, err)
	}
	var echo demo.EchoResult
	if err := c.Call(ctx, "echo", []any{1, "a"}, &echo); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(echo.Args, []any{1.0, "a"}) || len(echo.Kwargs) != 0 {
		t.Fatalf("echo positional = %+v", echo)
	}
	if err := c.Call(ctx, "echo", json.RawMessage(`{"x":true}`), &echo); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(echo.Kwargs, map[string]any{"x": true}) {
		t.Fatalf("echo named = %+v", echo)
	}
	var data []any
	if err := c.Call(ctx, "get_data", nil, &data); err != nil || !reflect.DeepEqual(data, []any{"hello", 5.0}) {
		t.Fatalf("get_data = %v, %v", data, err)
	}
	// A nil result discards it; a nil slice means no params.
	var none []float64
	if err := c.Call(ctx, "sum", none, nil); err != nil {
		t.Fatal(err)
	}
	var raw json.RawMessage
	if err := c.Call(ctx, "sum", []float64{1, 2, 4}, &raw); err != nil || string(raw) != "7" {
		t.Fatalf("sum raw = %s, %v", raw, err)
	}
	if c.URL() != e.httpURL() {
		t.Fatalf("URL = %q", c.URL())
	}
}

func TestCallAsAndMethod(t *testing.T) {
	e := newEnv(t)
	c := newHTTP(t, e)
	ctx := testCtx(t)

	diff, err := client.CallAs[float64](ctx, c, "subtract", []int{42, 23})
	if err != nil || diff != 19 {
		t.Fatalf("CallAs = %v, %v", diff, err)
	}
	user, err := client.CallAs[demo.User](ctx, c, "get_user_by_uuid", demo.GetUserParams{UserUUID: demo.SeedUser.UUID})
	if err != nil || user != demo.SeedUser {
		t.Fatalf("CallAs user = %+v, %v", user, err)
	}

	subtract := client.NewMethod[demo.SubtractParams, float64]("subtract")
	sum := client.NewMethod[[]float64, float64]("sum")
	hello := client.NewMethod[demo.NotifyHelloParams, any]("notify_hello")
	ping := client.NewMethod[any, string]("ping")
	if subtract.Name() != "subtract" {
		t.Fatal(subtract.Name())
	}
	if d, err := subtract.Call(ctx, c, demo.SubtractParams{Minuend: 5, Subtrahend: 3}); err != nil || d != 2 {
		t.Fatalf("subtract.Call = %v, %v", d, err)
	}
	if p, err := ping.Call(ctx, c, nil); err != nil || p != "pong" {
		t.Fatalf("ping.Call = %v, %v", p, err)
	}
	if err := hello.Notify(ctx, c, demo.NotifyHelloParams{N: 1}); err != nil {
		t.Fatal(err)
	}
	res, err := c.Batch(ctx,
		sum.Request([]float64{1, 2, 3}),
		hello.Notification(demo.NotifyHelloParams{N: 2}),
		subtract.Request(demo.SubtractParams{Minuend: 1}),
	)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := sum.Result(res.Results[0]); err != nil || s != 6 {
		t.Fatalf("sum.Result = %v, %v", s, err)
	}
	if d, err := subtract.Result(res.Results[2]); err != nil || d != 1 {
		t.Fatalf("subtract.Result = %v, %v", d, err)
	}
}

func TestNotify(t *testing.T) {
	e := newEnv(t)
	var statuses []int
	var mu sync.Mutex
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err == nil {
			mu.Lock()
			statuses = append(statuses, resp.StatusCode)
			mu.Unlock()
		}
		return resp, err
	})}
	c := newHTTP(t, e, client.WithHTTPClient(hc))
	ctx := testCtx(t)
	if err := c.Notify(ctx, "notify_hello", []int{7}); err != nil {
		t.Fatal(err)
	}
	// Unknown methods and bad params are not reported for notifications.
	if err := c.Notify(ctx, "no_such_method", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.BatchNotify(ctx,
		client.BatchItem{Method: "notify_sum", Params: []int{1, 2, 4}},
		client.BatchItem{Method: "notify_hello", Params: []int{7}},
		client.BatchItem{Method: "update", Params: []int{1}}, // not a notification, but sent as one
	); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !reflect.DeepEqual(statuses, []int{204, 204, 204}) {
		t.Fatalf("statuses = %v, want three 204", statuses)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestBatchSaveOrder(t *testing.T) {
	e := newEnv(t)
	c := newHTTP(t, e)
	ctx := testCtx(t)
	res, err := c.Batch(ctx,
		client.BatchItem{Method: "sum", Params: []int{1, 2, 4}},
		client.BatchItem{Method: "notify_hello", Params: []int{7}, Notification: true},
		client.BatchItem{Method: "subtract", Params: []int{42, 23}},
		client.BatchItem{Method: "foo.get", Params: map[string]string{"name": "myself"}},
		client.BatchItem{Method: "get_data"},
		client.BatchItem{Method: "get_user_by_uuid", Params: []string{"3b241101-e2bb-4255-8caf-4136c566a000"}},
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 6 || len(res.Unlinked) != 0 || len(res.Duplicates) != 0 {
		t.Fatalf("result = %+v", res)
	}
	if s, err := client.ResultAs[float64](res.Results[0]); err != nil || s != 7 {
		t.Fatalf("sum = %v, %v", s, err)
	}
	if r := res.Results[1]; r.Response != nil || r.Err != nil || r.Decode(new(any)) != nil {
		t.Fatalf("notification result = %+v", r)
	}
	if d, err := client.ResultAs[float64](res.Results[2]); err != nil || d != 19 {
		t.Fatalf("subtract = %v, %v", d, err)
	}
	if err := res.Results[3].Err; !errors.Is(err, schemarpc.ErrMethodNotFound) {
		t.Fatalf("foo.get error = %v", err)
	}
	if _, err := client.ResultAs[any](res.Results[3]); !errors.Is(err, schemarpc.ErrMethodNotFound) {
		t.Fatalf("Decode of an error = %v", err)
	}
	var data []any
	if err := res.Results[4].Decode(&data); err != nil || len(data) != 2 {
		t.Fatalf("get_data = %v, %v", data, err)
	}
	if err := res.Results[5].Err; !errors.Is(err, demo.ErrUserNotFound) {
		t.Fatalf("get_user error = %v", err)
	}
	if err := res.Err(); !errors.Is(err, schemarpc.ErrMethodNotFound) {
		t.Fatalf("Err() = %v", err)
	}
	if _, err := c.Batch(ctx); err == nil {
		t.Fatal("empty batch: no error")
	}
}

// fakeServer answers every POST with status and body.
func fakeServer(t *testing.T, status int, body string) string {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

func TestBatchUnlinkedAndDuplicates(t *testing.T) {
	// The default ids of a fresh client are 1, 2, 3, …
	url := fakeServer(t, 200, `[
		{"jsonrpc":"2.0","id":3,"result":"third"},
		{"jsonrpc":"2.0","id":1,"result":"first"},
		{"jsonrpc":"2.0","id":1,"result":"again"},
		{"jsonrpc":"2.0","id":99,"result":"stranger"},
		{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request"}}
	]`)
	c, err := client.NewHTTP(url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	res, err := c.Batch(testCtx(t),
		client.BatchItem{Method: "a"},
		client.BatchItem{Method: "b"},
		client.BatchItem{Method: "n", Notification: true},
		client.BatchItem{Method: "c"},
	)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := client.ResultAs[string](res.Results[0]); s != "first" {
		t.Errorf("results[0] = %q", s)
	}
	if err := res.Results[1].Err; !errors.Is(err, client.ErrEmptyResponse) {
		t.Errorf("results[1] error = %v, want ErrEmptyResponse", err)
	}
	if s, _ := client.ResultAs[string](res.Results[3]); s != "third" {
		t.Errorf("results[3] = %q", s)
	}
	if len(res.Duplicates) != 1 || string(res.Duplicates[0].Result) != `"again"` {
		t.Errorf("duplicates = %+v", res.Duplicates)
	}
	if len(res.Unlinked) != 2 || res.Unlinked[0].ID != schemarpc.Int64ID(99) || res.Unlinked[1].Error == nil {
		t.Errorf("unlinked = %+v", res.Unlinked)
	}
}

func TestBatchRejectedAsAWhole(t *testing.T) {
	e := newEnv(t, server.WithMaxBatch(2))
	c := newHTTP(t, e)
	_, err := c.Batch(testCtx(t), client.BatchItem{Method: "ping"}, client.BatchItem{Method: "ping"}, client.BatchItem{Method: "ping"})
	if !errors.Is(err, schemarpc.ErrInvalidRequest) {
		t.Fatalf("err = %v, want -32600", err)
	}
}

func TestDirect(t *testing.T) {
	e := newEnv(t)
	c := newHTTP(t, e)
	ctx := testCtx(t)
	resp, err := c.DirectCall(ctx, &schemarpc.Request{ID: schemarpc.StringID("x"), Method: "subtract", Params: json.RawMessage(`[42,23]`)})
	if err != nil || resp.ID != schemarpc.StringID("x") || string(resp.Result) != "19" {
		t.Fatalf("DirectCall = %+v, %v", resp, err)
	}
	resp, err = c.DirectCall(ctx, &schemarpc.Request{ID: schemarpc.Int64ID(5), Method: "nope"})
	if err != nil || resp.Error == nil || resp.Error.Code != schemarpc.CodeMethodNotFound {
		t.Fatalf("DirectCall error = %+v, %v", resp, err)
	}
	resp, err = c.DirectCall(ctx, &schemarpc.Request{Method: "notify_hello", Params: json.RawMessage(`[1]`)})
	if err != nil || resp != nil {
		t.Fatalf("DirectCall notification = %+v, %v", resp, err)
	}
	resps, err := c.DirectBatch(ctx, []*schemarpc.Request{
		{ID: schemarpc.Int64ID(1), Method: "ping"},
		{Method: "notify_hello", Params: json.RawMessage(`[1]`)},
		{ID: schemarpc.Int64ID(2), Method: "get_data"},
	})
	if err != nil || len(resps) != 2 || string(resps[0].Result) != `"pong"` || resps[1].ID != schemarpc.Int64ID(2) {
		t.Fatalf("DirectBatch = %+v, %v", resps, err)
	}
	if _, err := c.DirectBatch(ctx, nil); err == nil {
		t.Fatal("empty DirectBatch: no error")
	}
}

type notFound struct{ uuid string }

func (e *notFound) Error() string { return "no user " + e.uuid }

func TestServerErrors(t *testing.T) {
	e := newEnv(t)
	ctx := testCtx(t)
	c := newHTTP(t, e)
	for _, tc := range []struct {
		method string
		params any
		want   *schemarpc.Error
	}{
		{"no_such_method", nil, schemarpc.ErrMethodNotFound},
		{"subtract", []string{"a", "b"}, schemarpc.ErrInvalidParams},
		{"create_user", map[string]string{"username": "x", "email": "not-an-email"}, schemarpc.ErrInvalidParams},
		{"get_user_by_uuid", []string{"3b241101-e2bb-4255-8caf-4136c566a000"}, demo.ErrUserNotFound},
	} {
		err := c.Call(ctx, tc.method, tc.params, nil)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want code %d", tc.method, err, tc.want.Code)
		}
		var re *schemarpc.Error
		if !errors.As(err, &re) || re.Code != tc.want.Code || re.Message == "" {
			t.Errorf("%s: errors.As = %+v", tc.method, re)
		}
	}
	// The data of invalid params is the validation report.
	err := c.Call(ctx, "create_user", map[string]string{"username": "x", "email": "x@example.com"}, nil)
	var violations []map[string]any
	if err := schemarpc.AsError(err).DataAs(&violations); err != nil || len(violations) == 0 {
		t.Fatalf("violations = %v, %v", violations, err)
	}

	// WithErrorMap turns codes into application errors.
	mapped := newHTTP(t, e, client.WithErrorMap(map[schemarpc.Code]func(*schemarpc.Error) error{
		demo.CodeUserNotFound:             func(e *schemarpc.Error) error { return &notFound{"?"} },
		schemarpc.CodeMethodNotFound:      func(*schemarpc.Error) error { return nil }, // keep it
		schemarpc.CodeInvalidParams + 100: nil,
	}))
	err = mapped.Call(ctx, "get_user_by_uuid", []string{"3b241101-e2bb-4255-8caf-4136c566a000"}, nil)
	var nf *notFound
	if !errors.As(err, &nf) {
		t.Fatalf("mapped error = %T %v", err, err)
	}
	if err := mapped.Call(ctx, "nope", nil, nil); !errors.Is(err, schemarpc.ErrMethodNotFound) {
		t.Fatalf("unmapped error = %v", err)
	}
	res, err := mapped.Batch(ctx, client.BatchItem{Method: "get_user_by_uuid", Params: []string{"3b241101-e2bb-4255-8caf-4136c566a000"}})
	if err != nil || !errors.As(res.Results[0].Err, &nf) {
		t.Fatalf("mapped batch error = %v, %v", res, err)
	}
}

func TestHTTPStatusErrors(t *testing.T) {
	ctx := testCtx(t)
	t.Run("413", func(t *testing.T) {
		e := newEnv(t, server.WithReadLimit(32))
		c := newHTTP(t, e)
		err := c.Call(ctx, "echo", []string{strings.Repeat("x", 100)}, nil)
		var se *client.HTTPStatusError
		if !errors.As(err, &se) || se.StatusCode != http.StatusRequestEntityTooLarge || len(se.Body) == 0 {
			t.Fatalf("err = %v", err)
		}
		if !errors.Is(err, schemarpc.ErrInvalidRequest) || schemarpc.AsError(err) != se.Err {
			t.Fatalf("the JSON-RPC error is not reachable: %v", err)
		}
	})
	t.Run("503", func(t *testing.T) {
		e := newEnv(t)
		c := newHTTP(t, e)
		if err := e.srv.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		err := c.Notify(ctx, "ping", nil)
		var se *client.HTTPStatusError
		if !errors.As(err, &se) || se.StatusCode != 503 || schemarpc.CodeOf(err) != schemarpc.CodeOverloaded {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("500 not JSON-RPC", func(t *testing.T) {
		c, _ := client.NewHTTP(fakeServer(t, 500, "<html>oops</html>"))
		defer c.Close()
		err := c.Call(ctx, "ping", nil, nil)
		var se *client.HTTPStatusError
		if !errors.As(err, &se) || se.StatusCode != 500 || se.Err != nil || string(se.Body) != "<html>oops</html>" {
			t.Fatalf("err = %v", err)
		}
		if schemarpc.AsError(err) != nil {
			t.Fatal("an *Error was found in a non-JSON-RPC answer")
		}
	})
}

func TestEmptyAndInvalidResponses(t *testing.T) {
	ctx := testCtx(t)
	for _, tc := range []struct {
		status int
		body   string
		want   error
	}{
		{204, "", client.ErrEmptyResponse},
		{200, "", client.ErrEmptyResponse},
		{200, "{not json", client.ErrInvalidResponse},
		{200, `{"jsonrpc":"2.0","method":"x"}`, client.ErrInvalidResponse},
		{200, `{"jsonrpc":"2.0","id":"other","result":1}`, client.ErrInvalidResponse},
	} {
		c, _ := client.NewHTTP(fakeServer(t, tc.status, tc.body))
		if err := c.Call(ctx, "ping", nil, nil); !errors.Is(err, tc.want) {
			t.Errorf("%d %q: err = %v, want %v", tc.status, tc.body, err, tc.want)
		}
		c.Close()
	}
	// An error the server could not tie to the request is still returned.
	c, _ := client.NewHTTP(fakeServer(t, 200, `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}`))
	defer c.Close()
	if err := c.Call(ctx, "ping", nil, nil); !errors.Is(err, schemarpc.ErrParse) {
		t.Errorf("err = %v, want -32700", err)
	}
}

func TestHTTPTimeoutAndCancel(t *testing.T) {
	checkLeaks(t)
	e := newEnv(t)
	ctx := testCtx(t)

	c := newHTTP(t, e, client.WithTimeout(50*time.Millisecond))
	start := time.Now()
	err := c.Call(ctx, "block", nil, nil)
	if !errors.Is(err, client.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("client timeout: err = %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("timeout took %v", d)
	}
	e.waitEntered(t)

	plain := newHTTP(t, e)
	dctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := plain.Call(dctx, "block", nil, nil); !errors.Is(err, client.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("context deadline: err = %v", err)
	}
	e.waitEntered(t)

	cctx, cancel := context.WithCancel(ctx)
	go func() {
		e.waitEntered(t)
		cancel()
	}()
	if err := plain.Call(cctx, "block", nil, nil); !errors.Is(err, context.Canceled) || errors.Is(err, client.ErrTimeout) {
		t.Fatalf("cancel: err = %v", err)
	}
	// An already canceled context sends nothing.
	if err := plain.Notify(cctx, "ping", nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled before: err = %v", err)
	}
}

func TestHTTPTransportErrors(t *testing.T) {
	checkLeaks(t)
	ctx := testCtx(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, _ := client.NewHTTP("http://" + addr)
	err = c.Call(ctx, "ping", nil, nil)
	if !errors.Is(err, client.ErrTransport) {
		t.Fatalf("refused: err = %v", err)
	}
	c.Close()
	if err := c.Call(ctx, "ping", nil, nil); !errors.Is(err, client.ErrClosed) || !errors.Is(err, client.ErrTransport) {
		t.Fatalf("after Close: err = %v", err)
	}
	c.Close() // idempotent

	// The connection dropped while the server works on the call.
	e := newEnv(t)
	c2 := newHTTP(t, e)
	go func() {
		e.waitEntered(t)
		e.ts.CloseClientConnections()
	}()
	if err := c2.Call(ctx, "block", nil, nil); !errors.Is(err, client.ErrTransport) {
		t.Fatalf("dropped: err = %v", err)
	}
}

func TestHeaders(t *testing.T) {
	e := newEnv(t)
	ctx := testCtx(t)
	c := newHTTP(t, e, client.WithHeader("X-Client", "a"), client.WithHeaders(http.Header{"X-Client": {"b"}, "X-Over": {"client"}}))
	got, err := client.CallAs[[]string](ctx, c, "header", []string{"X-Client"})
	if err != nil || !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Fatalf("client header = %v, %v", got, err)
	}
	cctx := client.ContextWithHeader(ctx, http.Header{"x-over": {"call"}})
	cctx = client.ContextWithHeader(cctx, http.Header{"X-Over": {"call2"}, "X-Call": {"1"}})
	if got, _ := client.CallAs[[]string](cctx, c, "header", []string{"X-Over"}); !reflect.DeepEqual(got, []string{"call", "call2"}) {
		t.Fatalf("per-call header = %v", got)
	}
	if got, _ := client.CallAs[[]string](cctx, c, "header", []string{"X-Call"}); !reflect.DeepEqual(got, []string{"1"}) {
		t.Fatalf("per-call header = %v", got)
	}
	if got, _ := client.CallAs[[]string](ctx, c, "header", []string{"X-Call"}); len(got) != 0 {
		t.Fatalf("per-call header leaked to another call: %v", got)
	}
	if got, _ := client.CallAs[[]string](ctx, c, "header", []string{"Content-Type"}); !reflect.DeepEqual(got, []string{"application/json"}) {
		t.Fatalf("Content-Type = %v", got)
	}
}

// recorder is a middleware recording what crosses it.
type recorder struct {
	mu    sync.Mutex
	reqs  []schemarpc.Request
	resps []schemarpc.Response
}

func (r *recorder) mw(next client.Invoker) client.Invoker {
	return client.InvokerFunc(func(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error) {
		resps, err := next.Invoke(ctx, reqs, batch)
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, q := range reqs {
			r.reqs = append(r.reqs, *q)
		}
		for _, p := range resps {
			r.resps = append(r.resps, *p)
		}
		return resps, err
	})
}

func TestIDGenerators(t *testing.T) {
	e := newEnv(t)
	ctx := testCtx(t)
	var rec recorder
	c := newHTTP(t, e, client.WithMiddlewares(rec.mw))
	for range 3 {
		if err := c.Call(ctx, "ping", nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	for i, r := range rec.reqs {
		if want := schemarpc.Int64ID(int64(i + 1)); r.ID != want || rec.resps[i].ID != want {
			t.Fatalf("id %d = %s, response id %s, want %s", i, r.ID, rec.resps[i].ID, want)
		}
	}

	var urec recorder
	u := newHTTP(t, e, client.WithMiddlewares(urec.mw), client.WithIDGenerator(client.RandomUUID))
	if _, err := u.Batch(ctx, client.BatchItem{Method: "ping"}, client.BatchItem{Method: "ping"}); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"$`)
	for _, r := range urec.reqs {
		if !re.MatchString(r.ID.Raw()) {
			t.Fatalf("id %s is not a UUID v4", r.ID)
		}
	}
	if urec.reqs[0].ID == urec.reqs[1].ID {
		t.Fatal("two equal UUIDs")
	}
}

func TestMiddlewares(t *testing.T) {
	e := newEnv(t)
	ctx := testCtx(t)
	var order []string
	tag := func(name string) client.Middleware {
		return func(next client.Invoker) client.Invoker {
			return client.InvokerFunc(func(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error) {
				order = append(order, name)
				return next.Invoke(ctx, reqs, batch)
			})
		}
	}
	// rename turns calls of "add" into "sum" and doubles sum's results.
	rename := func(next client.Invoker) client.Invoker {
		return client.InvokerFunc(func(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error) {
			out := make([]*schemarpc.Request, len(reqs))
			for i, r := range reqs {
				if r.Method == "add" {
					c := *r
					c.Method = "sum"
					r = &c
				}
				out[i] = r
			}
			resps, err := next.Invoke(ctx, out, batch)
			for i, p := range resps {
				var n float64
				if json.Unmarshal(p.Result, &n) == nil {
					c := *p
					c.Result, _ = json.Marshal(2 * n)
					resps[i] = &c
				}
			}
			return resps, err
		})
	}
	c := newHTTP(t, e, client.WithMiddlewares(tag("outer"), nil, tag("inner")), client.WithMiddlewares(rename))
	got, err := client.CallAs[float64](ctx, c, "add", []int{1, 2})
	if err != nil || got != 6 {
		t.Fatalf("add = %v, %v", got, err)
	}
	if !reflect.DeepEqual(order, []string{"outer", "inner"}) {
		t.Fatalf("order = %v", order)
	}
	req := &schemarpc.Request{ID: schemarpc.Int64ID(1), Method: "add", Params: json.RawMessage(`[1]`)}
	if _, err := c.DirectCall(ctx, req); err != nil || req.Method != "add" {
		t.Fatalf("the caller's request was changed: %v, %v", req.Method, err)
	}
	// A middleware may answer without calling the server.
	short := newHTTP(t, e, client.WithMiddlewares(func(client.Invoker) client.Invoker {
		return client.InvokerFunc(func(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error) {
			return []*schemarpc.Response{{ID: reqs[0].ID, Result: json.RawMessage(`"cached"`)}}, nil
		})
	}))
	if s, err := client.CallAs[string](ctx, short, "anything", nil); err != nil || s != "cached" {
		t.Fatalf("short-circuit = %q, %v", s, err)
	}
}

// countingCodec is encoding/json counting its uses.
type countingCodec struct {
	mu         sync.Mutex
	marshal    int
	unmarshals int
}

func (c *countingCodec) Marshal(v any) ([]byte, error) {
	c.mu.Lock()
	c.marshal++
	c.mu.Unlock()
	return json.Marshal(v)
}

func (c *countingCodec) Unmarshal(data []byte, v any) error {
	c.mu.Lock()
	c.unmarshals++
	c.mu.Unlock()
	return json.Unmarshal(data, v)
}

func TestCodecAndParams(t *testing.T) {
	e := newEnv(t)
	ctx := testCtx(t)
	codec := &countingCodec{}
	c := newHTTP(t, e, client.WithCodec(codec), client.WithCodec(nil))
	if _, err := client.CallAs[float64](ctx, c, "sum", []int{1}); err != nil {
		t.Fatal(err)
	}
	if codec.marshal != 1 || codec.unmarshals != 1 {
		t.Fatalf("codec used %d/%d times", codec.marshal, codec.unmarshals)
	}
	// Params that are not an array or object are refused before sending.
	for _, p := range []any{42, "x", true, json.RawMessage(`7`), func() {}} {
		if err := c.Call(ctx, "echo", p, nil); err == nil || errors.Is(err, client.ErrTransport) {
			t.Errorf("params %T: err = %v", p, err)
		}
	}
	if codec.unmarshals != 1 {
		t.Fatalf("refused params reached the server")
	}
	// A result that does not fit is a decoding error.
	var n int
	if err := c.Call(ctx, "ping", nil, &n); err == nil || schemarpc.AsError(err) != nil {
		t.Fatalf("decoding error = %v", err)
	}
}

func TestNewHTTP_urls(t *testing.T) {
	for _, u := range []string{"ftp://x", "://", "ws://x", "ws://[::1"} {
		if _, err := client.NewHTTP(u); err == nil {
			t.Errorf("NewHTTP(%q): no error", u)
		}
	}
}

// An option for another transport makes the constructor fail instead of
// being ignored.
func TestNewHTTP_refusesWebSocketOptions(t *testing.T) {
	_, err := client.NewHTTP("http://x", wsclient.WithPingInterval(time.Second))
	if err == nil || !strings.Contains(err.Error(), "wsclient") {
		t.Fatalf("err = %v, want one naming package wsclient", err)
	}
	_, err = client.NewHTTP("http://x", client.WithOptions(wsclient.WithReconnect(wsclient.Backoff{})))
	if err == nil {
		t.Fatal("a bundled WebSocket option was accepted")
	}
}

// New runs the calling verbs and middlewares over any transport.
func TestNew(t *testing.T) {
	var got []string
	transport := client.InvokerFunc(func(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error) {
		var out []*schemarpc.Response
		for _, r := range reqs {
			got = append(got, r.Method)
			if !r.IsNotification() {
				out = append(out, &schemarpc.Response{ID: r.ID, Result: json.RawMessage(`"ok"`)})
			}
		}
		return out, nil
	})
	c, err := client.New(transport, client.WithIDGenerator(func() schemarpc.ID { return schemarpc.StringID("x") }))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if s, err := client.CallAs[string](ctx, c, "a", nil); err != nil || s != "ok" {
		t.Fatalf("Call = %q, %v", s, err)
	}
	if err := c.Notify(ctx, "b", nil); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "a,b" {
		t.Fatalf("transport saw %v", got)
	}
	c.Close()
	if err := c.Notify(ctx, "c", nil); !errors.Is(err, client.ErrClosed) {
		t.Fatalf("after Close: %v, want ErrClosed", err)
	}
	if _, err := client.New(transport, client.WithHTTPClient(http.DefaultClient)); err == nil {
		t.Fatal("New accepted WithHTTPClient")
	}
}

// An HTTP answer over the read limit fails the call instead of being read
// into memory, with or without a Content-Length.
func TestHTTPClient_readLimit(t *testing.T) {
	checkLeaks(t)
	big := `{"jsonrpc":"2.0","id":1,"result":"` + strings.Repeat("x", 4096) + `"}`
	for _, chunked := range []bool{false, true} {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if !chunked {
				w.Header().Set("Content-Length", strconv.Itoa(len(big)))
			}
			io.WriteString(w, big)
		}))
		c, err := client.NewHTTP(ts.URL, client.WithReadLimit(1024), client.WithIDGenerator(func() schemarpc.ID { return schemarpc.Int64ID(1) }))
		if err != nil {
			t.Fatal(err)
		}
		var out string
		if err := c.Call(context.Background(), "big", nil, &out); !errors.Is(err, client.ErrTransport) || !strings.Contains(err.Error(), "read limit") {
			t.Errorf("chunked=%v: got %v, want a transport error about the read limit", chunked, err)
		}
		c.Close()
		ts.Close()
	}
}
