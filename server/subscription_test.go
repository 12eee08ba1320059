package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
	"github.com/schemarpc/schemarpc/server"
)

type tickParams struct {
	Count      int `json:"count" jsonschema:"minimum=0"`
	IntervalMS int `json:"interval_ms,omitempty" jsonschema:"minimum=0"`
}

type tick struct {
	N int `json:"n"`
}

// notification is a server-sent subscription notification as decoded here.
type notification struct {
	JSONRPC string `json:"jsonrpc"`
	ID      *json.RawMessage
	Method  string `json:"method"`
	Params  struct {
		Subscription string           `json:"subscription"`
		Result       json.RawMessage  `json:"result"`
		Error        *schemarpc.Error `json:"error"`
	} `json:"params"`
}

func decodeNote(t *testing.T, frame string) notification {
	t.Helper()
	var n notification
	if err := json.Unmarshal([]byte(frame), &n); err != nil || n.Method == "" {
		t.Fatalf("want a notification, got %s (%v)", frame, err)
	}
	return n
}

// subscribeID sends a subscribe call with id 1 and returns the id answered.
func subscribeID(t *testing.T, ws *websocket.Conn, frame string) string {
	t.Helper()
	answer := roundTrip(t, ws, frame)
	var r struct {
		ID     int    `json:"id"`
		Result string `json:"result"`
	}
	if err := json.Unmarshal([]byte(answer), &r); err != nil || r.Result == "" {
		t.Fatalf("want the subscription id as the first frame, got %s", answer)
	}
	return r.Result
}

// counter is a producer sending count events at once, as fast as it can:
// without the hold on events, they would overtake the subscribe answer.
func counter(_ context.Context, p tickParams, sink *server.Sink[tick]) error {
	for i := range p.Count {
		if err := sink.Send(tick{i}); err != nil {
			return err
		}
	}
	return nil
}

func TestSubscription_wireFormAnswerFirstThenEventsThenEnd(t *testing.T) {
	leakcheck.Check(t)
	s := server.New()
	s.MustAdd(server.Subscription("demo", "counter", counter, server.SubscriptionBuffer(1000)))
	ts := serve(t, s)
	ws := dial(t, ts, nil)
	for round := range 20 { // the race the hold prevents is likely within a few rounds
		id := subscribeID(t, ws, `{"jsonrpc":"2.0","id":1,"method":"demo_subscribe","params":["counter",{"count":50}]}`)
		if !strings.HasPrefix(id, "0x") || len(id) != 34 {
			t.Fatalf("id %q: want 0x and 32 hex digits", id)
		}
		for i := range 50 {
			n := decodeNote(t, recv(t, ws))
			if n.Method != "demo_subscription" || n.Params.Subscription != id || string(n.Params.Result) != fmt.Sprintf(`{"n":%d}`, i) || n.ID != nil {
				t.Fatalf("round %d event %d: got %+v", round, i, n)
			}
		}
		end := recv(t, ws)
		if want := `{"jsonrpc":"2.0","method":"demo_subscriptionEnd","params":{"subscription":"` + id + `"}}`; end != want {
			t.Fatalf("end:\n got %s\nwant %s", end, want)
		}
	}
}

func TestSubscription_positionalArgsAndBatch(t *testing.T) {
	leakcheck.Check(t)
	s := server.New()
	s.MustAdd(
		server.Subscription("demo", "counter", counter),
		server.FuncNoParams("ping", func(context.Context) (string, error) { return "pong", nil }),
	)
	ws := dial(t, serve(t, s), nil)
	answer := roundTrip(t, ws, `[{"jsonrpc":"2.0","id":"a","method":"ping"},{"jsonrpc":"2.0","id":"b","method":"demo_subscribe","params":["counter",2]}]`)
	var batch []struct {
		ID     string `json:"id"`
		Result string `json:"result"`
	}
	if err := json.Unmarshal([]byte(answer), &batch); err != nil || len(batch) != 2 || batch[0].Result != "pong" {
		t.Fatalf("want the batch answer first, got %s", answer)
	}
	for i := range 2 {
		if n := decodeNote(t, recv(t, ws)); n.Params.Subscription != batch[1].Result || string(n.Params.Result) != fmt.Sprintf(`{"n":%d}`, i) {
			t.Fatalf("event %d: %+v", i, n)
		}
	}
	if n := decodeNote(t, recv(t, ws)); n.Method != "demo_subscriptionEnd" {
		t.Fatalf("want the end, got %+v", n)
	}
}

