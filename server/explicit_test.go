package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/server"
)

const describedMethod = `{
  "name": "pet_find",
  "summary": "Find a pet",
  "paramStructure": "by-position",
  "params": [
    {"name": "id", "required": true, "schema": {"$ref": "#/components/schemas/PetID"}},
    {"name": "tag", "schema": {"type": ["string", "null"], "maxLength": 3}}
  ],
  "result": {"name": "pet", "schema": {"$ref": "#/components/schemas/Pet"}},
  "errors": [{"code": 404, "message": "no such pet"}],
  "examples": [{"name": "one", "params": [{"name": "id", "value": 12345678901234567890}], "result": {"name": "pet", "value": {"id": 1}}}],
  "x-owner": "pets"
}`

var describedComponents = map[string]json.RawMessage{
	"PetID": json.RawMessage(`{"type": "integer", "minimum": 1}`),
	"Pet":   json.RawMessage(`{"type": "object", "properties": {"id": {"$ref": "#/components/schemas/PetID"}}, "x-go-name": "Animal"}`),
}

func newDescribed(t *testing.T) *server.Server {
	t.Helper()
	name, spec, err := server.SpecFromJSON([]byte(describedMethod))
	if err != nil {
		t.Fatal(err)
	}
	spec.Components = describedComponents
	s := server.New()
	if err := s.Add(server.Described(name, spec, func(_ context.Context, params json.RawMessage) (any, error) {
		var p struct {
			ID  int64   `json:"id"`
			Tag *string `json:"tag"`
		}
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		if p.ID == 7 {
			return nil, schemarpc.NewError(404, "no such pet")
		}
		return map[string]any{"id": p.ID, "tag": p.Tag}, nil
	})); err != nil {
		t.Fatal(err)
	}
	return s
}

// Described methods are validated against exactly the given schemas,
// "type" arrays and component references included.
func TestDescribedValidates(t *testing.T) {
	s := newDescribed(t)
	for _, tc := range []struct{ req, want string }{
		{`[5]`, `"result":{"id":5,"tag":null}`},
		{`[5, null]`, `"result":{"id":5,"tag":null}`},
		{`[5, "ab"]`, `"result":{"id":5,"tag":"ab"}`},
		{`[0]`, `"keyword":"minimum"`},
		{`[5, "abcd"]`, `"keyword":"maxLength"`},
		{`[5, 3]`, `"keyword":"type"`},
		{`[]`, `"keyword":"required"`},
		{`{"id": 5}`, `takes params by position`},
		{`[7]`, `"error":{"code":404,"message":"no such pet"}`},
	} {
		out := string(s.Handle(context.Background(), []byte(`{"jsonrpc":"2.0","id":1,"method":"pet_find","params":`+tc.req+`}`)))
		if !strings.Contains(out, tc.want) {
			t.Errorf("params %s: got %s, want it to contain %s", tc.req, out, tc.want)
		}
	}
}

// rpc.discover serves the method and its components as given.
func TestDescribedDiscover(t *testing.T) {
	s := newDescribed(t)
	out := s.Handle(context.Background(), []byte(`{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}`))
	var resp struct {
		Result struct {
			Methods    []json.RawMessage                `json:"methods"`
			Components struct{ Schemas map[string]any } `json:"components"`
		} `json:"result"`
	}
	if err := json.Unmarshal(out, &resp); err != nil || len(resp.Result.Methods) != 1 {
		t.Fatalf("discover: %s (%v)", out, err)
	}
	var got, want any
	dec := func(b []byte, v *any) {
		d := json.NewDecoder(strings.NewReader(string(b)))
		d.UseNumber()
		if err := d.Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	dec(resp.Result.Methods[0], &got)
	dec([]byte(describedMethod), &want)
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Errorf("method served as\n%s\nwant\n%s", g, w)
	}
	for name, raw := range describedComponents {
		var w any
		dec(raw, &w)
		g, _ := json.Marshal(resp.Result.Components.Schemas[name])
		var gv any
		dec(g, &gv)
		if !reflect.DeepEqual(gv, w) {
			t.Errorf("component %s served as %s, want %s", name, g, raw)
		}
	}
}

