package fastdecode_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/schemarpc/schemarpc/internal/fastdecode"
)

type level string

type node struct {
	Name     string  `json:"name"`
	Next     *node   `json:"next,omitempty"`
	Children []node  `json:"children"`
	Weight   float64 `json:"weight"`
}

// upper decodes itself: a string, upper-cased; null is "NULL".
type upper string

func (u *upper) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*u = "NULL"
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*u = upper(strings.ToUpper(s))
	return nil
}

type embedded struct {
	node
	Extra int `json:"extra"`
}

type quoted struct {
	N int `json:"n,string"`
}

// every has a field of each kind the decoder handles itself, and some it
// hands to encoding/json.
type every struct {
	B       bool              `json:"b"`
	S       string            `json:"s"`
	Named   level             `json:"named"`
	I       int               `json:"i"`
	I8      int8              `json:"i8"`
	I16     int16             `json:"i16"`
	I32     int32             `json:"i32"`
	I64     int64             `json:"i64"`
	U       uint              `json:"u"`
	U8      uint8             `json:"u8"`
	U16     uint16            `json:"u16"`
	U32     uint32            `json:"u32"`
	U64     uint64            `json:"u64"`
	F32     float32           `json:"f32"`
	F64     float64           `json:"f64"`
	PS      *string           `json:"ps"`
	PI      *int              `json:"pi"`
	List    []string          `json:"list"`
	Grid    [][]int           `json:"grid"`
	Counts  map[string]int    `json:"counts"`
	ByLevel map[level]*node   `json:"by_level"`
	Tree    node              `json:"tree"`
	PTree   *node             `json:"ptree"`
	Up      upper             `json:"up"`
	PUp     *upper            `json:"pup"`
	Any     any               `json:"any"`
	Raw     json.RawMessage   `json:"raw"`
	Bytes   []byte            `json:"bytes"`
	Pair    [2]int            `json:"pair"`
	Emb     *embedded         `json:"emb"`
	Q       quoted            `json:"q"`
	Nested  map[string][]bool `json:"nested"`
	Ignored int               `json:"-"`
	NoTag   string
}

// check decodes data into a fresh T both ways and fails when the fast
// decoder accepted it but encoding/json disagrees. It reports whether the
// fast decoder accepted.
func check[T any](t testing.TB, data []byte) bool {
	t.Helper()
	d := fastdecode.For[T]()
	if d == nil {
		t.Fatalf("no decoder for %T", *new(T))
	}
	var fast T
	ok := d.Decode(data, &fast)
	var ref T
	err := json.Unmarshal(data, &ref)
	if !ok {
		return false
	}
	if err != nil {
		t.Fatalf("fast decoder accepted %q, encoding/json: %v", data, err)
	}
	if !reflect.DeepEqual(fast, ref) {
		t.Fatalf("%q:\nfast %#v\njson %#v", data, fast, ref)
	}
	return true
}

func TestDecode_acceptsWhatEncodingJSONDecodes(t *testing.T) {
	cases := []string{
		`{}`,
		` { "b" : true , "s":"héllo","named":"x" } `,
		`{"i":-9223372036854775808,"i64":9223372036854775807,"i8":-128,"i16":32767,"i32":-2147483648}`,
		`{"u":18446744073709551615,"u8":255,"u16":65535,"u32":4294967295,"u64":0}`,
		`{"i":123456789012345678,"i64":-123456789012345678,"u64":1234567890123456789}`,
		`{"f32":3.4028234663852886e38,"f64":-1.5e-300,"i":-0}`,
		`{"f64":1,"f32":0.1,"s":""}`,
		`{"ps":"p","pi":7}`,
		`{"ps":null,"pi":null,"list":null,"counts":null,"ptree":null,"b":null,"s":null,"i":null,"tree":null}`,
		`{"list":[],"grid":[[],[1,2],[3]],"counts":{},"nested":{"a":[true,false],"b":[]}}`,
		`{"list":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q"]}`,
		`{"counts":{"a":1,"b":2,"a":3},"by_level":{"x":{"name":"n"},"y":null}}`,
		`{"tree":{"name":"root","children":[{"name":"a","next":{"name":"b","children":[]}}],"weight":0.5}}`,
		`{"ptree":{"name":"r","next":{"name":"s","next":{"name":"t"}}}}`,
		`{"s":"a\"b\\c\/d\b\f\n\r\t\u00e9\u20ac\ud83d\ude00 end"}`,
		`{"s":"lone \ud800 high, lone \udc00 low, \ud800\u0041 then A"}`,
		`{"s":"bad utf8 ` + "\xff\xfe" + ` and ` + "\xe2\x82" + `"}`,
		`{"counts":{"k\u00e9y":1,"":2}}`,
		`{"up":"shout","pup":"loud"}`,
		`{"up":null,"pup":null}`,
		`{"any":{"a":[1,"x",null,true]},"raw":  {"keep" : [1, 2]} ,"bytes":"aGVsbG8=","pair":[1,2]}`,
		`{"emb":{"name":"n","extra":2,"weight":3,"children":[]},"q":{"n":"12"}}`,
		`{"NoTag":"t"}`,
		"{\"s\":\"x\",\n\t\"i\":\r 1 }",
	}
	for _, c := range cases {
		if !check[every](t, []byte(c)) {
			t.Errorf("gave up on %s", c)
		}
	}
	if !check[*every](t, []byte(`{"s":"p"}`)) || !check[*every](t, []byte(`null`)) {
		t.Error("gave up on a pointer to a struct")
	}
	if !check[[]node](t, []byte(`[{"name":"a"},{"name":"b","children":[{"name":"c"}]}]`)) {
		t.Error("gave up on a slice of structs")
	}
	if !check[map[string]every](t, []byte(`{"x":{"i":1},"y":{}}`)) {
		t.Error("gave up on a map of structs")
	}
}

