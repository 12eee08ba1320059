package validate_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/schemarpc/schemarpc/validate"
)

const userSchema = `{
  "type": "object",
  "properties": {
    "email": {"type": "string", "format": "email"},
    "name": {"type": "string", "minLength": 1, "maxLength": 5},
    "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
    "age": {"type": "integer", "minimum": 0, "maximum": 150},
    "role": {"type": "string", "enum": ["admin", "user"]},
    "id": {"type": "string", "format": "uuid"},
    "at": {"type": "string", "format": "date-time"},
    "home": {"type": "string", "format": "uri"},
    "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
    "a/b~c": {"type": "boolean"}
  },
  "required": ["email"],
  "additionalProperties": false
}`

func mustCompile(t testing.TB, schema string, opts ...validate.Option) *validate.Validator {
	t.Helper()
	v, err := validate.Compile([]byte(schema), opts...)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return v
}

// violations validates doc and returns its violations; it fails the test if
// the error is not an *validate.Error.
func violations(t *testing.T, v *validate.Validator, doc string) []validate.Violation {
	t.Helper()
	err := v.ValidateJSON([]byte(doc))
	if err == nil {
		return nil
	}
	var verr *validate.Error
	if !errors.As(err, &verr) {
		t.Fatalf("ValidateJSON(%s) = %v (%T), want *validate.Error", doc, err, err)
	}
	return verr.Violations
}

func TestKeywords(t *testing.T) {
	v := mustCompile(t, userSchema)
	tests := []struct {
		name, doc, pointer, keyword, message string
	}{
		{"required", `{}`, "/email", "required", `missing required property "email"`},
		{"additionalProperties", `{"email": "a@b.c", "foo": 1}`, "/foo", "additionalProperties", `property "foo" is not allowed`},
		{"format email", `{"email": "x"}`, "/email", "format", `expected a valid email, got "x"`},
		{"format uuid", `{"email": "a@b.c", "id": "not-a-uuid"}`, "/id", "format", `expected a valid uuid, got "not-a-uuid"`},
		{"format date-time", `{"email": "a@b.c", "at": "yesterday"}`, "/at", "format", `expected a valid date-time, got "yesterday"`},
		{"format uri", `{"email": "a@b.c", "home": "no scheme"}`, "/home", "format", `expected a valid uri, got "no scheme"`},
		{"type", `{"email": 42}`, "/email", "type", ""},
		{"type root", `[]`, "", "type", ""},
		{"minLength", `{"email": "a@b.c", "name": ""}`, "/name", "minLength", ""},
		{"maxLength", `{"email": "a@b.c", "name": "toolong"}`, "/name", "maxLength", ""},
		{"pattern", `{"email": "a@b.c", "code": "abc"}`, "/code", "pattern", ""},
		{"minimum", `{"email": "a@b.c", "age": -1}`, "/age", "minimum", ""},
		{"maximum", `{"email": "a@b.c", "age": 151}`, "/age", "maximum", ""},
		{"integer", `{"email": "a@b.c", "age": 1.5}`, "/age", "type", ""},
		{"enum", `{"email": "a@b.c", "role": "root"}`, "/role", "enum", ""},
		{"maxItems", `{"email": "a@b.c", "tags": ["a", "b", "c"]}`, "/tags", "maxItems", ""},
		{"array item", `{"email": "a@b.c", "tags": ["a", 1]}`, "/tags/1", "type", ""},
		{"escaped pointer", `{"email": "a@b.c", "a/b~c": 1}`, "/a~1b~0c", "type", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := violations(t, v, tt.doc)
			if len(vs) != 1 {
				t.Fatalf("got %d violations %+v, want 1", len(vs), vs)
			}
			got := vs[0]
			if got.Pointer != tt.pointer || got.Keyword != tt.keyword {
				t.Errorf("got %q %q, want %q %q", got.Pointer, got.Keyword, tt.pointer, tt.keyword)
			}
			if tt.message != "" && got.Message != tt.message {
				t.Errorf("message %q, want %q", got.Message, tt.message)
			}
			if got.Message == "" {
				t.Error("empty message")
			}
		})
	}
}

func TestValidValue(t *testing.T) {
	v := mustCompile(t, userSchema)
	doc := `{"email": "a@b.c", "name": "ann", "code": "ABC", "age": 30, "role": "admin",
		"id": "123e4567-e89b-12d3-a456-426614174000", "at": "2024-01-02T03:04:05Z",
		"home": "https://example.com/", "tags": ["x"], "a/b~c": true}`
	if err := v.ValidateJSON([]byte(doc)); err != nil {
		t.Fatal(err)
	}
}

