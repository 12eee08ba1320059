package natsbroker_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc/natsbroker"
	"github.com/schemarpc/schemarpc/server"
)

// The figures of docs/scaling.md: events through one node (in-process
// broker) and through NATS across two nodes (published on node 2, received
// by a WebSocket client of node 1).
//
//	go test -run '^$' -bench Delivery -count 3 ./natsbroker

type stamped struct {
	Seq int   `json:"seq"`
	T   int64 `json:"t"` // publish time, Unix nanoseconds
}

type benchSetup struct {
	pub, sub *server.Server
	url      string // of sub
}

func benchNodes(b *testing.B, viaNATS bool) benchSetup {
	mk := func(br server.Broker) *server.Server {
		s := server.New(server.WithBroker(br))
		s.MustAdd(server.Subscription("bench", "events", func(ctx context.Context, _ struct{}, sink *server.Sink[stamped]) error {
			return sink.Follow(ctx, "events")
		}, server.SubscriptionBuffer(1<<20)))
		return s
	}
	var st benchSetup
	if viaNATS {
		ns := startNATS(b, -1)
		b.Cleanup(ns.Shutdown)
		var brokers [2]*natsbroker.Broker
		for i := range brokers {
			br, err := natsbroker.Connect(ns.ClientURL(), nil)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { br.Close() })
			brokers[i] = br
		}
		st.sub, st.pub = mk(brokers[0]), mk(brokers[1])
	} else {
		st.sub = mk(nil)
		st.pub = st.sub
	}
	ts := httptest.NewServer(st.sub)
	b.Cleanup(func() {
		st.sub.Close()
		st.pub.Close()
		ts.Close()
	})
	st.url = "ws" + strings.TrimPrefix(ts.URL, "http")
	return st
}

// subscribeRaw subscribes with a bare WebSocket client and returns it once
// the node follows the topic.
func subscribeRaw(b *testing.B, st benchSetup) *websocket.Conn {
	ws, _, err := websocket.DefaultDialer.Dial(st.url, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ws.Close() })
	if err := ws.WriteMessage(websocket.TextMessage, []byte(`{"jsonrpc":"2.0","id":1,"method":"bench_subscribe","params":["events"]}`)); err != nil {
		b.Fatal(err)
	}
	if _, _, err := ws.ReadMessage(); err != nil { // the answer
		b.Fatal(err)
	}
	for st.sub.Followers("events") == 0 {
		time.Sleep(time.Millisecond)
	}
	return ws
}

// readEvents reads n events and returns their delivery latencies.
func readEvents(ws *websocket.Conn, n int) ([]time.Duration, error) {
	lat := make([]time.Duration, 0, n)
	var note struct {
		Params struct {
			Result stamped `json:"result"`
		} `json:"params"`
	}
	for range n {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return nil, err
		}
		now := time.Now().UnixNano()
		if err := json.Unmarshal(data, &note); err != nil {
			return nil, err
		}
		lat = append(lat, time.Duration(now-note.Params.Result.T))
	}
	return lat, nil
}

// BenchmarkDeliveryThroughput publishes b.N events as fast as possible and
// reports events/s received by one subscriber.
func BenchmarkDeliveryThroughput(b *testing.B) {
	for _, c := range []struct {
		name string
		nats bool
	}{{"one-node", false}, {"nats-two-nodes", true}} {
		b.Run(c.name, func(b *testing.B) {
			st := benchNodes(b, c.nats)
			ws := subscribeRaw(b, st)
			errc := make(chan error, 1)
			b.ResetTimer()
			start := time.Now()
			go func() {
				_, err := readEvents(ws, b.N)
				errc <- err
			}()
			for i := range b.N {
				if err := st.pub.Publish(context.Background(), "events", stamped{Seq: i, T: time.Now().UnixNano()}); err != nil {
					b.Fatal(err)
				}
			}
			if err := <-errc; err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
		})
	}
}

// BenchmarkDeliveryLatency publishes at a steady pace (one event per tick
// of a 500 µs ticker, about 1000 events/s on a loaded machine: well below
// the throughput, so that queues stay short) and reports the p50 and p99 of
// the time from Publish to the subscriber reading the frame.
func BenchmarkDeliveryLatency(b *testing.B) {
	for _, c := range []struct {
		name string
		nats bool
	}{{"one-node", false}, {"nats-two-nodes", true}} {
		b.Run(c.name, func(b *testing.B) {
			st := benchNodes(b, c.nats)
			ws := subscribeRaw(b, st)
			n := max(b.N, 2000)
			type res struct {
				lat []time.Duration
				err error
			}
			done := make(chan res, 1)
			b.ResetTimer()
			go func() {
				lat, err := readEvents(ws, n)
				done <- res{lat, err}
			}()
			tick := time.NewTicker(500 * time.Microsecond)
			defer tick.Stop()
			for i := range n {
				<-tick.C
				if err := st.pub.Publish(context.Background(), "events", stamped{Seq: i, T: time.Now().UnixNano()}); err != nil {
					b.Fatal(err)
				}
			}
			r := <-done
			if r.err != nil {
				b.Fatal(r.err)
			}
			slices.Sort(r.lat)
			b.ReportMetric(float64(r.lat[len(r.lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(r.lat[len(r.lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}