func TestDecode_givesUpWhereEncodingJSONHasRules(t *testing.T) {
	cases := []string{
		`{"S":"other case"}`,         // matched without regard to case by encoding/json
		`{"unknown":1}`,              // ignored by encoding/json
		`{"s":"a","s":"b"}`,          // a repeated member
		`{"i":1.5}`,                  // a fraction into an integer: an error
		`{"i":1e3}`,                  // an exponent into an integer: an error
		`{"i8":128}`,                 // out of range
		`{"u8":-1}`,                  // negative into unsigned
		`{"u":-0}`,                   // encoding/json refuses -0 for unsigned
		`{"i":99999999999999999999}`, // past int64
		`{"f32":1e39}`,               // past float32
		`{"s":1}`,                    // wrong JSON types
		`{"b":"true"}`,
		`{"list":{}}`,
		`{"counts":[]}`,
		`{"tree":[]}`,
		`{"pair":[1,2,3]}`, // handed to encoding/json, which accepts it; the rest is ours
		`{"s":"x"`,         // not JSON
		`{"s":"x"} {}`,
		`{"s":"x",}`,
		`{"i":01}`,
		`{"i":-}`,
		`{"f64":1.}`,
		`{"f64":.5}`,
		`{"f64":+1}`,
		`{"b":tru}`,
		`{"s":"tab	inside"}`,
		`{"s":"\x"}`,
		`{"s":"\u12"}`,
		`{"\u0073":"escaped name"}`,
		`[]`,
		``,
	}
	for _, c := range cases {
		if c == `{"pair":[1,2,3]}` {
			if !check[every](t, []byte(c)) {
				t.Errorf("gave up on %s", c)
			}
			continue
		}
		if check[every](t, []byte(c)) {
			t.Errorf("accepted %q", c)
		}
	}
}

// Label is a named string, embedded below.
type Label string

// Page is embedded below.
type Page struct {
	Limit  int    `json:"limit"`
	Cursor string `json:"cursor,omitempty"`
}

type sorting struct {
	Order string `json:"order"`
	By    []string
}

// listing embeds an exported and an unexported struct, one of which embeds
// another: encoding/json promotes all their fields.
type listing struct {
	Page
	sorted
	Filter string `json:"filter"`
}

type sorted struct {
	sorting
	Desc bool `json:"desc"`
}

// Embedded fields decode as encoding/json promotes them; where its
// dominance rules or allocation would come in, the struct is left to it.
func TestDecode_embedded(t *testing.T) {
	for _, c := range []string{
		`{"limit":5,"cursor":"c","filter":"x","order":"asc","By":["a"],"desc":true}`,
		`{"filter":"x","limit":1}`,
		`{}`,
	} {
		if !check[listing](t, []byte(c)) {
			t.Errorf("gave up on %s", c)
		}
	}
	for _, c := range []string{`{"Page":{"limit":1}}`, `{"sorting":{}}`, `{"limit":1,"limit":2}`, `{"Limit":1}`} {
		if check[listing](t, []byte(c)) {
			t.Errorf("accepted %s", c)
		}
	}
	type ignored struct {
		Page `json:"-"`
		X    int `json:"x"`
	}
	if !check[ignored](t, []byte(`{"x":1}`)) || check[ignored](t, []byte(`{"limit":1}`)) {
		t.Error("an embedded struct tagged \"-\" is not ignored")
	}
	type dominated struct {
		Page
		Limit int `json:"limit"` // dominates the promoted limit
	}
	type byPointer struct{ *Page }
	type tagged struct {
		Page `json:"page"`
	}
	type scalar struct{ Label }
	if fastdecode.For[dominated]() != nil || fastdecode.For[byPointer]() != nil || fastdecode.For[tagged]() != nil ||
		fastdecode.For[scalar]() != nil {
		t.Error("an embedding encoding/json has rules of its own for got a decoder")
	}
}

