package validate_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/schemarpc/schemarpc/validate"
)

// paramsCase is a method whose params FuzzParams checks: its shape and the
// schema its normalised params are validated against.
type paramsCase struct {
	params validate.Params
	schema string
}

var paramsCases = []paramsCase{
	{validate.Params{Method: "echo", Shape: validate.Named, Names: []string{"message", "n"}},
		`{"type":"object","properties":{"message":{"type":"string","minLength":1},"n":{"type":"integer"}},"required":["message","n"],"additionalProperties":false}`},
	{validate.Params{Method: "range", Shape: validate.Named, Names: []string{"n", "x", "b", "z", "c"}},
		`{"type":"object","properties":{"n":{"type":"integer","minimum":0,"maximum":100},"x":{"type":"number","exclusiveMinimum":-1.5,"exclusiveMaximum":2.25},"b":{"type":"boolean"},"z":{"type":"null"},"c":{"type":"string","enum":["red","green"]}},"required":["n"],"additionalProperties":false}`},
	{validate.Params{Method: "nested", Shape: validate.Named, Names: []string{"a", "b", "inner"}, ByName: false},
		`{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"},"inner":{"type":"object","properties":{"k":{"type":"string"}},"required":["k"],"additionalProperties":false}},"required":["a","b"],"additionalProperties":false}`},
	{validate.Params{Method: "byname", Shape: validate.Named, Names: []string{"q"}, ByName: true},
		`{"type":"object","properties":{"q":{"type":"string","format":"email"}},"additionalProperties":false}`},
	{validate.Params{Method: "sum", Shape: validate.VariadicParams},
		`{"type":"array","items":{"type":"number"}}`},
	{validate.Params{Method: "tags", Shape: validate.Named, Names: []string{"tags", "limit"}},
		`{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"},"uniqueItems":true},"limit":{"anyOf":[{"type":"integer","minimum":1},{"type":"null"}]}}}`},
	{validate.Params{Method: "none", Shape: validate.NoParams}, ``},
}

// FuzzParams checks that normalising and validating params as the server
// does (Params.Normalize, then Validator.ValidateJSON with its fast path)
// accepts exactly what a reference accepts: the params decoded with
// encoding/json, mapped onto the declared names by hand, and checked by
// the full validator. Valid params are never rejected, invalid ones never
// accepted.
func FuzzParams(f *testing.F) {
	for _, s := range []string{
		`{"message":"hi","n":1}`, `["hi",1]`, `["hi",1,2]`, `[]`, `{}`, `["",1.0]`, `{"message":"hi","n":1,"message":""}`,
		`{"n":0,"x":2.2499,"b":true,"z":null,"c":"red"}`, `[100,-1.5]`, `[1e2]`, `[101]`, `{"n":-0}`,
		`[1,2,{"k":"v"}]`, `{"a":1,"b":2,"inner":{"k":1}}`, `{"q":"a@b.c"}`, `["a@b.c"]`,
		`[1,2.5,-3e10]`, `{"0":1}`, `{"tags":["a","a"]}`, `{"tags":["a"],"limit":null}`, `[[],0]`,
		`{"message":"\u00e9\ud800","n":12345678901234567890}`,
	} {
		f.Add(s)
	}
	type compiled struct {
		paramsCase
		v *validate.Validator
	}
	var cs []compiled
	for _, c := range paramsCases {
		var v *validate.Validator
		if c.schema != "" {
			var err error
			if v, err = validate.Compile([]byte(c.schema)); err != nil {
				f.Fatal(err)
			}
		}
		cs = append(cs, compiled{c, v})
	}
	f.Fuzz(func(t *testing.T, params string) {
		raw := json.RawMessage(params)
		if params == "" {
			raw = nil
		} else if !json.Valid(raw) || !utf8.Valid(raw) || (raw[0] != '[' && raw[0] != '{') {
			return // the decoder never passes such params on
		}
		for _, c := range cs {
			got := serverAccepts(c.params, c.v, raw)
			want, why := referenceAccepts(t, c.params, c.v, raw)
			if got != want {
				t.Fatalf("%s(%s): server accepts %v, reference %v (%s)", c.params.Method, params, got, want, why)
			}
		}
	})
}

func serverAccepts(p validate.Params, v *validate.Validator, raw json.RawMessage) bool {
	norm, verr := p.Normalize(raw)
	if verr != nil {
		return false
	}
	if v == nil {
		return true
	}
	return v.ValidateJSON(norm) == nil
}

// referenceAccepts decides with encoding/json and the full validator.
func referenceAccepts(t *testing.T, p validate.Params, v *validate.Validator, raw json.RawMessage) (bool, string) {
	var val any
	if raw != nil {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&val); err != nil {
			t.Fatalf("json.Valid but not decodable: %v", err)
		}
	}
	var inst any
	switch p.Shape {
	case validate.NoParams:
		switch x := val.(type) {
		case nil:
		case []any:
			if len(x) > 0 {
				return false, "params given"
			}
		case map[string]any:
			if len(x) > 0 {
				return false, "params given"
			}
		}
		return true, ""
	case validate.VariadicParams:
		switch x := val.(type) {
		case nil:
			inst = []any{}
		case []any:
			inst = x
		default:
			return false, "not an array"
		}
	case validate.Named:
		switch x := val.(type) {
		case nil:
			inst = map[string]any{}
		case map[string]any:
			if p.ByPosition {
				return false, "by position only"
			}
			inst = x
		case []any:
			if p.ByName {
				return false, "by name only"
			}
			if len(x) > len(p.Names) {
				return false, "too many positional params"
			}
			m := map[string]any{}
			for i, el := range x {
				m[p.Names[i]] = el
			}
			inst = m
		}
	}
	if err := v.Validate(inst); err != nil {
		return false, err.Error()
	}
	return true, ""
}
