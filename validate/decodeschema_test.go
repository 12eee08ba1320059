package validate

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/schemarpc/schemarpc/internal/fastdecode"
	"github.com/schemarpc/schemarpc/schema"
)

// Differential tests of checking while decoding (fastdecode.Checked over
// the fast checker): whenever the checking decoder reports true, the value
// it decoded must be json.Unmarshal's (with no error) and the general
// validator must accept the instance. Schemas and instances are generated
// (gen, fastgen_test.go); the Go type a schema is decoded into is derived
// from it, now and then with a type that does not fit it.

// goType returns a Go type for values of schema s; mismatch is the chance,
// at each level, of a type that does not fit.
func (g *gen) goType(root, s any, depth int, mismatch float64) reflect.Type {
	anyType := reflect.TypeFor[any]()
	if depth > 6 {
		return anyType
	}
	if g.chance(mismatch) {
		others := []reflect.Type{reflect.TypeFor[string](), reflect.TypeFor[int8](), reflect.TypeFor[uint](),
			reflect.TypeFor[float32](), reflect.TypeFor[bool](), reflect.TypeFor[[]string](), reflect.TypeFor[map[string]int](),
			reflect.TypeFor[time.Time](), reflect.TypeFor[[2]int](), reflect.TypeFor[json.RawMessage](), anyType}
		return others[g.pick(len(others))]
	}
	m, ok := s.(map[string]any)
	if !ok {
		return anyType
	}
	if ref, ok := m["$ref"].(string); ok {
		t, _ := resolvePointer(root, ref)
		return g.goType(root, t, depth+1, mismatch)
	}
	if alts, ok := m["anyOf"].([]any); ok {
		var other []any
		for _, a := range alts {
			if am, _ := a.(map[string]any); am["type"] != "null" {
				other = append(other, a)
			}
		}
		if len(other) == 1 {
			return pointerTo(g.goType(root, other[0], depth+1, mismatch))
		}
		return anyType
	}
	if alts, ok := m["allOf"].([]any); ok {
		return g.goType(root, alts[0], depth+1, mismatch)
	}
	if e, ok := m["enum"].([]any); ok && len(e) > 0 {
		if _, ok := e[0].(string); ok {
			return reflect.TypeFor[string]()
		}
		return anyType
	}
	typ, _ := m["type"].(string)
	if ts, ok := m["type"].([]any); ok {
		if len(ts) == 2 && ts[1] == "null" {
			t, _ := ts[0].(string)
			return pointerTo(g.goType(root, map[string]any{"type": t}, depth+1, mismatch))
		}
		return anyType
	}
	switch typ {
	case "string":
		return reflect.TypeFor[string]()
	case "integer":
		ints := []reflect.Type{reflect.TypeFor[int](), reflect.TypeFor[int8](), reflect.TypeFor[int64](), reflect.TypeFor[uint16](), reflect.TypeFor[float64]()}
		return ints[g.pick(len(ints))]
	case "number":
		return []reflect.Type{reflect.TypeFor[float64](), reflect.TypeFor[float32]()}[g.pick(2)]
	case "boolean":
		return reflect.TypeFor[bool]()
	case "object":
		props, _ := m["properties"].(map[string]any)
		if len(props) == 0 {
			if ap, ok := m["additionalProperties"]; ok {
				return reflect.MapOf(reflect.TypeFor[string](), g.goType(root, ap, depth+1, mismatch))
			}
			return reflect.TypeFor[map[string]any]()
		}
		var fields []reflect.StructField
		for i, name := range mapKeys(props) {
			tag := `json:"` + name
			if g.chance(0.3) {
				tag += ",omitempty"
			}
			fields = append(fields, reflect.StructField{
				Name: fmt.Sprintf("F%d", i),
				Type: g.goType(root, props[name], depth+1, mismatch),
				Tag:  reflect.StructTag(tag + `"`),
			})
		}
		return reflect.StructOf(fields)
	case "array":
		return reflect.SliceOf(g.goType(root, m["items"], depth+1, mismatch))
	}
	return anyType
}

