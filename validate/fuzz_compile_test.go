package validate_test

import (
	"errors"
	"testing"

	"github.com/schemarpc/schemarpc/validate"
)

// FuzzCompile compiles arbitrary schema bytes, alone, with components and
// together with CompileEach, and validates a few values with what
// compiles: nothing may panic, and a failed compile is an error.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		`{}`, `true`, `false`, `{"type": "object", "properties": {"a": {"type": "string", "pattern": "^[a-z]+$"}}, "required": ["a"]}`,
		`{"$ref": "#/components/schemas/A"}`, `{"required": [1]}`, `{"minLength": "1"}`, `{"enum": "x"}`,
		`{"properties": []}`, `{"allOf": {}}`, `{"uniqueItems": "x"}`, `{"pattern": "^[0-9a-zA-Z._-/]+$"}`,
		`{"patternProperties": {"(?=a)": true}}`, `{"pattern": "^(?=.*\\d)\\p{L}+$"}`,
		`{"anyOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/A"}, {"type": "null"}]}`,
		`{"$schema": "http://json-schema.org/draft-07/schema#", "items": [{"type": "string"}], "additionalItems": false}`,
		`{"$defs": {"x": {"$ref": "#/$defs/x"}}, "$ref": "#/$defs/x"}`, `{"$ref": "other.json"}`,
		`{"if": {"minimum": 1}, "then": {"multipleOf": 0.5}, "else": {"const": [1, {"a": null}]}}`,
		`{"dependentSchemas": {"a": {"required": ["b"]}}, "propertyNames": {"maxLength": 3}}`,
		`{"prefixItems": [{"type": "integer"}], "items": false, "contains": {"type": "null"}, "minContains": 2}`,
		`{"unevaluatedProperties": false, "allOf": [{"properties": {"a": true}}]}`,
		`{"format": "email"}`, `{"format": "regex"}`, `{"$dynamicRef": "#a", "$dynamicAnchor": "a"}`,
	} {
		f.Add([]byte(s))
	}
	comps := []byte(`{"A": {"anyOf": [{"$ref": "#/components/schemas/B"}, {"type": "string"}]}, "B": {"type": "object", "properties": {"n": {"$ref": "#/components/schemas/A"}}}}`)
	values := [][]byte{[]byte(`null`), []byte(`"abc"`), []byte(`{"a": "x", "n": {"n": "y"}}`), []byte(`[1, "2", null, [], {}]`), []byte(`-1.5`)}
	f.Fuzz(func(t *testing.T, schema []byte) {
		check := func(v *validate.Validator, err error) {
			if (v == nil) == (err == nil) {
				t.Fatalf("validator %v, error %v", v != nil, err)
			}
			if v == nil {
				return
			}
			for _, val := range values {
				if err := v.ValidateJSON(val); err != nil {
					var verr *validate.Error
					if !errors.As(err, &verr) && !errors.Is(err, validate.ErrTooComplex) {
						t.Fatalf("ValidateJSON(%s): %v", val, err)
					}
				}
			}
		}
		check(validate.Compile(schema))
		check(validate.Compile(schema, validate.WithComponents(comps)))
		vs, errs := validate.CompileEach([][]byte{schema, []byte(`{"$ref": "#/components/schemas/A"}`), schema}, validate.WithComponents(comps))
		for i := range vs {
			check(vs[i], errs[i])
		}
	})
}
