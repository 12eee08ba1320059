package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// Broker carries the events published to topics between the nodes of a
// service, so that an event published on one node reaches the
// subscriptions that follow its topic on every node (see [Sink.Follow] and
// [Server.Publish]). A server holds at most one broker subscription per
// topic, shared by all its local subscribers. The default is a
// [LocalBroker] of the server's own; package
// github.com/schemarpc/schemarpc/natsbroker (a module of its own) carries
// events through NATS. Implementations must be safe for concurrent use.
type Broker interface {
	// Publish sends data (an encoded event, which must not be modified
	// afterwards) to the subscribers of topic. It may return before they
	// receive it.
	Publish(ctx context.Context, topic string, data []byte) error
	// Subscribe calls deliver with the data of each message published to
	// topic from now on, one call at a time and, for each publisher, in the
	// order of publication, until unsubscribe is called. deliver does not
	// block, and only reads data: the server hands the same bytes to
	// every local subscriber.
	Subscribe(topic string, deliver func(data []byte)) (unsubscribe func(), err error)
}

// WithBroker sets the broker through which [Server.Publish] sends events
// and [Sink.Follow] receives them. The default (and nil) is a
// [LocalBroker] of the server's own: events reach the subscriptions of this
// server only.
func WithBroker(b Broker) Option {
	return optionFunc(func(c *config) { c.broker = b })
}

// ErrEmptyTopic is returned for a topic that is the empty string.
var ErrEmptyTopic = errors.New("server: empty topic")

// Publish encodes event with the server's codec and publishes it to topic
// through the server's broker (see [WithBroker]): every subscription
// following topic on this node, and with a shared broker on every node,
// receives it. Delivery is at most once: see the Broker for its guarantees
// (an in-process [LocalBroker] delivers to every subscriber before Publish
// returns; a subscriber whose buffer is full ends, see
// [SubscriptionBuffer]). It is safe for concurrent use.
func (s *Server) Publish(ctx context.Context, topic string, event any) error {
	if topic == "" {
		return ErrEmptyTopic
	}
	raw, err := s.encodeResult(event)
	if err != nil {
		return fmt.Errorf("server: encoding event: %w", err)
	}
	if len(raw) == 0 {
		raw = []byte("null")
	}
	return s.broker().Publish(ctx, topic, raw)
}

func (s *Server) broker() Broker {
	if s.cfg.broker != nil {
		return s.cfg.broker
	}
	s.topics.localOnce.Do(func() { s.topics.local = NewLocalBroker() })
	return s.topics.local
}

// topicTable holds a server's broker subscriptions: one per topic, counted
// by the local subscriptions that follow it.
type topicTable struct {
	localOnce sync.Once
	local     *LocalBroker

	mu     sync.Mutex
	topics map[string]*topicEntry
}

type topicEntry struct {
	mu    sync.Mutex // guards subs; deliver takes it to copy the list
	subs  []*activeSub
	unsub func()
}

func (e *topicEntry) deliver(data []byte) {
	e.mu.Lock()
	subs := e.subs
	e.mu.Unlock()
	for _, a := range subs {
		a.push(data) // never blocks; a full buffer ends that subscription only
	}
}

// join makes a follow topic, subscribing to the broker when it is the
// topic's first follower on this server. leave undoes it, unsubscribing
// with the last follower.
func (t *topicTable) join(topic string, a *activeSub) (leave func(), err error) {
	if topic == "" {
		return nil, ErrEmptyTopic
	}
	s := a.srv
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.topics[topic]
	if e == nil {
		e = &topicEntry{}
		unsub, err := s.broker().Subscribe(topic, e.deliver)
		if err != nil {
			return nil, fmt.Errorf("server: subscribing to topic %q: %w", topic, err)
		}
		e.unsub = unsub
		if t.topics == nil {
			t.topics = make(map[string]*topicEntry)
		}
		t.topics[topic] = e
	}
	e.mu.Lock()
	e.subs = append(slices.Clip(e.subs), a) // copy on write: deliver holds old lists
	e.mu.Unlock()
	return func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		e.mu.Lock()
		e.subs = slices.DeleteFunc(slices.Clone(e.subs), func(x *activeSub) bool { return x == a })
		last := len(e.subs) == 0
		e.mu.Unlock()
		if last && t.topics[topic] == e {
			delete(t.topics, topic)
			e.unsub()
		}
	}, nil
}

// Topics returns the topics this server holds a broker subscription for,
// sorted.
func (s *Server) Topics() []string {
	s.topics.mu.Lock()
	defer s.topics.mu.Unlock()
	out := make([]string, 0, len(s.topics.topics))
	for k := range s.topics.topics {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Followers returns how many subscriptions of this server follow topic
// (see [Sink.Follow]).
func (s *Server) Followers(topic string) int {
	s.topics.mu.Lock()
	e := s.topics.topics[topic]
	s.topics.mu.Unlock()
	if e == nil {
		return 0
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.subs)
}

// LocalBroker is a [Broker] within one process: Publish hands the data to
// every subscriber of the topic before it returns. Several servers of one
// process may share one. Its methods are safe for concurrent use.
type LocalBroker struct {
	mu     sync.RWMutex
	topics map[string][]*localSub
}

type localSub struct{ deliver func([]byte) }

// NewLocalBroker returns an empty LocalBroker.
func NewLocalBroker() *LocalBroker { return &LocalBroker{topics: make(map[string][]*localSub)} }

// Publish delivers data to the current subscribers of topic, in the order
// they subscribed. Publishes from one goroutine are delivered in order; the
// calls of concurrent publishers to one deliver function are serialised
// per topic.
func (b *LocalBroker) Publish(ctx context.Context, topic string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.mu.RLock()
	subs := b.topics[topic]
	b.mu.RUnlock()
	for _, sub := range subs {
		sub.deliver(data)
	}
	return nil
}

// Subscribe adds deliver to the subscribers of topic.
func (b *LocalBroker) Subscribe(topic string, deliver func([]byte)) (func(), error) {
	sub := &localSub{deliver: serialised(deliver)}
	b.mu.Lock()
	b.topics[topic] = append(slices.Clip(b.topics[topic]), sub)
	b.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			rest := slices.DeleteFunc(slices.Clone(b.topics[topic]), func(x *localSub) bool { return x == sub })
			if len(rest) == 0 {
				delete(b.topics, topic)
			} else {
				b.topics[topic] = rest
			}
		})
	}, nil
}

// serialised makes deliver take calls one at a time, as Broker requires.
func serialised(deliver func([]byte)) func([]byte) {
	var mu sync.Mutex
	return func(data []byte) {
		mu.Lock()
		defer mu.Unlock()
		deliver(data)
	}
}
