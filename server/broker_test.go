package server_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
	"github.com/schemarpc/schemarpc/server"
)

// countingBroker counts the broker subscriptions a server holds.
type countingBroker struct {
	server.Broker
	mu         sync.Mutex
	subscribes map[string]int
	open       map[string]int
}

func (b *countingBroker) Subscribe(topic string, deliver func([]byte)) (func(), error) {
	unsub, err := b.Broker.Subscribe(topic, deliver)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	b.subscribes[topic]++
	b.open[topic]++
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		b.open[topic]--
		b.mu.Unlock()
		unsub()
	}, nil
}

func (b *countingBroker) counts(topic string) (subscribes, open int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.subscribes[topic], b.open[topic]
}

type chatMessage struct {
	From string `json:"from"`
	Text string `json:"text"`
}

func follow(ctx context.Context, p struct {
	Room string `json:"room"`
}, sink *server.Sink[chatMessage]) error {
	return sink.Follow(ctx, "room."+p.Room)
}

// Two servers sharing one broker: a publish on either reaches the followers
// on both, in order; each server holds one broker subscription per topic,
// whatever its number of followers, and drops it with the last one.
func TestBroker_publishReachesFollowersOnEveryServer(t *testing.T) {
	leakcheck.Check(t)
	b := &countingBroker{Broker: server.NewLocalBroker(), subscribes: map[string]int{}, open: map[string]int{}}
	var nodes [2]*server.Server
	for i := range nodes {
		nodes[i] = server.New(server.WithBroker(b))
		nodes[i].MustAdd(server.Subscription("chat", "room", follow))
	}
	ts0, ts1 := serve(t, nodes[0]), serve(t, nodes[1])
	a1, a2, c := dial(t, ts0, nil), dial(t, ts0, nil), dial(t, ts1, nil)
	const sub = `{"jsonrpc":"2.0","id":1,"method":"chat_subscribe","params":["room",{"room":"go"}]}`
	ids := []string{subscribeID(t, a1, sub), subscribeID(t, a2, sub), subscribeID(t, c, sub)}
	// Following starts when the producer runs, after the answer: wait for
	// the broker subscriptions (one per node) before publishing.
	pollUntil(t, func() bool {
		n, _ := b.counts("room.go")
		return n == 2 && nodes[0].Followers("room.go") == 2 && nodes[1].Followers("room.go") == 1
	})
	if n := nodes[0].Topics(); len(n) != 1 || n[0] != "room.go" {
		t.Fatalf("topics: %v", n)
	}
	for i := range 10 {
		if err := nodes[i%2].Publish(t.Context(), "room.go", chatMessage{From: fmt.Sprint(i % 2), Text: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	for j, ws := range []*wsConnT{{a1, ids[0]}, {a2, ids[1]}, {c, ids[2]}} {
		for i := range 10 {
			n := decodeNote(t, recv(t, ws.ws))
			if want := fmt.Sprintf(`{"from":"%d","text":"%d"}`, i%2, i); n.Params.Subscription != ws.id || string(n.Params.Result) != want {
				t.Fatalf("client %d event %d: %+v, want %s", j, i, n, want)
			}
		}
	}
	if s, open := b.counts("room.go"); s != 2 || open != 2 {
		t.Fatalf("broker subscriptions: %d made, %d open; want 2 and 2 (one per node)", s, open)
	}
	// The last follower of node 0 leaving drops node 0's broker subscription.
	for _, x := range []*wsConnT{{a1, ids[0]}, {a2, ids[1]}} {
		if got := roundTrip(t, x.ws, `{"jsonrpc":"2.0","id":2,"method":"chat_unsubscribe","params":["`+x.id+`"]}`); got != `{"jsonrpc":"2.0","id":2,"result":true}` {
			t.Fatal(got)
		}
	}
	pollUntil(t, func() bool { _, open := b.counts("room.go"); return open == 1 })
	if n := nodes[0].Topics(); len(n) != 0 {
		t.Fatalf("node 0 topics after its followers left: %v", n)
	}
	nodes[0].Publish(t.Context(), "room.go", chatMessage{From: "0", Text: "after"})
	if n := decodeNote(t, recv(t, c)); string(n.Params.Result) != `{"from":"0","text":"after"}` {
		t.Fatalf("node 1 after node 0's followers left: %+v", n)
	}
}

type wsConnT struct {
	ws *websocket.Conn
	id string
}

// pollUntil polls cond until it holds, for up to 10 seconds.
func pollUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
	}
}

func TestBroker_emptyTopic(t *testing.T) {
	if err := server.New().Publish(t.Context(), "", 1); err != server.ErrEmptyTopic {
		t.Fatalf("Publish to an empty topic: %v", err)
	}
}

type roomParams struct {
	Room string `json:"room"`
}

// A TopicSubscription has joined its topic when the client gets its id:
// an event published right after the answer reaches it, every time. (With
// Sink.Follow the producer joins when it runs, which TestBroker above has
// to wait for.) Unsubscribing leaves the topic; an error from the topic
// function fails the subscribe call.
func TestTopicSubscription_joinsBeforeTheAnswer(t *testing.T) {
	leakcheck.Check(t)
	s := server.New()
	s.MustAdd(server.TopicSubscription[roomParams, chatMessage]("chat", "room", func(_ context.Context, p roomParams) (string, error) {
		if p.Room == "closed" {
			return "", schemarpc.ErrInvalidParams.WithData("room closed is closed")
		}
		return "room." + p.Room, nil
	}))
	ts := serve(t, s)
	ws := dial(t, ts, nil)
	const sub = `{"jsonrpc":"2.0","id":1,"method":"chat_subscribe","params":["room",{"room":"go"}]}`
	for i := range 50 {
		id := subscribeID(t, ws, sub)
		if n := s.Followers("room.go"); n != 1 {
			t.Fatalf("round %d: %d followers of the topic when the answer arrived, want 1", i, n)
		}
		if err := s.Publish(t.Context(), "room.go", chatMessage{From: "s", Text: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
		n := decodeNote(t, recv(t, ws))
		if want := fmt.Sprintf(`{"from":"s","text":"%d"}`, i); n.Params.Subscription != id || string(n.Params.Result) != want {
			t.Fatalf("round %d: %+v, want %s for %s", i, n, want, id)
		}
		if got := roundTrip(t, ws, `{"jsonrpc":"2.0","id":2,"method":"chat_unsubscribe","params":["`+id+`"]}`); got != `{"jsonrpc":"2.0","id":2,"result":true}` {
			t.Fatal(got)
		}
		pollUntil(t, func() bool { return s.Followers("room.go") == 0 })
	}
	got := roundTrip(t, ws, `{"jsonrpc":"2.0","id":3,"method":"chat_subscribe","params":["room",{"room":"closed"}]}`)
	if !strings.Contains(got, `"code":-32602`) || !strings.Contains(got, "room closed is closed") {
		t.Fatalf("subscribe with a failing topic: %s", got)
	}
	// The failed subscription's writer ends on its own goroutine.
	pollUntil(t, func() bool { return s.Subscriptions() == 0 })
	if m := server.TopicSubscription[struct{}, int]("chat", "x", nil); server.New().Add(m) == nil {
		t.Error("a nil topic function was accepted")
	}
}

// gatedBroker holds every Subscribe until gate is closed.
type gatedBroker struct {
	server.Broker
	gate chan struct{}
}

func (b *gatedBroker) Subscribe(topic string, deliver func([]byte)) (func(), error) {
	<-b.gate
	return b.Broker.Subscribe(topic, deliver)
}

// The subscribe answer of a TopicSubscription waits for the broker
// subscription: while the broker holds it, no answer; once it is made, the
// answer, and an event published at once reaches the subscriber.
func TestTopicSubscription_answerWaitsForTheBroker(t *testing.T) {
	leakcheck.Check(t)
	b := &gatedBroker{Broker: server.NewLocalBroker(), gate: make(chan struct{})}
	s := server.New(server.WithBroker(b))
	s.MustAdd(server.TopicSubscription[roomParams, chatMessage]("chat", "room", func(_ context.Context, p roomParams) (string, error) {
		return "room." + p.Room, nil
	}))
	ws := dial(t, serve(t, s), nil)
	if err := ws.WriteMessage(websocket.TextMessage, []byte(`{"jsonrpc":"2.0","id":1,"method":"chat_subscribe","params":["room",{"room":"go"}]}`)); err != nil {
		t.Fatal(err)
	}
	ws.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if _, frame, err := ws.ReadMessage(); err == nil {
		t.Fatalf("answered before the broker subscription was made: %s", frame)
	}
	// A read that timed out leaves gorilla's connection unusable: dial again.
	close(b.gate)
	ws = dial(t, serve(t, s), nil)
	id := subscribeID(t, ws, `{"jsonrpc":"2.0","id":1,"method":"chat_subscribe","params":["room",{"room":"go"}]}`)
	if err := s.Publish(t.Context(), "room.go", chatMessage{From: "s", Text: "first"}); err != nil {
		t.Fatal(err)
	}
	if n := decodeNote(t, recv(t, ws)); n.Params.Subscription != id || string(n.Params.Result) != `{"from":"s","text":"first"}` {
		t.Fatalf("%+v", n)
	}
}

// failingBroker refuses every subscription.
type failingBroker struct{ server.Broker }

func (failingBroker) Subscribe(string, func([]byte)) (func(), error) {
	return nil, errors.New("broker unreachable")
}

// A TopicSubscription whose broker cannot subscribe fails the subscribe
// call (an internal error, its text logged, not sent) and leaves nothing
// open.
func TestTopicSubscription_brokerFailure(t *testing.T) {
	leakcheck.Check(t)
	s := server.New(server.WithBroker(failingBroker{server.NewLocalBroker()}))
	s.MustAdd(server.TopicSubscription[roomParams, chatMessage]("chat", "room", func(_ context.Context, p roomParams) (string, error) {
		return "room." + p.Room, nil
	}))
	ws := dial(t, serve(t, s), nil)
	got := roundTrip(t, ws, `{"jsonrpc":"2.0","id":1,"method":"chat_subscribe","params":["room",{"room":"go"}]}`)
	if got != `{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error"}}` {
		t.Fatalf("subscribe through a failing broker: %s", got)
	}
	pollUntil(t, func() bool { return s.Subscriptions() == 0 })
	if n := s.Followers("room.go"); n != 0 {
		t.Fatalf("%d followers after the failed subscribe", n)
	}
}
