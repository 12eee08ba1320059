package schema_test

import (
	"encoding/json"
	"math/big"
	"net"
	"net/netip"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/invopop/jsonschema"

	"github.com/schemarpc/schemarpc/schema"
)

// textLevel has a text form: encoding/json writes it as a string.
type textLevel int

func (l textLevel) MarshalText() ([]byte, error) { return []byte("low"), nil }

// parsedOnly is read from a string and has no MarshalText.
type parsedOnly struct{ v string }

func (p *parsedOnly) UnmarshalText(b []byte) error { p.v = string(b); return nil }

// ownJSON has its own JSON form, which reflection cannot know.
type ownJSON struct{ X int }

func (o ownJSON) MarshalJSON() ([]byte, error) { return []byte("[1]"), nil }

// customSchema gives invopop/jsonschema its own schema and keeps it.
type customSchema int

func (customSchema) MarshalText() ([]byte, error) { return nil, nil }
func (customSchema) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Enum: []any{"a", "b"}}
}

// event embeds time.Time: encoding/json uses the promoted MarshalJSON, so
// an event is written as a bare time, not as an object.
type event struct {
	time.Time
	Name string `json:"name"`
}

func TestWireSchemas(t *testing.T) {
	const (
		i64 = `"maximum":9223372036854775807,"minimum":-9223372036854775808`
	)
	for _, tc := range []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[int8](), `{"type":"integer","maximum":127,"minimum":-128}`},
		{reflect.TypeFor[int16](), `{"type":"integer","maximum":32767,"minimum":-32768}`},
		{reflect.TypeFor[int32](), `{"type":"integer","maximum":2147483647,"minimum":-2147483648}`},
		{reflect.TypeFor[int64](), `{"type":"integer",` + i64 + `}`},
		{reflect.TypeFor[int](), `{"type":"integer",` + i64 + `}`}, // 64-bit platforms
		{reflect.TypeFor[uint8](), `{"type":"integer","maximum":255,"minimum":0}`},
		{reflect.TypeFor[uint16](), `{"type":"integer","maximum":65535,"minimum":0}`},
		{reflect.TypeFor[uint32](), `{"type":"integer","maximum":4294967295,"minimum":0}`},
		{reflect.TypeFor[uint64](), `{"type":"integer","maximum":18446744073709551615,"minimum":0}`},
		{reflect.TypeFor[uint](), `{"type":"integer","maximum":18446744073709551615,"minimum":0}`},
		{reflect.TypeFor[time.Duration](), `{"type":"integer",` + i64 + `}`},
		{reflect.TypeFor[time.Time](), `{"type":"string","format":"date-time"}`},
		{reflect.TypeFor[json.Number](), `{"type":"number"}`},
		{reflect.TypeFor[*big.Int](), `{"type":"integer"}`},
		{reflect.TypeFor[big.Int](), `{"type":"integer"}`},
		{reflect.TypeFor[*big.Float](), `{"type":"string","pattern":"^[+-]?(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[Ii]nf)$"}`},
		{reflect.TypeFor[netip.Addr](), `{"anyOf":[{"format":"ipv4"},{"format":"ipv6"}],"type":"string"}`},
		{reflect.TypeFor[net.IP](), `{"anyOf":[{"format":"ipv4"},{"format":"ipv6"}],"type":"string"}`},
		{reflect.TypeFor[textLevel](), `{"type":"string"}`},
		{reflect.TypeFor[*parsedOnly](), `{"type":"string"}`},
		{reflect.TypeFor[ownJSON](), `true`},
		{reflect.TypeFor[json.RawMessage](), `true`},
		{reflect.TypeFor[customSchema](), `{"$ref":"#/components/schemas/customSchema"}`}, // its own schema, as a component
		{reflect.TypeFor[event](), `true`},
	} {
		s, err := schema.NewReflector().Schema(tc.typ)
		if err != nil {
			t.Errorf("%s: %v", tc.typ, err)
			continue
		}
		if got := toJSON(t, s); got != tc.want {
			t.Errorf("%s:\ngot  %s\nwant %s", tc.typ, got, tc.want)
		}
	}
}

