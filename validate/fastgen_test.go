package validate

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// Generated differential tests of the fast path: random schemas of the
// supported subset (nested objects, $ref into $defs, recursion, arrays,
// maps, patternProperties, enum/const, nullable anyOf, allOf, bounds,
// patterns, formats) and random instances for them, valid ones and broken
// ones. The fast checker may never call valid what the general validator
// rejects; on canonical instances (no escapes, ordinary numbers, the
// strict forms of formats) it must also accept everything the general
// validator accepts.

// patternPool holds patterns of the fast subset with strings to try.
var patternPool = []struct {
	expr    string
	samples []string
}{
	{`^[A-Z]{3}-[0-9]{4}$`, []string{"ABC-0001", "abc-0001", "AB-0001", "ABCD-0001", "ABC-001", "ABC-00011", "XYZ-9999"}},
	{`^[a-z0-9_]+$`, []string{"mike_01", "Mike", "", "a b", "é", "abc"}},
	{`^\d{3}(-\d{2})?$`, []string{"123", "123-45", "123-4", "12", "1234", "١٢٣"}},
	{`ab|cd`, []string{"xxabyy", "cd", "ac", "", "a", "ABCD"}},
	{`^(foo|bar)*baz$`, []string{"baz", "foobarbaz", "foobaz!", "fobaz", "barbarbaz"}},
	{`^.{2,4}$`, []string{"ab", "abcd", "a", "abcde", "é\u00e9", "😀", "😀a", "a\nb", "a\u2028"}},
	{`^[^@\s]+@x$`, []string{"a@x", "@x", "a b@x", "é@x", "😀@x", "a@@x", "a\u00a0b@x"}},
	{`\s`, []string{"a b", "ab", "a\u00a0", "a\u2003b", "\t", "\ufeff", ""}},
	{`^\w+\b`, []string{"abc", "abc def", "é", " a"}},
	{`colou?r`, []string{"color", "colour", "colouur", "COLOR"}},
	{`^a*?b+$`, []string{"b", "aab", "aa", "abb", "ba"}},
	{`x{2,3}`, []string{"x", "xx", "axxxa", ""}},
	{`^$`, []string{"", " ", "a"}},
	{`^[\-.]+$`, []string{"-.", "-", "a", ".-."}},
	{`^[0-9A-Z -]+$`, []string{"SW1Y 4LB", "95014", "sw1y", ""}},
	{`^[a-z]{2,5}[0-9]*$`, []string{"ab", "abcde12", "abcdef1", "a1", "ab\"1", "ab\\1"}},
	{`^x?[A-Z]{2}"?$`, []string{"xAB", "AB", "AB\"", "xA", "xABC", "ab"}},
	{`^\D\W\S$`, []string{"a!b", "1!b", "a b ", "é!x", "😀!x", "a!😀"}},
	{`a*$`, []string{"", "b", "baa", "a"}},
	{`^(ab)*`, []string{"", "x", "abab"}},
	{`^(x|)y?$`, []string{"", "x", "xy", "y", "yy"}},
	{`[a-c][^a-c]`, []string{"ad", "aa", "d", "a😀", "aé"}},
	// Outside the translated subset: these run on internal/ecmaregex.
	{`^(?=.*\d)\w+$`, []string{"abc1", "abc", "1", "a b1"}},
	{`^\p{Lu}+$`, []string{"ABC", "ÀB", "aB", ""}},
	{`^(a+)\1$`, []string{"aa", "aaaa", "aaa", "b"}},
	{`é+`, []string{"é", "e", "xée"}},
}

