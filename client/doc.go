// Package client calls JSON-RPC 2.0 servers. It is the Go counterpart of
// aiohttp-rpc's JsonRpcClient; package client/wsclient adds the WebSocket
// client (WsJsonRpcClient), which also serves methods back to the server.
// This package links only the wire protocol and net/http: an HTTP client
// brings in neither package server, the schema reflector nor the
// WebSocket library.
//
// # Connecting
//
// [NewHTTP] returns an [*HTTPClient] (one POST per call); wsclient.Dial a
// connected WebSocket client (one connection, calls multiplexed by id);
// [New] a client over a transport of your own. All satisfy [Client] and
// take the [Option] values of this package. Every client is safe for
// concurrent use; close it when done.
//
//	c, err := client.NewHTTP("http://127.0.0.1:8080/rpc",
//		client.WithTimeout(5*time.Second),
//		client.WithHeader("Authorization", "Bearer "+token))
//	if err != nil { … }
//	defer c.Close()
//
// # Calling
//
// Params are a struct or map (sent by name), a slice (sent by position), a
// json.RawMessage, or nil:
//
//	var diff float64
//	err := c.Call(ctx, "subtract", []int{42, 23}, &diff)
//	diff, err = client.CallAs[float64](ctx, c, "subtract", SubtractParams{Minuend: 42, Subtrahend: 23})
//	err = c.Notify(ctx, "update", []int{1, 2, 3})
//
// [Client.Batch] sends several calls and notifications at once and returns
// one [Result] per item in item order; responses it cannot pair with an
// item are listed in [BatchResult.Unlinked] and [BatchResult.Duplicates].
// [Client.BatchNotify] sends notifications only. [Client.DirectCall] and
// [Client.DirectBatch] send prepared [schemarpc.Request] values and return
// the raw responses.
//
// [NewMethod] declares a typed stub, the Go form of aiohttp-rpc's
// rpc.methods.subtract(…):
//
//	var subtract = client.NewMethod[SubtractParams, float64]("subtract")
//
//	diff, err := subtract.Call(ctx, c, SubtractParams{Minuend: 42, Subtrahend: 23})
//	res, err := c.Batch(ctx, subtract.Request(p1), subtract.Request(p2))
//	d1, err := subtract.Result(res.Results[0])
//
// # Errors
//
// An error answer from the server is returned as a *schemarpc.Error:
// errors.Is matches the sentinels of package schemarpc by code
// (errors.Is(err, schemarpc.ErrInvalidParams)), errors.As gives the code,
// message and data. [WithErrorMap] turns chosen codes into application
// errors.
//
// Failures on the client side have their own sentinels: [ErrTimeout] (which
// also matches context.DeadlineExceeded), [ErrTransport] (connection
// refused or lost; a lost WebSocket connection also matches
// schemarpc.ErrConnClosed), [ErrEmptyResponse], [ErrInvalidResponse] and
// [ErrClosed]. An HTTP status other than 200 or 204 is an
// [*HTTPStatusError]; when the body holds a JSON-RPC error, as a schemarpc
// server's 405, 413, 415 and 503 answers do, errors.As finds that
// *schemarpc.Error through it too. A canceled context ends a call at once
// with context.Canceled.
//
// # Deadlines and headers
//
// [WithTimeout] bounds every call of a client; a context deadline bounds
// one call. [WithHeader] sets headers for every HTTP request or for the
// WebSocket handshake; [ContextWithHeader] adds headers to the HTTP
// requests of one call.
//
// # Middlewares
//
// A [Middleware] wraps the [Invoker] that exchanges messages with the
// server: it sees the requests before they are sent and the responses as
// received, and may change both, answer by itself, or retry:
//
//	logging := func(next client.Invoker) client.Invoker {
//		return client.InvokerFunc(func(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error) {
//			resps, err := next.Invoke(ctx, reqs, batch)
//			log.Printf("%d requests, %d responses, %v", len(reqs), len(resps), err)
//			return resps, err
//		})
//	}
//	c, err := client.NewHTTP(url, client.WithMiddlewares(logging))
//
// # WebSocket
//
// Package client/wsclient runs calls over one WebSocket connection with
// the options of this package (and its own), and serves methods to the
// server with the server package's registry and validation.
package client
