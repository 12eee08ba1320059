package validate

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestFastPath_rawPattern holds the one-pass string check (the pattern's
// DFA run while the string is scanned) to the general validator: raw
// strings, escaped ones and ones beyond ASCII, with length bounds.
func TestFastPath_rawPattern(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 13))
	decided := 0
	for _, p := range patternPool {
		schema, _ := json.Marshal(map[string]any{"type": "string", "pattern": p.expr, "minLength": 2, "maxLength": 6})
		v, err := Compile(schema)
		if err != nil {
			t.Fatal(err)
		}
		if v.fast == nil {
			t.Fatalf("%s: no fast path", schema)
		}
		for _, sample := range p.samples {
			for _, s := range mutations(r, sample, 200) {
				enc, _ := json.Marshal(s)
				forms := [][]byte{enc}
				if !strings.ContainsAny(s, "\"\\\x00\x01\x1f\n\t") {
					forms = append(forms, []byte(`"`+s+`"`))
				}
				for _, raw := range forms {
					fast := v.fast.valid(raw)
					general := v.validateDecoded(raw, false) == nil
					if fast && !general {
						t.Errorf("%s: fast accepts %s, the general validator does not", schema, raw)
					}
					if fast {
						decided++
					}
				}
			}
		}
	}
	if decided < 1000 {
		t.Errorf("the fast path accepted only %d strings", decided)
	}
}

// TestFastPath_memberOrder holds the in-place match of the member
// expected next to the general validator: members in order, out of order,
// escaped, repeated, and names that the expected one is a prefix of.
func TestFastPath_memberOrder(t *testing.T) {
	schema := `{"type":"object","required":["ab","c","x"],"properties":{"ab":{"type":"integer","maximum":1},"abc":{"type":"string"},"c":{"type":"boolean"},"x":{"type":"integer"}},"additionalProperties":{"type":"null"}}`
	v, err := Compile([]byte(schema))
	if err != nil || v.fast == nil {
		t.Fatal(err, v.fast == nil)
	}
	accepted := 0
	for _, inst := range []string{
		`{"ab":1,"c":true,"x":0}`,
		`{"c":true,"ab":1,"x":0}`,
		`{"ab":1,"abc":"x","c":true,"x":0}`,
		`{"abc":"x","ab":1,"c":true,"x":0}`,
		`{"ab":2,"c":true,"x":0}`,
		`{"abc":1,"ab":1,"c":true,"x":0}`,
		`{"ab":1,"ab":2,"c":true,"x":0}`,
		`{"\u0061b":1,"c":true,"x":0}`,
		`{"\u0061b":2,"c":true,"x":0}`,
		`{"ab" : 1 , "c" : true , "x" : 0 }`,
		`{"ab":1,"c":true}`,
		`{"ab":1,"c":true,"d":null,"x":0}`,
		`{"ab":1,"c":true,"d":0,"x":0}`,
		`{"ab ":1,"ab":1,"c":true,"x":0}`,
		`{"a":null,"ab":1,"c":1,"x":0}`,
	} {
		fast := v.fast.valid([]byte(inst))
		general := v.validateDecoded([]byte(inst), false) == nil
		if fast && !general {
			t.Errorf("fast accepts %s, the general validator does not", inst)
		}
		if fast {
			accepted++
		}
	}
	if accepted < 4 {
		t.Errorf("the fast path accepted only %d instances", accepted)
	}
}

// TestFastPath_patternTableExact holds the claim a oneOf relies on when it
// calls a string certainly failing: on a string of printable ASCII written
// without escapes (the only ASCII a JSON string holds unescaped), the
// table of a pattern anchored at both ends decides both ways, as the
// general validator does. The one atom that is narrower than ECMA-262's,
// \s (without \v), differs only on a character such a string cannot hold.
func TestFastPath_patternTableExact(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var printable []byte
	for c := byte(0x20); c <= 0x7f; c++ { // DEL too: JSON leaves it unescaped
		if c != '"' && c != '\\' {
			printable = append(printable, c)
		}
	}
	exprs := []string{`^0x([1-9a-f]+[0-9a-f]*|0)$`, `^0x[0-9a-f]{64}$`, `^\s*x\S+$`, `^[^\s]+$`, `^.*$`, `^\w+\b$`, `^\D\W$`}
	samples := map[string][]string{}
	for _, p := range patternPool {
		exprs = append(exprs, p.expr)
		samples[p.expr] = p.samples
	}
	tables, checked := 0, 0
	for _, expr := range exprs {
		schema, _ := json.Marshal(map[string]any{"type": "string", "pattern": expr})
		v, err := Compile(schema)
		if err != nil || v.fast == nil || v.fast.rawDFA == nil || v.fast.rawDFA.wide == nil {
			continue // no table: not used for "certainly fails"
		}
		tables++
		for range 3000 {
			b := make([]byte, r.IntN(8))
			for i := range b {
				b[i] = printable[r.IntN(len(printable))]
				if r.IntN(3) == 0 {
					b[i] = "0x1afAZ _-.@"[r.IntN(12)]
				}
			}
			s := string(b)
			if ss := samples[expr]; len(ss) > 0 && r.IntN(4) == 0 {
				s = ss[r.IntN(len(ss))]
			}
			tok := []byte(`"` + s + `"`)
			if !plainASCII(tok) || strings.ContainsAny(s, "\"\\") || strings.IndexFunc(s, func(c rune) bool { return c < 0x20 }) >= 0 {
				continue
			}
			checked++
			if table, general := matchPlain(v.fast.rawDFA, s), v.validateDecoded(tok, false) == nil; table != general {
				t.Errorf("%s on %q: the table says %v, the general validator %v", expr, s, table, general)
			}
		}
	}
	if tables < 10 || checked < 20000 {
		t.Errorf("too weak: %d patterns with a table, %d strings", tables, checked)
	}
}
