package validate_test

import (
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/validate"
)

func TestWithResource(t *testing.T) {
	v := mustCompile(t, `{"type": "object", "properties": {"pet": {"$ref": "schemas/pet.json#/Pet"}}}`,
		validate.WithResource("schemas/pet.json", []byte(`{"Pet": {"type": "object", "properties": {"tag": {"$ref": "tag.json"}}}}`)),
		validate.WithResource("schemas/tag.json", []byte(`{"type": "string", "minLength": 2}`)))
	got := violations(t, v, `{"pet": {"tag": "x"}}`)
	if len(got) != 1 || got[0].Pointer != "/pet/tag" || got[0].Keyword != "minLength" {
		t.Errorf("got %+v", got)
	}
	if got := violations(t, v, `{"pet": {"tag": "xy"}}`); got != nil {
		t.Errorf("got %+v", got)
	}
}

func TestWithResourceMissing(t *testing.T) {
	_, err := validate.Compile([]byte(`{"$ref": "other.json"}`), validate.WithResource("schemas/pet.json", []byte(`{}`)))
	if err == nil || !strings.Contains(err.Error(), "other.json") {
		t.Errorf("got %v, want an error naming other.json", err)
	}
}
