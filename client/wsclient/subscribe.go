package wsclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/internal/fastdecode"
	"github.com/schemarpc/schemarpc/internal/wspeer"
)

// DefaultSubscriptionBuffer is how many events of one subscription may wait
// in [Subscription.Events] before the subscription ends with
// [ErrSubscriptionOverflow].
const DefaultSubscriptionBuffer = 1024

// ErrSubscriptionOverflow ends a subscription whose events were not taken
// from [Subscription.Events] fast enough: more than the buffer waited. The
// client unsubscribes; the events that did not fit are lost.
var ErrSubscriptionOverflow = errors.New("wsclient: subscription buffer full: events not read fast enough")

// unsubscribeTimeout bounds the unsubscribe call of Subscription.Unsubscribe.
const unsubscribeTimeout = 5 * time.Second

// Subscription is a subscription made with [Subscribe]: its events arrive
// on the channel Events returns, in the order the server sent them. Its
// methods are safe for concurrent use.
type Subscription[E any] struct {
	core   *clientSub
	events chan E
}

// ID returns the subscription id the server answered.
func (s *Subscription[E]) ID() string { return s.core.id }

// Events returns the channel of events. It is closed when the subscription
// ends; Err then tells why.
func (s *Subscription[E]) Events() <-chan E { return s.events }

// Err returns why the subscription ended: nil while it runs, after
// Unsubscribe, or when the server ended it without an error (its producer
// was done); the *schemarpc.Error the server ended it with; an error
// matching [client.ErrTransport] and [schemarpc.ErrConnClosed] when the
// connection was lost; [ErrSubscriptionOverflow]; or the error decoding an
// event into E.
func (s *Subscription[E]) Err() error {
	s.core.mu.Lock()
	defer s.core.mu.Unlock()
	return s.core.err
}

// Unsubscribe ends the subscription: no event is delivered after it
// returns, and Events is closed. It tells the server with
// "<namespace>_unsubscribe" (waiting up to 5 seconds for its answer) unless
// the subscription had already ended, and returns the error of that call.
// It is idempotent.
func (s *Subscription[E]) Unsubscribe() error {
	if !s.core.end(nil) {
		return nil
	}
	return s.core.unsubscribe()
}

// clientSub is the untyped part of a subscription, known to the router.
type clientSub struct {
	c         *Client
	peer      *wspeer.Peer
	namespace string
	id        string
	deliver   func(raw json.RawMessage) error // decodes and queues; under mu
	closeCh   func()                          // closes the events channel; under mu

	mu    sync.Mutex
	ended bool
	err   error
}

// end ends the subscription with err, once; it reports whether it did.
func (cs *clientSub) end(err error) bool {
	if !cs.finish(err) {
		return false
	}
	cs.c.subs.forget(cs)
	return true
}

// finish is end without forgetting cs in the table.
func (cs *clientSub) finish(err error) bool {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.ended {
		return false
	}
	cs.ended, cs.err = true, err
	cs.closeCh()
	return true
}

func (cs *clientSub) unsubscribe() error {
	ctx, cancel := context.WithTimeout(context.Background(), unsubscribeTimeout)
	defer cancel()
	params, err := json.Marshal([]string{cs.id})
	if err != nil {
		return err
	}
	resp, err := cs.peer.Call(ctx, &schemarpc.Request{ID: cs.c.subs.nextID(), Method: cs.namespace + "_unsubscribe", Params: params})
	if err != nil {
		return wsError(ctx, err)
	}
	if resp.Error != nil {
		return resp.Error
	}
	return nil
}

