// Package wsclient is the WebSocket client of schemarpc (aiohttp-rpc's
// WsJsonRpcClient): it calls a JSON-RPC 2.0 server over one connection and
// serves methods back to it. It takes the options of package client
// (headers for the handshake, timeout, ids, codec, middlewares, error map,
// read limit, logger) together with its own.
//
// # Calling
//
// [Dial] connects; the [*Client] it returns implements client.Client, so
// client.CallAs, client.NewMethod stubs and batches work as over HTTP. Any
// number of goroutines may call at once: calls are multiplexed on the
// connection by id. When the connection is lost every pending call fails
// at once with client.ErrTransport; a call whose context ends is removed
// from the pending table ([Client.Pending]). [WithReconnect] redials, with
// backoff, for the calls made after a loss.
//
// # Both directions
//
// The server may call the client too. Methods given to [WithMethods] (or
// [Client.Add]) are built with the server package and served by a
// server.Server the client holds, with the same schema validation as on
// the server side; in them [FromContext] returns the client, to call the
// server back. Notifications for other methods, such as the demo's tick
// pushes, go to the [WithNotificationHandler] function:
//
//	c, err := wsclient.Dial(ctx, "ws://127.0.0.1:8080/rpc",
//		client.WithTimeout(5*time.Second),
//		wsclient.WithMethods(server.Func("add", add)),
//		wsclient.WithNotificationHandler(func(ctx context.Context, n *schemarpc.Request) {
//			log.Printf("%s %s", n.Method, n.Params)
//		}))
//
// On the server side, server.Call(ctx, "add", params, &result) inside a
// handler, or conn.Call on a *server.Conn kept from server.WithOnConnect,
// reaches the add method above and returns its answer or error.
//
// # Subscriptions
//
// [Subscribe] subscribes on go-ethereum's wire form ("<ns>_subscribe",
// events in "<ns>_subscription" notifications, "<ns>_unsubscribe") and
// returns a [Subscription] whose Events channel yields the events decoded
// into a Go type, in order, and closes when it ends; Err says why (the
// server's end notification, a lost connection, a full buffer):
//
//	sub, err := wsclient.Subscribe[demo.TickerEvent](ctx, c, "demo", "ticker",
//		demo.TickerParams{Count: 3, IntervalMS: 100})
//	for ev := range sub.Events() { ... }
//	if err := sub.Err(); err != nil { ... }
package wsclient
