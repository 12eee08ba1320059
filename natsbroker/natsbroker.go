// Package natsbroker is a [server.Broker] that carries the events of
// schemarpc servers through NATS (github.com/nats-io/nats.go), so that an
// event published on one node reaches the subscribers of its topic on every
// node. It is a module of its own, so that the core module does not depend
// on NATS.
//
// # Delivery
//
// Core NATS delivers at most once: a message reaches the nodes subscribed
// to its subject at the moment NATS routes it, in publication order per
// publishing connection, and is never redelivered. While a node is
// disconnected from NATS (NATS restarting, a network fault), nats.go
// reconnects and subscribes again on its own: messages it publishes in the
// meantime are buffered (up to nats.go's reconnect buffer, 8 MiB by default)
// and sent after the reconnection, but messages published by other nodes
// during the gap are lost for its subscribers. A node that dies loses what
// it had not sent yet. Subscribers are not told of a gap.
//
// JetStream would change that: a stream on the subjects stores the events,
// each node consumes them with an ordered consumer that resumes from the
// last sequence it saw after a reconnection, and a subscriber could even
// ask to replay from a sequence or a time (at-least-once, with sequence
// numbers to detect duplicates). It costs a round trip per publish (for
// the acknowledgement) and storage; this package does not use it.
package natsbroker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/schemarpc/schemarpc/server"
)

// DefaultPrefix is the subject prefix of the topics: topic "messages" is
// published on subject "schemarpc.messages".
const DefaultPrefix = "schemarpc."

// Broker publishes and subscribes to topics as NATS subjects on one
// connection. It is safe for concurrent use.
type Broker struct {
	nc     *nats.Conn
	prefix string
	owned  bool // Close closes nc
}

var _ server.Broker = (*Broker)(nil)

// Option configures a Broker.
type Option func(*Broker)

// WithPrefix sets the prefix of the subjects (default [DefaultPrefix]).
// Use one per service, so that services sharing a NATS cluster do not see
// each other's events.
func WithPrefix(p string) Option { return func(b *Broker) { b.prefix = p } }

// New returns a broker over nc, which the caller keeps and closes.
func New(nc *nats.Conn, opts ...Option) *Broker {
	b := &Broker{nc: nc, prefix: DefaultPrefix}
	for _, o := range opts {
		if o != nil {
			o(b)
		}
	}
	return b
}

// Connect connects to the NATS server(s) at url (a comma-separated list
// of nats:// URLs) with nats.go's options, reconnecting forever, and
// returns a broker that owns the connection: Close closes it.
func Connect(url string, natsOpts []nats.Option, opts ...Option) (*Broker, error) {
	natsOpts = append([]nats.Option{nats.Name("schemarpc"), nats.MaxReconnects(-1)}, natsOpts...)
	nc, err := nats.Connect(url, natsOpts...)
	if err != nil {
		return nil, fmt.Errorf("natsbroker: connecting to %s: %w", url, err)
	}
	b := New(nc, opts...)
	b.owned = true
	return b, nil
}

// Conn returns the NATS connection.
func (b *Broker) Conn() *nats.Conn { return b.nc }

// Close drains and closes the connection when the broker owns it (see
// [Connect]): what was published is flushed first.
func (b *Broker) Close() error {
	if !b.owned {
		return nil
	}
	if err := b.nc.Drain(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		return err
	}
	return nil
}

// ErrInvalidTopic is returned for a topic that is not a valid NATS subject
// (empty tokens, spaces, wildcards * and >).
var ErrInvalidTopic = errors.New("natsbroker: invalid topic")

func (b *Broker) subject(topic string) (string, error) {
	if topic == "" || strings.ContainsAny(topic, " \t\r\n*>") || strings.HasPrefix(topic, ".") ||
		strings.HasSuffix(topic, ".") || strings.Contains(topic, "..") {
		return "", fmt.Errorf("%w: %q", ErrInvalidTopic, topic)
	}
	return b.prefix + topic, nil
}

// Publish publishes data on the topic's subject. It returns once nats.go
// has buffered the message (not once subscribers got it); while
// reconnecting, it is kept in the reconnect buffer.
func (b *Broker) Publish(ctx context.Context, topic string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	subj, err := b.subject(topic)
	if err != nil {
		return err
	}
	if err := b.nc.Publish(subj, data); err != nil {
		return fmt.Errorf("natsbroker: publishing to %s: %w", subj, err)
	}
	return nil
}

// flushTimeout bounds the wait for NATS to confirm a new subscription.
const flushTimeout = time.Second

// Subscribe subscribes to the topic's subject. nats.go calls deliver from
// one goroutine per subscription, in the order messages arrive.
func (b *Broker) Subscribe(topic string, deliver func(data []byte)) (func(), error) {
	subj, err := b.subject(topic)
	if err != nil {
		return nil, err
	}
	sub, err := b.nc.Subscribe(subj, func(m *nats.Msg) { deliver(m.Data) })
	if err != nil {
		return nil, fmt.Errorf("natsbroker: subscribing to %s: %w", subj, err)
	}
	// Make sure the server knows the subscription before the first
	// subscriber is answered, so that events published right after reach
	// it (best effort while disconnected).
	b.nc.FlushTimeout(flushTimeout)
	return func() { sub.Unsubscribe() }, nil
}