func TestMultipleViolationsSortedOnePerPointer(t *testing.T) {
	v := mustCompile(t, `{
		"type": "object",
		"properties": {"a": true, "b": true, "s": {"type": "string", "minLength": 3, "pattern": "^[0-9]+$", "format": "email"}},
		"required": ["b", "a", "s"],
		"additionalProperties": false
	}`)
	vs := violations(t, v, `{"z": 1, "y": 2}`)
	want := []validate.Violation{
		{"/a", "required", `missing required property "a"`},
		{"/b", "required", `missing required property "b"`},
		{"/s", "required", `missing required property "s"`},
		{"/y", "additionalProperties", `property "y" is not allowed`},
		{"/z", "additionalProperties", `property "z" is not allowed`},
	}
	if fmt.Sprint(vs) != fmt.Sprint(want) {
		t.Errorf("got  %v\nwant %v", vs, want)
	}

	// The validator stops at the first of type, const, enum and format
	// that fails; of the others, the most telling is reported.
	vs = violations(t, v, `{"a": 1, "b": 2, "s": "x"}`)
	if len(vs) != 1 || vs[0].Pointer != "/s" || vs[0].Keyword != "format" {
		t.Errorf("got %+v, want one format violation at /s", vs)
	}
	vs = violations(t, v, `{"a": 1, "b": 2, "s": "x@y"}`)
	if len(vs) != 1 || vs[0].Pointer != "/s" || vs[0].Keyword != "pattern" {
		t.Errorf("got %+v, want one pattern violation at /s", vs)
	}
}

func TestErrorMessage(t *testing.T) {
	v := mustCompile(t, userSchema)
	err := v.ValidateJSON([]byte(`{"email": "x", "age": "old"}`))
	want := `/age: type: expected integer, got string; /email: format: expected a valid email, got "x"`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	err = v.ValidateJSON([]byte(`1`))
	if err == nil || !strings.HasPrefix(err.Error(), "(root): type: ") {
		t.Errorf("got %v, want a (root) message", err)
	}
}