func pointerTo(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface {
		return t
	}
	return reflect.PointerTo(t)
}

// checkDecoded holds one instance to the checking decoder's promise and
// reports whether the decoder decided it and whether it is valid (the
// general validator accepts it, and json.Unmarshal decodes it into typ).
func checkDecoded(t *testing.T, v *Validator, decode func([]byte, any) bool, typ reflect.Type, doc, inst []byte) (decided, valid bool) {
	t.Helper()
	if !json.Valid(inst) {
		return false, false
	}
	got := reflect.New(typ)
	decided = decode(inst, got.Interface())
	want := reflect.New(typ)
	uerr := json.Unmarshal(inst, want.Interface())
	verr := v.validateDecoded(inst, false)
	if decided && (uerr != nil || verr != nil || !reflect.DeepEqual(got.Elem().Interface(), want.Elem().Interface())) {
		t.Fatalf("the checking decoder accepted what validating and decoding would not:\nschema   %s\ntype     %s\ninstance %s\nvalidator: %v\nencoding/json: %v\ndecoded %#v\nwant    %#v",
			doc, typ, inst, verr, uerr, got.Elem().Interface(), want.Elem().Interface())
	}
	return decided, uerr == nil && verr == nil
}

// tally counts instances, the valid ones and those decided while decoding.
type tally struct{ total, valid, decided int }

func (c *tally) add(decided, valid bool) {
	c.total++
	if valid {
		c.valid++
	}
	if decided {
		c.decided++
	}
}

// TestCheckedDecode_generated is the differential test of checking while
// decoding, on generated schemas, instances and Go types.
func TestCheckedDecode_generated(t *testing.T) {
	schemas, instances := 400, 100
	if testing.Short() {
		schemas = 100
	}
	for _, canonical := range []bool{false, true} {
		g := &gen{r: rand.New(rand.NewPCG(17, 5)), canonical: canonical}
		mismatch := 0.03
		if canonical {
			mismatch = 0
		}
		var built int
		var c tally
		for range schemas {
			doc := g.document()
			v, err := Compile(doc)
			if err != nil || v.fast == nil {
				continue
			}
			var root any
			_ = json.Unmarshal(doc, &root)
			typ := g.goType(root, root, 0, mismatch)
			decode := fastdecode.CheckedValue(typ, v.fast)
			if decode == nil {
				continue
			}
			built++
			for k := range instances {
				inst := g.mixedInstance(root, k)
				c.add(checkDecoded(t, v, decode, typ, doc, []byte(inst)))
			}
		}
		t.Logf("canonical=%v: %d schemas with a type; %d instances, %d valid, %d decided while decoding", canonical, built, c.total, c.valid, c.decided)
		if built < schemas/3 || c.decided < c.valid/2 {
			t.Errorf("the generator is too weak: %d schemas with a type, %d of %d valid instances decided while decoding", built, c.decided, c.valid)
		}
	}
}

// FuzzCheckedDecode generates a schema and a Go type for it from seed, and
// holds the checking decoder to its promise on the fuzzed instance, a
// generated one and a mutated one.
func FuzzCheckedDecode(f *testing.F) {
	addGeneratedSeeds(f, 2)
	f.Fuzz(func(t *testing.T, seed uint64, inst string) {
		g, doc, root := generated(seed, 2)
		v, err := Compile(doc)
		if err != nil || v.fast == nil {
			return
		}
		typ := g.goType(root, root, 0, 0.03)
		decode := fastdecode.CheckedValue(typ, v.fast)
		if decode == nil {
			return
		}
		var b strings.Builder
		g.instance(&b, root, root, 0, 0.05)
		checkDecoded(t, v, decode, typ, doc, []byte(inst))
		checkDecoded(t, v, decode, typ, doc, []byte(b.String()))
		checkDecoded(t, v, decode, typ, doc, []byte(g.mutate(b.String())))
	})
}

