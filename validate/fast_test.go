package validate

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The fast path may only answer "valid" where the full validator agrees.
// These tests compare the two on generated instances; FuzzFastPath does the
// same on fuzzed ones.

var fastSchemas = []string{
	`{"type":"object","properties":{"message":{"type":"string","minLength":1},"n":{"type":"integer"}},"required":["message","n"],"additionalProperties":false}`,
	`{"type":"object","properties":{"username":{"type":"string","minLength":3,"maxLength":32,"pattern":"^[a-z0-9_]+$"},"email":{"type":"string","format":"email"}},"required":["username","email"],"additionalProperties":false}`,
	`{"type":"object","properties":{"user_uuid":{"type":"string","format":"uuid"},"when":{"type":"string","format":"date-time"},"site":{"type":"string","format":"uri"}},"required":["user_uuid"]}`,
	`{"type":"object","properties":{"n":{"type":"integer","minimum":0,"maximum":100},"x":{"type":"number","exclusiveMinimum":-1.5,"exclusiveMaximum":2.25},"b":{"type":"boolean"},"z":{"type":"null"},"c":{"type":"string","enum":["red","green"]}},"required":["n"],"additionalProperties":false}`,
	`{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"},"inner":{"type":"object","properties":{"k":{"type":"string"}},"required":["k"],"additionalProperties":false}},"required":["a","b"],"additionalProperties":false}`,
	`{"type":"object","properties":{"limit":{"anyOf":[{"type":"integer","minimum":1},{"type":"null"}],"description":"d"},"inner":{"anyOf":[{"type":"null"},{"type":"object","properties":{"k":{"type":"string"}},"required":["k"]}]}},"additionalProperties":false}`,
}

