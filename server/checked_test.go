package server

import (
	"context"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc"
)

// wrappedCodec is encoding/json under another type: the server cannot
// tell that it decodes as encoding/json does.
type wrappedCodec struct{ schemarpc.JSONCodec }

// The methods whose params are decoded into Go types validate them while
// decoding them, under the default codec only, and answer as the
// validator and the decoder would.
func TestCheckedInvoke(t *testing.T) {
	type params struct {
		N    int      `json:"n" jsonschema:"minimum=1"`
		Tags []string `json:"tags,omitempty" jsonschema:"maxItems=2"`
	}
	type arg struct {
		X int `json:"x" jsonschema:"minimum=0"`
	}
	methods := func() []*Method {
		return []*Method{
			Func("f", func(_ context.Context, p params) (int, error) { return p.N + len(p.Tags), nil }),
			FuncNoResult("g", func(_ context.Context, p params) error { return nil }),
			Variadic("v", "arg", func(_ context.Context, args []arg) (int, error) {
				sum := 0
				for _, a := range args {
					sum += a.X
				}
				return sum, nil
			}),
		}
	}
	ctx := context.Background()
	for _, codec := range []schemarpc.Codec{schemarpc.JSONCodec{}, wrappedCodec{}} {
		s := New(WithCodec(codec))
		s.MustAdd(methods()...)
		_, std := codec.(schemarpc.JSONCodec)
		for _, name := range []string{"f", "g", "v"} {
			if got := s.lookup(name).checked != nil; got != std {
				t.Errorf("%T: method %s validates while decoding: %v, want %v", codec, name, got, std)
			}
		}
		for _, c := range []struct{ call, want string }{
			{`"f","params":{"n":2,"tags":["a"]}`, `"result":3`},
			{`"f","params":[2]`, `"result":2`},
			{`"f","params":{"n":0}`, `"pointer":"/n","keyword":"minimum"`},
			{`"f","params":{"n":2,"tags":["a","b","c"]}`, `"pointer":"/tags","keyword":"maxItems"`},
			{`"f","params":{"n":"2"}`, `"pointer":"/n","keyword":"type"`},
			{`"f","params":{"n":2,"m":1}`, `"keyword":"additionalProperties"`},
			{`"g","params":{"n":2}`, `"result":null`},
			{`"g","params":{}`, `"keyword":"required"`},
			{`"v","params":[{"x":1},{"x":2}]`, `"result":3`},
			{`"v"`, `"result":0`},
			{`"v","params":[{"x":1},{"x":-1}]`, `"pointer":"/1/x","keyword":"minimum"`},
		} {
			out := string(s.Handle(ctx, []byte(`{"jsonrpc":"2.0","id":1,"method":`+c.call+`}`)))
			if !strings.Contains(out, c.want) {
				t.Errorf("%T: %s: got %s, want %s in it", codec, c.call, out, c.want)
			}
		}
	}
}

// DescribedFunc validates against the spec's own schemas while decoding,
// and a value the schemas allow but the Go type cannot hold is -32602.
func TestCheckedInvoke_described(t *testing.T) {
	type params struct {
		N    int      `json:"n"`
		Tags []string `json:"tags,omitempty"`
	}
	name, spec, err := SpecFromJSON([]byte(`{"name": "d",
	  "params": [
	    {"name": "n", "required": true, "schema": {"type": "number", "minimum": 1}},
	    {"name": "tags", "schema": {"type": "array", "items": {"type": "string"}, "maxItems": 2}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	s := New()
	s.MustAdd(DescribedFunc(name, spec, func(_ context.Context, p params) (int, error) { return p.N + len(p.Tags), nil }))
	if s.lookup("d").checked == nil {
		t.Error("a DescribedFunc method does not validate while decoding")
	}
	for _, c := range []struct{ call, want string }{
		{`"params":{"n":2,"tags":["a"]}`, `"result":3`},
		{`"params":[2,["a","b"]]`, `"result":4`},
		{`"params":{"n":0}`, `"pointer":"/n","keyword":"minimum"`},
		{`"params":{"n":2,"tags":["a","b","c"]}`, `"pointer":"/tags","keyword":"maxItems"`},
		{`"params":{"n":2.5}`, `"pointer":"/n","keyword":"type","message":"expected integer, got number 2.5"`},
	} {
		out := string(s.Handle(context.Background(), []byte(`{"jsonrpc":"2.0","id":1,"method":"d",`+c.call+`}`)))
		if !strings.Contains(out, c.want) {
			t.Errorf("%s: got %s, want %s in it", c.call, out, c.want)
		}
	}
	if err := New().Add(DescribedFunc[params, int](name, spec, nil)); err == nil || !strings.Contains(err.Error(), "DescribedFunc was given a nil function") {
		t.Errorf("a nil function: %v", err)
	}
}

// A method whose schema has no fast path validates and then decodes, as
// before, and answers the same.
func TestCheckedInvoke_noFastPath(t *testing.T) {
	type params struct {
		N int `json:"n"`
	}
	name, spec, err := SpecFromJSON([]byte(`{"name": "m",
	  "params": [{"name": "n", "required": true, "schema": {"type": "integer", "not": {"const": 3}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	s := New()
	s.MustAdd(DescribedFunc(name, spec, func(_ context.Context, p params) (int, error) { return p.N, nil }))
	if s.lookup("m").checked != nil {
		t.Fatal("validating while decoding against a schema without a fast path")
	}
	for call, want := range map[string]string{
		`[2]`: `"result":2`,
		`[3]`: `"pointer":"/n","keyword":"schema","message":"expected a value that does not match the \"not\" schema"`,
	} {
		out := string(s.Handle(context.Background(), []byte(`{"jsonrpc":"2.0","id":1,"method":"m","params":`+call+`}`)))
		if !strings.Contains(out, want) {
			t.Errorf("%s: got %s, want %s in it", call, out, want)
		}
	}
}