// Types whose schemas are reflected, as a server reflects a Func's params:
// named structs (so references into components), a recursive type,
// pointers, slices, maps, enums, formats, patterns and bounds.
type (
	reflAddress struct {
		Street   string `json:"street" jsonschema:"minLength=1"`
		Postcode string `json:"postcode" jsonschema:"minLength=3,maxLength=10,pattern=^[0-9A-Z -]+$"`
		Country  string `json:"country" jsonschema:"pattern=^[A-Z]{2}$"`
	}
	reflLine struct {
		SKU   string  `json:"sku" jsonschema:"pattern=^[A-Z]{3}-[0-9]{4}$"`
		Qty   int     `json:"qty" jsonschema:"minimum=1,maximum=99"`
		Price float64 `json:"price" jsonschema:"minimum=0,exclusiveMaximum=1000"`
		Ratio float32 `json:"ratio,omitempty" jsonschema:"minimum=0.5,maximum=2"`
	}
	reflTree struct {
		Label string      `json:"label" jsonschema:"minLength=1,maxLength=8"`
		Kids  []*reflTree `json:"kids,omitempty" jsonschema:"maxItems=3"`
	}
	reflParams struct {
		ID       string            `json:"id" jsonschema:"format=uuid"`
		Email    string            `json:"email" jsonschema:"format=email"`
		Home     reflAddress       `json:"home"`
		Shipping *reflAddress      `json:"shipping"`
		Lines    []reflLine        `json:"lines" jsonschema:"minItems=1,maxItems=4"`
		Tags     map[string]string `json:"tags,omitempty"`
		Counts   map[string]int8   `json:"counts,omitempty"`
		Status   string            `json:"status" jsonschema:"enum=pending,enum=paid"`
		Level    int               `json:"level,omitempty" jsonschema:"enum=1,enum=2,enum=3"`
		Tree     *reflTree         `json:"tree,omitempty"`
		When     time.Time         `json:"when,omitzero"`
		Labels   []string          `json:"labels,omitempty" jsonschema:"uniqueItems=true"`
		Note     *string           `json:"note,omitempty" jsonschema:"maxLength=5"`
		Big      uint64            `json:"big,omitempty" jsonschema:"minimum=10"`
		Flag     bool              `json:"flag,omitempty"`
		Extra    any               `json:"extra,omitempty"`
	}
)