func TestViolationJSON(t *testing.T) {
	b, err := json.Marshal(validate.Violation{Pointer: "/a", Keyword: "type", Message: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"pointer":"/a","keyword":"type","message":"m"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestNestedAndRefs(t *testing.T) {
	components := `{
		"User": {"title": "User", "type": "object",
			"properties": {"email": {"type": "string", "format": "email"}, "friends": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}},
			"required": ["email"], "additionalProperties": false}
	}`
	v := mustCompile(t, `{"type": "object", "properties": {"user": {"$ref": "#/components/schemas/User"}}, "required": ["user"]}`,
		validate.WithComponents([]byte(components)))
	if err := v.ValidateJSON([]byte(`{"user": {"email": "a@b.c", "friends": [{"email": "c@d.e"}]}}`)); err != nil {
		t.Fatal(err)
	}
	vs := violations(t, v, `{"user": {"email": "a@b.c", "friends": [{"email": "nope"}, {}]}}`)
	want := []validate.Violation{
		{"/user/friends/0/email", "format", `expected a valid email, got "nope"`},
		{"/user/friends/1/email", "required", `missing required property "email"`},
	}
	if fmt.Sprint(vs) != fmt.Sprint(want) {
		t.Errorf("got  %v\nwant %v", vs, want)
	}
}

func TestUnresolvedRef(t *testing.T) {
	if _, err := validate.Compile([]byte(`{"$ref": "#/components/schemas/Missing"}`)); err == nil {
		t.Error("Compile succeeded with a dangling reference")
	}
	if _, err := validate.Compile([]byte(`{"$ref": "https://example.com/schema.json"}`)); err == nil {
		t.Error("Compile succeeded with an external reference")
	}
	if _, err := validate.Compile([]byte(`{"components": {}}`), validate.WithComponents([]byte(`{}`))); err == nil {
		t.Error("Compile accepted a schema with its own components")
	}
}

func TestOneOfPicksClosestBranch(t *testing.T) {
	v := mustCompile(t, `{"oneOf": [
		{"type": "string", "minLength": 2},
		{"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
	]}`)
	tests := []struct{ doc, pointer, keyword string }{
		{`{}`, "/n", "required"},
		{`{"n": "x"}`, "/n", "type"},
		{`"a"`, "", "minLength"},
	}
	for _, tt := range tests {
		vs := violations(t, v, tt.doc)
		if len(vs) != 1 || vs[0].Pointer != tt.pointer || vs[0].Keyword != tt.keyword {
			t.Errorf("%s: got %+v, want %q %q", tt.doc, vs, tt.pointer, tt.keyword)
		}
	}
}

func TestFalseSchemaAndDependentRequired(t *testing.T) {
	v := mustCompile(t, `{"properties": {"x": false}, "dependentRequired": {"a": ["b"]}}`)
	vs := violations(t, v, `{"x": 1}`)
	if len(vs) != 1 || vs[0].Pointer != "/x" || vs[0].Keyword != "false" {
		t.Errorf("false schema: got %+v", vs)
	}
	vs = violations(t, v, `{"a": 1}`)
	if len(vs) != 1 || vs[0].Pointer != "" || vs[0].Keyword != "dependentRequired" {
		t.Errorf("dependentRequired: got %+v", vs)
	}
}

func TestDraft7(t *testing.T) {
	// In draft-07, "items" as an array is tuple validation.
	schema := `{"$schema": "https://unknown.example/", "items": [{"type": "string"}]}`
	if _, err := validate.Compile([]byte(schema)); err == nil {
		t.Error("Compile accepted an unknown $schema without WithDraft7")
	}
	v := mustCompile(t, schema, validate.WithDraft7())
	if err := v.ValidateJSON([]byte(`["a", 1]`)); err != nil {
		t.Errorf("valid tuple: %v", err)
	}
	vs := violations(t, v, `[1]`)
	if len(vs) != 1 || vs[0].Pointer != "/0" || vs[0].Keyword != "type" {
		t.Errorf("got %+v", vs)
	}
	v = mustCompile(t, `{"format": "email"}`, validate.WithDraft7())
	if err := v.ValidateJSON([]byte(`"x"`)); err == nil {
		t.Error("draft-07 format not asserted")
	}
}

func TestValidateInputs(t *testing.T) {
	v := mustCompile(t, `{"type": "object", "properties": {"n": {"type": "integer", "minimum": 1}}}`)
	for _, bad := range []string{`{`, `{} {}`, ``} {
		err := v.ValidateJSON([]byte(bad))
		var verr *validate.Error
		if err == nil || errors.As(err, &verr) {
			t.Errorf("ValidateJSON(%q) = %v, want a plain error", bad, err)
		}
	}
	// Values decoded without UseNumber work too.
	var inst any
	if err := json.Unmarshal([]byte(`{"n": 0}`), &inst); err != nil {
		t.Fatal(err)
	}
	if err := v.Validate(inst); err == nil {
		t.Error("float64 below minimum accepted")
	}
	if err := v.Validate(map[string]any{"n": json.Number("2")}); err != nil {
		t.Error(err)
	}
	if err := v.Validate(map[string]any{"n": make(chan int)}); err == nil || errors.As(err, new(*validate.Error)) {
		t.Errorf("non-JSON Go value: got %v, want a plain error", err)
	}
	if _, err := validate.Compile([]byte(`{"type": 1}`)); err == nil {
		t.Error("invalid schema compiled")
	}
}

// Numbers math/big does not parse (an exponent beyond a million) used to
// panic inside the general validator wherever it compares numbers: they
// are refused as too complex to check, with where they are. Elsewhere
// they are numbers like any other.
func TestHugeExponents(t *testing.T) {
	for _, c := range []struct{ schema, inst, want string }{
		{`{"type": "number", "minimum": 0}`, `1e1000001`, `too complex to check: the number 1e1000001 at "" has an exponent too large to compare exactly`},
		{`{"properties": {"x": {"maximum": 1}}}`, `{"x": -1e-1000001}`, `the number -1e-1000001 at "/x"`},
		{`{"type": "number", "multipleOf": 2}`, `2e1000001`, `the number 2e1000001 at ""`},
		{`{"type": "array", "uniqueItems": true}`, `[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,1e1000001]`, `the number 1e1000001 at "/21"`},
		{`{"type": "number"}`, `1e1000001`, ``},
		{`{"type": "array", "items": {"type": "number", "minimum": 0}}`, `[1e1000001, -1]`, `too complex to check`},
	} {
		v := mustCompile(t, c.schema)
		err := v.ValidateJSON([]byte(c.inst))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s against %s: %v, want valid", c.inst, c.schema, err)
		case c.want != "" && (!errors.Is(err, validate.ErrTooComplex) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s against %s: %v, want an ErrTooComplex saying %s", c.inst, c.schema, err, c.want)
		}
	}
	v := mustCompile(t, `{"type": "number", "minimum": 0}`)
	if err := v.Validate(math.Inf(1)); err == nil || errors.Is(err, validate.ErrTooComplex) || !strings.Contains(err.Error(), "no JSON meaning") {
		t.Errorf("an infinite float: got %v, want a plain error", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	v := mustCompile(t, userSchema)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 200 {
				doc := fmt.Sprintf(`{"email": "u%d@example.com", "age": %d}`, i, j%100)
				if err := v.ValidateJSON([]byte(doc)); err != nil {
					t.Error(err)
					return
				}
				if err := v.ValidateJSON([]byte(`{"email": "bad"}`)); err == nil {
					t.Error("invalid value accepted")
					return
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkValidate(b *testing.B) {
	v := mustCompile(b, `{"type": "object", "properties": {"message": {"type": "string", "minLength": 1}, "n": {"type": "integer"}}, "required": ["message"], "additionalProperties": false}`)
	instance := map[string]any{"message": "hello", "n": json.Number("42")}
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Validate(instance); err != nil {
			b.Fatal(err)
		}
	}
}