func TestSubscription_invalidParams(t *testing.T) {
	leakcheck.Check(t)
	var started atomic.Int64
	s := server.New()
	s.MustAdd(server.Subscription("demo", "counter", func(ctx context.Context, p tickParams, sink *server.Sink[tick]) error {
		started.Add(1)
		return nil
	}))
	ws := dial(t, serve(t, s), nil)
	cases := []struct{ params, want string }{
		{`["counter",{"count":-1}]`, `"keyword":"minimum"`},
		{`["counter",{"count":"3"}]`, `"keyword":"type"`},
		{`["counter",{}]`, `"keyword":"required"`},
		{`["counter",1,2,3]`, `"keyword":"maxItems"`},
		{`["nope"]`, `no subscription \"nope\" in namespace demo; known: counter`},
		{`[7]`, `the first param must be the subscription name`},
		{`{"name":"counter"}`, `takes an array`},
		{`[]`, `takes an array`},
	}
	for _, c := range cases {
		got := roundTrip(t, ws, `{"jsonrpc":"2.0","id":1,"method":"demo_subscribe","params":`+c.params+`}`)
		if !strings.Contains(got, `"code":-32602`) || !strings.Contains(got, c.want) {
			t.Errorf("params %s:\n got %s\nwant -32602 with %s", c.params, got, c.want)
		}
	}
	if n := started.Load(); n != 0 {
		t.Fatalf("%d producers started on invalid params", n)
	}
}

