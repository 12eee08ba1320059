package validate_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/validate"
)

// An invalid pattern is a compile error that names the place and the
// pattern, in the schema, in a component and in patternProperties.
func TestInvalidPatternIsSchemaError(t *testing.T) {
	const bad = `^[0-9a-zA-Z._-/]+$` // _ (0x5F) to / (0x2F): a range out of order
	tests := []struct {
		name, schema, components, pointer string
	}{
		{"schema", `{"properties": {"sku": {"type": "string", "pattern": "` + bad + `"}}}`, "", "/properties/sku/pattern"},
		{"component", `{"$ref": "#/components/schemas/Sku"}`, `{"Sku": {"type": "string", "pattern": "` + bad + `"}}`, "/components/schemas/Sku/pattern"},
		{"patternProperties", `{"patternProperties": {"` + bad + `": true}}`, "", "/patternProperties/" + strings.ReplaceAll(bad, "/", "~1")},
		{"draft-07", `{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"sku": {"pattern": "` + bad + `"}}}`, "", "/properties/sku/pattern"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []validate.Option
			if tt.components != "" {
				opts = append(opts, validate.WithComponents([]byte(tt.components)))
			}
			_, err := validate.Compile([]byte(tt.schema), opts...)
			var se *validate.SchemaError
			if !errors.As(err, &se) {
				t.Fatalf("Compile: %v (%T), want a *validate.SchemaError", err, err)
			}
			if se.Pointer != tt.pointer || !strings.Contains(se.Message, `"`+bad+`"`) || !strings.Contains(se.Message, "range out of order") {
				t.Errorf("got pointer %q message %q; want pointer %q and a message quoting the pattern", se.Pointer, se.Message, tt.pointer)
			}
			if !strings.Contains(err.Error(), tt.pointer) {
				t.Errorf("Error() = %q does not name %s", err, tt.pointer)
			}
		})
	}
}

// ECMA-262 patterns are honoured by the full validator and agree with the
// fast path (a flat object schema takes the fast path when valid).
func TestECMAPatterns(t *testing.T) {
	v := mustCompile(t, `{"type": "object", "properties": {
		"pw": {"type": "string", "pattern": "^(?=.*\\d)(?=.*[a-z]).{8,}$"},
		"word": {"type": "string", "pattern": "^\\p{L}+$"},
		"sp": {"type": "string", "pattern": "^\\s$"}
	}}`)
	for doc, valid := range map[string]bool{
		`{"pw": "passw0rdx"}`:     true,
		`{"pw": "password"}`:      false,
		`{"word": "école"}`:       true,
		`{"word": "ecole1"}`:      false,
		`{"sp": "\u3000"}`:        true,
		`{"sp": "x"}`:             false,
		`{"pw": "1a", "sp": " "}`: false,
	} {
		err := v.ValidateJSON([]byte(doc))
		if (err == nil) != valid {
			t.Errorf("%s: got %v, want valid %v", doc, err, valid)
		}
	}
}

