package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/invopop/jsonschema"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/validate"
)

// DefaultSubscriptionBuffer is how many events of one subscription may wait
// to be written to a slow client before the subscription ends with
// [ErrSubscriberTooSlow] (see [SubscriptionBuffer]).
const DefaultSubscriptionBuffer = 256

// ErrSubscriberTooSlow is the error a subscription ends with when its
// client does not read its events as fast as they are produced: more than
// the subscription's buffer (see [SubscriptionBuffer]) waited to be
// written. The client receives it in the end notification and may
// subscribe again; the events that waited are not sent.
var ErrSubscriberTooSlow = schemarpc.NewError(schemarpc.CodeOverloaded, "subscriber too slow: event buffer full")

// ErrSubscriptionEnded is returned by [Sink.Send] once the subscription has
// ended (unsubscribed, connection closed, server shut down, buffer full).
var ErrSubscriptionEnded = errors.New("server: subscription ended")

// errShuttingDown ends the subscriptions still open when the server shuts
// down.
var errShuttingDown = schemarpc.NewError(schemarpc.CodeOverloaded, "server is shutting down")

// errNeedsWebSocket answers a subscribe or unsubscribe made over HTTP.
var errNeedsWebSocket = schemarpc.NewError(schemarpc.CodeMethodNotFound,
	"subscriptions need a WebSocket connection: there is no channel to push events on over HTTP")

// subDecl is what [Subscription] declares, beside the Method's metadata.
type subDecl struct {
	namespace, name string
	paramsType      reflect.Type
	eventType       reflect.Type
	buffer          int
	// start decodes params and runs the producer; it returns when the
	// producer does.
	start func(ctx context.Context, codec schemarpc.Codec, params json.RawMessage, a *activeSub) error
}

// Subscription declares a subscription named name in namespace, on the
// go-ethereum wire form: a client calls "<namespace>_subscribe" with params
// ["<name>", args...] and gets a subscription id (a string); events arrive
// as notifications "<namespace>_subscription" with params
// {"subscription": id, "result": event}; "<namespace>_unsubscribe" with
// params [id] ends it and answers true (false for an id unknown on that
// connection). Subscriptions need a WebSocket connection: over HTTP,
// subscribe and unsubscribe answer -32601 with an explanation.
//
// The args after the name are P's params: either one object, by name
// (["ticker", {"count": 3}]), or positional values mapped onto P's fields
// in order (["ticker", 3, 100]), as for a method built with [Func]. They are
// validated against P's schema before fn runs (-32602 with the violations
// in error.data otherwise); P must be a struct (struct{} for none).
//
// fn runs on its own goroutine once the subscription is registered, and
// sends events with [Sink.Send]; its ctx ends when the subscription ends
// for any reason other than fn returning: the client unsubscribes, the
// connection closes, the server shuts down, or the client reads too slowly
// (see [SubscriptionBuffer]). No event is written before the answer that
// carries the subscription id. When fn returns, the events it sent are
// written, then the client is told the subscription is over with a
// notification "<namespace>_subscriptionEnd" with params
// {"subscription": id}, plus "error" (an error object, as in a response)
// when fn returned an error or the buffer overflowed. The end notification
// is an extension: go-ethereum's client ignores it, this module's client
// ends the subscription with it. Errors from fn are turned into error
// objects as handler errors are (a *schemarpc.Error as is; other errors as
// -32603, logged).
//
// The OpenRPC document lists "<namespace>_subscribe", with the subscriptions
// of the namespace, their params and event schemas in the extension
// "x-subscriptions" (see the package documentation), and
// "<namespace>_unsubscribe". Summary, Description, Deprecated and Tags
// describe the subscription there. Register it with [Server.Add] like any
// method; adding a second subscription of the same name in a namespace
// fails with [ErrMethodExists] ([Server.Replace] replaces it, for new
// subscribers), and so does a namespace whose "_subscribe" or
// "_unsubscribe" name is taken by a method.
func Subscription[P, E any](namespace, name string, fn func(ctx context.Context, params P, sink *Sink[E]) error, opts ...MethodOption) *Method {
	m := newMethod(namespace+"_subscribe", kindStruct, opts)
	d := &subDecl{
		namespace:  namespace,
		name:       name,
		paramsType: reflect.TypeFor[P](),
		eventType:  reflect.TypeFor[E](),
		buffer:     m.subBuffer,
	}
	if d.buffer <= 0 {
		d.buffer = DefaultSubscriptionBuffer
	}
	m.sub = d
	m.paramsType = d.paramsType
	m.resultType = reflect.TypeFor[string]()
	switch t := d.paramsType; {
	case namespace == "" || name == "":
		m.err = fmt.Errorf("server: subscription %q in namespace %q: both names must be non-empty", name, namespace)
	case strings.HasPrefix(namespace, "rpc."):
		m.err = fmt.Errorf("server: subscription namespace %q: the prefix \"rpc.\" is reserved", namespace)
	case t.Kind() != reflect.Struct && (t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct):
		m.err = fmt.Errorf("server: subscription %s/%s: params type %s is not a struct", namespace, name, t)
	case fn == nil:
		m.err = fmt.Errorf("server: subscription %s/%s: Subscription was given a nil function", namespace, name)
	}
	d.start = func(ctx context.Context, codec schemarpc.Codec, params json.RawMessage, a *activeSub) error {
		var p P
		if err := codec.Unmarshal(params, &p); err != nil {
			return invalidParams(err)
		}
		a.started()
		return fn(ctx, p, &Sink[E]{a: a})
	}
	return m
}

