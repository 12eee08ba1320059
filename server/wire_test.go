package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/invopop/jsonschema"

	"github.com/schemarpc/schemarpc/lint"
	"github.com/schemarpc/schemarpc/server"
	"github.com/schemarpc/schemarpc/validate"
)

// level is a TextMarshaler: encoding/json writes it as a string.
type level int

func (l level) MarshalText() ([]byte, error) {
	switch l {
	case 0:
		return []byte("low"), nil
	case 1:
		return []byte("high"), nil
	}
	return nil, errors.New("bad level")
}

func (l *level) UnmarshalText(b []byte) error {
	switch string(b) {
	case "low":
		*l = 0
	case "high":
		*l = 1
	default:
		return fmt.Errorf("unknown level %q", b)
	}
	return nil
}

// point has its own JSON form, [x, y], unlike its Go shape.
type point struct{ x, y int }

func (p point) MarshalJSON() ([]byte, error) { return json.Marshal([2]int{p.x, p.y}) }

func (p *point) UnmarshalJSON(b []byte) error {
	var xy [2]int
	if err := json.Unmarshal(b, &xy); err != nil {
		return err
	}
	p.x, p.y = xy[0], xy[1]
	return nil
}

// wireCase is one type sent through a real server: the value given as
// param "v" reaches the handler as want (printed with %v), and comes back
// as the result's "v", unchanged; each of bad is refused with -32602.
type wireCase struct {
	name   string
	method func(got chan<- string) *server.Method
	opts   []server.Option
	in     string
	want   string
	bad    []string
}

// echo makes a method that reports the param it received and returns it.
// The result is a pointer, so that fields whose marshal methods have
// pointer receivers (big.Int, big.Float) are addressable when encoded.
func echo[T any](got chan<- string) *server.Method {
	type box struct {
		V T `json:"v"`
	}
	return server.Func("echo", func(_ context.Context, p box) (*box, error) {
		if v, ok := any(&p.V).(fmt.Stringer); ok {
			got <- v.String()
		} else {
			got <- fmt.Sprint(p.V)
		}
		return &p, nil
	})
}

func bigInt(s string) *big.Int {
	n, _ := new(big.Int).SetString(s, 10)
	return n
}

var wireCases = []wireCase{
	{name: "json.Number fraction", method: echo[json.Number], in: `1.5`, want: "1.5", bad: []string{`"1.5"`, `true`}},
	{name: "json.Number huge", method: echo[json.Number], in: `123456789012345678901234567890.5`, want: "123456789012345678901234567890.5"},
	{name: "*big.Int", method: echo[*big.Int], in: `123456789012345678901234567890`, want: "123456789012345678901234567890",
		bad: []string{`1.5`, `"12"`}},
	{name: "big.Int", method: echo[big.Int], in: `-18446744073709551616`, want: bigInt("-18446744073709551616").String()},
	{name: "*big.Float", method: echo[*big.Float], in: `"1.5e+100"`, want: "1.5e+100", bad: []string{`1.5`, `"one"`}},
	{name: "big.Rat", method: echo[*big.Rat], in: `"1/3"`, want: "1/3", bad: []string{`0.5`, `"a/b"`}},
	{name: "netip.Addr v4", method: echo[netip.Addr], in: `"192.0.2.1"`, want: "192.0.2.1",
		bad: []string{`""`, `"192.0.2.300"`, `"example.com"`, `1`}},
	{name: "netip.Addr v6", method: echo[netip.Addr], in: `"2001:db8::1"`, want: "2001:db8::1"},
	{name: "net.IP v6", method: echo[net.IP], in: `"2001:db8::1"`, want: "2001:db8::1", bad: []string{`"2001:db8::g"`}},
	{name: "netip.AddrPort", method: echo[netip.AddrPort], in: `"[2001:db8::1]:8080"`, want: "[2001:db8::1]:8080",
		bad: []string{`"192.0.2.1"`, `""`, `8080`}},
	{name: "netip.AddrPort v4", method: echo[netip.AddrPort], in: `"192.0.2.1:53"`, want: "192.0.2.1:53"},
	{name: "netip.Prefix", method: echo[netip.Prefix], in: `"2001:db8::/32"`, want: "2001:db8::/32",
		bad: []string{`"10.0.0.0"`, `""`}},
	{name: "url.URL", method: echo[url.URL],
		in:   `{"Scheme":"https","Opaque":"","User":null,"Host":"example.com","Path":"/a","RawPath":"","OmitHost":false,"ForceQuery":false,"RawQuery":"q=1","Fragment":"","RawFragment":""}`,
		want: "https://example.com/a?q=1", bad: []string{`"https://example.com/a"`}},
	{name: "time.Duration", method: echo[time.Duration], in: `1500000000`, want: "1.5s",
		bad: []string{`1.5`, `"1.5s"`, `9223372036854775808`}},
	{name: "time.Time", method: echo[time.Time], in: `"2026-11-30T20:00:00.5Z"`, want: "2026-11-30 20:00:00.5 +0000 UTC",
		bad: []string{`"yesterday"`, `0`}},
	{name: "TextMarshaler", method: echo[level], in: `"high"`, want: "1", bad: []string{`1`}},
	{name: "json.Marshaler", method: echo[point], in: `[3,4]`, want: "{3 4}"},
	{name: "json.Marshaler with WithTypeSchema", method: echo[point], in: `[3,4]`, want: "{3 4}",
		opts: []server.Option{server.WithTypeSchema[point](&jsonschema.Schema{Type: "array", Items: &jsonschema.Schema{Type: "integer"}})},
		bad:  []string{`{"x":3}`, `"3,4"`}},
	{name: "int8", method: echo[int8], in: `-128`, want: "-128", bad: []string{`300`, `-129`, `128`}},
	{name: "uint8", method: echo[uint8], in: `255`, want: "255", bad: []string{`-1`, `256`}},
	{name: "uint64", method: echo[uint64], in: `18446744073709551615`, want: "18446744073709551615",
		bad: []string{`-1`, `18446744073709551616`}},
	{name: "int64", method: echo[int64], in: `-9223372036854775808`, want: "-9223372036854775808",
		bad: []string{`9223372036854775808`, `-9223372036854775809`}},
	{name: "int", method: echo[int], in: `9223372036854775807`, want: "9223372036854775807", bad: []string{`9223372036854775808`}},
	{name: "uint", method: echo[uint], in: `0`, want: "0", bad: []string{`-1`}},
}

