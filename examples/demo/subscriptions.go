package demo

import (
	"context"
	"errors"
	"time"

	"github.com/schemarpc/schemarpc/server"
)

// MessagesTopic is the broker topic post_message publishes to and the
// messages subscription follows.
const MessagesTopic = "messages"

// TickerParams are the params of the ticker subscription.
type TickerParams struct {
	Count      int `json:"count" jsonschema:"minimum=1,maximum=10000,description=How many events to send before the subscription ends"`
	IntervalMS int `json:"interval_ms" jsonschema:"minimum=0,maximum=60000,description=Milliseconds between two events"`
}

// TickerEvent is an event of the ticker subscription.
type TickerEvent struct {
	N int `json:"n" jsonschema:"description=1 for the first event, count for the last"`
}

// Message is an event of the messages subscription and the params of
// post_message.
type Message struct {
	From string `json:"from" jsonschema:"minLength=1,maxLength=64,description=Who sends the message"`
	Text string `json:"text" jsonschema:"maxLength=4096,description=The message"`
}

// Publisher publishes events to topics: a *server.Server (see
// server.Server.Publish).
type Publisher interface {
	Publish(ctx context.Context, topic string, event any) error
}

// errNoPublisher answers post_message on a service without a Publisher.
var errNoPublisher = errors.New("demo: the service has no publisher")

// Subscriptions returns the demo's subscriptions (namespace demo: ticker
// and messages) and post_message, which publishes through pub (usually the
// server they are registered on; with a shared broker, messages reach the
// subscribers of every node).
func (svc *Service) Subscriptions(pub Publisher) []*server.Method {
	return []*server.Method{
		server.Subscription("demo", "ticker", svc.ticker,
			server.Summary("Send count events {\"n\"}, one every interval_ms, then end"),
			server.Description("Subscribe with demo_subscribe [\"ticker\", {\"count\": 3, \"interval_ms\": 100}] over WebSocket; the events are {\"n\": 1} … {\"n\": count}, then demo_subscriptionEnd.")),
		server.TopicSubscription[struct{}, Message]("demo", "messages", svc.messagesTopic,
			server.Summary("Receive every message posted with post_message, on any node"),
			server.Description("Subscribe with demo_subscribe [\"messages\"]; the events are the {\"from\", \"text\"} posted with post_message after the subscription started.")),
		server.FuncNoResult("post_message", func(ctx context.Context, m Message) error {
			if pub == nil {
				return errNoPublisher
			}
			return pub.Publish(ctx, MessagesTopic, m)
		},
			server.Summary("Publish a message to the messages subscribers of every node"),
			server.Example("hello", Message{From: "ann", Text: "hello"}, nil)),
	}
}

func (svc *Service) ticker(ctx context.Context, p TickerParams, sink *server.Sink[TickerEvent]) error {
	t := time.NewTicker(max(time.Duration(p.IntervalMS)*time.Millisecond, time.Microsecond))
	defer t.Stop()
	for n := 1; n <= p.Count; n++ {
		if n > 1 || p.IntervalMS > 0 {
			select {
			case <-t.C:
			case <-ctx.Done():
				return nil
			}
		}
		if err := sink.Send(TickerEvent{N: n}); err != nil {
			return err
		}
	}
	return nil
}

// messagesTopic is the topic of the messages subscription: a message
// posted after the subscribe answer reaches the subscriber.
func (svc *Service) messagesTopic(context.Context, struct{}) (string, error) {
	return MessagesTopic, nil
}