// TopicSubscription declares a subscription, as [Subscription] does, whose
// events are those published to a topic (by [Server.Publish] on this node
// or, through a shared [Broker], on any node), from the moment the client
// has its id: the subscription joins the topic that topic returns for its
// params before the subscribe call is answered, so an event published
// right after the answer reaches it. (A [Subscription] whose producer calls
// [Sink.Follow] joins when the producer runs, which may be after the
// answer.) An error from topic fails the subscribe call, as params that do
// not decode do. Events are relayed as published, without decoding:
// publishers of the topic must publish values of type E. The subscription
// ends when the client unsubscribes, the connection closes or the server
// shuts down.
func TopicSubscription[P, E any](namespace, name string, topic func(ctx context.Context, params P) (string, error), opts ...MethodOption) *Method {
	m := Subscription(namespace, name, func(context.Context, P, *Sink[E]) error { return nil }, opts...)
	if topic == nil && m.err == nil {
		m.err = fmt.Errorf("server: subscription %s/%s: TopicSubscription was given a nil function", namespace, name)
	}
	m.sub.start = func(ctx context.Context, codec schemarpc.Codec, params json.RawMessage, a *activeSub) error {
		var p P
		if err := codec.Unmarshal(params, &p); err != nil {
			return invalidParams(err)
		}
		t, err := topic(ctx, p)
		if err != nil {
			return err
		}
		leave, err := a.srv.topics.join(t, a)
		if err != nil {
			return err
		}
		defer leave()
		a.started() // the answer goes out once the topic is joined
		<-ctx.Done()
		return nil
	}
	return m
}

// SubscriptionBuffer sets how many events of one subscriber may wait to
// be written (n <= 0 means [DefaultSubscriptionBuffer]). It applies to
// [Subscription] and [TopicSubscription] only.
//
// The policy for a slow subscriber is to close with an error, not to drop
// events silently: when an event finds the buffer full, the subscription
// ends, the events waiting are discarded, and the client is sent an end
// notification carrying [ErrSubscriberTooSlow] (code -32097), so that it
// knows it missed events and can subscribe again. A subscriber that keeps
// up never loses an event this way, and one that cannot never makes the
// server buffer without bound or slows down the producer and the other
// subscribers of a topic.
func SubscriptionBuffer(n int) MethodOption { return func(m *Method) { m.subBuffer = n } }

// Sink is where a subscription's producer sends its events. Its methods are
// safe for concurrent use.
type Sink[E any] struct{ a *activeSub }

// ID returns the subscription id the client was given.
func (k *Sink[E]) ID() string { return k.a.id }