func TestFor_leavesWholeTypesToEncodingJSON(t *testing.T) {
	if fastdecode.For[quoted]() != nil ||
		fastdecode.For[upper]() != nil || fastdecode.For[any]() != nil || fastdecode.For[time.Time]() != nil ||
		fastdecode.For[json.RawMessage]() != nil || fastdecode.For[**every]() != nil {
		t.Error("a type encoding/json decodes by its own rules got a decoder")
	}
	// Containers of such values go to encoding/json whole, in one call.
	if fastdecode.For[[]any]() != nil || fastdecode.For[map[string]any]() != nil || fastdecode.For[*time.Time]() != nil ||
		fastdecode.For[[]time.Time]() != nil || fastdecode.For[map[string][]upper]() != nil {
		t.Error("a container of values encoding/json decodes itself got a decoder")
	}
	type withAny struct {
		Extra map[string]any `json:"extra"`
		N     int            `json:"n"`
	}
	if !check[withAny](t, []byte(`{"n":1,"extra":{"a":[1,{"b":null}]}}`)) {
		t.Error("gave up on a struct with a map of any")
	}
	type wide struct {
		F0, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13, F14, F15, F16, F17, F18, F19, F20, F21 int
		F22, F23, F24, F25, F26, F27, F28, F29, F30, F31, F32, F33, F34, F35, F36, F37, F38, F39, F40      int
		F41, F42, F43, F44, F45, F46, F47, F48, F49, F50, F51, F52, F53, F54, F55, F56, F57, F58, F59      int
		F60, F61, F62, F63, F64                                                                            int
	}
	if fastdecode.For[wide]() != nil {
		t.Error("a struct of 65 fields got a decoder")
	}
}

// TestDecode_manyFields covers the name index of large structs.
func TestDecode_manyFields(t *testing.T) {
	type many struct {
		A, B, C, D, E, F, G, H, I, J int
	}
	if !check[many](t, []byte(`{"J":10,"A":1,"E":5,"B":2}`)) {
		t.Error("gave up on members out of order")
	}
	if check[many](t, []byte(`{"J":10,"j":1}`)) {
		t.Error("accepted a name in another case")
	}
}

func TestDecode_nestedTooDeep(t *testing.T) {
	deep := strings.Repeat(`{"next":`, 10001) + `{}` + strings.Repeat(`}`, 10001)
	if check[node](t, []byte(deep)) {
		t.Error("accepted nesting past encoding/json's limit")
	}
	ok := strings.Repeat(`{"next":`, 500) + `{}` + strings.Repeat(`}`, 500)
	if !check[node](t, []byte(ok)) {
		t.Error("gave up on 500 levels")
	}
}

// TestDecode_generated decodes random instances of every, most of them
// valid and the rest with one mistake of the kinds clients make, and holds
// the fast decoder to encoding/json on each. It also requires that the
// fast decoder accepts most valid instances: a decoder that always gives
// up would pass the equality checks.
func TestDecode_generated(t *testing.T) {
	r := rand.New(rand.NewPCG(14, uint64(time.Now().UnixNano())))
	accepted, clean := 0, 0
	n := 3000
	if testing.Short() {
		n = 300
	}
	for range n {
		g := &gen{r: r, mistakes: r.IntN(3) == 0}
		var sb strings.Builder
		g.value(&sb, reflect.TypeFor[every](), 0)
		data := sb.String()
		if check[every](t, []byte(data)) {
			accepted++
		}
		if !g.made {
			clean++
			var v every
			if err := json.Unmarshal([]byte(data), &v); err != nil {
				t.Fatalf("the generator wrote an invalid instance: %v\n%s", err, data)
			}
			if !fastdecode.For[every]().Decode([]byte(data), new(every)) && !g.delegated {
				t.Fatalf("gave up on a valid instance:\n%s", data)
			}
		}
	}
	t.Logf("%d instances, %d without mistakes, %d accepted", n, clean, accepted)
	if accepted < clean/2 {
		t.Errorf("accepted %d of %d valid instances", accepted, clean)
	}
}