// Subscribe subscribes to the subscription name of namespace on the
// go-ethereum wire form: it calls "<namespace>_subscribe" with params
// [name, args...] (a params struct or map as the single arg sends the
// params by name) and returns the subscription, whose events (the "result"
// of the notifications "<namespace>_subscription" that carry its id) are
// decoded into E with the client's codec. It fails with the server's error
// (for example -32602 for invalid args).
//
// The subscription ends when Unsubscribe is called, when the server ends it
// (notification "<namespace>_subscriptionEnd", sent by schemarpc servers),
// when the connection is lost (it is not renewed by [WithReconnect]:
// subscribe again), or when events are not taken fast enough (see
// [ErrSubscriptionOverflow]). Events of a connection are delivered one at a
// time in order with its other notifications (see
// [WithNotificationHandler]).
func Subscribe[E any](ctx context.Context, c *Client, namespace, name string, args ...any) (*Subscription[E], error) {
	params, err := json.Marshal(append([]any{name}, args...))
	if err != nil {
		return nil, fmt.Errorf("wsclient: encoding subscribe params: %w", err)
	}
	p, err := c.currentPeer(ctx)
	if err != nil {
		return nil, wsError(ctx, err)
	}
	s := &Subscription[E]{events: make(chan E, DefaultSubscriptionBuffer)}
	cs := &clientSub{c: c, peer: p, namespace: namespace}
	s.core = cs
	cs.closeCh = func() { close(s.events) }
	var dec *fastdecode.Decoder[E]
	_, std := c.cfg.Codec.(schemarpc.JSONCodec)
	if std {
		dec = fastdecode.For[E]() // decodes as encoding/json does, faster
	}
	cs.deliver = func(raw json.RawMessage) error {
		var e E
		var err error
		if std {
			err = dec.Unmarshal(raw, &e, json.Unmarshal)
		} else {
			err = c.cfg.Codec.Unmarshal(raw, &e)
		}
		if err != nil {
			return fmt.Errorf("wsclient: decoding an event of subscription %s: %w", cs.id, err)
		}
		select {
		case s.events <- e:
			return nil
		default:
			return ErrSubscriptionOverflow
		}
	}
	c.subs.pending.Add(1)
	defer c.subs.pending.Add(-1)
	resp, err := subscribeCall(ctx, p, &schemarpc.Request{ID: c.subs.nextID(), Method: namespace + "_subscribe", Params: params}, cs)
	if err != nil {
		return nil, wsError(ctx, err)
	}
	if resp.Error != nil {
		return nil, resp.Error
	}
	if err := json.Unmarshal(resp.Result, &cs.id); err != nil || cs.id == "" {
		return nil, fmt.Errorf("%w: %s_subscribe answered %s, not a subscription id", client.ErrInvalidResponse, namespace, resp.Result)
	}
	c.subs.add(cs)
	select {
	case <-p.Done():
		// The connection ended before the subscription was known: the
		// sweep may have missed it.
		cs.end(fmt.Errorf("%w: %w", client.ErrTransport, p.Err()))
	default:
	}
	return s, nil
}

// subscribeCall sends the subscribe request and waits for its answer or
// the end of ctx. The call itself does not end with ctx: when ctx ends
// first, the server may still start the subscription, so the answer is
// awaited in the background (until the connection ends at the latest) and a
// subscription it names is unsubscribed at once, instead of streaming
// events to nobody until the connection closes.
func subscribeCall(ctx context.Context, p *wspeer.Peer, req *schemarpc.Request, cs *clientSub) (*schemarpc.Response, error) {
	type answer struct {
		resp *schemarpc.Response
		err  error
	}
	ch := make(chan answer, 1)
	go func() {
		resp, err := p.Call(context.WithoutCancel(ctx), req)
		ch <- answer{resp, err}
	}()
	select {
	case a := <-ch:
		return a.resp, a.err
	case <-ctx.Done():
		go func() {
			a := <-ch
			if a.err != nil || a.resp.Error != nil || json.Unmarshal(a.resp.Result, &cs.id) != nil || cs.id == "" {
				return
			}
			cs.unsubscribe() // best effort: its error has no one to go to
		}()
		return nil, ctx.Err()
	}
}

// subTable routes the subscription notifications of a client.
type subTable struct {
	ids     atomic.Int64
	pending atomic.Int64 // subscribe calls waiting for their answer

	mu    sync.Mutex
	byID  map[string]*clientSub
	early map[string][]subNote // notifications that overtook their subscribe answer
}

// maxEarly bounds the notifications kept for subscriptions not known yet.
const maxEarly = DefaultSubscriptionBuffer