// rpcReply is a decoded JSON-RPC response.
type rpcReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code int             `json:"code"`
		Data json.RawMessage `json:"data"`
	} `json:"error"`
}

func postCall(t *testing.T, url, method, params string) rpcReply {
	t.Helper()
	res := post(t, url, "application/json", `{"jsonrpc":"2.0","method":"`+method+`","params":`+params+`,"id":1}`)
	var r rpcReply
	if err := json.Unmarshal([]byte(res.body), &r); err != nil {
		t.Fatalf("reply %q: %v", res.body, err)
	}
	return r
}

// discoverChecked fetches the server's document over rpc.discover and checks
// it as `schemarpc validate` does.
func discoverChecked(t *testing.T, url string) (raw json.RawMessage, doc struct {
	Methods []struct {
		Name           string `json:"name"`
		ParamStructure string `json:"paramStructure"`
		Params         []struct {
			Name     string          `json:"name"`
			Required bool            `json:"required"`
			Schema   json.RawMessage `json:"schema"`
		} `json:"params"`
		Result struct {
			Schema json.RawMessage `json:"schema"`
		} `json:"result"`
	} `json:"methods"`
	Components struct {
		Schemas json.RawMessage `json:"schemas"`
	} `json:"components"`
}) {
	t.Helper()
	r := postCall(t, url, "rpc.discover", "[]")
	if r.Error != nil {
		t.Fatalf("rpc.discover: error %d", r.Error.Code)
	}
	if _, findings, _ := lint.Check(context.Background(), r.Result, lint.Options{Name: "rpc.discover"}); len(findings) > 0 {
		t.Errorf("rpc.discover answers an invalid document: %v\n%s", findings, r.Result)
	}
	if err := json.Unmarshal(r.Result, &doc); err != nil {
		t.Fatal(err)
	}
	return r.Result, doc
}

// TestWireForms sends each type through a real server: its published
// schema accepts the value the Go type reads, the handler receives it, the
// result that encoding/json writes matches the published result schema,
// and the values the type cannot take are refused before the handler.
func TestWireForms(t *testing.T) {
	for _, tc := range wireCases {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan string, 1)
			s := server.New(tc.opts...)
			if err := s.Add(tc.method(got)); err != nil {
				t.Fatal(err)
			}
			ts := serve(t, s)
			_, doc := discoverChecked(t, ts.URL)
			m := doc.Methods[0]

			r := postCall(t, ts.URL, "echo", `{"v":`+tc.in+`}`)
			if r.Error != nil {
				t.Fatalf("valid param %s refused: %d %s\nparams schema: %s", tc.in, r.Error.Code, r.Error.Data, m.Params[0].Schema)
			}
			if v := <-got; v != tc.want {
				t.Errorf("handler got %s, want %s", v, tc.want)
			}
			if !sameJSON(t, r.Result, []byte(`{"v":`+tc.in+`}`)) {
				t.Errorf("result %s, want {\"v\":%s}", r.Result, tc.in)
			}
			comps := []byte(doc.Components.Schemas)
			if len(comps) == 0 {
				comps = []byte("{}")
			}
			rv, err := validate.Compile(m.Result.Schema, validate.WithComponents(comps))
			if err != nil {
				t.Fatalf("result schema %s: %v", m.Result.Schema, err)
			}
			if err := rv.ValidateJSON(r.Result); err != nil {
				t.Errorf("result %s does not match the published result schema %s: %v", r.Result, m.Result.Schema, err)
			}

			for _, bad := range tc.bad {
				r := postCall(t, ts.URL, "echo", `{"v":`+bad+`}`)
				if r.Error == nil || r.Error.Code != -32602 {
					t.Errorf("param %s: got %+v, want -32602", bad, r)
					continue
				}
				select {
				case v := <-got:
					t.Errorf("param %s reached the handler as %s", bad, v)
				default: // the call has been answered: the handler never ran
				}
				if !strings.Contains(string(r.Error.Data), `"/v"`) {
					t.Errorf("param %s: violation not at /v: %s", bad, r.Error.Data)
				}
			}
		})
	}
}

