package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/server"
)

// A params struct whose optional fields come before required ones cannot
// be called by position without filling the optional ones in between:
// such a method takes params by name only, and its document lists the
// required params first, so that it stays valid.
func TestOptionalBeforeRequiredIsByName(t *testing.T) {
	type P struct {
		A *int   `json:"a"`
		B int    `json:"b"`
		C string `json:"c,omitempty"`
		D bool   `json:"d"`
	}
	got := make(chan P, 1)
	s := server.New()
	s.MustAdd(server.Func("m", func(_ context.Context, p P) (int, error) {
		got <- p
		return p.B, nil
	}))
	ts := serve(t, s)

	_, doc := discoverChecked(t, ts.URL)
	m := doc.Methods[0]
	if m.ParamStructure != "by-name" {
		t.Errorf("paramStructure %q, want by-name", m.ParamStructure)
	}
	var names []string
	for _, p := range m.Params {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "b,d,a,c" {
		t.Errorf("params %v, want required first: b,d,a,c", names)
	}

	r := postCall(t, ts.URL, "m", `{"b":7,"d":true,"a":1}`)
	if r.Error != nil || string(r.Result) != "7" {
		t.Fatalf("by-name call: %+v", r)
	}
	if p := <-got; p.A == nil || *p.A != 1 || p.B != 7 || !p.D {
		t.Errorf("handler got %+v", p)
	}
	r = postCall(t, ts.URL, "m", `[null,7,"",true]`)
	if r.Error == nil || r.Error.Code != -32602 || !strings.Contains(string(r.Error.Data), `m takes params by name (an object)`) {
		t.Errorf("positional call: got %+v, want -32602 saying the method takes params by name", r)
	}
}

// A struct in a valid positional order keeps "either".
func TestRequiredFirstKeepsEither(t *testing.T) {
	type P struct {
		B int  `json:"b"`
		A *int `json:"a"`
	}
	s := server.New()
	s.MustAdd(server.Func("m", func(_ context.Context, p P) (int, error) { return p.B, nil }))
	ts := serve(t, s)
	_, doc := discoverChecked(t, ts.URL)
	if ps := doc.Methods[0].ParamStructure; ps != "" {
		t.Errorf("paramStructure %q, want none (either)", ps)
	}
	if r := postCall(t, ts.URL, "m", `[5]`); r.Error != nil || string(r.Result) != "5" {
		t.Errorf("positional call: %+v", r)
	}
}

// A method built from a nil function is refused at registration, by
// every constructor, instead of failing every call with -32603.
func TestNilFunctionRefused(t *testing.T) {
	type P struct {
		N int `json:"n"`
	}
	for _, m := range []*server.Method{
		server.Func[P, int]("func", nil),
		server.FuncNoParams[int]("noParams", nil),
		server.FuncNoResult[P]("noResult", nil),
		server.Variadic[int, int]("variadic", "n", nil),
		server.Raw("raw", nil),
	} {
		err := server.New().Add(m)
		if err == nil || !strings.Contains(err.Error(), "nil function") || !strings.Contains(err.Error(), m.Name()) {
			t.Errorf("%s: Add = %v, want an error naming the method and the nil function", m.Name(), err)
		}
	}
	var fn func(context.Context, json.RawMessage) (any, error)
	if err := server.New().Add(server.Raw("typedNil", fn)); err == nil {
		t.Error("Add of a method with a typed nil function succeeded")
	}
}
