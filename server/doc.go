// Package server serves JSON-RPC 2.0 methods over HTTP POST and WebSocket
// from one [http.Handler], validating params against JSON Schemas before a
// method runs and describing itself with an OpenRPC 1.3.2 document.
//
// # Defining methods
//
// A method is built from a typed function and registered with
// [Server.Add]:
//
//	type SubtractParams struct {
//		Minuend    float64 `json:"minuend" jsonschema:"description=The number to subtract from"`
//		Subtrahend float64 `json:"subtrahend"`
//	}
//
//	s := server.New()
//	s.MustAdd(server.Func("subtract", func(ctx context.Context, p SubtractParams) (float64, error) {
//		return p.Minuend - p.Subtrahend, nil
//	}, server.Summary("Subtract two numbers")))
//	http.Handle("/rpc", s)
//
// [Func] takes a params struct whose exported JSON fields are the params.
// Their order is the positional order, so an array [42, 23] and an object
// {"minuend": 42, "subtrahend": 23} mean the same; add new params last and
// make them optional. A field is required unless it is a pointer or its json
// tag has omitempty or omitzero. [FuncNoParams] takes no params (absent, []
// or {}), [FuncNoResult] answers null, [Variadic] takes any number of
// positional params of one type, and [Raw] gets the params exactly as sent,
// with no schema.
//
// # Params by name only
//
// OpenRPC requires a method's required params to come before its optional
// ones, since a positional caller cannot skip an optional param. When a
// params struct has an optional field (a pointer, omitempty or omitzero)
// before a required one, as in struct{A *int; B int}, the method takes
// params by name only: its document says paramStructure "by-name" and lists
// the required params first (B, then A), and a positional call gets -32602
// "m takes params by name (an object)". Registration does not fail, and
// the document stays valid. To accept positional params too, put the
// required fields first.
//
// Names are always explicit ([Name] overrides one); the prefix "rpc." is
// reserved for built-ins. Add fails, registering nothing, on a duplicate
// name (see [ErrMethodExists]; [Server.Replace] replaces), a reserved name,
// a params type that is not a struct, or a nil function. [Server.Remove]
// unregisters. Methods may be added and removed while the server runs.
//
// # Methods from a contract
//
// When an OpenRPC document is the contract, [Described] registers a method
// with the document's own schemas instead of reflected ones: a [Spec]
// holds the params as content descriptors with their JSON Schemas, the
// result, summary, errors, examples and the component schemas that
// "#/components/schemas/Name" references reach ([SpecFromJSON] reads a
// method object). Calls are validated against exactly those schemas
// (draft 2020-12, or draft-07 when only that compiles), the handler gets
// the params as a JSON object, and rpc.discover serves the method and its
// components as given. `schemarpc gen` generates typed code over it.
//
// # Validation
//
// Every params struct is reflected into a JSON Schema once, at
// registration; `jsonschema:"..."` tags add constraints
// (minLength, pattern, minimum, enum, format, ...). Formats such as email,
// uuid, date-time and uri are asserted, not just annotated. Each call's
// params are checked before the method runs: invalid params never reach it,
// and the caller gets -32602 Invalid params whose data lists the violations
// as {pointer, keyword, message}, the pointer locating the offending member
// (for a missing one, the member that should be there):
//
//	{"code":-32602,"message":"Invalid params","data":[
//	  {"pointer":"/subtrahend","keyword":"required","message":"missing required property \"subtrahend\""}]}
//
// Schemas describe what encoding/json writes and reads, not the Go shape:
// a sized integer carries its bounds (an int8 is an integer from -128 to
// 127), and json.Number, math/big, net/netip, net.IP, url.URL, time.Time,
// time.Duration and types with MarshalText or MarshalJSON get the schema
// of their JSON form (see the schema package, "Wire forms"). A custom
// codec that changes a type's form goes with [WithTypeSchema].
//
// Under the default codec, the params of [Func], [FuncNoResult] and
// [Variadic] methods are validated while they are decoded into the Go
// params, in one pass: the decoder's walk matches members and counts
// elements, and the schema's checks run on the values it decodes. What
// that pass cannot decide (a violation, an escaped string under an enum,
// a shape it does not follow) goes to the validator and then the usual
// decoding, so answers, violations and their wording do not change.
//
// [WithValidation](false) skips the schema check (decoding still enforces
// the Go types), which is meant for measuring its cost.
//
// # Errors
//
// A method returns a [*schemarpc.Error] (or an error wrapping one, or a type
// with an RPCError method) to choose the code, message and data the client
// sees; declare such errors with [Errors] so that they appear in the
// document. Any other error becomes -32603 Internal error with no details:
// its text goes to the logger ([WithLogger]) unless [WithExposeErrors] is
// on. A panicking method is recovered the same way, and the panic value and
// stack are logged; a panic with [http.ErrAbortHandler] aborts the HTTP
// response, as net/http does. Context errors become
// [schemarpc.CodeCanceled] and [schemarpc.CodeDeadlineExceeded]
// ([WithCallTimeout] sets a deadline per call).
//
// # Middleware
//
// A [Middleware] wraps the [Handler] that looks methods up, validates and
// calls them. [WithMiddlewares] builds one chain, used for every call over
// every transport, batch members included; the first middleware given is
// the outermost (see the example of WithMiddlewares). A middleware may
// rename the method or rewrite the params before calling next (the params
// it passes on are the ones validated) and change the result or error
// after.
// [PrepareResult] and [WithResultHook] post-process results per method and
// per server; [Logging] and [CheckOrigins] are ready-made middlewares.
// Besides the request, a middleware reads what carried the call from its
// context: [RequestFromContext], [ConnFromContext] and, for the members of
// a batch, [BatchSizeFromContext]. A [ConnMiddleware] ([WithConnMiddlewares])
// wraps the other direction: the calls and notifications the server sends
// to its WebSocket clients. Module github.com/schemarpc/schemarpc/otelrpc
// builds its OpenTelemetry middlewares on these.
//
// # Transports
//
// [Server] implements http.Handler. Over HTTP only POST is allowed (else
// 405 with an Allow header), the Content-Type must be application/json
// (else 415, and nothing runs), and the body is limited by
// [WithReadLimit] (else 413). Every non-2xx answer still carries a
// JSON-RPC error object. Every JSON-RPC answer is 200 application/json; a
// notification, or a batch of notifications only, gets 204 with no body.
// Batches run concurrently ([WithBatchConcurrency]) and are answered in
// request order; a batch longer than [WithMaxBatch] is one -32600 error.
//
// A GET with an Upgrade header opens a WebSocket. The Origin must be the
// same as the request's host, absent (non-browser clients), or allowed by
// [WithAllowedOrigins] or [WithCheckOrigin]; others get 403 before the
// upgrade. Each frame is a request, a notification or a batch, answered by
// the same dispatch as HTTP; a frame that is not JSON is answered with
// -32700 and the connection stays open; a frame larger than [WithReadLimit]
// closes it with status 1009. Requests of one connection run concurrently
// ([WithConnConcurrency]); frames of notifications only are handled one at
// a time, in the order they arrived. The connection is read all the time,
// so a handler may call the client back ([Call]) without deadlock. A method reaches the connection that carried its
// call with [ConnFromContext], [Notify] and [Call]; [RequestFromContext]
// gives the HTTP request (the upgrade request over WebSocket) on both
// transports.
//
// [Server.Handle] answers a payload in process, without any transport.
//
// # Discovery
//
// The built-in method rpc.discover answers the server's OpenRPC 1.3.2
// document (it takes no params; [] and {} are accepted). The document is
// built from the registry: methods sorted by name, params and result
// schemas, shared types in components.schemas, declared errors and
// [Example] pairings. rpc.discover itself is not listed. [Server.OpenRPC]
// and [Server.OpenRPCJSON] give the same document in Go.
//
// # Subscriptions
//
// [Subscription] declares a subscription with typed params and events on
// go-ethereum's wire form: "<ns>_subscribe" with params ["name", args...]
// answers an id (a string), events arrive as notifications
// "<ns>_subscription" with params {"subscription": id, "result": event},
// and "<ns>_unsubscribe" [id] answers true, or false for an id unknown on
// the connection. Subscriptions need a WebSocket; over HTTP both answer
// -32601. The args are validated against the params schema before the
// producer starts; events are encoded with the server's codec and never
// written before the answer that carries their id. A subscription ends
// when the client unsubscribes, the connection closes, the producer
// returns, the server shuts down, or the client reads too slowly (the
// policy is to close with an error: see [SubscriptionBuffer]); in the last
// three cases the client gets "<ns>_subscriptionEnd" {"subscription": id,
// "error"?}, an extension go-ethereum's client ignores.
//
// In the OpenRPC document "<ns>_subscribe" lists the subscription name
// (an enum) and its params, and the extension "x-subscriptions" gives, for
// each subscription, its params (content descriptors), its event (a
// content descriptor) and its notification names. An extension, because
// neither OpenRPC 1.3.2 (which the server emits, and where every method has
// a result) nor the notification methods of OpenRPC 1.4 (methods without a
// result) can tie the params and event schema of a subscription to its
// name, which travels as the first param of one shared method.
//
// [Server.Publish] publishes an event to a topic through the server's
// [Broker] (a [LocalBroker] by default, NATS with package
// github.com/schemarpc/schemarpc/natsbroker); a producer relays a topic to
// its subscriber with [Sink.Follow]. Each server holds one broker
// subscription per topic, shared by its local followers. See
// docs/scaling.md for running several nodes and the delivery guarantees.
//
// # Shutdown
//
// [Server.Shutdown] stops the server gracefully: new HTTP calls and
// upgrades get 503, calls in flight are answered, then every WebSocket is
// closed with status 1001. Call it alongside http.Server.Shutdown, which
// does not track hijacked (WebSocket) connections. [Server.Close] closes
// the WebSockets at once without waiting for calls in flight.
//
// See the root package [github.com/schemarpc/schemarpc] for the wire rules
// this package follows where the JSON-RPC 2.0 specification leaves room.
package server
