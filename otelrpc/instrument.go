package otelrpc

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	oldconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	oldrpcconv "go.opentelemetry.io/otel/semconv/v1.37.0/rpcconv"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/rpcconv"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/validate"
)

// ScopeName is the instrumentation scope of the tracers and meters of this
// package.
const ScopeName = "github.com/schemarpc/schemarpc/otelrpc"

// Attributes of this package, for what the conventions have no name.
const (
	// BatchSizeKey is the number of members of the batch a call was part
	// of (absent for calls sent alone).
	BatchSizeKey = attribute.Key("schemarpc.batch.size")
	// ViolationsKey is the number of schema violations of a call answered
	// with -32602 Invalid params.
	ViolationsKey = attribute.Key("schemarpc.params.violations")
)

const (
	systemName   = "jsonrpc"
	otherMethod  = "_OTHER"
	batchSpan    = "jsonrpc batch"
	protoVersion = "2.0"
)

// instrument holds what a middleware records with.
type instrument struct {
	cfg    config
	kind   trace.SpanKind
	tracer trace.Tracer // nil without traces
	oldDur metric.Float64Histogram
	newDur metric.Float64Histogram
}

func newInstrument(opts []Option, kind trace.SpanKind) *instrument {
	in := &instrument{cfg: newConfig(opts), kind: kind}
	schema := semconv.SchemaURL
	if in.cfg.conventions == ConventionsOld {
		schema = oldconv.SchemaURL
	}
	// No-op providers are as good as none: skip the work of building
	// attributes for them.
	if _, noop := in.cfg.tp.(tracenoop.TracerProvider); !in.cfg.noTraces && !noop {
		in.tracer = in.cfg.tp.Tracer(ScopeName, trace.WithSchemaURL(schema))
	}
	if _, noop := in.cfg.mp.(metricnoop.MeterProvider); in.cfg.noMetrics || noop {
		return in
	}
	meter := in.cfg.mp.Meter(ScopeName, metric.WithSchemaURL(schema))
	var err error
	if in.cfg.old() {
		if kind == trace.SpanKindServer {
			var h oldrpcconv.ServerDuration
			h, err = oldrpcconv.NewServerDuration(meter)
			in.oldDur = h.Inst()
		} else {
			var h oldrpcconv.ClientDuration
			h, err = oldrpcconv.NewClientDuration(meter)
			in.oldDur = h.Inst()
		}
		if err != nil {
			otel.Handle(err)
		}
	}
	if in.cfg.stable() {
		if kind == trace.SpanKindServer {
			var h rpcconv.ServerCallDuration
			h, err = rpcconv.NewServerCallDuration(meter)
			in.newDur = h.Inst()
		} else {
			var h rpcconv.ClientCallDuration
			h, err = rpcconv.NewClientCallDuration(meter)
			in.newDur = h.Inst()
		}
		if err != nil {
			otel.Handle(err)
		}
	}
	return in
}

// off reports whether the instrument records nothing.
func (in *instrument) off() bool {
	return in.tracer == nil && in.oldDur == nil && in.newDur == nil
}

func (in *instrument) skip(ctx context.Context, req *schemarpc.Request) bool {
	return in.cfg.filter != nil && !in.cfg.filter(ctx, req)
}

// recognized reports whether method is one of the recognized methods.
func (in *instrument) recognized(method string) bool {
	return in.cfg.known == nil || in.cfg.known[method]
}

// call is one call being recorded.
type call struct {
	in     *instrument
	start  time.Time
	span   trace.Span // nil without traces
	method string
	notify bool
}

// startCall starts the span of req (when traces are on) from parent and
// returns the context of the call. extra attributes are added at creation.
func (in *instrument) startCall(parent context.Context, req *schemarpc.Request, opts []trace.SpanStartOption, extra ...attribute.KeyValue) (context.Context, call) {
	c := call{in: in, start: time.Now(), method: req.Method, notify: req.IsNotification()}
	if in.tracer == nil {
		return parent, c
	}
	name := req.Method
	method := req.Method
	if !in.recognized(method) {
		name, method = systemName, otherMethod
		extra = append(extra, semconv.RPCMethodOriginal(req.Method))
	}
	attrs := make([]attribute.KeyValue, 0, 8+len(extra))
	attrs = append(attrs, semconv.RPCMethod(method))
	if in.cfg.old() {
		attrs = append(attrs, oldconv.RPCSystemKey.String(systemName), oldconv.RPCJSONRPCVersion(protoVersion))
		if !c.notify {
			id := idString(req.ID) // the old conventions want "" for null
			attrs = append(attrs, oldconv.RPCJSONRPCRequestID(id))
		}
	}
	if in.cfg.stable() {
		attrs = append(attrs, semconv.RPCSystemNameKey.String(systemName), semconv.JSONRPCProtocolVersion(protoVersion))
		if !c.notify && !req.ID.IsNull() {
			attrs = append(attrs, semconv.JSONRPCRequestID(idString(req.ID)))
		}
	}
	attrs = append(attrs, extra...)
	opts = append(opts, trace.WithSpanKind(in.kind), trace.WithAttributes(attrs...), trace.WithTimestamp(c.start))
	ctx, span := in.tracer.Start(parent, name, opts...)
	c.span = span
	return ctx, c
}

