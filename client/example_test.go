package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/examples/demo"
)

// Calls over HTTP: params by position or by name, and a server error.
func ExampleNewHTTP() {
	ts := httptest.NewServer(demo.New(nil))
	defer ts.Close()
	ctx := context.Background()

	c, err := client.NewHTTP(ts.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	var diff float64
	if err := c.Call(ctx, "subtract", []int{42, 23}, &diff); err != nil {
		log.Fatal(err)
	}
	fmt.Println("42 - 23 =", diff)

	err = c.Call(ctx, "subtract", demo.SubtractParams{Minuend: 23, Subtrahend: 42}, &diff)
	fmt.Println("23 - 42 =", diff, err)

	err = c.Call(ctx, "get_user_by_uuid", demo.GetUserParams{UserUUID: "3b241101-e2bb-4255-8caf-4136c566a000"}, nil)
	fmt.Println(errors.Is(err, demo.ErrUserNotFound), int(schemarpc.CodeOf(err)))
	// Output:
	// 42 - 23 = 19
	// 23 - 42 = -19 <nil>
	// true -32004
}

func ExampleCallAs() {
	ts := httptest.NewServer(demo.New(nil))
	defer ts.Close()
	ctx := context.Background()
	c, err := client.NewHTTP(ts.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	user, err := client.CallAs[demo.User](ctx, c, "get_user_by_uuid", demo.GetUserParams{UserUUID: demo.SeedUser.UUID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(user.Username, user.Email)
	// Output: mike some@mail.com
}

func ExampleNewMethod() {
	ts := httptest.NewServer(demo.New(nil))
	defer ts.Close()
	ctx := context.Background()
	c, err := client.NewHTTP(ts.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// Declare the stubs once, use them with any client.
	subtract := client.NewMethod[demo.SubtractParams, float64]("subtract")
	sum := client.NewMethod[[]float64, float64]("sum")

	diff, err := subtract.Call(ctx, c, demo.SubtractParams{Minuend: 42, Subtrahend: 23})
	fmt.Println(diff, err)

	res, err := c.Batch(ctx, sum.Request([]float64{1, 2, 4}), subtract.Request(demo.SubtractParams{Minuend: 1}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sum.Result(res.Results[0]))
	fmt.Println(subtract.Result(res.Results[1]))
	// Output:
	// 19 <nil>
	// 7 <nil>
	// 1 <nil>
}

func ExampleHTTPClient_Notify() {
	ts := httptest.NewServer(demo.New(nil))
	defer ts.Close()
	ctx := context.Background()
	c, err := client.NewHTTP(ts.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// The server answers notifications with 204 No Content: no error.
	fmt.Println(c.Notify(ctx, "notify_hello", []int{7}))
	fmt.Println(c.BatchNotify(ctx,
		client.BatchItem{Method: "notify_sum", Params: []int{1, 2, 4}},
		client.BatchItem{Method: "notify_hello", Params: []int{7}},
	))
	// Output:
	// <nil>
	// <nil>
}

// A batch of calls and notifications: the results come back in the order
// of the items, whatever order the server answers in.
func ExampleHTTPClient_Batch() {
	ts := httptest.NewServer(demo.New(nil))
	defer ts.Close()
	ctx := context.Background()
	c, err := client.NewHTTP(ts.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	res, err := c.Batch(ctx,
		client.BatchItem{Method: "sum", Params: []int{1, 2, 4}},
		client.BatchItem{Method: "notify_hello", Params: []int{7}, Notification: true},
		client.BatchItem{Method: "subtract", Params: []int{42, 23}},
		client.BatchItem{Method: "foo.get", Params: map[string]string{"name": "myself"}},
		client.BatchItem{Method: "get_data"},
	)
	if err != nil {
		log.Fatal(err)
	}
	for i, r := range res.Results {
		var v any
		err := r.Decode(&v)
		switch {
		case err != nil:
			fmt.Println(i, "error:", int(schemarpc.CodeOf(err)))
		case r.Response == nil:
			fmt.Println(i, "notification")
		default:
			fmt.Println(i, v)
		}
	}
	// Output:
	// 0 7
	// 1 notification
	// 2 19
	// 3 error: -32601
	// 4 [hello 5]
}