// The bounds of sized integers are in the published schema, as exact
// integers, and out-of-range values are refused there, by keyword.
func TestIntegerBoundsPublished(t *testing.T) {
	type P struct {
		I8  int8   `json:"i8"`
		U64 uint64 `json:"u64"`
		I64 int64  `json:"i64"`
		Age uint8  `json:"age" jsonschema:"maximum=150"`
	}
	s := server.New()
	s.MustAdd(server.FuncNoResult("set", func(context.Context, P) error { return nil }))
	ts := serve(t, s)
	_, doc := discoverChecked(t, ts.URL)
	want := map[string]string{
		"i8":  `{"type":"integer","maximum":127,"minimum":-128}`,
		"u64": `{"type":"integer","maximum":18446744073709551615,"minimum":0}`,
		"i64": `{"type":"integer","maximum":9223372036854775807,"minimum":-9223372036854775808}`,
		"age": `{"type":"integer","maximum":150,"minimum":0}`, // a tag narrows the bound
	}
	for _, p := range doc.Methods[0].Params {
		if string(p.Schema) != want[p.Name] {
			t.Errorf("%s: schema %s, want %s", p.Name, p.Schema, want[p.Name])
		}
	}
	for params, kw := range map[string]string{
		`{"i8":300,"u64":0,"i64":0,"age":1}`:                    `"keyword":"maximum"`,
		`{"i8":0,"u64":-1,"i64":0,"age":1}`:                     `"keyword":"minimum"`,
		`{"i8":0,"u64":0,"i64":-9223372036854775809,"age":1}`:   `"keyword":"minimum"`,
		`{"i8":0,"u64":18446744073709551616,"i64":0,"age":1}`:   `"keyword":"maximum"`,
		`{"i8":0,"u64":0,"i64":0,"age":151}`:                    `"keyword":"maximum"`,
		`{"i8":0,"u64":18446744073709551615,"i64":0,"age":150}`: "",
		`{"i8":-128,"u64":0,"i64":9223372036854775807,"age":0}`: "",
	} {
		r := postCall(t, ts.URL, "set", params)
		switch {
		case kw == "" && r.Error != nil:
			t.Errorf("%s: refused: %s", params, r.Error.Data)
		case kw != "" && (r.Error == nil || r.Error.Code != -32602 || !strings.Contains(string(r.Error.Data), kw)):
			t.Errorf("%s: got %+v, want -32602 with %s", params, r, kw)
		}
	}
}

// With validation off, the decoder's overflow is explained in the same
// terms, not as a type mismatch.
func TestIntegerOverflowMessage(t *testing.T) {
	type P struct {
		N int8   `json:"n"`
		U uint16 `json:"u,omitempty"`
	}
	s := server.New(server.WithValidation(false))
	s.MustAdd(server.FuncNoResult("set", func(context.Context, P) error { return nil }))
	for params, want := range map[string]string{
		`{"n":300}`:        `[{"pointer":"/n","keyword":"maximum","message":"number 300 is out of range: expected an integer from -128 to 127"}]`,
		`{"n":0,"u":-1}`:   `[{"pointer":"/u","keyword":"minimum","message":"number -1 is out of range: expected an integer from 0 to 65535"}]`,
		`{"n":1.5}`:        `[{"pointer":"/n","keyword":"type","message":"expected integer, got number 1.5"}]`,
		`{"n":"a string"}`: `[{"pointer":"/n","keyword":"type","message":"expected integer, got string"}]`,
	} {
		got := call(s, `{"jsonrpc":"2.0","method":"set","params":`+params+`,"id":1}`)
		if !strings.Contains(got, `"data":`+want) {
			t.Errorf("%s: got %s, want data %s", params, got, want)
		}
	}
}
