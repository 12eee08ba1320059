package validate_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/invopop/jsonschema"
	"github.com/schemarpc/schemarpc/schema"
)

func mustSchema(t *testing.T, r *schema.Reflector, typ reflect.Type) *jsonschema.Schema {
	t.Helper()
	s, err := r.Schema(typ)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func jsonOf(v any) ([]byte, error) { return json.Marshal(v) }