func TestFastPath_builtForSimpleSchemas(t *testing.T) {
	for _, s := range fastSchemas {
		v, err := Compile([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		if v.fast == nil {
			t.Errorf("no fast path for %s", s)
		}
	}
	for _, s := range []string{
		`{"type":"object","properties":{"a":{"$ref":"#/components/schemas/A"}}}`,
		`{"type":"object","properties":{"a":{"type":"array","items":{"type":"string"}}}}`,
		`{"type":"object","properties":{"a":{"type":["string","null"]}}}`,
		`{"type":"object","properties":{"a":{"anyOf":[{"type":"string"},{"type":"integer"}]}}}`,
		`{"type":"object","properties":{"a":{"anyOf":[{"type":"string"},{"type":"null"}],"minLength":2}}}`,
		`{"type":"object","patternProperties":{"^a":{"type":"string"}}}`,
		`{"type":"number","multipleOf":2}`,
		`{"$defs":{"T":{"type":"object","properties":{"kids":{"type":"array","items":{"$ref":"#/$defs/T"}}}}},"$ref":"#/$defs/T"}`,
		`{"type":"object","properties":{"a":{"enum":["x",1,null,{"k":[true]}]},"b":{"const":"c"}},"maxProperties":3}`,
		`{"type":"array","items":{"type":"string","format":"date-time"},"minItems":1,"maxItems":3,"uniqueItems":true}`,
		`{"type":"string","pattern":"é+"}`,
		`{"type":"object","patternProperties":{"^(?=x)\\w+$":{"type":"string"}}}`,
		`{"type":"object","properties":{"a":{"oneOf":[{"type":"string"}]}}}`,
		`{"oneOf":[{"type":"object","required":["h"]},{"type":"object","required":["n"]},{"$ref":"#/components/schemas/A"}]}`,
	} {
		v, err := Compile([]byte(s), WithComponents([]byte(`{"A":{"type":"string"}}`)))
		if err != nil {
			t.Fatal(err)
		}
		if v.fast == nil {
			t.Errorf("no fast path for %s", s)
		}
	}
	for _, s := range []string{
		`{"type":"object","properties":{"a":{"type":"string","format":"x-unknown"}}}`,
		`{"type":"object","properties":{"a":{"not":{"type":"string"}}}}`,
		`{"type":"object","minProperties":1}`,
		`{"$defs":{"A":{"$id":"other.json","type":"string"}},"$ref":"#/$defs/A"}`,
		`{"type":"array","prefixItems":[{"type":"string"}]}`,
		`{"$schema":"https://json-schema.org/draft/2019-09/schema","type":"string"}`,
	} {
		v, err := Compile([]byte(s), WithComponents([]byte(`{"A":{"type":"string"}}`)))
		if err != nil {
			t.Fatal(err)
		}
		if v.fast != nil {
			t.Errorf("fast path built for unsupported schema %s", s)
		}
	}
}

var scalarSamples = []string{
	`""`, `"a"`, `"ab"`, `"abc"`, `"mike_01"`, `"Mike"`, `"a b"`, `"héllo"`, `"x@example.com"`, `"not-an-email"`,
	`"a\u0062c"`, `"3b241101-e2bb-4255-8caf-4136c566a962"`, `"3B241101-E2BB-4255-8CAF-4136C566A962"`, `"3b241101e2bb42558caf4136c566a962"`,
	`"2026-11-29T19:00:00Z"`, `"2026-13-29T19:00:00Z"`, `"https://example.com/x"`, `"not a uri"`, `"red"`, `"blue"`,
	`"` + strings.Repeat("a", 33) + `"`, `"` + strings.Repeat("é", 32) + `"`,
	`0`, `-0`, `1`, `-1`, `100`, `101`, `1.0`, `1.5`, `2.25`, `2.2499999`, `-1.5`, `-1.4999`, `1e2`, `1E-2`, `-2.5e3`,
	`12345678901234567890`, `0.1`, `100.0`, `true`, `false`, `null`, `[]`, `{}`, `[1]`, `{"k":"v"}`, `{"k":1}`, `{"k":"v","x":1}`,
}

func randomObject(r *rand.Rand, keys []string) string {
	var b strings.Builder
	b.WriteByte('{')
	perm := r.Perm(len(keys))
	n := 1 + r.IntN(len(keys)+1)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		k := "extra"
		if i < len(keys) {
			k = keys[perm[i]]
		}
		fmt.Fprintf(&b, "%q:%s", k, scalarSamples[r.IntN(len(scalarSamples))])
	}
	b.WriteByte('}')
	return b.String()
}

func TestFastPath_neverAcceptsWhatTheFullValidatorRejects(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, s := range fastSchemas {
		v, err := Compile([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range v.fast.props {
			keys = append(keys, k)
		}
		agreeValid := 0
		for range 20000 {
			inst := randomObject(r, keys)
			checkAgreement(t, v, []byte(inst))
			if v.fast.valid([]byte(inst)) {
				agreeValid++
			}
		}
		if agreeValid == 0 {
			t.Errorf("fast path never taken for %s: the generator is too weak to test it", s)
		}
	}
}

func checkAgreement(t *testing.T, v *Validator, inst []byte) {
	t.Helper()
	if !json.Valid(inst) || v.fast == nil || !v.fast.valid(inst) {
		return
	}
	doc, err := decode(inst)
	if err != nil {
		return
	}
	if err := v.Validate(doc); err != nil {
		t.Fatalf("fast path accepted %s, full validator says %v", inst, err)
	}
}

func FuzzFastPath(f *testing.F) {
	for _, s := range scalarSamples {
		f.Add(`{"message":` + s + `,"n":` + s + `}`)
		f.Add(`{"username":` + s + `,"email":` + s + `}`)
		f.Add(`{"n":` + s + `,"x":` + s + `,"c":` + s + `}`)
	}
	var vs []*Validator
	for _, s := range fastSchemas {
		v, err := Compile([]byte(s))
		if err != nil {
			f.Fatal(err)
		}
		vs = append(vs, v)
	}
	f.Fuzz(func(t *testing.T, inst string) {
		for _, v := range vs {
			checkAgreement(t, v, []byte(inst))
		}
	})
}

// BenchmarkValidateJSON measures validation of raw params as the server
// does it: the fast path for a flat schema, against the full validator
// (which decodes the JSON into maps first).
func BenchmarkValidateJSON(b *testing.B) {
	v := mustCompileFast(b, `{"type": "object", "properties": {"message": {"type": "string", "minLength": 1}, "n": {"type": "integer"}}, "required": ["message"], "additionalProperties": false}`)
	data := []byte(`{"message":"hello","n":42}`)
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := v.ValidateJSON(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("full", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			inst, err := decode(data)
			if err != nil {
				b.Fatal(err)
			}
			if err := v.Validate(inst); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func mustCompileFast(tb testing.TB, s string) *Validator {
	tb.Helper()
	v, err := Compile([]byte(s))
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// TestFastPath_depth checks that the fast path leaves values nested deeper
// than fastMaxDepth to the general validator (which refuses values deeper
// than MaxDepth), under a schema that says nothing about them and under a
// recursive one, and decides those within it.
func TestFastPath_depth(t *testing.T) {
	if fastMaxDepth > MaxDepth {
		t.Fatalf("fastMaxDepth %d exceeds MaxDepth %d", fastMaxDepth, MaxDepth)
	}
	nested := func(n int) []byte {
		return []byte(`{"a":` + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + `}`)
	}
	for _, s := range []string{
		`{"type":"object"}`,
		`{"type":"object","properties":{"a":{}}}`,
		`{"$defs":{"L":{"type":"array","items":{"$ref":"#/$defs/L"}}},"type":"object","properties":{"a":{"$ref":"#/$defs/L"}}}`,
	} {
		v := mustCompileFast(t, s)
		if v.fast == nil {
			t.Fatalf("no fast path for %s", s)
		}
		if !v.fast.valid(nested(fastMaxDepth)) {
			t.Errorf("%s: not decided at depth %d", s, fastMaxDepth)
		}
		if v.fast.valid(nested(fastMaxDepth + 1)) {
			t.Errorf("%s: decided at depth %d", s, fastMaxDepth+1)
		}
	}
}

// TestFastPath_notForCostlySchemas checks that a schema the general
// validator may refuse as too complex gets no fast path (it would accept
// values the general validator refuses, with as much work).
func TestFastPath_notForCostlySchemas(t *testing.T) {
	defs := map[string]any{"L9": map[string]any{"type": "string"}}
	for i := 8; i >= 0; i-- {
		next := map[string]any{"$ref": fmt.Sprintf("#/$defs/L%d", i+1)}
		defs[fmt.Sprintf("L%d", i)] = map[string]any{"anyOf": []any{next, map[string]any{"allOf": []any{next}}}}
	}
	doc, _ := json.Marshal(map[string]any{"$defs": defs, "$ref": "#/$defs/L0"})
	v := mustCompileFast(t, string(doc))
	if costFree(v.cost) {
		t.Fatalf("the cost model finds %s cheap: the test needs a costlier schema", doc)
	}
	if v.fast != nil {
		t.Errorf("fast path built for %s", doc)
	}
}

// TestFastPath_malformed checks that the fast path ends, without
// panicking, on data that is not JSON: ValidateCheckedJSON's result is
// unspecified there (ValidateJSON checks the syntax first), but it must
// return.
func TestFastPath_malformed(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 13))
	schemas := append(append([]string{}, fastSchemas...),
		`{"type":"array"}`, `{"type":"object","additionalProperties":{"type":"array","uniqueItems":true}}`, `{}`, `true`)
	const alphabet = `{}[]":,0-1.e tfnul\ax`
	for _, s := range schemas {
		v := mustCompileFast(t, s)
		if v.fast == nil {
			t.Fatalf("no fast path for %s", s)
		}
		for range 3000 {
			b := make([]byte, r.IntN(12))
			for i := range b {
				b[i] = alphabet[r.IntN(len(alphabet))]
			}
			v.fast.valid(b) // unspecified, but it must return
			_ = v.ValidateJSON(b)
		}
	}
}