// subNote is a decoded subscription notification.
type subNote struct {
	end    bool
	result json.RawMessage
	err    *schemarpc.Error
}

func (t *subTable) nextID() schemarpc.ID {
	return schemarpc.StringID("subscription-" + strconv.FormatInt(t.ids.Add(1), 10))
}

// add registers cs and delivers the notifications that arrived before it
// was known.
func (t *subTable) add(cs *clientSub) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byID == nil {
		t.byID = make(map[string]*clientSub)
	}
	t.byID[cs.id] = cs
	notes := t.early[cs.id]
	delete(t.early, cs.id)
	for _, n := range notes {
		if !t.apply(cs, n) {
			break
		}
	}
}

func (t *subTable) forget(cs *clientSub) {
	t.mu.Lock()
	if t.byID[cs.id] == cs {
		delete(t.byID, cs.id)
	}
	t.mu.Unlock()
}

// apply delivers one notification to cs (t.mu held); it reports whether
// the subscription goes on.
func (t *subTable) apply(cs *clientSub, n subNote) bool {
	if n.end {
		var err error
		if n.err != nil {
			err = n.err
		}
		cs.finish(err)
		delete(t.byID, cs.id)
		return false
	}
	cs.mu.Lock()
	if cs.ended {
		cs.mu.Unlock()
		return false
	}
	err := cs.deliver(n.result)
	cs.mu.Unlock()
	if err != nil {
		if cs.finish(err) {
			delete(t.byID, cs.id)
			go cs.unsubscribe() // bounded by unsubscribeTimeout and by the connection
		}
		return false
	}
	return true
}

// route takes the subscription notifications out of msgs and delivers
// them; notifications for ids it does not know pass through, unless a
// subscribe call is waiting for its answer (they are kept for it).
func (t *subTable) route(msgs []schemarpc.Message) []schemarpc.Message {
	rest := msgs[:0:0]
	taken := false
	for i := range msgs {
		if t.routeOne(msgs[i].Request) {
			taken = true
			continue
		}
		rest = append(rest, msgs[i])
	}
	if !taken {
		return msgs
	}
	return rest
}

func (t *subTable) routeOne(r *schemarpc.Request) bool {
	if r == nil || !r.IsNotification() {
		return false
	}
	end := strings.HasSuffix(r.Method, "_subscriptionEnd")
	if !end && !strings.HasSuffix(r.Method, "_subscription") {
		return false
	}
	var p struct {
		Subscription string           `json:"subscription"`
		Result       json.RawMessage  `json:"result"`
		Error        *schemarpc.Error `json:"error"`
	}
	if json.Unmarshal(r.Params, &p) != nil || p.Subscription == "" {
		return false
	}
	// The params are valid only while the frame is handled: keep a copy.
	n := subNote{end: end, result: append(json.RawMessage(nil), p.Result...), err: p.Error}
	t.mu.Lock()
	defer t.mu.Unlock()
	if cs := t.byID[p.Subscription]; cs != nil {
		if ns, _, _ := strings.Cut(r.Method, "_subscription"); ns == cs.namespace {
			t.apply(cs, n)
			return true
		}
		return false
	}
	if t.pending.Load() > 0 && len(t.early[p.Subscription]) < maxEarly {
		if t.early == nil {
			t.early = make(map[string][]subNote)
		}
		t.early[p.Subscription] = append(t.early[p.Subscription], n)
		return true
	}
	return false
}

// dropPeer ends the subscriptions made on p, whose connection has ended,
// and forgets the notifications kept for subscriptions never known.
func (t *subTable) dropPeer(p *wspeer.Peer) {
	t.mu.Lock()
	var gone []*clientSub
	for _, cs := range t.byID {
		if cs.peer == p {
			gone = append(gone, cs)
		}
	}
	if t.pending.Load() == 0 {
		t.early = nil
	}
	t.mu.Unlock()
	err := fmt.Errorf("%w: %w: %w", client.ErrTransport, schemarpc.ErrConnClosed, p.Err())
	for _, cs := range gone {
		cs.end(err)
	}
}