// reflInstance returns a params object for reflParams, valid unless
// broken is set: then one member breaks one constraint, has the wrong
// type, or is missing or unknown, as clients get them wrong.
func reflInstance(r *rand.Rand, broken bool) string {
	pick := func(vals ...string) string { return vals[r.IntN(len(vals))] }
	str := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	address := func() string {
		return `{"street":` + pick(`"1 Infinite Loop"`, `"Stra\u00dfe 5"`, `"Straße 5"`, `"x"`) +
			`,"postcode":` + pick(`"SW1Y 4LB"`, `"95014"`, `"AB1 2CD"`) + `,"country":` + pick(`"GB"`, `"US"`, `"\u0044E"`) + `}`
	}
	line := func(i int) string {
		l := fmt.Sprintf(`{"sku":"%s-%04d","qty":%d,"price":%s`, pick("ABC", "XYZ"), r.IntN(10000), 1+r.IntN(99),
			pick("0", "12", "12.5", "999.99", "1e2", "0.0", "3.10", "999.9999999999999"))
		if r.IntN(3) == 0 {
			l += `,"ratio":` + pick("0.5", "1", "2", "1.25")
		}
		return l + "}"
	}
	var tree func(depth int) string
	tree = func(depth int) string {
		t := `{"label":` + pick(`"a"`, `"root"`, `"é"`, `"12345678"`)
		if depth < 3 && r.IntN(2) == 0 {
			t += `,"kids":[`
			for k := range r.IntN(4) {
				if k > 0 {
					t += ","
				}
				t += tree(depth + 1)
			}
			t += "]"
		}
		return t + "}"
	}
	m := map[string]string{
		"id":     str(fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", r.Uint32(), r.IntN(1<<16), r.IntN(1<<12), r.IntN(1<<12), r.Uint64()>>16)),
		"email":  pick(`"ada@example.com"`, `"a.b+c@x-y.org"`, `"first.last@sub.example.co.uk"`),
		"home":   address(),
		"status": pick(`"pending"`, `"paid"`),
	}
	lines := "["
	for i := range 1 + r.IntN(4) {
		if i > 0 {
			lines += ","
		}
		lines += line(i)
	}
	m["lines"] = lines + "]"
	optional := map[string]func() string{
		"shipping": func() string { return pick("null", address()) },
		"tags":     func() string { return pick(`{}`, `{"channel":"web"}`, `{"a":"\u00e9","b":""}`) },
		"counts":   func() string { return pick(`{}`, `{"x":127,"y":-128}`, `{"z":0}`) },
		"level":    func() string { return pick("1", "2", "3") },
		"tree":     func() string { return pick("null", tree(0)) },
		"when":     func() string { return pick(`"2026-11-30T20:38:19Z"`, `"2026-12-01T05:00:00.5+01:00"`) },
		"labels":   func() string { return pick(`[]`, `["a","b"]`, `["x","y","z"]`) },
		"note":     func() string { return pick("null", `"abc"`, `"ééééé"`, `""`) },
		"big":      func() string { return pick("10", "18446744073709551615", "4000000000") },
		"flag":     func() string { return pick("true", "false") },
		"extra":    func() string { return pick("null", "1", `"x"`, `[1,{"a":[]}]`, `{"deep":{"er":true}}`) },
	}
	for _, name := range mapKeys(optional) {
		if r.IntN(2) == 0 {
			m[name] = optional[name]()
		}
	}
	if broken {
		mistakes := []func(){
			func() { m["lines"] = `[` + strings.Replace(line(0), `"qty":`, `"qty":0,"x":`, 1) + `]` },
			func() { m["lines"] = `[{"sku":"abc-0001","qty":1,"price":1}]` },
			func() { m["lines"] = `[{"sku":"ABC-0001","qty":100,"price":1}]` },
			func() { m["lines"] = `[{"sku":"ABC-0001","qty":1.0,"price":1}]` },
			func() { m["lines"] = `[{"sku":"ABC-0001","qty":"1","price":1}]` },
			func() { m["lines"] = `[{"sku":"ABC-0001","qty":1,"price":-0.01}]` },
			func() { m["lines"] = `[{"sku":"ABC-0001","qty":1,"price":1000}]` },
			func() { m["lines"] = `[{"sku":"ABC-0001","qty":1,"price":-0.0}]` },
			func() { m["lines"] = `[{"sku":"ABC-0001","qty":1,"price":1,"ratio":2.0000001}]` },
			func() { m["lines"] = `[{"sku":"ABC-0001","qty":1}]` },
			func() { m["lines"] = `[]` },
			func() { m["lines"] = `null` },
			func() { m["status"] = `"shipped"` },
			func() { m["status"] = `"p\u0061id"` },
			func() { m["level"] = "4" },
			func() { m["big"] = "9" },
			func() { m["big"] = "-1" },
			func() { m["note"] = `"toolong"` },
			func() { m["labels"] = `["a","a"]` },
			func() { m["tree"] = `{"label":""}` },
			func() { m["tree"] = `{"label":"a","kids":[{"label":"b"},{"label":"c"},{"label":"d"},{"label":"e"}]}` },
			func() { m["email"] = `"a b@x.org"` },
			func() { m["id"] = `"x"` },
			func() { m["home"] = strings.Replace(address(), `"country":`, `"country":"gb","c":`, 1) },
			func() { m["home"] = `null` },
			func() { m["shipping"] = `{"street":"x"}` },
			func() { m["counts"] = `{"x":128}` },
			func() { m["tags"] = `{"x":1}` },
			func() { m["when"] = `"yesterday"` },
			func() { m["unknown"] = `1` },
			func() { m["Email"] = m["email"]; delete(m, "email") },
			func() { delete(m, "home") },
			func() { m["flag"] = `"true"` },
		}
		mistakes[r.IntN(len(mistakes))]()
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, name := range mapKeys(m) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(str(name) + ":" + m[name])
	}
	b.WriteByte('}')
	return b.String()
}

// TestCheckedDecode_reflected holds the checking decoder to its promise on
// a schema reflected from Go types as a server reflects a Func's params,
// with generated instances, valid ones and broken ones.
func TestCheckedDecode_reflected(t *testing.T) {
	r := schema.NewReflector()
	typ := reflect.TypeFor[reflParams]()
	cds, err := r.Params(typ)
	if err != nil {
		t.Fatal(err)
	}
	ps := make([]Param, len(cds))
	for i, cd := range cds {
		ps[i] = Param{Name: cd.Name, Required: cd.Required, Schema: cd.Schema}
	}
	raw, err := json.Marshal(ParamsSchema(Named, ps))
	if err != nil {
		t.Fatal(err)
	}
	comps, err := json.Marshal(r.Components().Schemas)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Compile(raw, WithComponents(comps))
	if err != nil {
		t.Fatal(err)
	}
	if v.fast == nil {
		t.Fatal("no fast path")
	}
	decode := fastdecode.CheckedValue(typ, v.fast)
	doc := []byte(`{"components":{"schemas":` + string(comps) + `},` + string(raw[1:]))
	rnd := rand.New(rand.NewPCG(3, 9))
	g := &gen{r: rnd}
	var c tally
	brokenDecided := 0
	for k := range 6000 {
		broken := k%3 == 1
		inst := reflInstance(rnd, broken)
		if k%3 == 2 {
			inst = g.mutate(inst)
		}
		d, ok := checkDecoded(t, v, decode, typ, doc, []byte(inst))
		c.add(d, ok)
		if d && broken {
			brokenDecided++
		}
	}
	t.Logf("%d instances, %d valid, %d decided while decoding (%d of them broken ones that break nothing the schema says)", c.total, c.valid, c.decided, brokenDecided)
	if c.valid < c.total/3 || c.decided < c.valid*3/4 {
		t.Errorf("the generator is too weak: %d valid instances of %d, %d decided while decoding", c.valid, c.total, c.decided)
	}
}

// blockID is a block id as Starknet's API describes it: a oneOf told apart
// by type and by required member.
const blockID = `{"oneOf":[
  {"type":"object","properties":{"block_hash":{"type":"string","pattern":"^0x[0-9a-f]+$"}},"required":["block_hash"]},
  {"type":"object","properties":{"block_number":{"type":"integer","minimum":0}},"required":["block_number"]},
  {"type":"string","enum":["latest","pending"]}]}`

// TestFastPath_oneOf: the fast checker decides a oneOf when one branch
// certainly holds and every other certainly fails, by type or by a
// required member that is absent; anything else it leaves to the general
// validator.
func TestFastPath_oneOf(t *testing.T) {
	const named = `{"oneOf":[{"type":"object","required":["h"]},{}]}`
	// A block number or tag as execution-apis describes it.
	const quantityOrTag = `{"oneOf":[{"type":"string","pattern":"^0x([1-9a-f]+[0-9a-f]*|0)$"},{"type":"string","enum":["earliest","latest","pending"]}]}`
	for _, c := range []struct {
		schema, inst string
		decided      bool
	}{
		{named, `{"\u0068":1}`, false}, // both branches hold: the escape spells h
		{named, `{"x":1}`, true},
		{named, `{"h":1}`, false},
		{blockID, `{"block_number":12}`, true},
		{blockID, `"latest"`, true},
		{blockID, `{"block_hash":"0x1"}`, true},
		{blockID, `{"block_hash":"0x1","block_number":1}`, false},
		{blockID, `{"block_number":-1}`, false},
		{blockID, `{"block_number":1.0}`, false},
		{blockID, `12`, false},
		{`{"oneOf":[{"type":"integer"},{"type":"number","minimum":5}]}`, `7`, false},
		{`{"oneOf":[{"allOf":[{"type":"string"}]},{"type":"object"}]}`, `{"a":1}`, true},
		{quantityOrTag, `"0x10"`, true},                                                    // not a tag
		{`{"oneOf":[{"type":"string","maxLength":3},{"type":"string"}]}`, `"éé"`, false},   // two code points, four bytes: both hold
		{`{"oneOf":[{"type":"string","pattern":"^.+$"},{"type":"string"}]}`, `"é"`, false}, // beyond the table: both hold
		{quantityOrTag, `"latest"`, true},                                                  // not a quantity: the pattern table says so
		{quantityOrTag, `"late\u0073t"`, false},                                            // an escape: the table is not asked
		{quantityOrTag, `"0x1\u0030"`, false},                                              // an escape: not compared with the tags
		{quantityOrTag, `"0xé"`, false},
		{`{"oneOf":[{"enum":[true,null]},{"type":"boolean"}]}`, `false`, true},
		{`{"oneOf":[{"enum":[true,null]},{"type":"boolean"}]}`, `true`, false},
		{`{"oneOf":[{"enum":[1]},{"type":"number"}]}`, `1.0`, false},
		{`{"oneOf":[{"type":"string"},{"enum":["ab"]}]}`, `"\u0061b"`, false},      // "ab": both hold
		{`{"oneOf":[{"type":"string"},{"enum":["\u2028"]}]}`, "\"\u2028\"", false}, // written raw, encoded escaped: both hold
		{`{"oneOf":[{"type":"string"},{"enum":["ab"]}]}`, `"ac"`, true},
		{`{"oneOf":[{"type":"string","maxLength":3},{"type":"string","minLength":5}]}`, `"abcdef"`, true},
		{`{"oneOf":[{"type":"string","maxLength":3},{"type":"string","minLength":5}]}`, `"abcd"`, false},
		{`{"oneOf":[{"type":"string","maxLength":3},{"type":"string","minLength":5}]}`, `"ééééé"`, false}, // non-ASCII lengths are not counted here
		{`{"oneOf":[{"type":"integer"},{"type":"string"}]}`, `7`, true},
		{`{"oneOf":[{"type":"integer"},{"type":"string"}]}`, `7.5`, false},
	} {
		v, err := Compile([]byte(c.schema))
		if err != nil || v.fast == nil {
			t.Fatalf("%s: %v, fast path %v", c.schema, err, v != nil && v.fast != nil)
		}
		if fast, _ := diff(t, v, []byte(c.schema), []byte(c.inst)); fast != c.decided {
			t.Errorf("%s against %s: decided %v, want %v", c.inst, c.schema, fast, c.decided)
		}
	}
}

// TestCheckedDecode_cases covers shapes the generators seldom make: each
// case is a schema, a Go type and an instance, with whether the checking
// decoder decides it (it never decides an invalid one).
func TestCheckedDecode_cases(t *testing.T) {
	type item struct {
		A int `json:"a"`
	}
	deep := func(n int) string {
		return strings.Repeat(`{"label":"a","kids":[`, n) + `{"label":"b"}` + strings.Repeat(`]}`, n)
	}
	cases := []struct {
		name, schema string
		typ          reflect.Type
		inst         string
		decided      bool
	}{
		{"multipleOf, a multiple", `{"type":"integer","multipleOf":3}`, reflect.TypeFor[int](), `6`, true},
		{"multipleOf, not a multiple", `{"type":"integer","multipleOf":3}`, reflect.TypeFor[int](), `4`, false},
		{"integer bounds", `{"type":"integer","minimum":1,"maximum":3}`, reflect.TypeFor[int8](), `3`, true},
		{"integer out of bounds", `{"type":"integer","minimum":1,"maximum":3}`, reflect.TypeFor[int8](), `4`, false},
		{"unsigned within bounds", `{"type":"integer","maximum":100}`, reflect.TypeFor[uint8](), `100`, true},
		{"unsigned above", `{"type":"integer","maximum":100}`, reflect.TypeFor[uint8](), `101`, false},
		{"unsigned beyond int64, left to the validator", `{"type":"integer","minimum":10}`, reflect.TypeFor[uint64](), `18446744073709551615`, false},
		{"integer into a float", `{"type":"integer"}`, reflect.TypeFor[float64](), `2.5`, false},
		{"float at its bound", `{"type":"number","minimum":0}`, reflect.TypeFor[float64](), `0`, true},
		{"float below its bound, rounded to it", `{"type":"number","minimum":0}`, reflect.TypeFor[float64](), `-1e-400`, false},
		{"zero with a long exponent", `{"type":"number","maximum":0.1}`, reflect.TypeFor[float64](), `0e10000000000000000000`, false},
		{"a two-digit exponent", `{"type":"number","minimum":0}`, reflect.TypeFor[float64](), `2.5e+10`, true},
		{"float32 at an inexact bound", `{"type":"number","maximum":0.1}`, reflect.TypeFor[float32](), `0.1`, true},
		{"float32 above an inexact bound", `{"type":"number","maximum":0.1}`, reflect.TypeFor[float32](), `0.10000000149011612`, false},
		{"string length in code points", `{"type":"string","maxLength":2}`, reflect.TypeFor[string](), `"éé"`, true},
		{"string too long in code points", `{"type":"string","maxLength":2}`, reflect.TypeFor[string](), `"ééé"`, false},
		{"string with an escape", `{"type":"string","pattern":"^[a-z]+$"}`, reflect.TypeFor[string](), `"\u0061b"`, true},
		{"pattern on a string beyond ASCII", `{"type":"string","pattern":"^.{2,4}$"}`, reflect.TypeFor[string](), `"éé"`, true},
		{"pattern on a string with a quote", `{"type":"string","pattern":"^[a-z\"]+$"}`, reflect.TypeFor[string](), `"a\"b"`, true},
		{"enum with an escape", `{"enum":["ab"]}`, reflect.TypeFor[string](), `"\u0061b"`, false},
		{"null for a string", `{"type":"string"}`, reflect.TypeFor[string](), `null`, false},
		{"null for a nullable pointer", `{"anyOf":[{"type":"object"},{"type":"null"}]}`, reflect.TypeFor[*item](), `null`, true},
		{"nullable object with keywords of its own", `{"anyOf":[{"type":"object"},{"type":"null"}],"required":["b"]}`, reflect.TypeFor[*item](), `{"a":1}`, false},
		{"nullable object of two branches", `{"anyOf":[{"type":"object","required":["a"]},{"type":"object","maxProperties":0}]}`, reflect.TypeFor[item](), `{"a":1}`, true},
		{"object with patternProperties", `{"type":"object","patternProperties":{"^a":{"type":"string"}}}`, reflect.TypeFor[item](), `{"a":1}`, false},
		{"a required name no field has", `{"type":"object","required":["b"]}`, reflect.TypeFor[item](), `{"a":1}`, false},
		{"additionalProperties for a field", `{"type":"object","additionalProperties":{"type":"string"}}`, reflect.TypeFor[item](), `{"a":1}`, false},
		{"map values", `{"type":"object","additionalProperties":{"type":"integer","minimum":0},"maxProperties":2}`, reflect.TypeFor[map[string]int](), `{"x":1,"y":2}`, true},
		{"map with too many members", `{"type":"object","maxProperties":1}`, reflect.TypeFor[map[string]int](), `{"x":1,"y":2}`, false},
		{"map with a property", `{"type":"object","properties":{"x":{"type":"string"}}}`, reflect.TypeFor[map[string]int](), `{"x":1}`, false},
		{"array bounds", `{"type":"array","minItems":1,"maxItems":2}`, reflect.TypeFor[[]int](), `[1,2,3]`, false},
		{"uniqueItems", `{"type":"array","uniqueItems":true}`, reflect.TypeFor[[]int](), `[1,1]`, false},
		{"uniqueItems, distinct", `{"type":"array","uniqueItems":true}`, reflect.TypeFor[[]int](), `[1,2]`, true},
		{"enum of objects", `{"enum":[{"a":1}]}`, reflect.TypeFor[item](), `{"a":1}`, true},
		{"enum of objects, another", `{"enum":[{"a":1}]}`, reflect.TypeFor[item](), `{"a":2}`, false},
		{"nullable string", `{"anyOf":[{"type":"string","maxLength":2},{"type":"null"}]}`, reflect.TypeFor[*string](), `"ab"`, true},
		{"nullable string too long", `{"anyOf":[{"type":"string","maxLength":2},{"type":"null"}]}`, reflect.TypeFor[*string](), `"abc"`, false},
		{"nullable string, null", `{"anyOf":[{"type":"string","maxLength":2},{"type":"null"}]}`, reflect.TypeFor[*string](), `null`, true},
		{"nullable string with keywords of its own", `{"anyOf":[{"type":"string"},{"type":"null"}],"maxLength":1}`, reflect.TypeFor[*string](), `"ab"`, false},
		{"string of two branches", `{"anyOf":[{"type":"string","maxLength":1},{"type":"string","minLength":3}]}`, reflect.TypeFor[string](), `"abc"`, true},
		{"string of neither branch", `{"anyOf":[{"type":"string","maxLength":1},{"type":"string","minLength":3}]}`, reflect.TypeFor[string](), `"ab"`, false},
		{"nullable integer", `{"anyOf":[{"type":"integer","minimum":1},{"type":"null"}]}`, reflect.TypeFor[*int](), `3`, true},
		{"nullable integer below", `{"anyOf":[{"type":"integer","minimum":1},{"type":"null"}]}`, reflect.TypeFor[*int](), `0`, false},
		{"nullable integer with bounds of its own", `{"anyOf":[{"type":"integer"},{"type":"null"}],"maximum":2}`, reflect.TypeFor[*int](), `3`, false},
		{"nullable number", `{"anyOf":[{"type":"number","minimum":0},{"type":"null"}]}`, reflect.TypeFor[*float64](), `0.5`, true},
		{"nullable number below", `{"anyOf":[{"type":"number","minimum":0},{"type":"null"}]}`, reflect.TypeFor[*float64](), `-0.5`, false},
		{"nullable integer, a fraction", `{"anyOf":[{"type":"integer"},{"type":"null"}]}`, reflect.TypeFor[*float64](), `0.5`, false},
		{"block id by hash, into a map", blockID, reflect.TypeFor[map[string]string](), `{"block_hash":"0x1"}`, true},
		{"block id by tag, into a string", blockID, reflect.TypeFor[string](), `"latest"`, true},
		{"block id by number, into a struct", blockID, reflect.TypeFor[struct {
			N *int `json:"block_number"`
		}](), `{"block_number":12}`, true},
		{"nested 600 deep", `{"$ref":"#/$defs/t","$defs":{"t":{"type":"object","properties":{"label":{"type":"string"},"kids":{"type":"array","items":{"$ref":"#/$defs/t"}}}}}}`, reflect.TypeFor[reflTree](), deep(600), false},
		{"nested 3000 deep", `{"$ref":"#/$defs/t","$defs":{"t":{"type":"object","properties":{"label":{"type":"string"},"kids":{"type":"array","items":{"$ref":"#/$defs/t"}}}}}}`, reflect.TypeFor[reflTree](), deep(3000), false},
		{"nested 100 deep", `{"$ref":"#/$defs/t","$defs":{"t":{"type":"object","properties":{"label":{"type":"string"},"kids":{"type":"array","items":{"$ref":"#/$defs/t"}}}}}}`, reflect.TypeFor[reflTree](), deep(100), true},
	}
	for _, c := range cases {
		v, err := Compile([]byte(c.schema))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if v.fast == nil {
			t.Fatalf("%s: no fast path", c.name)
		}
		decode := fastdecode.CheckedValue(c.typ, v.fast)
		decided, _ := checkDecoded(t, v, decode, c.typ, []byte(c.schema), []byte(c.inst))
		if decided != c.decided {
			t.Errorf("%s: decided %v, want %v", c.name, decided, c.decided)
		}
	}
}