// Send encodes event with the server's codec and queues it for the client;
// it does not wait for the write. It returns [ErrSubscriptionEnded] once the
// subscription has ended, [ErrSubscriberTooSlow] when the buffer was full
// (the subscription then ends), or the encoding error.
func (k *Sink[E]) Send(event E) error {
	raw, err := k.a.srv.encodeResult(event)
	if err != nil {
		return fmt.Errorf("server: encoding event: %w", err)
	}
	return k.a.push(raw)
}

// Follow relays to the client every event published to topic (by
// [Server.Publish] on this node or, through a shared [Broker], on any node)
// until ctx ends, then returns nil. Events published before the call are
// not relayed, and the producer may run after the client got its
// subscription id: to follow a topic from the answer on, declare the
// subscription with [TopicSubscription]. The events are sent as they were
// published, without decoding: publishers of topic must publish values of
// the subscription's event type. It returns an error when the broker cannot
// subscribe to the topic. A producer that only relays a topic is
//
//	func(ctx context.Context, _ struct{}, sink *server.Sink[Message]) error {
//		return sink.Follow(ctx, "messages")
//	}
func (k *Sink[E]) Follow(ctx context.Context, topic string) error {
	leave, err := k.a.srv.topics.join(topic, k.a)
	if err != nil {
		return err
	}
	defer leave()
	<-ctx.Done()
	return nil
}

// compiledSub is a subscription as registered on one server.
type compiledSub struct {
	*Method
	shape     validate.Params
	validator *validate.Validator
	doc       map[string]any // its entry in x-subscriptions
}

// subNamespace is the registered "<ns>_subscribe" method of a namespace:
// its subscriptions by name (an immutable map, replaced on change).
type subNamespace struct {
	namespace string
	subs      map[string]*compiledSub
}

// registerSubscription adds the subscription m to next (the registry being
// built), creating or updating the namespace's subscribe and unsubscribe
// methods. It runs with regMu held.
func (s *Server) registerSubscription(next map[string]*registered, m *Method, replace bool) error {
	d := m.sub
	subName, unsubName := d.namespace+"_subscribe", d.namespace+"_unsubscribe"
	var subs map[string]*compiledSub
	if prev := next[subName]; prev != nil {
		if prev.subs == nil {
			return fmt.Errorf("%w: %q (a method, not the subscriptions of namespace %q)", ErrMethodExists, subName, d.namespace)
		}
		if prev.subs.subs[d.name] != nil && !replace {
			return fmt.Errorf("%w: subscription %q in namespace %q", ErrMethodExists, d.name, d.namespace)
		}
		subs = maps.Clone(prev.subs.subs)
	} else {
		subs = make(map[string]*compiledSub)
	}
	if prev := next[unsubName]; prev != nil && !prev.unsubscribe {
		return fmt.Errorf("%w: %q (a method, not the unsubscribe of namespace %q)", ErrMethodExists, unsubName, d.namespace)
	}
	cs, err := s.compileSubscription(m)
	if err != nil {
		return err
	}
	subs[d.name] = cs
	ns := &subNamespace{namespace: d.namespace, subs: subs}
	next[subName] = &registered{
		Method: &Method{name: subName, kind: kindRaw},
		shape:  validate.Params{Method: subName, Shape: validate.AnyParams},
		subs:   ns,
		doc:    subscribeDoc(ns),
	}
	if next[unsubName] == nil {
		u, err := s.compile(Func(unsubName, func(ctx context.Context, p unsubscribeParams) (bool, error) {
			return s.unsubscribe(ctx, d.namespace, p.ID)
		}, Summary("Ends a subscription of namespace "+d.namespace+" made on this connection"),
			Description("Answers true when the subscription was open on this connection (no event of it follows the answer), false otherwise."),
			ResultName("ended")))
		if err != nil {
			return err
		}
		u.unsubscribe = true
		next[unsubName] = u
	}
	s.subs.declared.Store(true)
	return nil
}

// unsubscribeParams are the params of "<ns>_unsubscribe".
type unsubscribeParams struct {
	ID string `json:"id" jsonschema:"description=The subscription id the subscribe call answered"`
}

