package validate

import "testing"

// CompileEach gives its validators the fast checker, as Compile does:
// `schemarpc validate` compiles a document's schemas with it.
func TestCompileEach_fastPath(t *testing.T) {
	schemas := [][]byte{
		[]byte(`{"type":"object","properties":{"a":{"type":"integer","minimum":0}},"required":["a"]}`),
		[]byte(`{"type":"string","maxLength":3}`),
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
			if (v.fast == nil) != (one.fast == nil) || v.fast == nil {
				t.Errorf("schema %d: CompileEach fast checker %v, Compile's %v", i, v.fast != nil, one.fast != nil)
			}
		}
	}
}