// Each netip form that encoding/json writes matches its pattern; other
// strings do not.
func TestNetipPatterns(t *testing.T) {
	r := schema.NewReflector()
	for _, tc := range []struct {
		typ       reflect.Type
		good, bad []string
	}{
		{reflect.TypeFor[netip.AddrPort](),
			[]string{netip.MustParseAddrPort("192.0.2.1:53").String(), netip.MustParseAddrPort("[2001:db8::1]:65535").String(), "[fe80::1%eth0]:1", "[::ffff:1.2.3.4]:80"},
			[]string{"", "192.0.2.1", "::1:80", "[::1]", "host:80"}},
		{reflect.TypeFor[netip.Prefix](),
			[]string{netip.MustParsePrefix("10.0.0.0/8").String(), netip.MustParsePrefix("2001:db8::/32").String(), "::ffff:1.2.3.4/100", "::/0"},
			[]string{"", "10.0.0.0", "10.0.0.0/", "a/8"}},
		{reflect.TypeFor[big.Float](),
			[]string{big.NewFloat(1.5).Text('g', -1), new(big.Float).SetInf(true).Text('g', -1), "+Inf", "1e+100", "-0", ".5", "5."},
			[]string{"", "one", "1.5.5", "0x1p-2", "NaN"}},
		{reflect.TypeFor[big.Rat](),
			[]string{big.NewRat(1, 3).String(), big.NewRat(-5, 1).RatString(), "1.25", "1e3"},
			[]string{"", "a/b", "1/", "/3"}},
	} {
		s, err := r.Schema(tc.typ)
		if err != nil {
			t.Fatal(err)
		}
		if s.Type != "string" || s.Pattern == "" {
			t.Fatalf("%s: %s, want a string with a pattern", tc.typ, toJSON(t, s))
		}
		re := mustCompile(t, s.Pattern)
		for _, g := range tc.good {
			if !re.MatchString(g) {
				t.Errorf("%s: %q does not match %s", tc.typ, g, s.Pattern)
			}
		}
		for _, b := range tc.bad {
			if re.MatchString(b) {
				t.Errorf("%s: %q matches %s", tc.typ, b, s.Pattern)
			}
		}
	}
}

// url.URL is written as an object of its fields, not as a string.
func TestURLSchema(t *testing.T) {
	s, err := schema.NewReflector().Schema(reflect.TypeFor[url.URL]())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("https://user@example.com/a?q=1#f")
	b, _ := json.Marshal(u)
	var obj map[string]any
	if err := json.Unmarshal(b, &obj); err != nil {
		t.Fatal(err)
	}
	if s.Type != "object" || s.Properties.Len() != len(obj) {
		t.Fatalf("schema %s does not describe %s", toJSON(t, s), b)
	}
	for k := range obj {
		if _, ok := s.Properties.Get(k); !ok {
			t.Errorf("member %q of %s missing from %s", k, b, toJSON(t, s))
		}
	}
	if strings.Contains(toJSON(t, s.Required), "User") {
		t.Errorf("User (a pointer) is required: %v", s.Required)
	}
}

// MapType wins over the wire forms.
func TestMapTypeOverridesWireForm(t *testing.T) {
	r := schema.NewReflector()
	r.MapType(reflect.TypeFor[ownJSON](), &jsonschema.Schema{Type: "array"})
	r.MapType(reflect.TypeFor[netip.Addr](), &jsonschema.Schema{Type: "string", Format: "ipv4"})
	for typ, want := range map[reflect.Type]string{
		reflect.TypeFor[ownJSON]():    `{"type":"array"}`,
		reflect.TypeFor[netip.Addr](): `{"type":"string","format":"ipv4"}`,
	} {
		s, err := r.Schema(typ)
		if err != nil {
			t.Fatal(err)
		}
		if got := toJSON(t, s); got != want {
			t.Errorf("%s: got %s, want %s", typ, got, want)
		}
	}
}

// A params struct whose JSON form is not an object says why.
func TestParamsWithOwnForm(t *testing.T) {
	_, err := schema.NewReflector().Params(reflect.TypeFor[event]())
	if err == nil || !strings.Contains(err.Error(), "own JSON form") {
		t.Errorf("Params(event) = %v, want an error about its own JSON form", err)
	}
}

func mustCompile(t *testing.T, pattern string) *regexp.Regexp {
	t.Helper()
	re, err := regexp.Compile(pattern)
	if err != nil {
		t.Fatalf("pattern %s: %v", pattern, err)
	}
	return re
}

// withDefaults sets a default before decoding the object of its fields.
type withDefaults struct {
	Limit int    `json:"limit,omitempty"`
	Query string `json:"query"`
}

func (w *withDefaults) UnmarshalJSON(b []byte) error {
	type plain withDefaults
	w.Limit = 10
	return json.Unmarshal(b, (*plain)(w))
}

// lenientInt reads a number or a string: its form is its own.
type lenientInt int

func (l *lenientInt) UnmarshalJSON(b []byte) error { return nil }

// A struct that only customises decoding is still described by its
// fields, and can be a params struct; a non-struct one accepts any value.
func TestUnmarshalJSONOnly(t *testing.T) {
	r := schema.NewReflector()
	cds, err := r.Params(reflect.TypeFor[withDefaults]())
	if err != nil || len(cds) != 2 || cds[1].Name != "query" || !cds[1].Required {
		t.Errorf("Params(withDefaults) = %v, %v", cds, err)
	}
	s, err := r.Schema(reflect.TypeFor[lenientInt]())
	if err != nil || toJSON(t, s) != "true" {
		t.Errorf("Schema(lenientInt) = %s, %v; want true (any value)", toJSON(t, s), err)
	}
}
