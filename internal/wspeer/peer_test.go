package wspeer_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/wspeer"
)

// testHandler answers every request with the result of serve;
// notifications are recorded, and announced on noted when it is set.
type testHandler struct {
	mu     sync.Mutex
	notes  []string
	noted  chan struct{}
	serve  func(ctx context.Context, req *schemarpc.Request) *schemarpc.Response
	errors int
}

func (h *testHandler) ServeMessages(ctx context.Context, msgs []schemarpc.Message, batch bool) []byte {
	var parts [][]byte
	for _, m := range msgs {
		switch {
		case m.Request != nil && m.Request.IsNotification():
			h.mu.Lock()
			h.notes = append(h.notes, string(m.Request.Params))
			h.mu.Unlock()
			if h.noted != nil {
				h.noted <- struct{}{}
			}
		case m.Request != nil:
			resp := h.serve(ctx, m.Request)
			b, _ := resp.AppendJSON(nil)
			parts = append(parts, b)
		case m.Err != nil:
			b, _ := (&schemarpc.Response{ID: m.ID, Error: m.Err}).AppendJSON(nil)
			parts = append(parts, b)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	if !batch {
		return parts[0]
	}
	out := []byte{'['}
	for i, p := range parts {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, p...)
	}
	return append(out, ']')
}

func (h *testHandler) ServeError(e *schemarpc.Error) []byte {
	h.mu.Lock()
	h.errors++
	h.mu.Unlock()
	b, _ := (&schemarpc.Response{Error: e}).AppendJSON(nil)
	return b
}

func echo(_ context.Context, req *schemarpc.Request) *schemarpc.Response {
	return &schemarpc.Response{ID: req.ID, Result: req.Params}
}

// pair starts a server peer (with h, writing in batches) behind httptest
// and dials a client peer (with ch, writing frame by frame); both run until
// the test ends.
func pair(t *testing.T, h, ch wspeer.Handler, scfg, ccfg wspeer.Config) (server <-chan *wspeer.Peer, client *wspeer.Peer) {
	t.Helper()
	peers := make(chan *wspeer.Peer, 1)
	var wg sync.WaitGroup
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := (&websocket.Upgrader{}).Upgrade(wspeer.BatchingWriter(w), r, nil)
		if err != nil {
			return
		}
		p := wspeer.New(ws, h, scfg)
		peers <- p
		wg.Add(1)
		defer wg.Done()
		p.Run(context.Background())
	}))
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	client = wspeer.New(ws, ch, ccfg)
	done := make(chan struct{})
	go func() {
		defer close(done)
		client.Run(context.Background())
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		client.Close(ctx, websocket.CloseNormalClosure, "")
		<-done
		ts.Close()
		wg.Wait()
	})
	return peers, client
}

func call(t *testing.T, ctx context.Context, p *wspeer.Peer, id int64, params string) (*schemarpc.Response, error) {
	t.Helper()
	return p.Call(ctx, &schemarpc.Request{ID: schemarpc.Int64ID(id), Method: "echo", Params: json.RawMessage(params)})
}

func TestPeer_callsInBothDirections(t *testing.T) {
	srvH := &testHandler{serve: echo}
	cliH := &testHandler{serve: func(_ context.Context, req *schemarpc.Request) *schemarpc.Response {
		return &schemarpc.Response{ID: req.ID, Result: json.RawMessage(`"from client"`)}
	}}
	peers, cli := pair(t, srvH, cliH, wspeer.Config{}, wspeer.Config{})
	ctx := context.Background()
	resp, err := call(t, ctx, cli, 1, `[1,2]`)
	if err != nil || string(resp.Result) != `[1,2]` {
		t.Fatalf("client→server: %v %s", err, resp.Result)
	}
	srv := <-peers
	resp, err = srv.Call(ctx, &schemarpc.Request{ID: schemarpc.StringID("s1"), Method: "hi"})
	if err != nil || string(resp.Result) != `"from client"` {
		t.Fatalf("server→client: %v %+v", err, resp)
	}
}