// A component schema with a keyword of the wrong type, referenced from two
// places, is a compile error every time, never a panic: with Compile, with
// CompileEach (which shares a compiler between schemas), and again after.
// jsonschema v5 panicked on 18 of these pairs once a compiler was reused.
func TestWrongTypedKeywords(t *testing.T) {
	bad := map[string][]string{
		"type":                  {`5`, `"strin"`, `[1]`, `{}`},
		"required":              {`[1]`, `"x"`, `{}`},
		"enum":                  {`"x"`, `{}`, `1`},
		"const":                 {},
		"minLength":             {`"1"`, `-1`, `1.5`, `[]`},
		"maxLength":             {`"1"`, `-1`},
		"minItems":              {`"1"`, `-1`},
		"maxItems":              {`"1"`},
		"minProperties":         {`"1"`},
		"maxProperties":         {`"1"`},
		"minimum":               {`"1"`, `[]`},
		"maximum":               {`"1"`},
		"exclusiveMinimum":      {`"1"`},
		"exclusiveMaximum":      {`"1"`},
		"multipleOf":            {`"1"`, `0`, `-2`},
		"pattern":               {`1`, `"["`, `"^[0-9a-zA-Z._-/]+$"`},
		"format":                {`1`},
		"uniqueItems":           {`"x"`, `1`},
		"properties":            {`[]`, `1`, `{"a": 1}`},
		"patternProperties":     {`[]`, `{"[": {}}`, `{"a": 1}`},
		"additionalProperties":  {`1`, `"x"`},
		"items":                 {`1`, `"x"`},
		"prefixItems":           {`{}`, `[1]`},
		"contains":              {`1`},
		"allOf":                 {`{}`, `[]`, `[1]`},
		"anyOf":                 {`{}`, `[]`},
		"oneOf":                 {`{}`, `"x"`},
		"not":                   {`1`, `[]`},
		"if":                    {`1`},
		"then":                  {`[]`},
		"else":                  {`"x"`},
		"dependentRequired":     {`[]`, `{"a": [1]}`},
		"dependentSchemas":      {`[]`, `{"a": 1}`},
		"propertyNames":         {`1`},
		"$ref":                  {`1`, `[]`},
		"$defs":                 {`[]`, `{"a": 1}`},
		"minContains":           {`"1"`},
		"maxContains":           {`-1`},
		"unevaluatedItems":      {`1`},
		"unevaluatedProperties": {`"x"`},
	}
	pairs := 0
	for kw, values := range bad {
		for _, val := range values {
			pairs++
			comps := fmt.Sprintf(`{"Bad": {%q: %s}, "User": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/Bad"}}}}`, kw, val)
			schemas := [][]byte{
				[]byte(`{"$ref": "#/components/schemas/Bad"}`),
				[]byte(`{"type": "object", "properties": {"x": {"$ref": "#/components/schemas/Bad"}}}`),
				[]byte(`{"$ref": "#/components/schemas/User"}`),
				[]byte(`{"type": "string"}`),
			}
			name := kw + "=" + val
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s: panic: %v", name, r)
					}
				}()
				for i := range 2 {
					if _, err := validate.Compile(schemas[i], validate.WithComponents([]byte(comps))); err == nil {
						t.Errorf("%s: Compile of schema %d succeeded", name, i)
					}
				}
				vs, errs := validate.CompileEach(schemas, validate.WithComponents([]byte(comps)))
				for i := range 3 {
					if errs[i] == nil {
						t.Errorf("%s: CompileEach schema %d: no error", name, i)
					}
				}
				if errs[3] != nil || vs[3] == nil {
					t.Errorf("%s: CompileEach: the schema that does not use Bad failed: %v", name, errs[3])
				}
			}()
		}
	}
	if pairs < 34 {
		t.Fatalf("only %d pairs", pairs)
	}
}

func TestReferenceErrors(t *testing.T) {
	_, err := validate.Compile([]byte(`{"properties": {"a": {"$ref": "#/components/schemas/Missing"}}}`), validate.WithComponents([]byte(`{}`)))
	var se *validate.SchemaError
	if !errors.As(err, &se) || se.Pointer != "/properties/a/$ref" || !strings.Contains(se.Message, "#/components/schemas/Missing") {
		t.Errorf("got %v, want a SchemaError at /properties/a/$ref naming the target", err)
	}
}

// An invalid patternProperties key is placed at that key, whatever
// members follow it (it came out at "/type/[z-a]": the validator's
// location of a propertyNames failure was overwritten by later members).
func TestInvalidPatternPropertiesKeyPointer(t *testing.T) {
	for _, schema := range []string{
		`{"type": "object", "patternProperties": {"[z-a]": {"type": "string"}}}`,
		`{"patternProperties": {"[z-a]": {"type": "string"}}, "type": "object", "required": ["x"]}`,
	} {
		_, err := validate.Compile([]byte(schema))
		var se *validate.SchemaError
		if !errors.As(err, &se) || se.Pointer != "/patternProperties/[z-a]" {
			t.Errorf("%s: got %#v, want a SchemaError at /patternProperties/[z-a]", schema, err)
		}
	}
}

// A propertyNames failure is reported at the member whose names failed,
// not at a member checked after it.
func TestPropertyNamesPointer(t *testing.T) {
	v := mustCompile(t, `{"properties": {"a": {"propertyNames": {"maxLength": 1}}, "b": {"type": "integer"}}}`)
	vs := violations(t, v, `{"a": {"xx": 1}, "b": 1}`)
	if len(vs) != 1 || vs[0].Pointer != "/a/xx" || vs[0].Keyword != "propertyNames" {
		t.Errorf("got %+v, want one propertyNames violation at /a/xx", vs)
	}
}