// gen writes random JSON for a Go type.
type gen struct {
	r         *rand.Rand
	mistakes  bool // may write one mistake
	made      bool // wrote one
	delegated bool // wrote something the decoder leaves to encoding/json
}

func (g *gen) mistake() bool {
	if g.mistakes && !g.made && g.r.IntN(40) == 0 {
		g.made = true
		return true
	}
	return false
}

func (g *gen) space(sb *strings.Builder) {
	if g.r.IntN(6) == 0 {
		sb.WriteString([]string{" ", "\n", "\t ", "\r\n  "}[g.r.IntN(4)])
	}
}

func (g *gen) value(sb *strings.Builder, t reflect.Type, depth int) {
	g.space(sb)
	defer g.space(sb)
	if g.mistake() {
		sb.WriteString([]string{`"wrong"`, `12.5`, `-1`, `true`, `[]`, `{}`, `1e400`, `99999999999999999999`}[g.r.IntN(8)])
		return
	}
	if t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		if g.r.IntN(5) == 0 {
			sb.WriteString("null")
			return
		}
	}
	switch t {
	case reflect.TypeFor[upper](), reflect.TypeFor[any](), reflect.TypeFor[json.RawMessage](), reflect.TypeFor[[]byte](), reflect.TypeFor[[2]int](), reflect.TypeFor[*embedded](), reflect.TypeFor[quoted]():
		g.delegated = true
		sb.WriteString(map[reflect.Type]string{
			reflect.TypeFor[upper]():           `"up"`,
			reflect.TypeFor[any]():             `{"x":[1,"two",null]}`,
			reflect.TypeFor[json.RawMessage](): `[1, {"a":2}]`,
			reflect.TypeFor[[]byte]():          `"aGk="`,
			reflect.TypeFor[[2]int]():          `[3,4]`,
			reflect.TypeFor[*embedded]():       `{"name":"e","extra":1}`,
			reflect.TypeFor[quoted]():          `{"n":"5"}`,
		}[t])
		return
	}
	switch t.Kind() {
	case reflect.Bool:
		sb.WriteString(strconv.FormatBool(g.r.IntN(2) == 0))
	case reflect.String:
		g.str(sb)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits := t.Bits()
		lo, hi := int64(-1)<<(bits-1), int64(uint64(1)<<(bits-1)-1)
		switch g.r.IntN(4) {
		case 0:
			sb.WriteString(strconv.FormatInt([]int64{lo, hi, 0, -1, 1}[g.r.IntN(5)], 10))
		default:
			v := g.r.Int64N(1 << min(bits-1, 62))
			if g.r.IntN(2) == 0 {
				v = -v
			}
			sb.WriteString(strconv.FormatInt(v, 10))
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		bits := t.Bits()
		hi := uint64(math.MaxUint64) >> (64 - bits)
		if g.r.IntN(4) == 0 {
			sb.WriteString(strconv.FormatUint(hi, 10))
		} else {
			sb.WriteString(strconv.FormatUint(g.r.Uint64()&hi, 10))
		}
	case reflect.Float32, reflect.Float64:
		f := (g.r.Float64() - 0.5) * math.Pow(10, float64(g.r.IntN(20)-10))
		if t.Bits() == 32 {
			f = float64(float32(f))
		}
		sb.WriteString(strconv.FormatFloat(f, []byte("geE")[g.r.IntN(3)], -1, t.Bits()))
	case reflect.Pointer:
		g.value(sb, t.Elem(), depth)
	case reflect.Slice:
		g.container(sb, "[]", depth, func() { g.value(sb, t.Elem(), depth+1) })
	case reflect.Map:
		g.container(sb, "{}", depth, func() {
			g.str(sb)
			sb.WriteByte(':')
			g.value(sb, t.Elem(), depth+1)
		})
	case reflect.Struct:
		g.object(sb, t, depth)
	default:
		panic("no generator for " + t.String())
	}
}

// container writes up to three elements (none past depth 3) between the
// brackets of delims.
func (g *gen) container(sb *strings.Builder, delims string, depth int, element func()) {
	sb.WriteByte(delims[0])
	n := g.r.IntN(4)
	if depth > 3 {
		n = 0
	}
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		element()
	}
	sb.WriteByte(delims[1])
}

