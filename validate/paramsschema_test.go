package validate_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/validate"
)

func TestParamsSchema(t *testing.T) {
	ps := []validate.Param{
		{Name: "message", Required: true, Schema: map[string]any{"type": "string", "minLength": 1}},
		{Name: "n", Schema: json.RawMessage(`{"type":"integer"}`)},
		{Name: "any"},
	}
	for _, tc := range []struct {
		shape  validate.ParamsShape
		params []validate.Param
		want   string
	}{
		{validate.Named, ps, `{"additionalProperties":false,"properties":{"any":{},"message":{"minLength":1,"type":"string"},"n":{"type":"integer"}},"required":["message"],"type":"object"}`},
		{validate.Named, nil, `{"additionalProperties":false,"properties":{},"type":"object"}`},
		{validate.NoParams, nil, `{"additionalProperties":false,"properties":{},"type":"object"}`},
		{validate.VariadicParams, ps[1:2], `{"items":{"type":"integer"},"type":"array"}`},
		{validate.VariadicParams, ps[2:], `{"items":{},"type":"array"}`},
	} {
		b, err := json.Marshal(validate.ParamsSchema(tc.shape, tc.params))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.want {
			t.Errorf("shape %d: got  %s\nwant %s", tc.shape, b, tc.want)
		}
	}
}

// ParamsSchema joins a method's params, here reflected from a Go struct,
// into the schema that its params object must satisfy.
func ExampleParamsSchema() {
	type TransferParams struct {
		From   string `json:"from" jsonschema:"minLength=1"`
		To     string `json:"to" jsonschema:"minLength=1"`
		Amount uint32 `json:"amount" jsonschema:"minimum=1"`
		Memo   string `json:"memo,omitempty"`
	}

	cds, err := schema.NewReflector().Params(reflect.TypeFor[TransferParams]())
	if err != nil {
		fmt.Println(err)
		return
	}
	var params []validate.Param
	for _, cd := range cds {
		params = append(params, validate.Param{Name: cd.Name, Required: cd.Required, Schema: cd.Schema})
	}
	b, _ := json.Marshal(validate.ParamsSchema(validate.Named, params))
	fmt.Printf("%s\n", b)

	v, err := validate.Compile(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.ValidateJSON([]byte(`{"from": "alice", "to": "bob", "amount": 5}`)))
	fmt.Println(v.ValidateJSON([]byte(`{"from": "alice", "amount": 0}`)))
	// Output:
	// {"additionalProperties":false,"properties":{"amount":{"type":"integer","maximum":4294967295,"minimum":1},"from":{"type":"string","minLength":1},"memo":{"type":"string"},"to":{"type":"string","minLength":1}},"required":["from","to","amount"],"type":"object"}
	// <nil>
	// /amount: minimum: expected a number >= 1, got 0; /to: required: missing required property "to"
}

// descriptorParams turns reflected content descriptors into params.
func descriptorParams(cds []*schema.ContentDescriptor) []validate.Param {
	ps := make([]validate.Param, len(cds))
	for i, cd := range cds {
		ps[i] = validate.Param{Name: cd.Name, Required: cd.Required, Schema: cd.Schema}
	}
	return ps
}