// A component that clashes with one already registered, a bad schema and
// a required param after an optional one make Add fail.
func TestDescribedRefused(t *testing.T) {
	s := newDescribed(t)
	noop := func(context.Context, json.RawMessage) (any, error) { return nil, nil }
	for _, tc := range []struct {
		spec server.Spec
		want string
	}{
		{server.Spec{Components: map[string]json.RawMessage{"Pet": json.RawMessage(`{"type":"string"}`)}}, `component schema "Pet" differs`},
		{server.Spec{Params: []server.ParamSpec{{Name: "a", Schema: json.RawMessage(`{"type": 5}`)}}}, `compiling params schema`},
		{server.Spec{Params: []server.ParamSpec{{Name: "a"}, {Name: "b", Required: true}}}, `comes after an optional one`},
		{server.Spec{Params: []server.ParamSpec{{Name: "a"}, {Name: "a"}}}, `duplicate param "a"`},
	} {
		err := s.Add(server.Described("other", tc.spec, noop))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Add: %v, want an error containing %q", err, tc.want)
		}
	}
	if err := s.Add(server.Described("nil", server.Spec{}, nil)); err == nil {
		t.Error("Add of a nil function succeeded")
	}
	same := server.Spec{Components: map[string]json.RawMessage{"Pet": json.RawMessage(`{"x-go-name":"Animal","properties":{"id":{"$ref":"#/components/schemas/PetID"}},"type":"object"}`)}}
	if err := s.Add(server.Described("same", same, noop)); err != nil {
		t.Errorf("an identical component was refused: %v", err)
	}
}

// With "x-raw-params": true the params reach the handler as sent.
func TestDescribedRawParams(t *testing.T) {
	s := server.New()
	spec := server.Spec{Extensions: map[string]any{"x-raw-params": true}}
	if err := s.Add(server.Described("echo", spec, func(_ context.Context, params json.RawMessage) (any, error) {
		return params, nil
	})); err != nil {
		t.Fatal(err)
	}
	out := string(s.Handle(context.Background(), []byte(`{"jsonrpc":"2.0","id":1,"method":"echo","params":[1,{"a":2}]}`)))
	if !strings.Contains(out, `"result":[1,{"a":2}]`) {
		t.Errorf("got %s", out)
	}
}

// DecodeParams gives json.Unmarshal's value and error, for input the fast
// decoder takes and for input it leaves to encoding/json.
func TestDecodeParams_asEncodingJSON(t *testing.T) {
	type item struct {
		SKU   string   `json:"sku"`
		Count uint32   `json:"count"`
		Tags  []string `json:"tags,omitempty"`
	}
	for _, in := range []string{
		`{"sku":"ABC-0001","count":3,"tags":["a"]}`,
		`{"SKU":"other case","count":1}`,
		`{"sku":"x","count":-1}`,
		`{"sku":"x","count":4294967296}`,
		`{"sku":1}`,
		`[1,2]`,
		`{"sku":"x"`,
	} {
		got, gerr := server.DecodeParams[item](json.RawMessage(in))
		var want item
		werr := json.Unmarshal([]byte(in), &want)
		if !reflect.DeepEqual(got, want) || fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Errorf("%s: got %+v, %v; json.Unmarshal %+v, %v", in, got, gerr, want, werr)
		}
	}
	// A type the fast decoder leaves to encoding/json whole.
	for _, in := range []string{`{"a":[1,"x"]}`, `[1]`} {
		got, gerr := server.DecodeParams[map[string]any](json.RawMessage(in))
		var want map[string]any
		werr := json.Unmarshal([]byte(in), &want)
		if !reflect.DeepEqual(got, want) || fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Errorf("%s: got %+v, %v; json.Unmarshal %+v, %v", in, got, gerr, want, werr)
		}
	}
}