// compileSubscription reflects a subscription's params and event schemas
// and compiles its params validator, as compile does for a method.
func (s *Server) compileSubscription(m *Method) (*compiledSub, error) {
	d := m.sub
	where := fmt.Sprintf("subscription %s/%s", d.namespace, d.name)
	cds, err := s.reflector.Params(d.paramsType)
	if err != nil {
		return nil, fmt.Errorf("server: %s: %w", where, err)
	}
	cds, byName := requiredFirst(cds)
	names := make([]string, len(cds))
	for i, cd := range cds {
		names[i] = cd.Name
	}
	ev, err := s.reflector.Schema(d.eventType)
	if err != nil {
		return nil, fmt.Errorf("server: %s: event: %w", where, err)
	}
	raw, err := json.Marshal(validate.ParamsSchema(validate.Named, descriptorParams(cds)))
	if err != nil {
		return nil, fmt.Errorf("server: %s: %w", where, err)
	}
	var comps []byte
	if c := s.reflector.Components(); c != nil {
		if comps, err = json.Marshal(c.Schemas); err != nil {
			return nil, fmt.Errorf("server: %s: %w", where, err)
		}
	}
	v, err := validate.Compile(raw, validate.WithComponents(comps))
	if err != nil {
		return nil, fmt.Errorf("server: %s: compiling params schema: %w", where, err)
	}
	doc := map[string]any{
		"name":         d.name,
		"params":       cds,
		"event":        &schema.ContentDescriptor{Name: "event", Schema: ev},
		"notification": d.namespace + "_subscription",
		"end":          d.namespace + "_subscriptionEnd",
	}
	if byName {
		doc["paramStructure"] = schema.ParamStructureByName
	}
	for k, v := range map[string]string{"summary": m.summary, "description": m.description} {
		if v != "" {
			doc[k] = v
		}
	}
	if m.deprecated {
		doc["deprecated"] = true
	}
	if len(m.tags) > 0 {
		doc["tags"] = m.tags
	}
	return &compiledSub{
		Method:    m,
		shape:     validate.Params{Method: d.namespace + "_subscribe " + d.name, Shape: validate.Named, Names: names, ByName: byName},
		validator: v,
		doc:       doc,
	}, nil
}

// subscribeDoc is the OpenRPC method object of a namespace's subscribe
// method: the subscription name, the params of the chosen subscription, a
// string id; and every subscription's params and event schema in the
// extension x-subscriptions.
func subscribeDoc(ns *subNamespace) *schema.Method {
	names := slices.Sorted(maps.Keys(ns.subs))
	enum := make([]any, len(names))
	list := make([]map[string]any, len(names))
	for i, n := range names {
		enum[i] = n
		list[i] = ns.subs[n].doc
	}
	return &schema.Method{
		Name:           ns.namespace + "_subscribe",
		Summary:        "Subscribes to events of namespace " + ns.namespace + " (WebSocket only)",
		Description:    "Answers a subscription id; events follow as notifications " + ns.namespace + "_subscription with params {\"subscription\": id, \"result\": event}, and " + ns.namespace + "_subscriptionEnd {\"subscription\": id, \"error\"?} when the subscription ends on the server's side. The params and event schema of each subscription are in x-subscriptions. Over HTTP the call fails.",
		ParamStructure: "by-position",
		Params: []*schema.ContentDescriptor{
			{Name: "subscription", Required: true, Description: "The name of the subscription.",
				Schema: &jsonschema.Schema{Type: "string", Enum: enum}},
			{Name: "params", Description: "The params of the chosen subscription, by name (see x-subscriptions); they may instead follow the name as positional values.",
				Schema: &jsonschema.Schema{Type: "object"}},
		},
		Result:     &schema.ContentDescriptor{Name: "id", Schema: &jsonschema.Schema{Type: "string"}},
		Extensions: map[string]any{"x-subscriptions": list},
	}
}

