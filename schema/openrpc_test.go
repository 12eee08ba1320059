package schema_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/invopop/jsonschema"
	"github.com/schemarpc/schemarpc/schema"
)

func TestMarshalDocument(t *testing.T) {
	doc := &schema.Document{
		OpenRPC: schema.Version,
		Info:    schema.Info{Title: "Tom & Jerry <API>", Version: "2.0.0"},
		Methods: []*schema.Method{{
			Name:       "notify",
			Extensions: map[string]any{"x-b": 2, "x-a": "<1>"},
			Examples:   []*schema.ExamplePairing{{Name: "e", Result: &schema.Example{Name: "r"}}},
		}},
	}
	b, err := schema.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "openrpc": "1.3.2",
  "info": {
    "title": "Tom & Jerry <API>",
    "version": "2.0.0"
  },
  "methods": [
    {
      "name": "notify",
      "params": [],
      "examples": [
        {
          "name": "e",
          "params": [],
          "result": {
            "name": "r",
            "value": null
          }
        }
      ],
      "x-a": "<1>",
      "x-b": 2
    }
  ]
}
`
	if string(b) != want {
		t.Errorf("got\n%s\nwant\n%s", b, want)
	}

	empty, err := schema.Marshal(&schema.Document{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(empty), `"methods": []`) {
		t.Errorf("empty document: %s", empty)
	}
	if _, err := schema.Marshal(nil); err == nil {
		t.Error("Marshal(nil) succeeded")
	}
}

func TestMethodExtensionKeys(t *testing.T) {
	doc := &schema.Document{Methods: []*schema.Method{{Name: "m", Extensions: map[string]any{"idempotent": true}}}}
	if _, err := schema.Marshal(doc); err == nil {
		t.Error("extension without x- prefix accepted")
	}
}

func TestMethodRoundTrip(t *testing.T) {
	in := schema.Method{
		Name:           "sum",
		ParamStructure: schema.ParamStructureByPosition,
		Params: []*schema.ContentDescriptor{
			{Name: "a", Required: true, Schema: &jsonschema.Schema{Type: "integer"}},
		},
		Result:     &schema.ContentDescriptor{Name: "sum", Schema: &jsonschema.Schema{Type: "integer"}},
		Errors:     []*schema.ErrorObject{{Code: -32000, Message: "overflow", Data: "details"}},
		Deprecated: true,
		Extensions: map[string]any{"x-cost": 1.5},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out schema.Method
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	b2, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(b2) {
		t.Errorf("round trip changed the method:\n%s\n%s", b, b2)
	}
	if out.Extensions["x-cost"] != 1.5 {
		t.Errorf("extensions = %v", out.Extensions)
	}
}