func (g *gen) object(sb *strings.Builder, t reflect.Type, depth int) {
	sb.WriteByte('{')
	first := true
	member := func(name string, ft reflect.Type) {
		if !first {
			sb.WriteByte(',')
		}
		first = false
		g.space(sb)
		sb.WriteString(strconv.Quote(name))
		g.space(sb)
		sb.WriteByte(':')
		g.value(sb, ft, depth+1)
	}
	fields := reflect.VisibleFields(t)
	g.r.Shuffle(len(fields), func(i, j int) {
		if g.r.IntN(4) == 0 { // mostly in declaration order
			fields[i], fields[j] = fields[j], fields[i]
		}
	})
	for _, f := range fields {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" && f.Tag.Get("json") == "-" || g.r.IntN(3) == 0 {
			continue
		}
		if name == "" || strings.Contains(name, `\`) {
			name = f.Name
		}
		if depth > 3 && (f.Type.Kind() == reflect.Pointer || f.Type.Kind() == reflect.Slice || f.Type.Kind() == reflect.Struct) {
			continue
		}
		switch {
		case g.mistakes && !g.made && g.r.IntN(60) == 0: // another case
			g.made = true
			name = strings.ToUpper(name[:1]) + name[1:]
			if name == f.Name && strings.ToLower(name) != name {
				name = strings.ToLower(name)
			}
		case g.mistakes && !g.made && g.r.IntN(60) == 0: // given twice
			g.made = true
			member(name, f.Type)
		case g.mistakes && !g.made && g.r.IntN(60) == 0: // unknown
			g.made = true
			member("unknown_"+name, f.Type)
		}
		member(name, f.Type)
	}
	sb.WriteByte('}')
}

// str writes a random JSON string: ASCII, multi-byte UTF-8, escapes,
// surrogate pairs and lone surrogates, sometimes invalid UTF-8.
func (g *gen) str(sb *strings.Builder) {
	sb.WriteByte('"')
	for range g.r.IntN(8) {
		switch g.r.IntN(12) {
		case 0:
			sb.WriteString([]string{`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`}[g.r.IntN(8)])
		case 1:
			fmt.Fprintf(sb, `\u%04x`, g.r.IntN(0x10000))
		case 2:
			sb.WriteString(`\ud83d\ude00`)
		case 3:
			sb.WriteString(string(rune(0x80 + g.r.IntN(0x10000-0x80))))
		case 4:
			if g.r.IntN(4) == 0 {
				sb.WriteString([]string{"\xff", "\xc3", "\xe2\x82", "\xed\xa0\x80"}[g.r.IntN(4)])
			} else {
				sb.WriteString("é")
			}
		default:
			sb.WriteByte(byte('a' + g.r.IntN(26)))
		}
	}
	sb.WriteByte('"')
}

// FuzzDecode holds the fast decoder to encoding/json on any input, for a
// struct of every kind, a recursive one and a map.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"b":true,"s":"x","i":-1,"u8":2,"f32":1.5,"list":["a"],"counts":{"a":1},"tree":{"name":"t","children":[]}}`,
		`{"name":"a","next":{"name":"b"},"children":[{"name":"c","weight":1e3}]}`,
		`{"s":"\ud83d\ude00\u00e9\n","ps":null,"grid":[[1],[]],"by_level":{"a":null}}`,
		`{"up":"x","any":[1],"raw":{},"bytes":"aGk=","pair":[1,2],"emb":{"name":"e"}}`,
		`{"a":{"b":[1,2]}}`,
		`{"limit":5,"cursor":"c","filter":"x","order":"asc","By":["a"],"desc":true}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check[every](t, data)
		check[node](t, data)
		check[map[string][]node](t, data)
		check[listing](t, data)
	})
}

func TestUnsafeStringsAreCopied(t *testing.T) {
	data := []byte(`{"s":"abc","list":["def"],"counts":{"ghi":1}}`)
	var v every
	if !fastdecode.For[every]().Decode(data, &v) {
		t.Fatal("gave up")
	}
	for i := range data {
		data[i] = 'x'
	}
	if v.S != "abc" || v.List[0] != "def" || v.Counts["ghi"] != 1 {
		t.Errorf("decoded strings alias the input: %+v", v)
	}
	if !utf8.ValidString(v.S) {
		t.Error("invalid string")
	}
}

// BenchmarkDecode decodes one struct of nested values with the fast
// decoder and with json.Unmarshal.
func BenchmarkDecode(b *testing.B) {
	data := []byte(`{"b":true,"s":"héllo \"quoted\"","i":-42,"u64":18446744073709551615,"f64":3.25,` +
		`"list":["a","b","c"],"grid":[[1,2],[3]],"counts":{"x":1,"y":2},` +
		`"tree":{"name":"root","children":[{"name":"a","weight":1.5},{"name":"b","next":{"name":"c"}}]}}`)
	d := fastdecode.For[every]()
	if !d.Decode(data, new(every)) {
		b.Fatal("gave up")
	}
	b.Run("fastdecode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var v every
			d.Decode(data, &v)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var v every
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