// serveSubscribe answers "<ns>_subscribe": it picks the subscription,
// validates its params, starts it and answers its id. Its events wait until
// the answer is written (see holdFromContext).
func (s *Server) serveSubscribe(ctx context.Context, req *schemarpc.Request, r *registered) (any, error) {
	conn := ConnFromContext(ctx)
	if conn == nil {
		return nil, errNeedsWebSocket
	}
	if req.IsNotification() {
		// Nobody could learn the id, nor unsubscribe.
		return nil, schemarpc.ErrInvalidRequest.WithData("a subscribe must be a call with an id, not a notification")
	}
	var args []json.RawMessage
	if req.Params == nil || req.Params[0] != '[' || json.Unmarshal(req.Params, &args) != nil || len(args) == 0 {
		return nil, schemarpc.ErrInvalidParams.WithData([]validate.Violation{{Keyword: "type",
			Message: req.Method + " takes an array: the subscription name, then its params"}})
	}
	var name string
	if err := json.Unmarshal(args[0], &name); err != nil {
		return nil, schemarpc.ErrInvalidParams.WithData([]validate.Violation{{Pointer: "/0", Keyword: "type",
			Message: "the first param must be the subscription name, a string"}})
	}
	cs := r.subs.subs[name]
	if cs == nil {
		return nil, schemarpc.ErrInvalidParams.WithData([]validate.Violation{{Pointer: "/0", Keyword: "enum",
			Message: fmt.Sprintf("no subscription %s in namespace %s; known: %s", quote(name), r.subs.namespace,
				strings.Join(slices.Sorted(maps.Keys(r.subs.subs)), ", "))}})
	}
	var params json.RawMessage
	switch rest := args[1:]; {
	case len(rest) == 0:
	case len(rest) == 1 && len(rest[0]) > 0 && rest[0][0] == '{':
		params = rest[0]
	default:
		params, _ = json.Marshal(rest)
	}
	params, perr := cs.shape.Normalize(params)
	if perr != nil {
		return nil, schemarpc.ErrInvalidParams.WithData(perr.Violations)
	}
	if s.cfg.validation {
		if err := cs.validator.ValidateJSON(params); err != nil {
			var verr *validate.Error
			if errors.As(err, &verr) {
				return nil, schemarpc.ErrInvalidParams.WithData(verr.Violations)
			}
			return nil, schemarpc.ErrInvalidParams.WithData([]validate.Violation{{Keyword: "complexity", Message: err.Error()}})
		}
	}
	return s.startSubscription(ctx, conn, cs, params)
}

// subscriptions are a server's open subscriptions.
type subscriptions struct {
	declared atomic.Bool // a subscription was registered: frames hold events
	mu       sync.Mutex
	byID     map[string]*activeSub
	closing  bool
	wg       sync.WaitGroup // producers and writers
}

// activeSub is one open subscription.
type activeSub struct {
	srv    *Server
	id     string
	conn   *Conn
	method string // the notification method
	end    string // the end notification method
	ctx    context.Context
	cancel context.CancelFunc
	// ready is closed when the producer decoded its params; failed carries
	// the decoding error instead.
	ready    chan struct{}
	failed   chan error
	released chan struct{} // closed once the subscribe answer is written
	done     chan struct{} // closed when the writer has ended

	mu      sync.Mutex
	queue   [][]byte // encoded events waiting to be written
	max     int
	ended   bool
	endErr  *schemarpc.Error // sent in the end notification
	notify  bool             // send an end notification
	flush   bool             // write the queued events first
	stopped atomic.Bool      // no more event may be written
	wake    chan struct{}    // cap 1
}

func newSubID() string {
	var b [16]byte
	rand.Read(b[:])
	return "0x" + hex.EncodeToString(b[:])
}

// startSubscription starts the producer of cs and the writer of its
// events, and returns the id once the params decoded.
func (s *Server) startSubscription(ctx context.Context, conn *Conn, cs *compiledSub, params json.RawMessage) (any, error) {
	d := cs.sub
	// The subscription outlives the call: keep the call's values only.
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a := &activeSub{
		srv: s, id: newSubID(), conn: conn, ctx: sctx, cancel: cancel,
		method:   d.namespace + "_subscription",
		end:      d.namespace + "_subscriptionEnd",
		ready:    make(chan struct{}),
		failed:   make(chan error, 1),
		released: make(chan struct{}),
		done:     make(chan struct{}),
		max:      d.buffer,
		wake:     make(chan struct{}, 1),
	}
	s.subs.mu.Lock()
	if s.subs.closing {
		s.subs.mu.Unlock()
		cancel()
		return nil, errShuttingDown
	}
	if s.subs.byID == nil {
		s.subs.byID = make(map[string]*activeSub)
	}
	s.subs.byID[a.id] = a
	s.subs.wg.Add(2)
	s.subs.mu.Unlock()
	if h := holdFromContext(ctx); h != nil {
		h.add(a)
	} else {
		close(a.released) // not served by a connection's frame handler
	}
	go a.produce(d, params)
	go a.write()
	select {
	case <-a.ready:
		return a.id, nil
	case err := <-a.failed:
		return nil, err
	}
}