// formatPool holds strict valid forms and near misses for each format the
// fast path checks.
var formatPool = map[string][]string{
	"date-time": {"2026-11-30T20:38:19Z", "2026-11-30t20:38:19.123+01:00", "2016-12-31T23:59:60Z", "2016-12-31T22:59:60-01:00",
		"2026-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "2026-11-30 20:38:19Z", "2026-11-30T24:00:00Z", "2026-11-30T20:38:19", "2026-11-30T20:38:19.Z"},
	"date":          {"2026-11-30", "2024-02-29", "2026-02-29", "1900-02-29", "2000-02-29", "2026-13-01", "2026-1-01", "0000-01-01", "2026-11-31"},
	"time":          {"20:38:19Z", "23:59:60Z", "20:38:60Z", "00:00:00.5+23:59", "12:00:00-24:00", "12:00:00+01:60", "12:00:00", "1:00:00Z"},
	"email":         {"ada@example.com", "a.b+c@x-y.org", "a..b@x.org", ".a@x.org", "a.@x.org", "@x.org", "a@x.org.", "\"a b\"@x.org", "a@[1.2.3.4]", "a@-x.org", "a@x", "a b@x.org", "a@b@x.org", strings.Repeat("a", 65) + "@x.org", "é@x.org"},
	"hostname":      {"example.com", "a-b.c", "-a.com", "a-.com", "a..b", "a.b.", strings.Repeat("a", 64) + ".com", "xn--bcher-kva.example", "a_b.com", ""},
	"ipv4":          {"192.168.0.1", "0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "+1.2.3.4", "1.2.3.4 "},
	"ipv6":          {"::1", "2001:db8::1", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0", "1.2.3.4", ":::", "[::1]"},
	"uuid":          {"3b241101-e2bb-4255-8caf-4136c566a962", "3B241101-E2BB-4255-8CAF-4136C566A962", "3b241101e2bb42558caf4136c566a962", "3b241101-e2bb-4255-8caf-4136c566a96", "3b241101-e2bb-4255-8caf-4136c566a96g"},
	"uri":           {"https://example.com/x?y=1#z", "mailto:a@b.c", "urn:isbn:123", "http://h:80/", "http://h:x/", "//h/p", "/p", "a b:c", "http://[::1]/", "http://u@h/", "http://h/%zz", "http://h/%41", "1http://h"},
	"uri-reference": {"https://example.com/x", "/p?q#f", "p/q", "a:b", "./a:b", "#f", "", "a b", "%zz", "\\x", "?q"},
	"json-pointer":  {"", "/", "/a/b", "/a~0b~1c", "/a~2", "a", "/~"},
}

// strictFormats holds strings in the forms the fast format checkers
// decide both ways: strict valid forms, and strings no checker accepts.
var strictFormats = map[string][]string{
	"date-time":     {"2026-11-30T20:38:19Z", "2026-11-30t20:38:19.123+01:00", "2016-12-31T23:59:60Z", "2026-02-29T00:00:00Z", "2026-11-30T24:00:00Z", "x"},
	"date":          {"2026-11-30", "2024-02-29", "2026-02-29", "2026-13-01", "x"},
	"time":          {"20:38:19Z", "23:59:60Z", "20:38:60Z", "00:00:00.5+23:59", "x"},
	"email":         {"ada@example.com", "a.b+c@x-y.org", "a..b@x.org", "a@-x.org", "a b@x.org", "x"},
	"hostname":      {"example.com", "a-b.c", "-a.com", "a..b", "a_b.com"},
	"ipv4":          {"192.168.0.1", "0.0.0.0", "256.1.1.1", "01.2.3.4", "1.2.3"},
	"ipv6":          {"::1", "2001:db8::1", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8:9", "1.2.3.4", ":::"},
	"uuid":          {"3b241101-e2bb-4255-8caf-4136c566a962", "3b241101e2bb42558caf4136c566a962"},
	"uri":           {"https://example.com/x?y=1#z", "mailto:a@b.c", "urn:isbn:123", "http://h:80/", "/p", "1http://h"},
	"uri-reference": {"https://example.com/x", "/p?q#f", "p/q", "#f", "", "%zz"},
	"json-pointer":  {"", "/", "/a/b", "/a~0b~1c", "/a~2", "a"},
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// gen generates schemas and instances.
type gen struct {
	r         *rand.Rand
	canonical bool // only canonical instances and schemas where the fast path is complete
	defs      map[string]any
}

var propNames = []string{"id", "name", "sku", "qty", "tags", "a", "b", "kids", "x-y", "é"}

func (g *gen) pick(n int) int { return g.r.IntN(n) }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// schema returns a random schema; depth bounds nesting.
func (g *gen) schema(depth int) any {
	k := g.pick(15)
	if depth <= 0 {
		k = g.pick(4)
	}
	switch k {
	case 14:
		return g.oneOfSchema(depth)
	case 0:
		return g.stringSchema()
	case 1:
		return g.numberSchema("integer")
	case 2:
		return g.numberSchema("number")
	case 3:
		return map[string]any{"type": []string{"boolean", "null"}[g.pick(2)]}
	case 4, 5:
		return g.objectSchema(depth)
	case 6:
		s := map[string]any{"type": "array", "items": g.schema(depth - 1)}
		if g.chance(0.4) {
			s["minItems"] = g.pick(3)
		}
		if g.chance(0.3) {
			s["maxItems"] = 1 + g.pick(4)
		}
		if g.chance(0.3) && (!g.canonical || isScalarSchema(s["items"])) {
			s["uniqueItems"] = true
		}
		return s
	case 7:
		return map[string]any{"type": "object", "additionalProperties": g.schema(depth - 1)}
	case 8:
		alts := []any{g.schema(depth - 1), map[string]any{"type": "null"}}
		if g.chance(0.5) {
			alts[0], alts[1] = alts[1], alts[0]
		}
		return map[string]any{"anyOf": alts}
	case 9, 10:
		return map[string]any{"$ref": "#/$defs/" + g.def(depth-1)}
	case 11:
		if g.canonical {
			return map[string]any{"type": "string", "enum": []any{"pending", "paid", "shipped"}}
		}
		return map[string]any{"enum": []any{"a", 1, nil, true, map[string]any{"k": 1}, 2.5}}
	case 12:
		if g.canonical {
			return map[string]any{"const": "fixed"}
		}
		return map[string]any{"anyOf": []any{g.schema(depth - 1), g.schema(depth - 1)}}
	default:
		if g.canonical {
			return map[string]any{"type": []any{"string", "null"}, "minLength": 2}
		}
		return map[string]any{"allOf": []any{map[string]any{"$ref": "#/$defs/" + g.def(depth-1)}, map[string]any{"type": "object", "maxProperties": 2}}}
	}
}

// oneOfSchema returns a oneOf. Canonical ones have branches of distinct
// JSON types, which the fast checker tells apart; the others also have
// object branches told apart, or not, by their required members, and
// branches of any kind.
func (g *gen) oneOfSchema(depth int) map[string]any {
	obj := g.objectSchema(depth)
	others := []any{
		map[string]any{"type": "string", "minLength": 1},
		map[string]any{"type": "boolean"},
		map[string]any{"type": "null"},
		map[string]any{"type": "array", "items": map[string]any{"type": "integer"}},
		map[string]any{"type": "string", "enum": []any{"latest", "pending"}},
	}
	alts := []any{obj, others[g.pick(len(others))]}
	if !g.canonical {
		switch g.pick(3) {
		case 0:
			other := g.objectSchema(depth)
			other["required"] = []any{propNames[g.pick(len(propNames))]}
			alts = append(alts, other)
		case 1:
			alts = append(alts, g.schema(depth-1))
		}
	}
	g.r.Shuffle(len(alts), func(i, j int) { alts[i], alts[j] = alts[j], alts[i] })
	return map[string]any{"oneOf": alts}
}

func isScalarSchema(s any) bool {
	m, ok := s.(map[string]any)
	if !ok {
		return false
	}
	switch m["type"] {
	case "string", "integer", "boolean", "null":
		return true
	}
	return false
}

// def adds a definition (possibly recursive: it may refer to itself
// through an optional member) and returns its name.
func (g *gen) def(depth int) string {
	if len(g.defs) > 0 && g.chance(0.4) {
		names := mapKeys(g.defs)
		return names[g.pick(len(names))]
	}
	name := fmt.Sprintf("D%d", len(g.defs))
	g.defs[name] = true // placeholder: a reference to it while building is recursion
	s := g.objectSchema(depth)
	if g.chance(0.5) {
		props := s["properties"].(map[string]any)
		props["kids"] = map[string]any{"type": "array", "items": map[string]any{"$ref": "#/$defs/" + name}, "maxItems": 2}
	}
	g.defs[name] = s
	return name
}

func (g *gen) stringSchema() map[string]any {
	s := map[string]any{"type": "string"}
	if g.chance(0.3) {
		s["minLength"] = g.pick(4)
	}
	if g.chance(0.3) {
		s["maxLength"] = 2 + g.pick(8)
	}
	switch g.pick(4) {
	case 0:
		s["pattern"] = patternPool[g.pick(len(patternPool))].expr
	case 1:
		names := mapKeys(formatPool)
		s["format"] = names[g.pick(len(names))]
	}
	return s
}

func (g *gen) numberSchema(typ string) map[string]any {
	s := map[string]any{"type": typ}
	bounds := []any{json.Number("0"), json.Number("1"), json.Number("-3"), json.Number("2.5"), json.Number("-1.5"),
		json.Number("100"), json.Number("1e2"), json.Number("0.1"), json.Number("9007199254740993"), json.Number("1e30"), json.Number("-0.30000000000000004")}
	if g.canonical {
		bounds = bounds[:8] // bounds of at most 15 significant digits
	}
	for _, k := range []string{"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"} {
		if g.chance(0.25) {
			s[k] = bounds[g.pick(len(bounds))]
		}
	}
	if g.chance(0.15) && !g.canonical {
		s["multipleOf"] = []any{json.Number("3"), json.Number("0.5")}[g.pick(2)]
	}
	return s
}

func (g *gen) objectSchema(depth int) map[string]any {
	props := map[string]any{}
	var required []any
	for range 1 + g.pick(4) {
		name := propNames[g.pick(len(propNames))]
		props[name] = g.schema(depth - 1)
		if g.chance(0.5) {
			required = append(required, name)
		}
	}
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	switch g.pick(4) {
	case 0:
		s["additionalProperties"] = false
	case 1:
		s["additionalProperties"] = map[string]any{"type": "integer"}
	}
	if g.chance(0.15) {
		s["patternProperties"] = map[string]any{"^x-": map[string]any{"type": "string"}}
	}
	if g.chance(0.1) {
		s["maxProperties"] = 1 + g.pick(3)
	}
	if g.chance(0.2) {
		s["title"] = "T"
		s["description"] = "generated"
	}
	return s
}

func mapKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	// Sorted, so that a seed gives the same run.
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && ks[j] < ks[j-1]; j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	return ks
}

// document returns a whole generated schema document.
func (g *gen) document() []byte {
	g.defs = map[string]any{}
	root := g.schema(4)
	doc := map[string]any{}
	if m, ok := root.(map[string]any); ok {
		for k, v := range m {
			doc[k] = v
		}
	} else {
		doc["allOf"] = []any{root}
	}
	if len(g.defs) > 0 {
		doc["$defs"] = g.defs
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return b
}

// instance writes a value for schema s, valid more often than not; with
// probability miss at each level it writes something else.
func (g *gen) instance(b *strings.Builder, root, s any, depth int, miss float64) {
	if depth > 6 {
		b.WriteString("null")
		return
	}
	if g.chance(miss) {
		g.randomValue(b)
		return
	}
	m, ok := s.(map[string]any)
	if !ok {
		g.randomValue(b)
		return
	}
	if ref, ok := m["$ref"].(string); ok {
		t, _ := resolvePointer(root, ref)
		g.instance(b, root, t, depth+1, miss)
		return
	}
	if alts, ok := m["anyOf"].([]any); ok {
		g.instance(b, root, alts[g.pick(len(alts))], depth+1, miss)
		return
	}
	if alts, ok := m["oneOf"].([]any); ok {
		g.instance(b, root, alts[g.pick(len(alts))], depth+1, miss)
		return
	}
	if alts, ok := m["allOf"].([]any); ok {
		g.instance(b, root, alts[0], depth+1, miss)
		return
	}
	if e, ok := m["enum"].([]any); ok {
		writeJSON(b, e[g.pick(len(e))])
		return
	}
	if c, ok := m["const"]; ok {
		writeJSON(b, c)
		return
	}
	typ, _ := m["type"].(string)
	if ts, ok := m["type"].([]any); ok {
		typ, _ = ts[g.pick(len(ts))].(string)
	}
	switch typ {
	case "string":
		b.WriteString(g.str(m))
	case "integer":
		b.WriteString(g.num(true))
	case "number":
		b.WriteString(g.num(false))
	case "boolean":
		b.WriteString([]string{"true", "false"}[g.pick(2)])
	case "null":
		b.WriteString("null")
	case "object":
		b.WriteByte('{')
		n := 0
		member := func(name string, v any) {
			if n > 0 {
				b.WriteByte(',')
			}
			if g.chance(0.05) && !g.canonical {
				b.WriteString(" ")
			}
			writeJSON(b, name)
			b.WriteByte(':')
			g.instance(b, root, v, depth+1, miss)
			n++
		}
		props, _ := m["properties"].(map[string]any)
		req := map[string]bool{}
		if rs, ok := m["required"].([]any); ok {
			for _, r := range rs {
				req[r.(string)] = true
			}
		}
		for _, name := range mapKeys(props) {
			if req[name] || g.chance(0.6) {
				member(name, props[name])
			}
		}
		if ap, ok := m["additionalProperties"]; ok && g.chance(0.7) {
			if ap != false {
				for range g.pick(4) {
					member(fmt.Sprintf("k%d", n), ap)
				}
			}
		} else if g.chance(0.2) {
			member("extra", map[string]any{"type": "integer"})
		}
		if _, ok := m["patternProperties"]; ok && g.chance(0.5) {
			member("x-tag", map[string]any{"type": "string"})
		}
		b.WriteByte('}')
	case "array":
		b.WriteByte('[')
		n := g.pick(5)
		var prev string
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			if i > 0 && g.chance(0.2) {
				b.WriteString(prev) // a duplicate, for uniqueItems
				continue
			}
			var e strings.Builder
			g.instance(&e, root, m["items"], depth+1, miss)
			prev = e.String()
			b.WriteString(prev)
		}
		b.WriteByte(']')
	default:
		g.randomValue(b)
	}
}

func writeJSON(b *strings.Builder, v any) {
	out, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	b.Write(out)
}

// str returns a JSON string for a string schema.
func (g *gen) str(m map[string]any) string {
	var s string
	switch {
	case m["pattern"] != nil && g.chance(0.8):
		for _, p := range patternPool {
			if p.expr == m["pattern"] {
				s = p.samples[g.pick(len(p.samples))]
			}
		}
		if g.canonical && !isASCII(s) {
			s = "ab" // ASCII only: beyond it, \s differs between the engines the general validator may use
		}
	case m["format"] != nil && (g.canonical || g.chance(0.8)):
		pool := formatPool[m["format"].(string)]
		if g.canonical {
			pool = strictFormats[m["format"].(string)]
		}
		s = pool[g.pick(len(pool))]
	default:
		alphabet := []string{"a", "b", "Z", "0", "-", " ", "@", "é", "😀", ".", "_"}
		if g.canonical {
			alphabet = alphabet[:7]
		}
		for range g.pick(8) {
			s += alphabet[g.pick(len(alphabet))]
		}
	}
	q, _ := json.Marshal(s)
	if g.canonical && strings.IndexByte(string(q), '\\') >= 0 {
		q = []byte(`"ab"`) // canonical strings have no escapes
	}
	if !g.canonical && g.chance(0.1) && len(s) > 0 {
		// the same string with an escape
		return `"\u` + fmt.Sprintf("%04x", []rune(s)[0]) + string(q[1+len(string([]rune(s)[0])):])
	}
	return string(q)
}

// num returns a number literal.
func (g *gen) num(integer bool) string {
	ints := []string{"0", "1", "-1", "2", "3", "-3", "-4", "99", "100", "101", "-0", "9007199254740993", "123456789012345678901"}
	others := []string{"2.5", "-1.5", "2.4999", "0.1", "0.30000000000000004", "-0.30000000000000004", "1.0", "1e2", "1E-2", "-2.5e3", "1e400", "1e-400", "0.5", "99.99"}
	if g.canonical {
		ints = ints[:10]
		others = []string{"2.5", "-1.5", "2.4999", "0.1", "0.5", "99.99", "-3.75"}
	}
	if integer || g.chance(0.5) {
		return ints[g.pick(len(ints))]
	}
	return others[g.pick(len(others))]
}

func (g *gen) randomValue(b *strings.Builder) {
	vals := []string{`null`, `true`, `"x"`, `""`, `0`, `-1`, `2.5`, `[]`, `{}`, `[1,"a"]`, `{"a":1}`, `"2026-11-30"`, `"ABC-0001"`}
	b.WriteString(vals[g.pick(len(vals))])
}

// mixedInstance returns the k-th instance of a run for the schema document
// root: valid (k%3 == 0), with a random value here and there (k%3 == 1),
// or mutated (k%3 == 2) unless the generator is canonical.
func (g *gen) mixedInstance(root any, k int) string {
	var b strings.Builder
	miss := 0.0
	if k%3 == 1 {
		miss = 0.05
	}
	g.instance(&b, root, root, 0, miss)
	if k%3 == 2 && !g.canonical {
		return g.mutate(b.String())
	}
	return b.String()
}

// mutate changes one byte or cuts one member of a JSON text, keeping it
// valid JSON when it can.
func (g *gen) mutate(inst string) string {
	for range 10 {
		b := []byte(inst)
		if len(b) == 0 {
			return inst
		}
		i := g.pick(len(b))
		switch g.pick(3) {
		case 0:
			b[i] = "09aZ-.:\"é{}[],"[g.pick(14)]
		case 1:
			b = append(b[:i], b[i+1:]...)
		default:
			b = append(b[:i], append([]byte(strconv.Itoa(g.pick(100))), b[i:]...)...)
		}
		if json.Valid(b) {
			return string(b)
		}
	}
	return inst
}

// TestFastPath_generated is the differential test of the fast checker on
// generated schemas and instances.
func TestFastPath_generated(t *testing.T) {
	schemas, instances := 400, 120
	if testing.Short() {
		schemas = 100
	}
	for _, canonical := range []bool{false, true} {
		g := &gen{r: rand.New(rand.NewPCG(7, 11)), canonical: canonical}
		var built, fastValid, generalValid, total int
		for range schemas {
			doc := g.document()
			v, err := Compile(doc)
			if err != nil {
				continue // a generated bound combination the meta-schema rejects
			}
			if v.fast == nil {
				if canonical {
					t.Errorf("no fast path for %s", doc)
				}
				continue
			}
			built++
			var root any
			_ = json.Unmarshal(doc, &root)
			for k := range instances {
				inst := g.mixedInstance(root, k)
				f, gen := diff(t, v, doc, []byte(inst))
				total++
				if f {
					fastValid++
				}
				if gen {
					generalValid++
					if canonical && !f {
						t.Errorf("fast path undecided on a canonical valid instance:\nschema   %s\ninstance %s", doc, inst)
					}
				}
			}
		}
		t.Logf("canonical=%v: fast path built for %d schemas; %d instances, %d valid, %d decided by the fast path",
			canonical, built, total, generalValid, fastValid)
		if built < schemas/2 || fastValid < generalValid/2 {
			t.Errorf("the generator is too weak: %d schemas with a fast path, %d of %d valid instances decided fast", built, fastValid, generalValid)
		}
	}
}

// diff checks one instance: the fast checker may only call it valid if the
// general validator does.
func diff(t *testing.T, v *Validator, schema, inst []byte) (fast, general bool) {
	t.Helper()
	if !json.Valid(inst) {
		return false, false
	}
	general = v.validateDecoded(inst, false) == nil
	fast = v.fast.valid(inst)
	if fast && !general {
		t.Fatalf("fast path accepts what the general validator rejects:\nschema   %s\ninstance %s\ngeneral  %v", schema, inst, v.validateDecoded(inst, false))
	}
	return fast, general
}

// generated returns the generator of seed in stream, the schema document
// it generates first, and that document decoded.
func generated(seed, stream uint64) (g *gen, doc []byte, root any) {
	g = &gen{r: rand.New(rand.NewPCG(seed, stream))}
	doc = g.document()
	if err := json.Unmarshal(doc, &root); err != nil {
		panic(err)
	}
	return g, doc, root
}

// addGeneratedSeeds adds to f's corpus, for seeds 0 to 7 of stream, a
// valid instance of the schema each seed generates.
func addGeneratedSeeds(f *testing.F, stream uint64) {
	for seed := range uint64(8) {
		g, _, root := generated(seed, stream)
		var b strings.Builder
		g.instance(&b, root, root, 0, 0)
		f.Add(seed, b.String())
	}
}

// FuzzFastPathGenerated generates a schema of the fast subset from seed
// and checks the fuzzed instance, a generated one and a mutated one
// against it: the fast checker may never accept what the general
// validator rejects.
func FuzzFastPathGenerated(f *testing.F) {
	addGeneratedSeeds(f, 1)
	f.Fuzz(func(t *testing.T, seed uint64, inst string) {
		g, doc, root := generated(seed, 1)
		v, err := Compile(doc)
		if err != nil || v.fast == nil {
			return
		}
		var b strings.Builder
		g.instance(&b, root, root, 0, 0.05)
		diff(t, v, doc, []byte(inst))
		diff(t, v, doc, []byte(b.String()))
		diff(t, v, doc, []byte(g.mutate(b.String())))
	})
}
