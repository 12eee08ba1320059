// Package otelrpc traces and measures schemarpc calls with OpenTelemetry:
// a middleware for servers, one for clients, and one for the calls a
// server makes to its WebSocket clients. It lives in a module of its own so
// that the core module does not depend on OpenTelemetry.
//
//	srv := server.New(
//		server.WithMiddlewares(otelrpc.ServerMiddleware()),
//		server.WithConnMiddlewares(otelrpc.ConnMiddleware()), // server→client calls
//	)
//	c, err := client.NewHTTP(url, client.WithMiddlewares(otelrpc.ClientMiddleware()))
//
// The tracer and meter providers and the propagator are the global ones
// unless options say otherwise ([WithTracerProvider], [WithMeterProvider],
// [WithPropagator]); install propagation.TraceContext{} as the global
// propagator (otel.SetTextMapPropagator) for W3C traceparent headers.
//
// # Spans and metrics
//
// Every call, notification and batch member gets a span named after its
// method, of kind SERVER on the server and CLIENT on the client, and a
// measurement of its duration. Its status is Error when the call failed:
// answered with an error object (its message is the status description;
// on the server, the Go error a handler returned), or, on the client, not
// answered at all. Notifications have no request id attribute; a failed
// notification has no response status code, as no response carried one.
// A call answered with -32602 Invalid params gets the number of schema
// violations in the error's data as [ViolationsKey]
// (schemarpc.params.violations). Members of a batch carry its size as
// [BatchSizeKey] (schemarpc.batch.size). Server spans carry the transport
// as network.protocol.name ("http" or "websocket"); peer addresses only
// with [WithPeerAddress]. Metrics carry only the attributes named below.
//
// The attributes follow the OpenTelemetry semantic conventions for RPC and
// JSON-RPC, in two versions selected as the conventions' migration guide
// asks, with OTEL_SEMCONV_STABILITY_OPT_IN (read when a middleware is
// made; [WithConventions] overrides it):
//
//   - unset, or without "rpc": the experimental conventions of v1.37.0.
//     Spans: rpc.system = "jsonrpc", rpc.method, rpc.jsonrpc.version,
//     rpc.jsonrpc.request_id ("" for a null id), and on an error answer
//     rpc.jsonrpc.error_code and rpc.jsonrpc.error_message. Metrics:
//     rpc.server.duration and rpc.client.duration, histograms in
//     milliseconds, with rpc.system, rpc.method and, on an error answer,
//     rpc.jsonrpc.error_code (the conventions of that version name no error
//     attribute for JSON-RPC metrics; this is the counterpart of gRPC's
//     rpc.grpc.status_code there).
//   - "rpc": the conventions of v1.43.0 (release candidate for RPC,
//     development for JSON-RPC). Spans: rpc.system.name = "jsonrpc",
//     rpc.method, jsonrpc.protocol.version, jsonrpc.request.id (absent
//     for a null id), and on failure error.type and, when a response
//     carried an error, rpc.response.status_code. Metrics:
//     rpc.server.call.duration and rpc.client.call.duration, histograms in
//     seconds with the conventions' bucket boundaries, with
//     rpc.system.name, rpc.method, error.type and rpc.response.status_code.
//   - "rpc/dup" (which wins over "rpc"): both sets, for a phased migration.
//
// The default keeps the old set, as the migration guide asks of
// instrumentations that emitted it (otelgrpc, a pre-1.0 module, now emits
// the stable set by default and takes "rpc/old"). The conventions move:
// after v1.44.0 rpc.response.status_code was renamed rpc.status_code, a
// rename not yet in a released Go semconv package; this package will
// follow when one is.
//
// error.type is the error code as a string ("-32602") for calls answered
// with an error (on the server, the code the server answers with: -32603
// for a Go error or a panic). With server.WithCallTimeout a server span
// covers the handler, which may return after the server has answered
// -32099. For
// client-side failures it is one of [ErrTypeTimeout], [ErrTypeCanceled],
// [ErrTypeHTTPStatus], [ErrTypeInvalidResponse], [ErrTypeNoResponse],
// [ErrTypeTransport], or "_OTHER".
//
// # Cardinality
//
// Span names and metric series stay bounded. A call of a method that is
// not recognized is recorded with rpc.method = "_OTHER" (and
// rpc.method_original on its span, which is then named "jsonrpc", as the
// conventions ask): a call answered with -32601 Method not found (on the
// server: a method not registered), and any method not listed by
// [WithMethods] when it is given. Request ids, messages and addresses never
// go into metrics. Error codes do: keep the codes of an application to a
// small set.
//
// # Propagation
//
// Over HTTP the client middleware writes the span context of each call
// into the request's headers (W3C traceparent with the TraceContext
// propagator) and the server middleware reads it. By default the server
// span starts a new trace linked to the caller's span, as for a public
// endpoint (otelconnect does the same); [WithTrustRemote] makes it a child
// instead, one trace on both sides. A span of the server's process already
// in the request's context (an HTTP server span from otelhttp wrapping the
// server, say) is the parent in either case.
//
// A batch is one HTTP request: the client makes a CLIENT span named
// "jsonrpc batch" for it, whose context the request carries, with a span
// per member as its children. The server makes one span per member, each
// linked to (with WithTrustRemote, a child of) the batch's span, or the
// child of a local HTTP server span when there is one.
//
// Over WebSocket only the upgrade request has headers: its span context
// (give the dialing context to [ContextWithTraceHeaders] before
// wsclient.Dial, or wrap the server in otelhttp) is the parent, or the
// link, of every call the connection carries. A call's own context is not
// carried: a JSON-RPC message has no place for it besides params, and
// adding a member to params would change what the method's schema
// validates and what non-Go peers receive. So over WebSocket the client
// span and the server span of one call share no trace; their
// jsonrpc.request.id and the connection's trace context tie them.
//
// The same holds for calls the server makes to its clients over the
// connection: [ConnMiddleware] records them as CLIENT spans, children of
// the span in their context (the handler's server span when a handler
// makes them), and a WebSocket client serving methods traces them with
// ServerMiddleware given to wsclient.WithServerOptions, in traces of its
// own.
package otelrpc
