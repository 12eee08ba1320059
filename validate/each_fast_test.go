package validate

import "testing"

// CompileEach gives its validators the fast checker, as Compile does
// (`schemarpc validate` compiles a document's schemas with it), and their
// verdicts are Compile's: formats asserted, references to components
// followed.
func TestCompileEach_fastPath(t *testing.T) {
	schemas := [][]byte{
		[]byte(`{"type":"object","properties":{"a":{"type":"integer","minimum":0},"e":{"type":"string","format":"email"}},"required":["a"]}`),
		[]byte(`{"type":"string","format":"uuid"}`),
	}
	instances := [][]string{
		{`{"a":1}`, `{"a":-1}`, `{"a":1,"e":"x@example.com"}`, `{"a":1,"e":"not an email"}`, `{}`},
		{`"123e4567-e89b-12d3-a456-426614174000"`, `"123e4567"`, `5`},
	}
	for _, opts := range [][]Option{nil, {WithComponents([]byte(`{"N":{"type":"integer"}}`))}} {
		vs, errs := CompileEach(schemas, opts...)
		for i, v := range vs {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			one, err := Compile(schemas[i], opts...)
			if err != nil {
				t.Fatal(err)
			}
			if v.fast == nil || one.fast == nil {
				t.Errorf("schema %d: CompileEach fast checker %v, Compile's %v", i, v.fast != nil, one.fast != nil)
			}
			for _, in := range instances[i] {
				got, want := v.ValidateJSON([]byte(in)) == nil, one.ValidateJSON([]byte(in)) == nil
				if got != want {
					t.Errorf("schema %d, %s: CompileEach's validator says valid=%v, Compile's %v", i, in, got, want)
				}
			}
		}
	}
}
