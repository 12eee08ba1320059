package wsclient_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/examples/demo"
)

// Over WebSocket the server can push notifications while a call runs:
// countdown sends tick notifications before it answers.
func ExampleDial() {
	ts := httptest.NewServer(demo.New(nil))
	defer ts.Close()
	ctx := context.Background()

	var (
		mu    sync.Mutex
		ticks []string
		all   sync.WaitGroup
	)
	all.Add(3)
	c, err := wsclient.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http"),
		wsclient.WithNotificationHandler(func(ctx context.Context, n *schemarpc.Request) {
			mu.Lock()
			ticks = append(ticks, n.Method+" "+string(n.Params))
			mu.Unlock()
			all.Done()
		}))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	n, err := client.CallAs[int](ctx, c, "countdown", []int{3})
	fmt.Println("countdown answered", n, err)

	all.Wait() // notifications arrive in order, possibly after the answer
	for _, t := range ticks {
		fmt.Println(t)
	}
	// Output:
	// countdown answered 3 <nil>
	// tick {"remaining":2}
	// tick {"remaining":1}
	// tick {"remaining":0}
}