// produce runs the producer and ends the subscription when it returns.
func (a *activeSub) produce(d *subDecl, params json.RawMessage) {
	defer a.srv.subs.wg.Done()
	err := d.start(a.ctx, a.srv.cfg.codec, params, a)
	select {
	case <-a.ready:
	default: // params did not decode: the subscribe call fails
		a.stop(false)
		a.failed <- err
		return
	}
	var e *schemarpc.Error
	if err != nil {
		e = a.srv.wireError(a.ctx, &schemarpc.Request{Method: d.namespace + "_subscribe"}, err)
	}
	a.finish(true, true, e)
}

// started is called by the producer once its params decoded.
func (a *activeSub) started() { close(a.ready) }

// push queues an encoded event.
func (a *activeSub) push(raw []byte) error {
	a.mu.Lock()
	if a.ended {
		a.mu.Unlock()
		return ErrSubscriptionEnded
	}
	if len(a.queue) >= a.max {
		a.mu.Unlock()
		a.finish(false, true, ErrSubscriberTooSlow)
		return ErrSubscriberTooSlow
	}
	a.queue = append(a.queue, raw)
	a.mu.Unlock()
	signal(a.wake)
	return nil
}

// finish ends the subscription, once: flush writes the queued events
// first, notify sends an end notification (with e when not nil). It
// cancels the producer's context.
func (a *activeSub) finish(flush, notify bool, e *schemarpc.Error) bool {
	a.mu.Lock()
	if a.ended {
		a.mu.Unlock()
		return false
	}
	a.ended, a.flush, a.notify, a.endErr = true, flush, notify, e
	if !flush {
		a.stopped.Store(true)
		a.queue = nil
	}
	a.mu.Unlock()
	a.cancel()
	signal(a.wake)
	return true
}

// stop ends the subscription without writing anything more, and waits for
// its writer when wait is set. It reports whether it ended it.
func (a *activeSub) stop(wait bool) bool {
	ok := a.finish(false, false, nil)
	if wait {
		<-a.done
	}
	return ok
}

// write is the subscription's writer: it writes the queued events in order,
// once the subscribe answer is out, and the end notification.
func (a *activeSub) write() {
	defer a.srv.subs.wg.Done()
	defer close(a.done)
	defer a.srv.subs.remove(a)
	select {
	case <-a.released:
	case <-a.conn.Done():
		a.finish(false, false, nil)
		return
	}
	for {
		a.mu.Lock()
		batch := a.queue
		a.queue = nil
		ended, notify, e := a.ended, a.notify, a.endErr
		a.mu.Unlock()
		for _, raw := range batch {
			if a.stopped.Load() {
				break
			}
			if a.send(a.method, raw, nil) != nil {
				a.finish(false, false, nil)
				return
			}
		}
		if ended {
			a.mu.Lock()
			more := len(a.queue) > 0 && !a.stopped.Load()
			a.mu.Unlock()
			if more {
				continue
			}
			if notify {
				a.send(a.end, nil, e)
			}
			return
		}
		select {
		case <-a.wake:
		case <-a.conn.Done():
			a.finish(false, false, nil)
			return
		}
	}
}

