package validate_test

import (
	"testing"

	"github.com/schemarpc/schemarpc/validate"
)

func TestCompileEach(t *testing.T) {
	comps := []byte(`{"Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}, "v": {"type": "integer"}}}}`)
	schemas := [][]byte{
		[]byte(`{"$ref": "#/components/schemas/Node"}`),
		[]byte(`{"type": "array", "items": {"$ref": "#/components/schemas/Node"}}`),
		[]byte(`{"properties": {"self": {"$ref": "#"}}, "required": ["v"]}`), // refers to itself: compiled alone
		[]byte(`{"$ref": "#/components/schemas/Missing"}`),
		[]byte(`{"type": 5}`),
		[]byte(`true`),
	}
	vs, errs := validate.CompileEach(schemas, validate.WithComponents(comps))
	for i, wantErr := range []bool{false, false, false, true, true, false} {
		if (errs[i] != nil) != wantErr || (vs[i] == nil) != wantErr {
			t.Fatalf("schema %d: validator %v, error %v", i, vs[i] != nil, errs[i])
		}
	}
	if got := violations(t, vs[0], `{"next": {"next": {"v": "x"}}}`); len(got) != 1 || got[0].Pointer != "/next/next/v" {
		t.Errorf("recursive component: %+v", got)
	}
	if got := violations(t, vs[1], `[{"v": 1}, {"v": true}]`); len(got) != 1 || got[0].Pointer != "/1/v" {
		t.Errorf("array of components: %+v", got)
	}
	if got := violations(t, vs[2], `{"v": 1, "self": {}}`); len(got) != 1 || got[0].Pointer != "/self/v" {
		t.Errorf("self reference must mean the schema itself: %+v", got)
	}
}
