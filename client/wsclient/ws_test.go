package wsclient_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/server"
)

func dialWS(t *testing.T, url string, opts ...client.Option) *wsclient.Client {
	t.Helper()
	c, err := wsclient.Dial(testCtx(t), url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// clientAdd is a method the WebSocket client serves.
var clientAdd = server.Func("client_add", func(ctx context.Context, p addParams) (int, error) {
	if p.A < 0 {
		return 0, schemarpc.Errorf(-32050, "negative: %d", p.A)
	}
	return p.A + p.B, nil
})

func TestWSCalls(t *testing.T) {
	checkLeaks(t)
	e := newEnv(t)
	ctx := testCtx(t)
	c := dialWS(t, e.wsURL(), client.WithHeader("X-Client", "ws"))

	var echo demo.EchoResult
	if err := c.Call(ctx, "echo", map[string]int{"a": 1}, &echo); err != nil || echo.Kwargs["a"] != 1.0 {
		t.Fatalf("echo = %+v, %v", echo, err)
	}
	if s, err := client.CallAs[string](ctx, c, "ping", nil); err != nil || s != "pong" {
		t.Fatalf("ping = %q, %v", s, err)
	}
	// Headers go with the handshake.
	if h, err := client.CallAs[[]string](ctx, c, "header", []string{"X-Client"}); err != nil || !slices.Equal(h, []string{"ws"}) {
		t.Fatalf("handshake header = %v, %v", h, err)
	}
	if err := c.Call(ctx, "get_user_by_uuid", []string{"3b241101-e2bb-4255-8caf-4136c566a000"}, nil); !errors.Is(err, demo.ErrUserNotFound) {
		t.Fatalf("error = %v", err)
	}
	if err := c.Notify(ctx, "notify_hello", []int{1}); err != nil {
		t.Fatal(err)
	}
	res, err := c.Batch(ctx,
		client.BatchItem{Method: "subtract", Params: []int{42, 23}},
		client.BatchItem{Method: "notify_sum", Params: []int{1}, Notification: true},
		client.BatchItem{Method: "nope"},
		client.BatchItem{Method: "sum", Params: []int{1, 2}},
	)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := client.ResultAs[float64](res.Results[0]); d != 19 {
		t.Fatalf("subtract = %v", d)
	}
	if !errors.Is(res.Results[2].Err, schemarpc.ErrMethodNotFound) {
		t.Fatalf("nope = %v", res.Results[2].Err)
	}
	if s, _ := client.ResultAs[float64](res.Results[3]); s != 3 {
		t.Fatalf("sum = %v", s)
	}
	if err := c.BatchNotify(ctx, client.BatchItem{Method: "notify_hello", Params: []int{1}}, client.BatchItem{Method: "update"}); err != nil {
		t.Fatal(err)
	}
	resp, err := c.DirectCall(ctx, &schemarpc.Request{ID: schemarpc.StringID("d"), Method: "get_data"})
	if err != nil || resp.ID != schemarpc.StringID("d") {
		t.Fatalf("DirectCall = %+v, %v", resp, err)
	}
	if c.Pending() != 0 {
		t.Fatalf("Pending = %d", c.Pending())
	}
	if c.URL() != e.wsURL() {
		t.Fatal(c.URL())
	}
}

func TestWSNotifications(t *testing.T) {
	checkLeaks(t)
	e := newEnv(t)
	ctx := testCtx(t)
	ticks := make(chan int, 10)
	var others atomic.Int32
	served := make(chan int, 1)
	c := dialWS(t, e.wsURL(),
		wsclient.WithNotificationHandler(func(ctx context.Context, n *schemarpc.Request) {
			if n.Method != "tick" {
				others.Add(1)
				return
			}
			var tk demo.Tick
			if err := json.Unmarshal(n.Params, &tk); err != nil {
				t.Error(err)
			}
			ticks <- tk.Remaining
		}),
		wsclient.WithMethods(server.FuncNoResult("on_push", func(ctx context.Context, p struct {
			N int `json:"n"`
		}) error {
			served <- p.N
			return nil
		})),
	)
	n, err := client.CallAs[int](ctx, c, "countdown", []int{3})
	if err != nil || n != 3 {
		t.Fatalf("countdown = %v, %v", n, err)
	}
	var got []int
	for range 3 {
		select {
		case k := <-ticks:
			got = append(got, k)
		case <-ctx.Done():
			t.Fatal("ticks missing:", got)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, []int{0, 1, 2}) {
		t.Fatalf("ticks = %v", got)
	}
	// A notification of a served method goes to the method, not the handler.
	if _, err := client.CallAs[bool](ctx, c, "push", []string{"on_push"}); err != nil {
		t.Fatal(err)
	}
	select {
	case v := <-served:
		if v != 1 {
			t.Fatalf("on_push got %d", v)
		}
	case <-ctx.Done():
		t.Fatal("on_push was not called")
	}
	if others.Load() != 0 {
		t.Fatalf("%d notifications went to the handler", others.Load())
	}
}

func TestWSServerCallsClient(t *testing.T) {
	checkLeaks(t)
	e := newEnv(t)
	ctx := testCtx(t)
	c := dialWS(t, e.wsURL(), wsclient.WithMethods(clientAdd))

	// During a call: callback calls client_add on this connection.
	got, err := client.CallAs[int](ctx, c, "callback", addParams{A: 2, B: 3})
	if err != nil || got != 50 {
		t.Fatalf("callback = %v, %v", got, err)
	}
	// The client's error answer comes back to the server, and through it.
	err = c.Call(ctx, "callback", addParams{A: -1}, nil)
	if schemarpc.CodeOf(err) != -32050 {
		t.Fatalf("callback error = %v", err)
	}

	// From outside a handler, through WithOnConnect.
	conn := <-e.conns
	var r int
	if err := conn.Call(ctx, "client_add", addParams{A: 20, B: 22}, &r); err != nil || r != 42 {
		t.Fatalf("conn.Call = %v, %v", r, err)
	}
	err = conn.Call(ctx, "client_add", addParams{A: -5}, &r)
	var re *schemarpc.Error
	if !errors.As(err, &re) || re.Code != -32050 || re.Message != "negative: -5" {
		t.Fatalf("conn.Call error = %v", err)
	}
	// Schema validation is the server package's.
	if err := conn.Call(ctx, "client_add", []string{"x"}, &r); !errors.Is(err, schemarpc.ErrInvalidParams) {
		t.Fatalf("invalid params = %v", err)
	}
	if err := conn.Call(ctx, "client_mul", nil, &r); !errors.Is(err, schemarpc.ErrMethodNotFound) {
		t.Fatalf("unknown method = %v", err)
	}

	// Methods added later; they reach the client through FromContext.
	if err := c.Add(server.FuncNoParams("client_ping_back", func(ctx context.Context) (string, error) {
		cl := wsclient.FromContext(ctx)
		if cl == nil {
			return "", errors.New("no client in context")
		}
		return client.CallAs[string](ctx, cl, "ping", nil)
	})); err != nil {
		t.Fatal(err)
	}
	var s string
	if err := conn.Call(ctx, "client_ping_back", nil, &s); err != nil || s != "pong" {
		t.Fatalf("client_ping_back = %q, %v", s, err)
	}
	if err := c.Add(clientAdd); err == nil {
		t.Fatal("Add of a registered name: no error")
	}
	if wsclient.FromContext(ctx) != nil {
		t.Fatal("FromContext outside a handler")
	}
}

func TestWSTimeoutRemovesPending(t *testing.T) {
	checkLeaks(t)
	e := newEnv(t)
	ctx := testCtx(t)
	c := dialWS(t, e.wsURL(), client.WithTimeout(100*time.Millisecond))
	done := make(chan error)
	go func() { done <- c.Call(ctx, "block", nil, nil) }()
	e.waitEntered(t)
	if n := c.Pending(); n != 1 {
		t.Fatalf("Pending during the call = %d", n)
	}
	err := <-done
	if !errors.Is(err, client.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if n := c.Pending(); n != 0 {
		t.Fatalf("Pending after the timeout = %d", n)
	}
	// Canceling works the same way, at once.
	cctx, cancel := context.WithCancel(ctx)
	go func() {
		e.waitEntered(t)
		cancel()
	}()
	if err := c.Call(cctx, "block", nil, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel: err = %v", err)
	}
	if n := c.Pending(); n != 0 {
		t.Fatalf("Pending after cancel = %d", n)
	}
	// A batch times out as a whole.
	if _, err := c.Batch(ctx, client.BatchItem{Method: "ping"}, client.BatchItem{Method: "block"}); !errors.Is(err, client.ErrTimeout) {
		t.Fatalf("batch: err = %v", err)
	}
	if n := c.Pending(); n != 0 {
		t.Fatalf("Pending after the batch = %d", n)
	}
	// The connection is still good.
	if err := c.Call(ctx, "ping", nil, nil); err != nil {
		t.Fatal(err)
	}
}

func TestWSConnectionDroppedMidCall(t *testing.T) {
	checkLeaks(t)
	e := newEnv(t)
	ctx := testCtx(t)
	c := dialWS(t, e.wsURL())
	const n = 5
	errs := make(chan error, n)
	for range n {
		go func() { errs <- c.Call(ctx, "block", nil, nil) }()
	}
	for range n {
		e.waitEntered(t)
	}
	batchErr := make(chan error, 1)
	go func() {
		_, err := c.Batch(ctx, client.BatchItem{Method: "ping"}, client.BatchItem{Method: "block"})
		batchErr <- err
	}()
	e.waitEntered(t)
	start := time.Now()
	(<-e.conns).Close() // the server drops the connection
	for range n {
		if err := <-errs; !errors.Is(err, client.ErrTransport) || !errors.Is(err, schemarpc.ErrConnClosed) {
			t.Fatalf("pending call: err = %v", err)
		}
	}
	if err := <-batchErr; !errors.Is(err, client.ErrTransport) || !errors.Is(err, schemarpc.ErrConnClosed) {
		t.Fatalf("pending batch: err = %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("pending calls took %v to fail", d)
	}
	// Without WithReconnect later calls fail too.
	for _, err := range []error{
		c.Call(ctx, "ping", nil, nil),
		c.Notify(ctx, "ping", nil),
		c.BatchNotify(ctx, client.BatchItem{Method: "ping"}),
	} {
		if !errors.Is(err, client.ErrTransport) || !errors.Is(err, schemarpc.ErrConnClosed) {
			t.Fatalf("after the loss: err = %v", err)
		}
	}
	if c.Pending() != 0 {
		t.Fatal("pending calls remain")
	}
}

func TestWSServerClosed(t *testing.T) {
	checkLeaks(t)
	e := newEnv(t)
	ctx := testCtx(t)
	c := dialWS(t, e.wsURL())
	done := make(chan error)
	go func() { done <- c.Call(ctx, "block", nil, nil) }()
	e.waitEntered(t)
	e.srv.Close()
	if err := <-done; !errors.Is(err, client.ErrTransport) || !errors.Is(err, schemarpc.ErrConnClosed) {
		t.Fatalf("err = %v", err)
	}
}

func TestWSConcurrentCalls(t *testing.T) {
	checkLeaks(t)
	e := newEnv(t)
	ctx := testCtx(t)
	c := dialWS(t, e.wsURL())
	const n = 1000
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			var d float64
			if err := c.Call(ctx, "subtract", []int{i, 1}, &d); err != nil {
				errs <- err
				return
			}
			if d != float64(i-1) {
				errs <- fmt.Errorf("call %d: got %v", i, d)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if c.Pending() != 0 {
		t.Fatalf("Pending = %d", c.Pending())
	}
}

func TestWSCloseIdempotent(t *testing.T) {
	checkLeaks(t)
	e := newEnv(t)
	ctx := testCtx(t)
	c, err := wsclient.Dial(ctx, e.wsURL(), wsclient.WithPingInterval(time.Second), wsclient.WithReconnect(wsclient.Backoff{}))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- c.Call(ctx, "block", nil, nil) }()
	e.waitEntered(t)
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if err := c.Close(); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := <-done; !errors.Is(err, client.ErrTransport) || !errors.Is(err, schemarpc.ErrConnClosed) {
		t.Fatalf("pending call: err = %v", err)
	}
	if err := c.Call(ctx, "ping", nil, nil); !errors.Is(err, client.ErrClosed) || !errors.Is(err, client.ErrTransport) || !errors.Is(err, schemarpc.ErrConnClosed) {
		t.Fatalf("after Close: err = %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

// listenOn listens on addr, retrying while the port is still held.
func listenOn(t *testing.T, addr string) net.Listener {
	t.Helper()
	var err error
	for range 100 {
		var l net.Listener
		if l, err = net.Listen("tcp", addr); err == nil {
			return l
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal(err)
	return nil
}

// startOn starts e's server on l.
func (e *env) startOn(l net.Listener) {
	e.ts = httptest.NewUnstartedServer(e.srv)
	e.ts.Listener.Close()
	e.ts.Listener = l
	e.ts.Start()
}

func TestWSReconnect(t *testing.T) {
	checkLeaks(t)
	ctx := testCtx(t)
	l := listenOn(t, "127.0.0.1:0")
	addr := l.Addr().String()
	e1 := newEnvUnstarted()
	e1.startOn(l)
	defer e1.close()

	c := dialWS(t, "ws://"+addr+"/rpc", wsclient.WithReconnect(wsclient.Backoff{Initial: 10 * time.Millisecond, Max: 50 * time.Millisecond, Attempts: 3}))
	if err := c.Call(ctx, "ping", nil, nil); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- c.Call(ctx, "block", nil, nil) }()
	e1.waitEntered(t)

	// The server goes away: the call in flight fails, it is not retried.
	e1.close()
	if err := <-done; !errors.Is(err, client.ErrTransport) || !errors.Is(err, schemarpc.ErrConnClosed) {
		t.Fatalf("in-flight call: err = %v", err)
	}
	// While it is down, a new call fails once the attempts are spent.
	if err := c.Call(ctx, "ping", nil, nil); !errors.Is(err, client.ErrTransport) || !errors.Is(err, schemarpc.ErrConnClosed) {
		t.Fatalf("server down: err = %v", err)
	}
	// The server comes back on the same address: the next call redials.
	e2 := newEnvUnstarted()
	l2 := listenOn(t, addr)
	e2.startOn(l2)
	defer e2.close()
	if s, err := client.CallAs[string](ctx, c, "ping", nil); err != nil || s != "pong" {
		t.Fatalf("after restart: ping = %q, %v", s, err)
	}
	// The new connection serves everything, concurrently.
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if err := c.Call(ctx, "ping", nil, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	select {
	case <-e2.conns:
	default:
		t.Fatal("the restarted server saw no connection")
	}
}

func TestWSDialErrors(t *testing.T) {
	checkLeaks(t)
	ctx := testCtx(t)
	l := listenOn(t, "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	if _, err := wsclient.Dial(ctx, "ws://"+addr); !errors.Is(err, client.ErrTransport) {
		t.Fatalf("refused: err = %v", err)
	}
	e := newEnv(t)
	if err := e.srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := wsclient.Dial(ctx, e.wsURL())
	var se *client.HTTPStatusError
	if !errors.Is(err, client.ErrTransport) || !errors.As(err, &se) || se.StatusCode != http.StatusServiceUnavailable || schemarpc.CodeOf(err) != schemarpc.CodeOverloaded {
		t.Fatalf("refused handshake: err = %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := wsclient.Dial(cctx, e.wsURL()); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled: err = %v", err)
	}
	if _, err := wsclient.Dial(ctx, e.wsURL(), wsclient.WithMethods(server.Func("rpc.x", func(context.Context, addParams) (int, error) { return 0, nil }))); err == nil {
		t.Fatal("reserved method name: no error")
	}
}

func TestWSUnmatched(t *testing.T) {
	checkLeaks(t)
	// A server that answers every call twice, and with a stray null id.
	up := websocket.Upgrader{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			var req schemarpc.Request
			if json.Unmarshal(data, &req) != nil {
				continue
			}
			out, _ := (&schemarpc.Response{ID: req.ID, Result: json.RawMessage(`1`)}).MarshalJSON()
			ws.WriteMessage(websocket.TextMessage, out)
			ws.WriteMessage(websocket.TextMessage, out)
			ws.WriteMessage(websocket.TextMessage, []byte(`{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}`))
		}
	}))
	defer ts.Close()
	got := make(chan *schemarpc.Response, 10)
	c := dialWS(t, "ws"+ts.URL[4:], wsclient.WithUnmatchedHandler(func(r *schemarpc.Response) { got <- r }))
	if n, err := client.CallAs[int](testCtx(t), c, "x", nil); err != nil || n != 1 {
		t.Fatalf("call = %v, %v", n, err)
	}
	for range 2 {
		select {
		case <-got:
		case <-time.After(5 * time.Second):
			t.Fatal("unmatched responses not reported")
		}
	}
	c.Close()
}

// A message over the client's read limit closes the connection and fails
// the call instead of being read into memory.
func TestWSClient_readLimit(t *testing.T) {
	checkLeaks(t)
	srv := server.New()
	srv.MustAdd(server.FuncNoParams("big", func(context.Context) (string, error) {
		return strings.Repeat("x", 4096), nil
	}))
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close()
	ctx := context.Background()
	c, err := wsclient.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http"), client.WithReadLimit(1024))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var out string
	err = c.Call(ctx, "big", nil, &out)
	if !errors.Is(err, client.ErrTransport) || !errors.Is(err, schemarpc.ErrConnClosed) {
		t.Fatalf("got %v, want a transport error for the oversized answer", err)
	}
}

// Options of a WebSocket client reach the dialer, the logger and the
// server that serves the client's methods.
func TestWSClient_dialerLoggerAndServerOptions(t *testing.T) {
	checkLeaks(t)
	type helloParams struct {
		Name string `json:"name" jsonschema:"minLength=3"`
	}
	answers := make(chan string, 1)
	srv := server.New(server.WithOnConnect(func(c *server.Conn) {
		go func() {
			var out string
			if err := c.Call(context.Background(), "hello", helloParams{Name: "ab"}, &out); err != nil {
				out = err.Error()
			}
			answers <- out
		}()
	}))
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close()

	var dials atomic.Int32
	dialer := &websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	hello := server.Func("hello", func(_ context.Context, p helloParams) (string, error) { return "hi " + p.Name, nil })
	c, err := wsclient.Dial(context.Background(), "ws"+strings.TrimPrefix(ts.URL, "http"), client.WithOptions(
		wsclient.WithDialer(dialer),
		client.WithLogger(logger),
		wsclient.WithMethods(hello),
		wsclient.WithServerOptions(server.WithValidation(false)), // "ab" is shorter than minLength
		wsclient.WithConnConcurrency(1),
	))
	if err != nil {
		t.Fatal(err)
	}
	if got := <-answers; got != "hi ab" {
		t.Errorf("server→client call: %q (validation should be off on the client's server)", got)
	}
	c.Close()
	if dials.Load() != 1 {
		t.Errorf("custom dialer used %d times", dials.Load())
	}
	if !strings.Contains(logs.String(), "websocket client connection closed") {
		t.Errorf("logger got %q", logs.String())
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