// outcome is how a call ended.
type outcome struct {
	code       schemarpc.Code // the error code answered; 0 for none
	errType    string         // error.type when code is 0: a failure of the client
	message    string         // the error's message
	violations int            // schema violations of a -32602
	answered   bool           // a response carried code (not a notification)
}

func (o outcome) failed() bool { return o.code != 0 || o.errType != "" }

// end ends the call's span and records its duration.
func (c call) end(ctx context.Context, o outcome) {
	in := c.in
	elapsed := time.Since(c.start)
	method := c.method
	folded := !in.recognized(method) || o.code == schemarpc.CodeMethodNotFound
	if folded {
		method = otherMethod
	}
	codeStr := ""
	if o.code != 0 {
		codeStr = strconv.Itoa(int(o.code))
	}
	errType := o.errType
	if o.code != 0 {
		errType = codeStr
	}
	if c.span != nil && c.span.IsRecording() {
		var attrs []attribute.KeyValue
		if folded && in.recognized(c.method) { // folded only now
			c.span.SetName(systemName)
			attrs = append(attrs, semconv.RPCMethod(otherMethod), semconv.RPCMethodOriginal(c.method))
		}
		if o.failed() {
			c.span.SetStatus(codes.Error, o.message)
			if in.cfg.old() && o.code != 0 {
				attrs = append(attrs, oldconv.RPCJSONRPCErrorCode(int(o.code)), oldconv.RPCJSONRPCErrorMessage(o.message))
			}
			if in.cfg.stable() {
				attrs = append(attrs, semconv.ErrorTypeKey.String(errType))
				if o.code != 0 && o.answered {
					attrs = append(attrs, semconv.RPCResponseStatusCode(codeStr))
				}
			}
		}
		if o.violations > 0 {
			attrs = append(attrs, ViolationsKey.Int(o.violations))
		}
		c.span.SetAttributes(attrs...)
		c.span.End(trace.WithTimestamp(c.start.Add(elapsed)))
	}
	if in.oldDur != nil && in.oldDur.Enabled(ctx) {
		attrs := []attribute.KeyValue{oldconv.RPCSystemKey.String(systemName), semconv.RPCMethod(method)}
		if o.code != 0 {
			attrs = append(attrs, oldconv.RPCJSONRPCErrorCode(int(o.code)))
		}
		in.oldDur.Record(ctx, float64(elapsed)/float64(time.Millisecond), metric.WithAttributes(attrs...))
	}
	if in.newDur != nil && in.newDur.Enabled(ctx) {
		attrs := []attribute.KeyValue{semconv.RPCSystemNameKey.String(systemName), semconv.RPCMethod(method)}
		if o.failed() {
			attrs = append(attrs, semconv.ErrorTypeKey.String(errType))
			if o.code != 0 && o.answered {
				attrs = append(attrs, semconv.RPCResponseStatusCode(codeStr))
			}
		}
		in.newDur.Record(ctx, elapsed.Seconds(), metric.WithAttributes(attrs...))
	}
}

// errorOutcome describes a call answered with e.
func errorOutcome(e *schemarpc.Error, answered bool) outcome {
	o := outcome{code: e.Code, message: e.Message, answered: answered}
	if e.Code == schemarpc.CodeInvalidParams {
		o.violations = countViolations(e.Data)
	}
	return o
}

// countViolations counts the violations in the data of a -32602: a
// []validate.Violation in the server, a JSON array from the wire.
func countViolations(data any) int {
	switch d := data.(type) {
	case []validate.Violation:
		return len(d)
	case json.RawMessage:
		var items []json.RawMessage
		if json.Unmarshal(d, &items) == nil {
			return len(items)
		}
	}
	return 0
}

// idString returns the attribute value of an id: the string of a string
// id, the JSON text of a number, "" for null.
func idString(id schemarpc.ID) string {
	raw := id.Raw()
	if raw == "" || raw == "null" {
		return ""
	}
	if raw[0] != '"' {
		return raw
	}
	if len(raw) >= 2 && !strings.ContainsRune(raw, '\\') {
		return raw[1 : len(raw)-1]
	}
	var s string
	if json.Unmarshal([]byte(raw), &s) != nil {
		return raw
	}
	return s
}
