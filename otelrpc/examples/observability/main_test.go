package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

type exported struct {
	// Spans
	Name        string
	SpanKind    int
	SpanContext struct{ TraceID, SpanID string }
	Parent      struct{ TraceID, SpanID string }
	Attributes  []struct {
		Key   string
		Value struct{ Value any }
	}
	Status struct{ Code string }
	// Metrics
	ScopeMetrics []struct {
		Metrics []struct{ Name, Unit string }
	}
}

func (e exported) attr(key string) any {
	for _, a := range e.Attributes {
		if a.Key == key {
			return a.Value.Value
		}
	}
	return nil
}

// The program exports the spans of every kind of call, in one trace for
// the HTTP calls, and the duration metrics.
func TestRun(t *testing.T) {
	t.Setenv("OTEL_SEMCONV_STABILITY_OPT_IN", "")
	var out bytes.Buffer
	if err := run(t.Context(), &out); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&out)
	var spans []exported
	metrics := map[string]string{}
	for {
		var e exported
		if err := dec.Decode(&e); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("output is not a stream of JSON objects: %v", err)
		}
		if e.Name != "" {
			spans = append(spans, e)
		}
		for _, sm := range e.ScopeMetrics {
			for _, m := range sm.Metrics {
				metrics[m.Name] = m.Unit
			}
		}
	}
	find := func(name string, kind int, ok func(exported) bool) exported {
		t.Helper()
		for _, s := range spans {
			if s.Name == name && s.SpanKind == kind && (ok == nil || ok(s)) {
				return s
			}
		}
		var names []string
		for _, s := range spans {
			names = append(names, s.Name)
		}
		t.Fatalf("no %s span of kind %d among %s", name, kind, strings.Join(names, ", "))
		return exported{}
	}
	const server, client = 2, 3
	root := find("calls", 1, nil)
	add := find("add", server, func(s exported) bool { return s.Status.Code != "Error" })
	if add.SpanContext.TraceID != root.SpanContext.TraceID {
		t.Errorf("server span of add in trace %s, the caller's is %s", add.SpanContext.TraceID, root.SpanContext.TraceID)
	}
	invalid := find("add", server, func(s exported) bool { return s.Status.Code == "Error" })
	if v := invalid.attr("schemarpc.params.violations"); v != float64(2) {
		t.Errorf("violations %v, want 2", v)
	}
	if v := invalid.attr("rpc.jsonrpc.error_code"); v != float64(-32602) {
		t.Errorf("error code %v", v)
	}
	find("log", server, func(s exported) bool { return s.attr("rpc.jsonrpc.request_id") == nil })
	find("jsonrpc batch", client, nil)
	greet := find("greet", server, func(s exported) bool { return s.attr("network.protocol.name") == "websocket" })
	name := find("name", client, nil)
	if name.Parent.SpanID != greet.SpanContext.SpanID {
		t.Errorf("server-to-client call's parent %s, want greet's span %s", name.Parent.SpanID, greet.SpanContext.SpanID)
	}
	for n, unit := range map[string]string{"rpc.server.duration": "ms", "rpc.client.duration": "ms"} {
		if metrics[n] != unit {
			t.Errorf("metric %s: unit %q, want %q (metrics %v)", n, metrics[n], unit, metrics)
		}
	}
}