// send writes one notification of the subscription: an event (raw) or the
// end (e, which may be nil).
func (a *activeSub) send(method string, raw json.RawMessage, e *schemarpc.Error) error {
	params := make([]byte, 0, len(raw)+len(a.id)+40)
	params = append(params, `{"subscription":`...)
	params = append(params, quote(a.id)...)
	switch {
	case method == a.method:
		params = append(params, `,"result":`...)
		if len(raw) == 0 {
			raw = json.RawMessage("null")
		}
		params = append(params, raw...)
	case e != nil:
		eb, err := json.Marshal(e)
		if err != nil {
			return err
		}
		params = append(params, `,"error":`...)
		params = append(params, eb...)
	}
	params = append(params, '}')
	frame, err := (&schemarpc.Request{Method: method, Params: params}).AppendJSON(nil)
	if err != nil {
		return err
	}
	return a.conn.peer.Send(context.Background(), frame)
}

func (t *subscriptions) remove(a *activeSub) {
	t.mu.Lock()
	if t.byID[a.id] == a {
		delete(t.byID, a.id)
	}
	t.mu.Unlock()
}

// unsubscribe ends the subscription id of namespace ns if it was made on
// the connection of ctx, and returns once its writer has stopped: no event
// of it follows the answer.
func (s *Server) unsubscribe(ctx context.Context, ns, id string) (bool, error) {
	conn := ConnFromContext(ctx)
	if conn == nil {
		return false, errNeedsWebSocket
	}
	s.subs.mu.Lock()
	a := s.subs.byID[id]
	s.subs.mu.Unlock()
	if a == nil || a.conn != conn || a.method != ns+"_subscription" {
		return false, nil
	}
	return a.stop(true), nil
}

// Subscriptions returns how many subscriptions are open on the server.
func (s *Server) Subscriptions() int {
	s.subs.mu.Lock()
	defer s.subs.mu.Unlock()
	return len(s.subs.byID)
}

// endSubscriptions ends every open subscription and refuses new ones (the
// server is shutting down). With notify, each client is told with an end
// notification carrying "server is shutting down". It waits for the
// producers and writers until ctx ends.
func (s *Server) endSubscriptions(ctx context.Context, notify bool) error {
	s.subs.mu.Lock()
	s.subs.closing = true
	open := slices.Collect(maps.Values(s.subs.byID))
	s.subs.mu.Unlock()
	for _, a := range open {
		a.finish(false, notify, errShuttingDown)
	}
	done := make(chan struct{})
	go func() {
		s.subs.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// A hold keeps the events of the subscriptions started while a frame is
// served from being written before the frame's answer, which carries their
// ids.
type hold struct {
	mu   sync.Mutex
	subs []*activeSub
	over bool // the answer is out: later subscriptions go at once
}

type holdKey struct{}

func holdFromContext(ctx context.Context) *hold {
	h, _ := ctx.Value(holdKey{}).(*hold)
	return h
}

func (h *hold) add(a *activeSub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.over {
		// A subscribe still running after its frame was answered (its
		// call timed out, see WithCallTimeout).
		close(a.released)
		return
	}
	h.subs = append(h.subs, a)
}

// serveHoldingEvents serves a frame of a WebSocket connection on a server
// with subscriptions: when the frame started subscriptions, it writes the
// answer itself, then lets their events go, and returns nil.
func (s *Server) serveHoldingEvents(ctx context.Context, msgs []schemarpc.Message, batch bool) []byte {
	conn := ConnFromContext(ctx)
	if conn == nil || !callsSubscribe(msgs) {
		return s.serveMessages(ctx, msgs, batch) // nothing to hold: no allocation per frame
	}
	h := &hold{}
	out := s.serveMessages(context.WithValue(ctx, holdKey{}, h), msgs, batch)
	h.mu.Lock()
	started := h.subs
	h.subs, h.over = nil, true
	h.mu.Unlock()
	if len(started) == 0 {
		return out
	}
	if out != nil {
		conn.peer.Send(context.Background(), out) // an error ends the connection, and the subscriptions with it
	}
	for _, a := range started {
		close(a.released)
	}
	return nil
}

// callsSubscribe reports whether a frame calls a "<namespace>_subscribe"
// method, the only calls that start subscriptions.
func callsSubscribe(msgs []schemarpc.Message) bool {
	for i := range msgs {
		if r := msgs[i].Request; r != nil && strings.HasSuffix(r.Method, "_subscribe") {
			return true
		}
	}
	return false
}

// signal wakes the goroutine waiting on ch (of capacity 1), if any.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