func TestPeer_concurrentCallsMultiplexed(t *testing.T) {
	_, cli := pair(t, &testHandler{serve: echo}, &testHandler{serve: echo}, wspeer.Config{MaxInFlight: 32}, wspeer.Config{})
	var wg sync.WaitGroup
	errs := make(chan error, 500)
	for i := range 500 {
		wg.Go(func() {
			want := `[` + strings.Repeat("1,", i%7) + `0]`
			resp, err := call(t, context.Background(), cli, int64(i), want)
			if err != nil {
				errs <- err
			} else if string(resp.Result) != want {
				errs <- errors.New("got " + string(resp.Result) + " want " + want)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestPeer_connectionLossFailsEveryPendingCall(t *testing.T) {
	block := make(chan struct{})
	started := make(chan struct{}, 5)
	srvH := &testHandler{serve: func(ctx context.Context, req *schemarpc.Request) *schemarpc.Response {
		started <- struct{}{}
		<-block
		return echo(ctx, req)
	}}
	peers, cli := pair(t, srvH, &testHandler{serve: echo}, wspeer.Config{}, wspeer.Config{})
	defer close(block)
	errs := make(chan error, 5)
	for i := range 5 {
		go func() {
			_, err := call(t, context.Background(), cli, int64(i), `[]`)
			errs <- err
		}()
	}
	for range 5 {
		<-started // the call is pending on the client
	}
	srv := <-peers
	srv.Close(context.Background(), websocket.CloseGoingAway, "bye") // the server goes away mid-call
	for range 5 {
		select {
		case err := <-errs:
			if !errors.Is(err, schemarpc.ErrConnClosed) {
				t.Fatalf("pending call failed with %v, want ErrConnClosed", err)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("a pending call hangs after the connection was lost")
		}
	}
	if _, err := call(t, context.Background(), cli, 99, `[]`); !errors.Is(err, schemarpc.ErrConnClosed) {
		t.Fatalf("call after loss: %v", err)
	}
}

func TestPeer_notificationsKeepTheirOrder(t *testing.T) {
	const n = 300
	srvH := &testHandler{serve: echo, noted: make(chan struct{}, n)}
	_, cli := pair(t, srvH, &testHandler{serve: echo}, wspeer.Config{}, wspeer.Config{})
	for i := range n {
		frame, _ := (&schemarpc.Request{Method: "note", Params: json.RawMessage(`[` + itoa(i) + `]`)}).AppendJSON(nil)
		if err := cli.Send(context.Background(), frame); err != nil {
			t.Fatal(err)
		}
	}
	for range n {
		select {
		case <-srvH.noted:
		case <-time.After(5 * time.Second):
			t.Fatal("a notification was not handled")
		}
	}
	srvH.mu.Lock()
	defer srvH.mu.Unlock()
	for i, g := range srvH.notes {
		if g != `[`+itoa(i)+`]` {
			t.Fatalf("notification %d is %s: out of order", i, g)
		}
	}
}

func TestPeer_badFrameAnsweredConnectionStaysOpen(t *testing.T) {
	srvH := &testHandler{serve: echo}
	_, cli := pair(t, srvH, &testHandler{serve: echo}, wspeer.Config{}, wspeer.Config{})
	if err := cli.Send(context.Background(), []byte(`{"jsonrpc":"2.0",`)); err != nil {
		t.Fatal(err)
	}
	resp, err := call(t, context.Background(), cli, 7, `{"a":1}`)
	if err != nil || string(resp.Result) != `{"a":1}` {
		t.Fatalf("after a bad frame: %v %+v", err, resp)
	}
	srvH.mu.Lock()
	defer srvH.mu.Unlock()
	if srvH.errors != 1 {
		t.Fatalf("ServeError called %d times, want 1", srvH.errors)
	}
}

func TestPeer_nullIDErrorReachesTheSoleWaitingFrame(t *testing.T) {
	srvH := &testHandler{serve: echo}
	_, cli := pair(t, srvH, &testHandler{serve: echo}, wspeer.Config{MaxBatch: 2}, wspeer.Config{})
	frame := []byte(`[{"jsonrpc":"2.0","id":1,"method":"a"},{"jsonrpc":"2.0","id":2,"method":"a"},{"jsonrpc":"2.0","id":3,"method":"a"}]`)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	resps, err := cli.Batch(ctx, frame, []schemarpc.ID{schemarpc.Int64ID(1), schemarpc.Int64ID(2), schemarpc.Int64ID(3)})
	if err != nil {
		t.Fatalf("batch over the limit: %v (want the server's error, not a hang)", err)
	}
	for _, r := range resps {
		if !errors.Is(r.Error, schemarpc.ErrInvalidRequest) {
			t.Fatalf("got %+v, want -32600", r)
		}
	}
}

func TestPeer_unmatchedResponses(t *testing.T) {
	got := make(chan *schemarpc.Response, 1)
	_, cli := pair(t, &testHandler{serve: echo}, &testHandler{serve: echo},
		wspeer.Config{}, wspeer.Config{OnUnmatched: func(r *schemarpc.Response) { got <- r }})
	// The server answers id 42, which the client never sent; with two
	// frames waiting, a null-id error cannot be attributed either.
	if err := cli.Send(context.Background(), []byte(`{"jsonrpc":"2.0","id":42,"method":"echo","params":[1]}`)); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-got:
		if r.ID.Raw() != "42" || string(r.Result) != "[1]" {
			t.Fatalf("unmatched %+v", r)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("unmatched response not reported")
	}
}

func TestPeer_shutdownAnswersInFlightThenCloses(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	srvH := &testHandler{serve: func(ctx context.Context, req *schemarpc.Request) *schemarpc.Response {
		if req.Method == "slow" {
			started <- struct{}{}
			<-release
		}
		return echo(ctx, req)
	}}
	peers, cli := pair(t, srvH, &testHandler{serve: echo}, wspeer.Config{}, wspeer.Config{})
	srv := <-peers
	res := make(chan error, 1)
	go func() {
		resp, err := cli.Call(context.Background(), &schemarpc.Request{ID: schemarpc.Int64ID(1), Method: "slow", Params: json.RawMessage(`[1]`)})
		if err == nil && string(resp.Result) != `[1]` {
			err = errors.New("wrong result " + string(resp.Result))
		}
		res <- err
	}()
	<-started
	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(context.Background()) }()
	// While draining, a new call is refused with CodeOverloaded.
	deadline := time.Now().Add(2 * time.Second)
	for {
		resp, err := call(t, context.Background(), cli, 2, `[]`)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Error != nil {
			if resp.Error.Code != schemarpc.CodeOverloaded {
				t.Fatalf("refused with %v", resp.Error)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("calls still accepted while shutting down")
		}
	}
	close(release)
	if err := <-res; err != nil {
		t.Fatalf("in-flight call: %v", err)
	}
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
	<-cli.Done()
	var ce *websocket.CloseError
	if !errors.As(cli.Err(), &ce) || ce.Code != websocket.CloseGoingAway {
		t.Fatalf("client saw %v, want close 1001", cli.Err())
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// A handler that calls the other side while every dispatch slot is taken
// must still get its answer: the reader never waits for a slot.
func TestPeer_handlerCallsBackAtTheConcurrencyLimit(t *testing.T) {
	var srv *wspeer.Peer
	ready := make(chan struct{})
	srvH := &testHandler{}
	srvH.serve = func(ctx context.Context, req *schemarpc.Request) *schemarpc.Response {
		<-ready
		resp, err := srv.Call(ctx, &schemarpc.Request{ID: schemarpc.StringID("back-" + req.ID.Raw()), Method: "inner"})
		if err != nil {
			return &schemarpc.Response{ID: req.ID, Error: schemarpc.Errorf(schemarpc.CodeInternalError, "%v", err)}
		}
		return &schemarpc.Response{ID: req.ID, Result: resp.Result}
	}
	cliH := &testHandler{serve: func(_ context.Context, req *schemarpc.Request) *schemarpc.Response {
		return &schemarpc.Response{ID: req.ID, Result: json.RawMessage(`"inner answer"`)}
	}}
	peers, cli := pair(t, srvH, cliH, wspeer.Config{MaxInFlight: 1}, wspeer.Config{})
	srv = <-peers
	close(ready)
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			resp, err := call(t, ctx, cli, int64(i), `[]`)
			if err != nil || string(resp.Result) != `"inner answer"` {
				t.Errorf("call %d: %v %+v", i, err, resp)
			}
		})
	}
	wg.Wait()
}

func TestPeer_overloadIsRefusedNotQueuedForever(t *testing.T) {
	release := make(chan struct{})
	srvH := &testHandler{serve: func(ctx context.Context, req *schemarpc.Request) *schemarpc.Response {
		<-release
		return echo(ctx, req)
	}}
	_, cli := pair(t, srvH, &testHandler{serve: echo}, wspeer.Config{MaxInFlight: 1}, wspeer.Config{})
	const n = 1 + 16 + 5 // one served, 16 waiting, 5 refused
	type result struct {
		resp *schemarpc.Response
		err  error
	}
	results := make(chan result, n)
	for i := range n {
		go func() {
			resp, err := call(t, context.Background(), cli, int64(i), `[]`)
			results <- result{resp, err}
		}()
	}
	refused := 0
	for refused < 5 {
		select {
		case r := <-results:
			if r.err != nil || r.resp.Error == nil || r.resp.Error.Code != schemarpc.CodeOverloaded {
				t.Fatalf("before release: %v %+v", r.err, r.resp)
			}
			refused++
		case <-time.After(3 * time.Second):
			t.Fatalf("only %d calls refused", refused)
		}
	}
	close(release)
	for range n - 5 {
		r := <-results
		if r.err != nil || r.resp.Error != nil {
			t.Fatalf("accepted call: %v %+v", r.err, r.resp)
		}
	}
}

// A batch whose context ends leaves nothing in the pending table, and a
// send with a canceled context writes nothing.
func TestPeer_batchTimeoutAndCanceledSend(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	started := make(chan string, 4)
	srvH := &testHandler{serve: func(ctx context.Context, req *schemarpc.Request) *schemarpc.Response {
		started <- req.ID.Raw()
		<-block
		return echo(ctx, req)
	}}
	_, cli := pair(t, srvH, &testHandler{serve: echo}, wspeer.Config{}, wspeer.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	frame := []byte(`[{"jsonrpc":"2.0","id":1,"method":"a"},{"jsonrpc":"2.0","id":2,"method":"a"}]`)
	if _, err := cli.Batch(ctx, frame, []schemarpc.ID{schemarpc.Int64ID(1), schemarpc.Int64ID(2)}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("batch: %v, want DeadlineExceeded", err)
	}
	if n := cli.Pending(); n != 0 {
		t.Fatalf("%d calls pending after the batch timed out", n)
	}
	canceled, stop := context.WithCancel(context.Background())
	stop()
	if err := cli.Send(canceled, []byte(`{"jsonrpc":"2.0","method":"x"}`)); !errors.Is(err, context.Canceled) {
		t.Fatalf("send with a canceled context: %v", err)
	}
	// A duplicate id among pending calls is refused, not overwritten.
	go cli.Call(context.Background(), &schemarpc.Request{ID: schemarpc.Int64ID(7), Method: "a"})
	for id := range started {
		if id == "7" {
			break // the call is pending on the client
		}
	}
	if _, err := cli.Call(context.Background(), &schemarpc.Request{ID: schemarpc.Int64ID(7), Method: "a"}); err == nil || !strings.Contains(err.Error(), "already pending") {
		t.Fatalf("duplicate id: %v", err)
	}
}

// notifyHandler passes every notification to f; it answers no calls.
type notifyHandler func(ctx context.Context, r *schemarpc.Request)

func (f notifyHandler) ServeMessages(ctx context.Context, msgs []schemarpc.Message, _ bool) []byte {
	for _, m := range msgs {
		if m.Request != nil {
			f(ctx, m.Request)
		}
	}
	return nil
}

func (notifyHandler) ServeError(*schemarpc.Error) []byte { return nil }

// Pongs the WebSocket library writes on its own, and pings, interleave with
// batched answers without corrupting a frame.
func TestPeer_batchedWritesWithControlFrames(t *testing.T) {
	cfg := wspeer.Config{MaxInFlight: 64, PingInterval: time.Millisecond, PongWait: 5 * time.Second}
	_, cli := pair(t, &testHandler{serve: echo}, &testHandler{serve: echo}, cfg, cfg)
	var wg sync.WaitGroup
	errs := make(chan error, 2000)
	for g := range 8 {
		wg.Go(func() {
			for i := range 250 {
				id := int64(g*1000 + i)
				want := `[` + itoa(int(id)) + `]`
				resp, err := call(t, context.Background(), cli, id, want)
				if err != nil {
					errs <- err
					return
				}
				if string(resp.Result) != want {
					errs <- errors.New("got " + string(resp.Result) + " want " + want)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