func TestSubscription_overHTTPIsAClearError(t *testing.T) {
	leakcheck.Check(t)
	s := server.New()
	s.MustAdd(server.Subscription("demo", "counter", counter))
	ts := serve(t, s)
	for _, body := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"demo_subscribe","params":["counter",{"count":1}]}`,
		`{"jsonrpc":"2.0","id":1,"method":"demo_unsubscribe","params":["0x00"]}`,
	} {
		r := post(t, ts.URL, "application/json", body)
		if !strings.Contains(r.body, `"code":-32601`) || !strings.Contains(r.body, "subscriptions need a WebSocket connection") {
			t.Errorf("%s: got %d %s", body, r.status, r.body)
		}
	}
}

// forever sends an event every time it is poked, until its context ends.
type forever struct {
	poke  chan struct{}
	ended chan error
}

func (f *forever) run(ctx context.Context, _ struct{}, sink *server.Sink[tick]) error {
	for i := 0; ; i++ {
		select {
		case <-f.poke:
			sink.Send(tick{i})
		case <-ctx.Done():
			f.ended <- ctx.Err()
			return nil
		}
	}
}

func TestSubscription_unsubscribeStopsEventsBeforeItsAnswer(t *testing.T) {
	leakcheck.Check(t)
	f := &forever{poke: make(chan struct{}), ended: make(chan error, 1)}
	s := server.New()
	s.MustAdd(
		server.Subscription("demo", "forever", f.run),
		server.FuncNoParams("ping", func(context.Context) (string, error) { return "pong", nil }),
	)
	ws := dial(t, serve(t, s), nil)
	id := subscribeID(t, ws, `{"jsonrpc":"2.0","id":1,"method":"demo_subscribe","params":["forever"]}`)
	f.poke <- struct{}{}
	if n := decodeNote(t, recv(t, ws)); string(n.Params.Result) != `{"n":0}` {
		t.Fatalf("event: %+v", n)
	}
	if got := roundTrip(t, ws, `{"jsonrpc":"2.0","id":2,"method":"demo_unsubscribe","params":["`+id+`"]}`); got != `{"jsonrpc":"2.0","id":2,"result":true}` {
		t.Fatalf("unsubscribe: %s", got)
	}
	if err := <-f.ended; !errors.Is(err, context.Canceled) {
		t.Fatalf("producer ctx: %v", err)
	}
	// Nothing of the subscription follows: the next frame answers ping,
	// and a second unsubscribe answers false.
	if got := roundTrip(t, ws, `{"jsonrpc":"2.0","id":3,"method":"ping"}`); got != `{"jsonrpc":"2.0","id":3,"result":"pong"}` {
		t.Fatalf("after unsubscribe: %s", got)
	}
	for _, id := range []string{id, "0xunknown"} {
		if got := roundTrip(t, ws, `{"jsonrpc":"2.0","id":4,"method":"demo_unsubscribe","params":["`+id+`"]}`); got != `{"jsonrpc":"2.0","id":4,"result":false}` {
			t.Fatalf("unsubscribe %s again: %s", id, got)
		}
	}
	if n := s.Subscriptions(); n != 0 {
		t.Fatalf("%d subscriptions open", n)
	}
}

func TestSubscription_unsubscribeFromAnotherConnectionIsFalse(t *testing.T) {
	leakcheck.Check(t)
	f := &forever{poke: make(chan struct{}), ended: make(chan error, 1)}
	s := server.New()
	s.MustAdd(server.Subscription("demo", "forever", f.run))
	ts := serve(t, s)
	a, b := dial(t, ts, nil), dial(t, ts, nil)
	id := subscribeID(t, a, `{"jsonrpc":"2.0","id":1,"method":"demo_subscribe","params":["forever"]}`)
	if got := roundTrip(t, b, `{"jsonrpc":"2.0","id":2,"method":"demo_unsubscribe","params":["`+id+`"]}`); got != `{"jsonrpc":"2.0","id":2,"result":false}` {
		t.Fatalf("unsubscribe from b: %s", got)
	}
	if got := roundTrip(t, a, `{"jsonrpc":"2.0","id":2,"method":"demo_unsubscribe","params":[]}`); !strings.Contains(got, `-32602`) {
		t.Fatalf("unsubscribe without id: %s", got)
	}
}

func TestSubscription_endsWhenTheConnectionCloses(t *testing.T) {
	leakcheck.Check(t)
	f := &forever{poke: make(chan struct{}), ended: make(chan error, 1)}
	s := server.New()
	s.MustAdd(server.Subscription("demo", "forever", f.run))
	ws := dial(t, serve(t, s), nil)
	subscribeID(t, ws, `{"jsonrpc":"2.0","id":1,"method":"demo_subscribe","params":["forever"]}`)
	ws.Close()
	select {
	case err := <-f.ended:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("producer ctx: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("producer still running after the connection closed")
	}
}

func TestSubscription_producerErrorEndsWithIt(t *testing.T) {
	leakcheck.Check(t)
	s := server.New()
	s.MustAdd(
		server.Subscription("demo", "fails", func(_ context.Context, _ struct{}, sink *server.Sink[tick]) error {
			sink.Send(tick{1})
			return schemarpc.NewError(-32010, "feed lost")
		}),
		server.Subscription("demo", "crashes", func(_ context.Context, _ struct{}, _ *server.Sink[tick]) error {
			return errors.New("internal details")
		}),
	)
	ws := dial(t, serve(t, s), nil)
	id := subscribeID(t, ws, `{"jsonrpc":"2.0","id":1,"method":"demo_subscribe","params":["fails"]}`)
	if n := decodeNote(t, recv(t, ws)); string(n.Params.Result) != `{"n":1}` {
		t.Fatalf("event: %+v", n)
	}
	if got, want := recv(t, ws), `{"jsonrpc":"2.0","method":"demo_subscriptionEnd","params":{"subscription":"`+id+`","error":{"code":-32010,"message":"feed lost"}}}`; got != want {
		t.Fatalf("end:\n got %s\nwant %s", got, want)
	}
	id = subscribeID(t, ws, `{"jsonrpc":"2.0","id":1,"method":"demo_subscribe","params":["crashes"]}`)
	if got, want := recv(t, ws), `{"jsonrpc":"2.0","method":"demo_subscriptionEnd","params":{"subscription":"`+id+`","error":{"code":-32603,"message":"Internal error"}}}`; got != want {
		t.Fatalf("end:\n got %s\nwant %s", got, want)
	}
}

// A slow subscriber is closed with an error: the producer's Send reports it,
// the client gets a prefix of the events in order, then the end with -32097.
func TestSubscription_slowSubscriberIsClosedWithAnError(t *testing.T) {
	leakcheck.Check(t)
	sendErr := make(chan error, 1)
	s := server.New()
	s.MustAdd(server.Subscription("demo", "flood", func(ctx context.Context, _ struct{}, sink *server.Sink[tick]) error {
		for i := 0; ; i++ {
			if err := sink.Send(tick{i}); err != nil {
				sendErr <- err
				<-ctx.Done() // ended already: what it returns is not sent
				return errors.New("ignored")
			}
		}
	}, server.SubscriptionBuffer(4)))
	ws := dial(t, serve(t, s), nil)
	id := subscribeID(t, ws, `{"jsonrpc":"2.0","id":1,"method":"demo_subscribe","params":["flood"]}`)
	if err := <-sendErr; !errors.Is(err, server.ErrSubscriberTooSlow) {
		t.Fatalf("Send: %v", err)
	}
	for i := 0; ; i++ {
		n := decodeNote(t, recv(t, ws))
		if n.Method == "demo_subscriptionEnd" {
			if n.Params.Subscription != id || n.Params.Error == nil || n.Params.Error.Code != schemarpc.CodeOverloaded {
				t.Fatalf("end: %+v", n)
			}
			t.Logf("%d events before the end", i)
			break
		}
		if string(n.Params.Result) != fmt.Sprintf(`{"n":%d}`, i) {
			t.Fatalf("event %d: %s", i, n.Params.Result)
		}
	}
}

func TestSubscription_shutdownTellsSubscribers(t *testing.T) {
	leakcheck.Check(t)
	f := &forever{poke: make(chan struct{}), ended: make(chan error, 1)}
	s := server.New()
	s.MustAdd(server.Subscription("demo", "forever", f.run))
	ws := dial(t, serve(t, s), nil)
	id := subscribeID(t, ws, `{"jsonrpc":"2.0","id":1,"method":"demo_subscribe","params":["forever"]}`)
	shut := make(chan error, 1)
	go func() { shut <- s.Shutdown(testCtx(t)) }()
	if got, want := recv(t, ws), `{"jsonrpc":"2.0","method":"demo_subscriptionEnd","params":{"subscription":"`+id+`","error":{"code":-32097,"message":"server is shutting down"}}}`; got != want {
		t.Fatalf("end:\n got %s\nwant %s", got, want)
	}
	if _, _, err := ws.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Fatalf("want a close frame 1001, got %v", err)
	}
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
	if err := <-f.ended; !errors.Is(err, context.Canceled) {
		t.Fatalf("producer ctx: %v", err)
	}
}

func TestSubscription_registration(t *testing.T) {
	s := server.New()
	s.MustAdd(server.Subscription("demo", "counter", counter))
	err := s.Add(server.Subscription("demo", "counter", counter))
	if !errors.Is(err, server.ErrMethodExists) {
		t.Fatalf("duplicate subscription: %v", err)
	}
	if err := s.Replace(server.Subscription("demo", "counter", counter)); err != nil {
		t.Fatalf("replace: %v", err)
	}
	s.MustAdd(server.FuncNoParams("other_subscribe", func(context.Context) (int, error) { return 1, nil }))
	if err := s.Add(server.Subscription("other", "x", counter)); !errors.Is(err, server.ErrMethodExists) {
		t.Fatalf("namespace taken by a method: %v", err)
	}
	for _, m := range []*server.Method{
		server.Subscription[tickParams, tick]("demo", "nil", nil),
		server.Subscription("", "x", counter),
		server.Subscription("demo", "", counter),
		server.Subscription("rpc.x", "y", counter),
		server.Subscription("demo", "int", func(context.Context, int, *server.Sink[tick]) error { return nil }),
	} {
		if err := s.Add(m); err == nil {
			t.Errorf("Add(%s) succeeded", m.Name())
		}
	}
	if got, want := strings.Join(s.Methods(), ","), "demo_subscribe,demo_unsubscribe,other_subscribe"; got != want {
		t.Fatalf("methods %s, want %s", got, want)
	}
}

func TestSubscription_discover(t *testing.T) {
	s := server.New()
	s.MustAdd(
		server.Subscription("demo", "counter", counter, server.Summary("Counts")),
		server.Subscription("demo", "forever", (&forever{}).run),
	)
	doc, err := s.OpenRPCJSON()
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Methods []struct {
			Name   string `json:"name"`
			Params []struct {
				Name   string         `json:"name"`
				Schema map[string]any `json:"schema"`
			} `json:"params"`
			Subs []struct {
				Name         string `json:"name"`
				Summary      string `json:"summary"`
				Notification string `json:"notification"`
				Params       []struct {
					Name string `json:"name"`
				} `json:"params"`
				Event struct {
					Schema map[string]any `json:"schema"`
				} `json:"event"`
			} `json:"x-subscriptions"`
		} `json:"methods"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Methods) != 2 || d.Methods[0].Name != "demo_subscribe" || d.Methods[1].Name != "demo_unsubscribe" {
		t.Fatalf("methods: %s", doc)
	}
	sub := d.Methods[0]
	if fmt.Sprint(sub.Params[0].Schema["enum"]) != "[counter forever]" || len(sub.Subs) != 2 {
		t.Fatalf("subscribe: %s", doc)
	}
	c := sub.Subs[0]
	if c.Name != "counter" || c.Summary != "Counts" || c.Notification != "demo_subscription" ||
		len(c.Params) != 2 || c.Params[0].Name != "count" || c.Event.Schema == nil {
		t.Fatalf("x-subscriptions[0]: %+v\n%s", c, doc)
	}
}

// With validation off, params that do not decode fail the subscribe call;
// nothing of the subscription reaches the client and nothing is left open.
func TestSubscription_paramsThatDoNotDecode(t *testing.T) {
	leakcheck.Check(t)
	s := server.New(server.WithValidation(false))
	s.MustAdd(
		server.Subscription("demo", "counter", counter),
		server.FuncNoParams("ping", func(context.Context) (string, error) { return "pong", nil }),
	)
	ws := dial(t, serve(t, s), nil)
	got := roundTrip(t, ws, `{"jsonrpc":"2.0","id":1,"method":"demo_subscribe","params":["counter",{"count":"x"}]}`)
	if !strings.Contains(got, `"code":-32602`) || !strings.Contains(got, `"pointer":"/count"`) {
		t.Fatalf("subscribe: %s", got)
	}
	if got := roundTrip(t, ws, `{"jsonrpc":"2.0","id":2,"method":"ping"}`); got != `{"jsonrpc":"2.0","id":2,"result":"pong"}` {
		t.Fatalf("next frame: %s", got)
	}
	pollUntil(t, func() bool { return s.Subscriptions() == 0 })
}
